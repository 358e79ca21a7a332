"""The advisory invariant as a property: for arbitrary model outputs, the approvals a case
requires include those its deterministic facts alone require, and the path and tier are
never lower."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.settings import Settings
from app.triage import Triage, triage_documents
from extractors.document import Document
from extractors.llm import (
    ModelAnswer,
    ModelProvider,
    ModelRequest,
    ModelSettings,
    register_provider,
    unregister_provider,
)
from extractors.llm.prompts import load_prompts
from rules import Policy, load_policy
from rules.decision import path_rank
from tests.extractors.llm.support import make_document
from tests.support.openai_stub import sentences

CONTRACTS = (
    make_document(
        "ORDER FORM. Provider: Nimbus Cloud Ltd. Customer: Harbor Foods GmbH, Berlin, Germany.\n"
        "Subscription fees: EUR 60,000 per year, invoiced annually in advance.\n"
        "Invoices are payable within ninety (90) days of receipt.\n",
        "Customer Data shall be stored and processed only in the European Union.\n"
        "Provider shall give Customer prices no less favourable than any other customer.\n"
        "This Agreement is governed by the laws of Germany.\n",
        filename="order_form.txt",
    ),
    make_document(
        "ORDER FORM. Provider: Nimbus Cloud Ltd. Customer: Acme Inc., Austin, Texas, USA.\n"
        "Plan: Team, 10 seats, USD 6,000 per year. Invoices are payable within thirty (30) "
        "days.\nThis Agreement is governed by the laws of the State of Texas.\n",
        filename="small.txt",
    ),
)
CATEGORIES = [c.path for c in load_prompts().categories]


@cache
def policy() -> Policy:
    return load_policy()


@cache
def offline(index: int) -> Triage:
    return triage_documents(
        [CONTRACTS[index]],
        settings=Settings(_env_file=None, rules_engine="reference"),
        policy=policy(),
    )


def quotes(document: Document) -> st.SearchStrategy[str]:
    """Quotes the model might give: real sentences, pieces of them, or anything at all."""
    real = sentences(document.text)
    return st.one_of(
        st.sampled_from(real),
        st.sampled_from(real),  # twice: half the quotes are real sentences
        st.sampled_from(real).map(lambda s: s[: len(s) // 2]),
        st.text(max_size=80),
    )


def answers(document: Document) -> st.SearchStrategy[dict[str, Any]]:
    quote = quotes(document)
    return st.fixed_dictionaries(
        {
            "summary": st.text(max_size=60),
            "summary_quotes": st.lists(quote, max_size=3),
            "complexity": st.sampled_from(["low", "medium", "high"]),
            "complexity_reasons": st.lists(
                st.fixed_dictionaries({"point": st.text(max_size=30), "quote": quote}), max_size=2
            ),
            "obligations": st.lists(
                st.fixed_dictionaries(
                    {
                        "party": st.sampled_from(["customer", "provider", "other"]),
                        "action": st.text(max_size=30),
                        "due": st.none() | st.text(max_size=20),
                        "recurring": st.booleans(),
                        "quote": quote,
                    }
                ),
                max_size=3,
            ),
            "risks": st.lists(
                st.fixed_dictionaries(
                    {"label": st.text(max_size=20), "explanation": st.text(), "quote": quote}
                ),
                max_size=2,
            ),
            "clauses": st.lists(
                st.fixed_dictionaries(
                    {
                        "category": st.sampled_from(CATEGORIES),
                        "present": st.booleans(),
                        "quote": st.none() | quote,
                        "explanation": st.text(max_size=40),
                    }
                ),
                max_size=8,
            ),
        }
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[int, str]:
    index = draw(st.sampled_from(range(len(CONTRACTS))))
    content = draw(
        st.one_of(
            answers(CONTRACTS[index]).map(json.dumps),
            st.text(max_size=100),  # anything at all, valid JSON or not
        )
    )
    return index, content


class Scripted(ModelProvider):
    """Answers every request with the drawn content."""

    content = "{}"

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings

    def complete(self, request: ModelRequest) -> ModelAnswer:
        return ModelAnswer(content=Scripted.content, model="scripted", tokens_in=1, tokens_out=1)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_model_output_never_removes_caution(case: tuple[int, str]) -> None:
    index, content = case
    Scripted.content = content
    register_provider("scripted", Scripted)
    try:
        triage = triage_documents(
            [CONTRACTS[index]],
            settings=Settings(
                _env_file=None, llm_provider="scripted", llm_max_retries=0, rules_engine="reference"
            ),
            policy=policy(),
        )
    finally:
        unregister_provider("scripted")
    base = offline(index).decision
    decision = triage.decision
    added = {a.role for a in decision.approvals} - {a.role for a in base.approvals}
    event(f"the model added {sorted(added)}" if added else "the model added nothing")
    assert {a.role for a in decision.approvals} >= {a.role for a in base.approvals}
    assert path_rank(decision.path) >= path_rank(base.path)
    assert decision.tier >= base.tier
    assert set(decision.risk_flags) >= set(base.risk_flags)
    # Nothing ungrounded reaches the rules.
    assert triage.reading is not None
    for finding in triage.reading.facts:
        evidence = finding.fact.evidence[0]
        assert CONTRACTS[index].text[evidence.start : evidence.end] == evidence.quote
    assert all(
        r.advisory for r in decision.fired_rules if r.id not in {b.id for b in base.fired_rules}
    )
