"""``triage run``, the README's main job, on the bundled sample bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app import deciding
from app.cli.main import app
from rules.loader import DEFAULT_POLICY_DIR

SAMPLE = Path(__file__).resolve().parents[2] / "app" / "samples" / "kepler-maritime"
FILES = [str(SAMPLE / "msa.pdf"), str(SAMPLE / "order_form.docx")]


def test_the_sample_bundle_is_read_cited_and_decided() -> None:
    try:
        result = CliRunner().invoke(
            app, ["run", *FILES, "--reference", "Kepler Maritime B.V."], env={"COLUMNS": "200"}
        )
    finally:
        deciding.close_deciders()
    assert result.exit_code == 0, result.output
    out = result.output
    # What was read, what was found with its page and quote, and the decision with its reasons.
    assert "msa.pdf" in out and "order_form.docx" in out
    assert "legal.governing_law" in out and "Netherlands" in out
    assert "msa.pdf p.3" in out
    assert "Path: assisted" in out and "Engine: durable" in out
    for role in ("legal", "finance", "security", "tax"):
        assert f"│ {role}" in out
    assert "stored." in out


def test_json_output_is_the_canonical_decision() -> None:
    try:
        result = CliRunner().invoke(app, ["run", *FILES, "--json"])
    finally:
        deciding.close_deciders()
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert decision["path"] == "assisted"
    assert decision["engine"] == "durable"
    assert result.output.strip() == json.dumps(
        decision, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def test_an_invalid_policy_is_refused_with_its_problems_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, broken)
    legal = broken / "30-legal.yaml"
    legal.write_text(legal.read_text("utf-8").replace("eq: true", "eq: maybe", 1), "utf-8")
    monkeypatch.setenv("TRIAGE_RULES_DIR", str(broken))
    result = CliRunner().invoke(app, ["run", *FILES], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "30-legal.yaml:" in result.output
    assert "triage rules check" in result.output
    assert "Traceback" not in result.output
