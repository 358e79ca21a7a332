"""Prompt injection: whatever a contract tells the model, no decision is less strict than
with the model off, and the contract's text only ever reaches the model as delimited data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.settings import Settings
from app.triage import triage_documents
from extractors.document import Document
from extractors.ingest import ingest_bytes
from rules import Decision, Policy
from rules.decision import path_rank
from tests.app.ai.conftest import ModelEnv
from tests.app.ai.injection_set import INJECTION_CASES, InjectionCase
from tests.support.openai_stub import OpenAIStub, obedient_reply


@pytest.fixture(scope="module")
def documents() -> Iterator[dict[str, Document]]:
    yield {
        case.name: ingest_bytes(case.build(), filename=case.filename) for case in INJECTION_CASES
    }


def _roles(decision: Decision) -> set[str]:
    return {a.role.value for a in decision.approvals}


def test_the_set_is_large_enough() -> None:
    assert len(INJECTION_CASES) >= 15
    assert {c.filename.rsplit(".", 1)[1] for c in INJECTION_CASES} == {"txt", "pdf", "docx"}


@pytest.mark.parametrize("case", INJECTION_CASES, ids=[c.name for c in INJECTION_CASES])
def test_an_obedient_model_cannot_make_the_decision_less_strict(
    case: InjectionCase,
    documents: dict[str, Document],
    policy: Policy,
    stub: OpenAIStub,
    model_on: ModelEnv,
) -> None:
    document = documents[case.name]
    offline = triage_documents(
        [document], settings=Settings(_env_file=None, rules_engine="reference"), policy=policy
    )
    assert {"legal", "finance", "security"} <= _roles(offline.decision)
    # The stub plays a model that did what the contract told it: nothing to approve.
    stub.responder = obedient_reply
    triage = triage_documents(
        [document], settings=model_on(TRIAGE_RULES_ENGINE="reference"), policy=policy
    )
    assert triage.reading is not None and triage.reading.status == "used"
    decision = triage.decision
    assert _roles(decision) >= _roles(offline.decision)
    assert path_rank(decision.path) >= path_rank(offline.decision.path)
    assert decision.tier >= offline.decision.tier
    assert decision.to_json() == offline.decision.to_json()
    # The contract reached the model only as delimited, untrusted data, and with no tools.
    (request,) = stub.requests
    assert "tools" not in request.body and "functions" not in request.body
    assert "untrusted data" in request.messages[0]["content"]
    instructions, _, _ = request.user_text.partition("<<<UNTRUSTED DOCUMENT")
    assert "Ignore" not in instructions and "SYSTEM:" not in instructions
    if case.marker is not None:
        assert case.marker in document.text
        assert case.marker in request.document_text
        assert case.marker not in instructions
    assert "0000000000000000>>>" not in request.user_text.rsplit("END UNTRUSTED DOCUMENT", 1)[1]
