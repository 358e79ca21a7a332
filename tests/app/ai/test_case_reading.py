"""Cases read by a model through the real pipeline: advisory findings, grounding, the cache,
and the offline decision whenever the model fails."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from app.ai.models import CaseModelReading, ModelAnswerCache
from app.db import session_scope
from app.jobs.inline import run_triage
from app.models import SETTLED_STATUSES
from app.pipeline import Upload
from app.settings import Settings
from app.views.case_view import CaseView, load_case_view
from rules import Decision, Policy
from tests.app.ai.conftest import ModelEnv
from tests.conftest import REPO_ROOT
from tests.support.openai_stub import OpenAIStub, StubReply, good_answer, json_reply

ORDER_FORM = (
    b"ORDER FORM\n\n"
    b"Provider: Nimbus Cloud Ltd. Customer: Harbor Foods Inc., Chicago, USA.\n"
    b"Subscription fees: USD 24,000 per year, invoiced annually in advance.\n"
    b"Invoices are payable within thirty (30) days of receipt.\n"
    b"For every calendar day that go-live slips past the agreed date, Supplier shall credit "
    b"Customer a fixed sum of five hundred dollars as agreed compensation.\n"
    b"This Agreement is governed by the laws of the State of New York.\n"
)
SLIP = (
    "For every calendar day that go-live slips past the agreed date, Supplier shall credit "
    "Customer a fixed sum of five hundred dollars as agreed compensation."
)
SAAS_BUNDLE = REPO_ROOT / "evals" / "saas" / "bundles" / "01-brightline-harborview"


def _triage(
    engine: Engine, settings: Settings, policy: Policy, *uploads: Upload
) -> tuple[CaseView, Decision]:
    result = run_triage(engine=engine, uploads=uploads, settings=settings, policy=policy)
    assert result.decision is not None
    with session_scope(engine) as session:
        return load_case_view(session=session, case_id=result.case_id), result.decision


def _offline(engine: Engine, policy: Policy, *uploads: Upload) -> Decision:
    settings = Settings(_env_file=None, rules_engine="reference")
    result = run_triage(engine=engine, uploads=uploads, settings=settings, policy=policy)
    assert result.decision is not None
    return result.decision


def _roles(decision: Decision) -> set[str]:
    return {a.role.value for a in decision.approvals}


def test_without_a_model_the_case_says_the_ai_is_off(engine: Engine, policy: Policy) -> None:
    view, _ = _triage(engine, Settings(_env_file=None), policy, Upload(ORDER_FORM, "of.txt"))
    assert view.ai is not None and view.ai.status == "off"
    assert view.ai.reason == "AI off: no OPENAI_API_KEY or OPENAI_BASE_URL"
    assert view.ai.findings == [] and view.versions.model is None


def test_a_saas_order_form_gets_a_grounded_summary_complexity_and_obligations(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    upload = Upload((SAAS_BUNDLE / "order_form.docx").read_bytes(), "order_form.docx")
    view, _ = _triage(engine, model_on(), policy, upload)
    ai = view.ai
    assert ai is not None and ai.status == "used", ai and ai.reason
    assert ai.summary and ai.summary_evidence and ai.summary_evidence[0].page >= 1
    assert ai.complexity in {"low", "medium", "high"}
    obligations = [f for f in ai.findings if f.kind == "obligation"]
    assert obligations and all(f.grounded and f.evidence[0].page >= 1 for f in obligations)
    assert all(e.document == "order_form.docx" for f in obligations for e in f.evidence)
    assert ai.grounded_share == 1.0
    assert ai.model == "stub-model" == view.versions.model
    assert ai.tokens_in > 0 and ai.tokens_out > 0 and ai.model_calls == stub.calls == 1
    assert ai.estimated_cost == pytest.approx((ai.tokens_in * 1.0 + ai.tokens_out * 4.0) / 1e6)
    assert set(ai.prompt_hashes) >= {"system", "summary", "complexity", "clause_review"}


@pytest.mark.cuad
def test_a_cuad_contract_gets_a_grounded_summary_complexity_and_obligations(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv, cuad_dir: Path
) -> None:
    upload = Upload((cuad_dir / "pdf" / "cuad-0002.pdf").read_bytes(), "cuad-0002.pdf")
    view, _ = _triage(engine, model_on(), policy, upload)
    ai = view.ai
    assert ai is not None and ai.status == "used", ai and ai.reason
    assert ai.summary and ai.summary_evidence
    assert ai.complexity is not None
    obligations = [f for f in ai.findings if f.kind == "obligation"]
    assert obligations and all(f.grounded for f in obligations)
    pages = {e.page for f in obligations for e in f.evidence}
    assert pages and min(pages) >= 1


def test_a_clause_only_the_model_reads_adds_its_approval_marked_advisory(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    upload = Upload(ORDER_FORM, "order_form.txt")
    offline = _offline(engine, policy, upload)
    assert "legal" not in _roles(offline)
    answer = good_answer("")
    answer["clauses"] = [
        {
            "category": "legal.liquidated_damages",
            "present": True,
            "quote": SLIP,
            "explanation": "A fixed daily sum for a late go-live is liquidated damages.",
        },
        {
            "category": "commercial.most_favoured_nation",
            "present": True,
            "quote": "Customer shall receive the lowest price offered to any other customer.",
            "explanation": "Invented by the model.",
        },
    ]
    stub.enqueue(json_reply(answer))
    view, decision = _triage(engine, model_on(), policy, upload)
    assert _roles(decision) == _roles(offline) | {"legal"}
    (rule,) = [r for r in decision.fired_rules if r.id == "legal.liquidated_damages"]
    assert rule.advisory and rule.facts[0].source == "llm"
    assert view.ai is not None
    clauses = {f.label: f for f in view.ai.findings if f.kind == "clause"}
    damages = clauses["Liquidated damages"]
    assert damages.grounded and damages.adds_approval == "legal"
    assert damages.evidence[0].quote == SLIP and damages.evidence[0].page == 1
    invented = clauses["Most-favoured nation"]
    assert not invented.grounded and invented.evidence == [] and invented.adds_approval is None
    assert "legal.most_favoured_nation" not in {r.id for r in decision.fired_rules}
    assert view.ai.grounded_share == 0.5
    # The deterministic facts stay as they were; the advisory ones are kept beside them.
    with session_scope(engine) as session:
        row = session.get(CaseModelReading, view.id)
        assert row is not None and row.advisory_facts_json is not None
        advisory = json.loads(row.advisory_facts_json)
        assert advisory["legal"]["liquidated_damages"]["source"] == "llm"


def test_a_grounded_high_complexity_raises_the_tier_and_never_lowers_it(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    upload = Upload(ORDER_FORM, "order_form.txt")
    offline = _offline(engine, policy, upload)
    answer = good_answer(ORDER_FORM.decode())
    answer["complexity"] = "high"
    answer["complexity_reasons"] = [{"point": "Penalties for a late go-live", "quote": SLIP}]
    stub.enqueue(json_reply(answer))
    view, decision = _triage(engine, model_on(), policy, upload)
    assert decision.tier == max(3, offline.tier)
    assert view.ai is not None and view.ai.complexity == "high"
    if offline.tier < 3:
        assert "model_complexity_high" in decision.risk_flags and view.ai.raised_tier == 3
    answer["complexity"] = "low"
    stub.enqueue(json_reply(answer))
    _, relaxed = _triage(engine, model_on(), policy, Upload(ORDER_FORM + b"\n", "b.txt"))
    assert relaxed.tier >= offline.tier


def test_re_triage_of_unchanged_documents_costs_no_tokens(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    settings = model_on()
    upload = Upload(ORDER_FORM, "order_form.txt")
    first, decision = _triage(engine, settings, policy, upload)
    assert stub.calls == 1
    result = run_triage(
        engine=engine, uploads=[upload], settings=settings, policy=policy, case_id=first.id
    )
    with session_scope(engine) as session:
        again = load_case_view(session=session, case_id=result.case_id)
        assert len(session.exec(select(ModelAnswerCache)).all()) == 1
    assert stub.calls == 1
    assert again.ai is not None and again.ai.status == "used"
    assert again.ai.tokens_in == 0 and again.ai.model_calls == 0 and again.ai.cached_chunks == 1
    assert again.ai.estimated_cost == 0
    assert again.ai.findings == first.ai.findings if first.ai else False
    assert result.decision is not None and result.decision.to_json() == decision.to_json()


FAILURES = {
    "timeout": [StubReply(hang=True)] * 3,
    "429": [StubReply(status=429, headers={"retry-after": "0.05"})] * 3,
    "500": [StubReply(status=500)] * 3,
    "reset": [StubReply(reset=True)] * 3,
    "truncated": [StubReply(content='{"summary": "The agr', finish_reason="length")] * 2,
    "invalid": [StubReply(content="Sure! Here is the JSON you asked for.")] * 2,
    "refusal": [StubReply(refusal="I can't assist with that request.")],
}
REASONS = {
    "timeout": "AI unavailable: the model timed out after 1 s; gave up after 3 attempts",
    "429": "AI unavailable: the endpoint is rate-limiting (429); gave up after 3 attempts",
    "500": "AI unavailable: the endpoint failed (500); gave up after 3 attempts",
    "reset": "AI unavailable: the endpoint could not be reached",
    "truncated": "AI unavailable: the model's answer was not valid JSON for the schema (the "
    "answer was cut off at the output limit), also after a corrective retry",
    "invalid": "AI unavailable: the model's answer was not valid JSON for the schema (invalid "
    "JSON at character 0",
    "refusal": "AI unavailable: the model refused: I can't assist with that request.",
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failing_model_degrades_to_the_offline_decision_and_says_why(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv, failure: str
) -> None:
    upload = Upload(ORDER_FORM, "order_form.txt")
    offline = _offline(engine, policy, upload)
    stub.enqueue(*FAILURES[failure])
    settings = model_on(TRIAGE_RULES_ENGINE="reference")
    started = time.monotonic()
    view, decision = _triage(engine, settings, policy, Upload(ORDER_FORM + b" ", "again.txt"))
    assert time.monotonic() - started < settings.llm_case_timeout_s + 5
    assert view.status in SETTLED_STATUSES
    assert view.ai is not None and view.ai.status == "unavailable"
    assert view.ai.reason is not None and view.ai.reason.startswith(REASONS[failure])
    assert view.ai.findings == [] and view.ai.summary is None
    assert decision.path == offline.path and _roles(decision) == _roles(offline)
    assert decision.tier == offline.tier


def test_an_endpoint_that_hangs_past_the_case_deadline_never_blocks_the_case(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    stub.enqueue(*[StubReply(hang=True)] * 20)
    settings = model_on(
        TRIAGE_LLM_TIMEOUT_S="30", TRIAGE_LLM_CASE_TIMEOUT_S="1.5", TRIAGE_LLM_MAX_RETRIES="5"
    )
    started = time.monotonic()
    view, _ = _triage(engine, settings, policy, Upload(ORDER_FORM, "order_form.txt"))
    assert time.monotonic() - started < 10
    assert view.ai is not None
    assert view.ai.reason == "AI unavailable: the model did not finish within 1.5 s"


def test_the_model_cannot_be_made_an_offline_extractor() -> None:
    with pytest.raises(ValueError, match="the model is not an offline extractor"):
        Settings(_env_file=None, offline_extractors=["patterns", "llm"])
