"""Decision labels, decision scoring, the HTML report and the regression gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from evals.saas import decisions
from evals.saas.decision_metrics import DecisionFigures, judge, path_within
from evals.saas.decision_report import render_report
from evals.saas.labels import ExpectedDecision
from rules import Approval, ApprovalRole, Decision, FiredRule, OnboardingPath
from rules.decision import InformationKind, InformationNeed

LEGAL, FINANCE, TAX = ApprovalRole.LEGAL, ApprovalRole.FINANCE, ApprovalRole.TAX


def expected(**raw: Any) -> ExpectedDecision:
    return ExpectedDecision.model_validate({"path": "standard", **raw})


def decision(
    path: str = "standard", roles: dict[ApprovalRole, list[str]] | None = None, needs: bool = False
) -> Decision:
    roles = roles or {}
    fired = [rule for rules in roles.values() for rule in rules]
    return Decision(
        path=OnboardingPath(path),
        tier=1,
        approvals=[
            Approval(role=role, reasons=["r"], rules=rules, due_business_hours=8)
            for role, rules in roles.items()
        ],
        risk_flags=[],
        fired_rules=[FiredRule(id=rule, description="d", file="f", facts=[]) for rule in fired],
        information_needed=(
            [
                InformationNeed(
                    path="commercial.annual_contract_value",
                    kind=InformationKind.MISSING,
                    reason="value missing",
                    rule="information.contract_value_missing",
                )
            ]
            if needs
            else []
        ),
        ruleset_version="v",
        engine="reference",
    )


# ---- labels ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {
                "approvals": [
                    {"role": "tax", "because": "VAT 1"},
                    {"role": "tax", "because": "VAT 2"},
                ]
            },
            "listed twice",
        ),
        (
            {"approvals": [{"role": "tax", "because": "VAT"}], "must_not": ["tax"]},
            "both required and forbidden",
        ),
        ({"path": ["assisted", "standard"]}, "lowest, highest"),
        ({"needs_information": True}, "needs_information"),
        ({"path": "needs_information"}, "needs_information"),
        ({"approvals": [{"role": "janitor", "because": "mop"}]}, "role"),
    ],
)
def test_inconsistent_decision_label_is_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        expected(**raw)


def test_clean_deal_is_no_approval_and_no_missing_information() -> None:
    assert expected(must_not=["tax"]).clean
    assert not expected(approvals=[{"role": "tax", "because": "VAT"}]).clean


# ---- judging one bundle --------------------------------------------------------------------


def test_missed_and_needless_roles_and_unscored_judgement_calls() -> None:
    label = expected(approvals=[{"role": "legal", "because": "MFN"}], must_not=["tax"])
    verdict = judge(
        "b",
        label,
        decision(roles={TAX: ["tax.several_entities"], FINANCE: ["finance.revenue_sharing"]}),
    )
    assert verdict.missed == {LEGAL}
    assert verdict.spurious == {TAX}  # finance is neither required nor forbidden: not scored
    assert verdict.causes() == ["missed legal (MFN)", "needless tax (tax.several_entities)"]


@pytest.mark.parametrize(
    ("bounds", "predicted", "within"),
    [
        ("standard", "standard", True),
        ("standard", "assisted", False),
        (["standard", "enterprise"], "assisted", True),
        (["standard", "assisted"], "self_serve", False),
        ("assisted", "needs_information", False),
    ],
)
def test_path_within_bounds(bounds: Any, predicted: str, within: bool) -> None:
    assert path_within(expected(path=bounds), OnboardingPath(predicted)) is within


def test_needs_information_against_the_label_is_explained() -> None:
    verdict = judge("b", expected(), decision(path="needs_information", needs=True))
    assert not verdict.path_ok
    assert "asks for value missing" in verdict.causes()


def test_a_failed_triage_counts_as_every_mistake_it_makes() -> None:
    label = expected(approvals=[{"role": "legal", "because": "MFN"}])
    verdict = judge("b", label, None, error="boom")
    assert verdict.missed == {LEGAL}
    assert verdict.causes()[0] == "failed: boom"


# ---- figures over a set ----------------------------------------------------------------------


def test_figures_over_a_set() -> None:
    clean = expected(must_not=["legal", "finance", "security", "tax", "executive"])
    figures = DecisionFigures(
        [
            judge("clean-ok", clean, decision()),
            judge("clean-routed", clean, decision(roles={FINANCE: ["finance.revenue_sharing"]})),
            judge(
                "legal",
                expected(approvals=[{"role": "legal", "because": "MFN"}], must_not=["tax"]),
                decision(roles={LEGAL: ["legal.most_favoured_nation"]}),
            ),
            judge(
                "parked",
                expected(approvals=[{"role": "tax", "because": "VAT"}]),
                decision(path="needs_information", needs=True),
            ),
        ]
    )
    assert figures.approval_recall == pytest.approx(1 / 2)
    assert figures.approval_precision == pytest.approx(1 / 2)
    assert figures.forbidden_fired_share == pytest.approx(1 / 11)
    assert figures.clean_share_no_approval == pytest.approx(1 / 2)
    assert figures.spurious_per_clean_deal == pytest.approx(1 / 2)
    assert figures.path_share == pytest.approx(3 / 4)
    assert figures.needs_information_rate == pytest.approx(1 / 4)
    assert figures.needs_information_reasons() == {"value missing": 1}
    assert figures.rule_firings()["finance.revenue_sharing"] == (1, 1)
    assert figures.rule_firings()["legal.most_favoured_nation"] == (1, 0)
    assert figures.confusion()[("standard", "needs_information")] == 1
    assert [v.bundle for v in figures.worst()] == ["parked", "clean-routed"]


# ---- the regression gate ---------------------------------------------------------------------


def test_gate_fails_only_beyond_the_tolerance() -> None:
    baseline = {"development": {"approval_recall": 0.95, "clean_share_no_approval": 0.9}}
    near = {"development": {"approval_recall": 0.94, "clean_share_no_approval": 0.9}}
    assert decisions.check_baseline(near, baseline) == []
    fallen = {"development": {"approval_recall": 0.9, "clean_share_no_approval": 0.9}}
    assert decisions.check_baseline(fallen, baseline) == [
        "development approval_recall fell from 0.95 to 0.9"
    ]
    missing: dict[str, Any] = {}
    assert decisions.check_baseline(missing, baseline)


# ---- end to end through the product's own triage ---------------------------------------------


@pytest.fixture(scope="module")
def development_result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The decision evaluation of the shipped SaaS sets, run once through its command line."""
    report = tmp_path_factory.mktemp("report") / "decisions.html"
    out = tmp_path_factory.mktemp("out") / "stdout.txt"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = decisions.main(["--report", str(report), "--engine", "reference"])
    out.write_text(buffer.getvalue())
    result: dict[str, Any] = json.loads(buffer.getvalue().strip().splitlines()[-1])
    result["_status"] = status
    result["_report"] = report.read_text()
    return result


