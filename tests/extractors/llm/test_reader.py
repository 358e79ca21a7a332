"""The model-backed reader against a real local OpenAI-compatible server, with the real client."""

from __future__ import annotations

import json
import time

import pytest

from extractors.document import Document
from extractors.facts import Source
from extractors.llm import ModelSettings, read_documents
from extractors.llm.prompts import load_prompts
from extractors.llm.reader import plan_chunks
from tests.extractors.llm.support import make_document
from tests.support.openai_stub import (
    OpenAIStub,
    StubReply,
    StubRequest,
    good_answer,
    json_reply,
)


def test_off_without_a_provider(msa: Document) -> None:
    reading = read_documents([msa], ModelSettings())
    assert reading.status == "off"
    assert reading.reason == "AI off: no OPENAI_API_KEY or OPENAI_BASE_URL"
    assert reading.facts == [] and reading.tokens_in == 0


def test_a_good_answer_is_grounded_with_pages(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    reading = read_documents([msa], model_settings)
    assert reading.status == "used", reading.reason
    assert reading.summary and reading.complexity in {"low", "medium", "high"}
    assert reading.summary_evidence and reading.summary_evidence[0].page == 1
    clauses = {f.path: f for f in reading.findings if f.kind == "clause"}
    mfn = clauses["commercial.most_favoured_nation"]
    assert mfn.grounded and mfn.label == "Most-favoured nation"
    assert mfn.evidence[0].page == 2
    assert msa.text[mfn.evidence[0].start : mfn.evidence[0].end] == mfn.evidence[0].quote
    assert clauses["legal.third_party_beneficiary"].grounded
    obligations = [f for f in reading.findings if f.kind == "obligation"]
    assert any("thirty (30) days" in f.text for f in obligations)
    assert reading.grounded_share == 1.0
    # Grounded clauses and obligations become advisory facts, from the model.
    paths = {f.path for f in reading.facts}
    assert {"commercial.most_favoured_nation", "obligations"} <= paths
    assert all(f.fact.source is Source.LLM and f.fact.grounded for f in reading.facts)
    assert reading.model == "stub-model"
    assert reading.tokens_in > 0 and reading.tokens_out > 0
    assert set(reading.prompt_hashes) >= {"system", "summary", "clause_review"}
    assert reading.calls[0].latency_ms > 0
    assert len(reading.new_cache_entries) == 1


def test_the_document_is_delimited_as_untrusted_and_no_tools_are_offered(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    read_documents([msa], model_settings)
    (request,) = stub.requests
    assert "tools" not in request.body and "functions" not in request.body
    system = request.messages[0]
    assert system["role"] == "system" and "untrusted data" in system["content"]
    assert request.document_text == msa.text.strip()
    user = request.user_text
    assert user.index("UNTRUSTED DOCUMENT") < user.index("MASTER SUBSCRIPTION")
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True


def test_a_quote_not_in_the_document_is_kept_but_never_reaches_the_rules(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    answer = good_answer(msa.text)
    answer["clauses"] = [
        {
            "category": "legal.liquidated_damages",
            "present": True,
            "quote": "Provider shall pay liquidated damages of USD 1,000 per day of delay.",
            "explanation": "Invented.",
        }
    ]
    stub.enqueue(json_reply(answer))
    reading = read_documents([msa], model_settings)
    (invented,) = [f for f in reading.findings if f.path == "legal.liquidated_damages"]
    assert not invented.grounded and invented.evidence == []
    assert invented.quote and invented.quote.startswith("Provider shall pay liquidated")
    assert "legal.liquidated_damages" not in {f.path for f in reading.facts}
    assert reading.grounded_share is not None and reading.grounded_share < 1.0


def test_a_quote_is_found_despite_whitespace_quotes_and_dashes(
    stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    document = make_document(
        "The Customer’s affiliates are intended third-party\nbeneficiaries of this Agreement."
    )
    quote = "The Customer's affiliates are intended third–party beneficiaries"
    answer = good_answer("")
    answer["clauses"] = [
        {
            "category": "legal.third_party_beneficiary",
            "present": True,
            "quote": quote,
            "explanation": "Affiliates may enforce it.",
        }
    ]
    stub.enqueue(json_reply(answer))
    reading = read_documents([document], model_settings)
    (fact,) = [f for f in reading.facts if f.path == "legal.third_party_beneficiary"]
    evidence = fact.fact.evidence[0]
    # The evidence is the document's own raw span, not the model's wording.
    assert evidence.quote == document.text[evidence.start : evidence.end]
    assert "’" in evidence.quote and "\n" in evidence.quote


def test_an_absent_answer_never_removes_anything(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    answer = good_answer(msa.text)
    for clause in answer["clauses"]:
        clause["present"] = False
    stub.enqueue(json_reply(answer))
    reading = read_documents([msa], model_settings)
    assert not [f for f in reading.facts if f.path != "obligations"]


def test_long_documents_are_read_in_concurrent_chunks_and_merged(
    stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    clause = (
        "Provider shall offer Customer prices no less favourable than those it offers any "
        "other customer for the same services."
    )
    pages = [f"Section {n}. " + ("Filler text about the services. " * 60) for n in range(8)]
    pages[3] += clause
    document = make_document(*pages)
    settings = model_settings.model_copy(update={"chunk_chars": 4000, "chunk_overlap": 300})

    def slow(request: StubRequest) -> StubReply:
        time.sleep(0.3)
        return json_reply(good_answer(request.document_text))

    stub.responder = slow
    started = time.monotonic()
    reading = read_documents([document], settings)
    elapsed = time.monotonic() - started
    chunks = plan_chunks([document], settings)
    assert len(chunks) >= 4 and stub.calls == len(chunks)
    # Four at a time: far less than one after the other.
    assert elapsed < 0.3 * len(chunks) * 0.75
    mfn = [f for f in reading.facts if f.path == "commercial.most_favoured_nation"]
    assert len(mfn) == 1  # seen by two overlapping chunks at most, kept once
    assert mfn[0].fact.evidence[0].page == 4


def test_the_same_document_prompts_and_model_are_never_read_twice(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    first = read_documents([msa], model_settings)
    cache = {entry.key: entry for entry in first.new_cache_entries}
    second = read_documents([msa], model_settings, cache=cache)
    assert stub.calls == 1
    assert second.status == "used" and second.tokens_in == 0 and second.model_calls == 0
    assert second.calls[0].cached
    assert second.findings == first.findings
    # Another model is another key.
    other = model_settings.model_copy(update={"model": "other-model"})
    read_documents([msa], other, cache=cache)
    assert stub.calls == 2


def test_the_cache_key_follows_the_prompts(msa: Document, model_settings: ModelSettings) -> None:
    prompts = load_prompts()
    edited = type(prompts)(
        texts={**prompts.texts, "system": prompts.texts["system"] + "\nBe brief."},
        categories=prompts.categories,
        hashes={**prompts.hashes, "system": "0" * 64},
    )
    assert plan_chunks([msa], model_settings, prompts)[0].key != (
        plan_chunks([msa], model_settings, edited)[0].key
    )


def test_json_mode_with_validation_where_strict_outputs_are_refused(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    stub.supports_strict = False
    reading = read_documents([msa], model_settings)
    assert reading.status == "used", reading.reason
    assert [r.strict for r in stub.requests] == [True, False]
    assert stub.requests[1].body["response_format"] == {"type": "json_object"}
    assert reading.calls[0].mode == "json"


def test_an_invalid_answer_gets_one_corrective_retry(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    stub.enqueue(StubReply(content='{"summary": "cut off here'))
    reading = read_documents([msa], model_settings)
    assert reading.status == "used", reading.reason
    assert stub.calls == 2
    retry = stub.requests[1].messages
    assert retry[-2]["role"] == "assistant" and retry[-1]["role"] == "user"
    assert "could not be used" in retry[-1]["content"]


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        (
            [StubReply(content="not json")] * 2,
            "AI unavailable: the model's answer was not valid JSON",
        ),
        (
            [StubReply(content=json.dumps({"summary": "x"}), finish_reason="length")] * 2,
            "AI unavailable: the model's answer was not valid JSON for the schema (the answer "
            "was cut off",
        ),
        ([StubReply(refusal="I can't help with that.")], "AI unavailable: the model refused"),
        ([StubReply(status=500)] * 3, "AI unavailable: the endpoint failed (500); gave up after 3"),
        (
            [StubReply(status=429, headers={"retry-after": "0.05"})] * 3,
            "AI unavailable: the endpoint is rate-limiting (429); gave up after 3 attempts",
        ),
        ([StubReply(reset=True)] * 3, "AI unavailable: the endpoint could not be reached"),
        ([StubReply(hang=True)] * 3, "AI unavailable: the model timed out after 1 s"),
        ([StubReply(status=401)], "AI unavailable: the endpoint answered 401"),
    ],
    ids=["invalid", "truncated", "refusal", "500", "429", "reset", "hang", "401"],
)
def test_failures_degrade_with_the_reason(
    msa: Document,
    stub: OpenAIStub,
    model_settings: ModelSettings,
    replies: list[StubReply],
    reason: str,
) -> None:
    stub.enqueue(*replies)
    started = time.monotonic()
    reading = read_documents([msa], model_settings)
    assert time.monotonic() - started < model_settings.case_timeout_s
    assert reading.status == "unavailable"
    assert reading.reason is not None and reading.reason.startswith(reason), reading.reason
    assert reading.facts == [] and reading.findings == []


def test_a_transient_failure_is_retried_and_then_read(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    stub.enqueue(
        StubReply(status=429, headers={"retry-after": "0.1"}),
        StubReply(status=503),
        StubReply(reset=True),
    )
    settings = model_settings.model_copy(update={"max_retries": 3})
    started = time.monotonic()
    reading = read_documents([msa], settings)
    assert reading.status == "used", reading.reason
    assert stub.calls == 4 and reading.calls[0].attempts == 4
    assert time.monotonic() - started >= 0.1  # Retry-After was honoured


def test_retry_after_is_honoured_up_to_the_cap(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    stub.enqueue(StubReply(status=429, headers={"retry-after": "120"}))
    started = time.monotonic()
    reading = read_documents([msa], model_settings)
    assert reading.status == "used"
    assert time.monotonic() - started < 2  # capped at backoff_max_s, not two minutes


def test_a_hanging_endpoint_is_abandoned_at_the_case_deadline(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    stub.enqueue(*[StubReply(hang=True)] * 10)
    settings = model_settings.model_copy(
        update={"timeout_s": 5.0, "case_timeout_s": 1.0, "max_retries": 5}
    )
    started = time.monotonic()
    reading = read_documents([msa], settings)
    assert time.monotonic() - started < 2.5
    assert reading.reason == "AI unavailable: the model did not finish within 1 s"


def test_the_token_budget_stops_the_reading_before_any_call(
    msa: Document, stub: OpenAIStub, model_settings: ModelSettings
) -> None:
    reading = read_documents([msa], model_settings.model_copy(update={"token_budget": 500}))
    assert stub.calls == 0
    assert reading.reason is not None and "over the case's budget of 500" in reading.reason
