"""Replay: the decisions a policy change would alter, from case files and through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from rules import PolicyError, ReplayCase, load_policy, read_replay_cases, replay
from rules.scenario import build_facts

runner = CliRunner()


def _write_cases(directory: Path) -> Path:
    directory.mkdir()
    cases: dict[str, dict[str, Any]] = {
        "net60": {
            "commercial.annual_contract_value": {"amount": 10000, "currency": "USD"},
            "commercial.payment_terms_days": 60,
        },
        "net50": {
            "commercial.annual_contract_value": {"amount": 10000, "currency": "USD"},
            "commercial.payment_terms_days": 50,
        },
        "plain": {"commercial.annual_contract_value": {"amount": 10000, "currency": "USD"}},
    }
    for case_id, facts in cases.items():
        case = ReplayCase(case_id=case_id, facts=build_facts(facts))
        (directory / f"{case_id}.json").write_text(case.model_dump_json(), encoding="utf-8")
    return directory


def _relax_payment_terms(policy_copy: Path) -> Path:
    parameters = policy_copy / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(
        text.replace("max_payment_terms_days: 45", "max_payment_terms_days: 55"), encoding="utf-8"
    )
    return policy_copy


def test_bad_case_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"case_id": 1}', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"bad\.json"):
        list(read_replay_cases(tmp_path))
    with pytest.raises(PolicyError, match="not a directory"):
        list(read_replay_cases(tmp_path / "missing"))


def test_replay_reports_changed_decisions_and_the_rules_responsible(
    tmp_path: Path, policy_copy: Path
) -> None:
    cases = _write_cases(tmp_path / "cases")
    new = load_policy(_relax_payment_terms(policy_copy))
    report = replay(read_replay_cases(cases), old=load_policy(), new=new)
    assert report.cases == 3
    assert report.unchanged == 2
    (change,) = report.changed
    assert change.case_id == "net50"
    assert (change.old_path.value, change.new_path.value) == ("standard", "self_serve")
    assert change.approvals_removed == ["finance"]
    assert change.rules_no_longer_firing == ["finance.payment_terms"]
    assert report.old_version != report.new_version


def test_replay_of_the_same_policy_changes_nothing(tmp_path: Path) -> None:
    cases = _write_cases(tmp_path / "cases")
    policy = load_policy()
    assert replay(read_replay_cases(cases), old=policy, new=policy).changed == []


def test_cli_replay_json_and_table(tmp_path: Path, policy_copy: Path) -> None:
    cases = _write_cases(tmp_path / "cases")
    new = _relax_payment_terms(policy_copy)
    result = runner.invoke(
        app, ["rules", "replay", "--rules", str(new), "--facts", str(cases), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [change["case_id"] for change in report["changed"]] == ["net50"]
    table = runner.invoke(app, ["rules", "replay", "--rules", str(new), "--facts", str(cases)])
    assert table.exit_code == 0
    assert "net50" in table.output and "finance.payment_terms" in table.output


def test_cli_check_reports_file_and_line(policy_copy: Path) -> None:
    (policy_copy / "80-extra.yaml").write_text(
        "rules:\n  - id: extra.lawyer\n    description: x\n"
        "    when: {fact: legal.non_compete, eq: true}\n"
        "    then:\n      approval: {role: lawyer, reason: r}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "check", str(policy_copy)])
    assert result.exit_code == 1
    assert "80-extra.yaml:6" in result.output
    assert "lawyer" in result.output


def test_cli_check_accepts_the_shipped_policy() -> None:
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_a_case_a_model_read_is_replayed_on_the_facts_its_decision_saw(
    policy_copy: Path,
) -> None:
    # The model found a net-60 clause the extractors missed: the case's decision is the
    # advisory one, so relaxing the payment-terms rule changes it, and replay must say so.
    plain = {"commercial.annual_contract_value": {"amount": 10000, "currency": "USD"}}
    with_model = {**plain, "commercial.payment_terms_days": 50}
    case = ReplayCase(
        case_id="read-by-model",
        facts=build_facts(plain),
        advisory_facts=build_facts(with_model),
    )
    report = replay([case], old=load_policy(), new=load_policy(_relax_payment_terms(policy_copy)))
    (change,) = report.changed
    assert change.approvals_removed == ["finance"]
    offline = case.model_copy(update={"advisory_facts": None})
    assert replay([offline], old=load_policy(), new=load_policy(policy_copy)).changed == []
