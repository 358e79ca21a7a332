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
    out = result.stdout
    # The decision first, then what was read, what was found with its page and quote.
    assert out.startswith("Assisted: legal, finance, security and tax must approve — ")
    assert "Path: Assisted, tier 3 · status: decided" in out
    for role in ("legal", "finance", "security", "tax"):
        assert f"  {role}: within " in out
    assert "msa.pdf" in out and "order_form.docx" in out
    assert "Governing law" in out and "Netherlands" in out
    assert "msa.pdf p.3 “11.2 This Agreement is governed by the laws of the Netherlands.”" in out
    # Wide terminals get the long lists as tables; the versions close the page.
    assert "Legal facts (12)" in out and "fact " in out and "evidence" in out
    assert "engine durable" in out.splitlines()[-2] + out.splitlines()[-1]


def test_json_output_is_the_whole_case_view() -> None:
    try:
        result = CliRunner().invoke(app, ["run", *FILES, "--json"])
    finally:
        deciding.close_deciders()
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["path"] == "assisted"
    assert view["versions"]["engine"] == "durable"
    assert view["summary"].startswith("Assisted: ")
    assert [d["filename"] for d in view["documents"]] == ["msa.pdf", "order_form.docx"]


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
    assert isinstance(result.exception, SystemExit)