@pytest.mark.slow
def test_decision_evaluation_runs_every_labelled_bundle(development_result: dict[str, Any]) -> None:
    from evals.saas.generate import DEFAULT_DATASET, bundle_dirs

    development = development_result["development"]
    assert development["bundles"] == len(bundle_dirs(DEFAULT_DATASET))
    assert development["errors"] == 0
    assert development["clean_deals"] >= 1
    html = development_result["_report"]
    assert "<svg" in html and "Path confusion" in html and "CC BY 4.0" in html
    assert "http" not in html.replace("http-equiv", "")  # self-contained: nothing to fetch


@pytest.mark.slow
def test_decisions_do_not_regress_below_the_committed_baseline(
    development_result: dict[str, Any],
) -> None:
    baseline = json.loads(decisions.BASELINE.read_text())
    failures = decisions.check_baseline(development_result, baseline)
    assert not failures, (
        f"{failures}; if the drop is intended, run "
        "`python -m evals.saas.decisions --write-baseline` and say why in the commit"
    )


def test_report_names_no_sealed_case() -> None:
    from evals.saas.decisions import SplitRun

    clean = expected(must_not=["tax"])
    sealed = SplitRun("sealed", Path("s"), DecisionFigures([judge("secret-bundle", clean, None)]))
    development = SplitRun("development", Path("d"), DecisionFigures([judge("dev", clean, None)]))
    runs = [development, sealed]
    from app.settings import Settings
    from rules import load_policy

    result = decisions.figures(runs, load_policy(), Settings(rules_engine="reference"))
    html = render_report(runs, result)
    assert "dev" in html
    assert "secret-bundle" not in html
