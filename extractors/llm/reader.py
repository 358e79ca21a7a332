"""Reading a case's documents with a model: chunked, concurrent, cached, bounded, grounded.

Each document is cut into chunks (with their offsets); every chunk is read in one call that
answers all the tasks (summary, complexity, obligations and risks, clause review), the calls
run concurrently within the configured limit, and the answers are merged and de-duplicated.
A chunk already answered for the same document, prompts, model and settings is taken from
the cache instead of the model. Failures are retried a bounded number of times with
jittered backoff under one deadline for the whole case; after that the reading is
"unavailable" with the reason, and the case goes on with the offline extractors alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import random
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.chunking import chunk_text
from extractors.document import Document
from extractors.facts import Evidence, Fact, FactStatus, Finding, Obligation, Source
from extractors.llm.config import ModelSettings
from extractors.llm.errors import (
    ModelError,
    ModelRefusalError,
    ModelUnavailableError,
    StructuredOutputUnsupportedError,
)
from extractors.llm.grounding import QuoteGrounder
from extractors.llm.prompts import PromptSet, load_prompts
from extractors.llm.provider import (
    ChatMessage,
    ModelAnswer,
    ModelProvider,
    ModelRequest,
    get_provider,
)
from extractors.llm.schema import (
    COMPLEXITY_ORDER,
    SCHEMA_NAME,
    ChunkAnswer,
    ClauseAnswer,
    ObligationAnswer,
    answer_schema,
)
from extractors.locate import fold

EXTRACTOR_NAME = "llm"
EXTRACTOR_VERSION = "1.0.0"
# How sure an advisory fact is said to be: below every deterministic extractor's findings.
AI_CONFIDENCE = 0.6
_OFF_REASON = "AI off: no OPENAI_API_KEY or OPENAI_BASE_URL"


def estimate_tokens(text: str) -> int:
    """Tokens of ``text`` as budgets and reports count them (about four characters each)."""
    return math.ceil(len(text) / 4)


class CacheEntry(BaseModel):
    """A validated answer for one chunk, keyed by what it depends on."""

    model_config = ConfigDict(frozen=True)

    key: str
    model: str
    prompt_hash: str
    document_sha256: str
    chunk_start: int
    chunk_end: int
    answer_json: str
    tokens_in: int
    tokens_out: int
    latency_ms: float


class ModelCall(BaseModel):
    """One chunk's reading: from the cache or the model, with what it cost."""

    model_config = ConfigDict(frozen=True)

    document_id: str
    chunk_index: int
    start: int
    end: int
    cached: bool
    attempts: int = 0
    mode: Literal["strict", "json", "cache"] = "strict"
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0


class AiFinding(BaseModel):
    """One advisory finding; only grounded ones may reach the rules (through ``path``)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["obligation", "risk", "clause", "complexity"]
    label: str
    text: str
    grounded: bool
    evidence: list[Evidence] = Field(default_factory=list)
    quote: str | None = None
    # The fact path a grounded clause or obligation is given to the rules as.
    path: str | None = None


class AiReading(BaseModel):
    """What the model read in a case's documents, or why it did not."""

    status: Literal["off", "used", "unavailable"]
    reason: str | None = None
    summary: str | None = None
    summary_evidence: list[Evidence] = Field(default_factory=list)
    complexity: str | None = None
    complexity_rationale: str | None = None
    # True when at least one quoted reason for the complexity is in the documents.
    complexity_grounded: bool = False
    findings: list[AiFinding] = Field(default_factory=list)
    # Grounded clause and obligation findings as facts, for the advisory decision.
    facts: list[Finding] = Field(default_factory=list)
    grounded_share: float | None = None
    model: str | None = None
    prompt_version: str | None = None
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    tokens_in: int = 0
    tokens_out: int = 0
    document_tokens: int = 0
    calls: list[ModelCall] = Field(default_factory=list)
    # Answers new in this reading, for the caller to store.
    new_cache_entries: list[CacheEntry] = Field(default_factory=list)
    wall_ms: float = 0.0

    @property
    def model_calls(self) -> int:
        """Calls that reached the model (the cache answered the others)."""
        return sum(call.attempts for call in self.calls if not call.cached)


@dataclass(frozen=True)
class ChunkPlan:
    """One chunk of one document to read, and the cache key of its answer."""

    document: Document
    index: int
    count: int
    start: int
    end: int
    key: str


def plan_chunks(
    documents: Sequence[Document], settings: ModelSettings, prompts: PromptSet | None = None
) -> list[ChunkPlan]:
    """The chunks a reading of ``documents`` makes, with their cache keys (no model call)."""
    prompts = prompts or load_prompts()
    version = prompts.version(answer_schema(prompts.categories))
    plans: list[ChunkPlan] = []
    for document in documents:
        spans = chunk_text(
            document.text, chunk_size=settings.chunk_chars, chunk_overlap=settings.chunk_overlap
        )
        for index, (start, end) in enumerate(spans):
            key = hashlib.sha256(
                "\n".join(
                    [document.sha256, str(start), str(end), version, settings.fingerprint()]
                ).encode()
            ).hexdigest()
            plans.append(ChunkPlan(document, index, len(spans), start, end, key))
    return plans


def off_reading(settings: ModelSettings) -> AiReading:
    """The reading of a case when no model is configured."""
    return AiReading(status="off", reason=settings.off_reason or _OFF_REASON)


def read_documents(
    documents: Sequence[Document],
    settings: ModelSettings,
    *,
    cache: Mapping[str, CacheEntry] | None = None,
    provider: ModelProvider | None = None,
    prompts: PromptSet | None = None,
) -> AiReading:
    """The model's advisory reading of ``documents``; never raises for a model failure."""
    if not settings.enabled:
        return off_reading(settings)
    started = time.monotonic()
    prompts = prompts or load_prompts()
    schema = answer_schema(prompts.categories)
    plans = plan_chunks(documents, settings, prompts)
    base = AiReading(
        status="unavailable",
        model=settings.model,
        prompt_version=prompts.version(schema),
        prompt_hashes=dict(prompts.hashes),
        document_tokens=sum(estimate_tokens(d.text) for d in documents),
    )
    own_provider = provider is None
    try:
        provider = provider or get_provider(settings)
    except ModelError as error:
        return base.model_copy(update={"reason": f"AI unavailable: {error.reason}"})
    if provider is None:
        return off_reading(settings)
    run = _Run(settings, provider, prompts, schema, started)
    try:
        answers = run.read_all(plans, cache or {})
    except ModelUnavailableError as error:
        return base.model_copy(
            update={
                "reason": f"AI unavailable: {error.reason}",
                "tokens_in": run.tokens_in,
                "tokens_out": run.tokens_out,
                "calls": run.calls,
                "wall_ms": (time.monotonic() - started) * 1000,
            }
        )
    finally:
        if own_provider:
            provider.close()
    reading = _merge(plans, answers, prompts)
    return reading.model_copy(
        update={
            "status": "used",
            "model": settings.model,
            "prompt_version": base.prompt_version,
            "prompt_hashes": base.prompt_hashes,
            "document_tokens": base.document_tokens,
            "tokens_in": run.tokens_in,
            "tokens_out": run.tokens_out,
            "calls": sorted(run.calls, key=lambda c: (c.document_id, c.chunk_index)),
            "new_cache_entries": run.new_entries,
            "wall_ms": (time.monotonic() - started) * 1000,
        }
    )


class _Run:
    """One reading's shared state: the deadline, the budget, the mode, the tallies."""

    def __init__(
        self,
        settings: ModelSettings,
        provider: ModelProvider,
        prompts: PromptSet,
        schema: dict[str, Any],
        started: float,
    ) -> None:
        self.settings = settings
        self.provider = provider
        self.prompts = prompts
        self.schema = schema
        self.deadline = started + settings.case_timeout_s
        self.cancelled = threading.Event()
        self.lock = threading.Lock()
        self.strict = settings.structured != "json"
        self.tokens_in = 0
        self.tokens_out = 0
        self.calls: list[ModelCall] = []
        self.new_entries: list[CacheEntry] = []

    def read_all(
        self, plans: Sequence[ChunkPlan], cache: Mapping[str, CacheEntry]
    ) -> dict[str, ChunkAnswer]:
        answers: dict[str, ChunkAnswer] = {}
        todo: list[ChunkPlan] = []
        for plan in plans:
            entry = cache.get(plan.key)
            answer = _cached_answer(entry) if entry is not None else None
            if answer is None:
                todo.append(plan)
                continue
            answers[plan.key] = answer
            self.calls.append(_call(plan, cached=True))
        if not todo:
            return answers
        self._check_budget(todo)
        pool = ThreadPoolExecutor(
            max_workers=min(self.settings.max_concurrency, len(todo)),
            thread_name_prefix="model-call",
        )
        try:
            futures: dict[Future[ChunkAnswer], ChunkPlan] = {
                pool.submit(self.read_chunk, plan): plan for plan in todo
            }
            remaining = max(0.0, self.deadline - time.monotonic())
            done, pending = wait(futures, timeout=remaining, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
            if failed:
                error = failed[0].exception()
                if isinstance(error, ModelUnavailableError):
                    raise error
                raise ModelUnavailableError(f"the reading failed ({error})") from error
            if pending:
                raise ModelUnavailableError(
                    f"the model did not finish within {self.settings.case_timeout_s:g} s"
                )
            for future, plan in futures.items():
                answers[plan.key] = future.result()
        finally:
            self.cancelled.set()
            # Calls still under way end at their own timeout; nothing waits for them.
            pool.shutdown(wait=False, cancel_futures=True)
        return answers

    def _check_budget(self, todo: Sequence[ChunkPlan]) -> None:
        estimate = sum(
            estimate_tokens(self.prompts.texts["system"])
            + estimate_tokens(self._user_message(plan))
            + self.settings.max_output_tokens
            for plan in todo
        )
        if estimate > self.settings.token_budget:
            raise ModelUnavailableError(
                f"reading the documents needs about {estimate} tokens, over the case's "
                f"budget of {self.settings.token_budget}"
            )

    def _user_message(self, plan: ChunkPlan) -> str:
        text = plan.document.text[plan.start : plan.end]
        first, last = plan.document.pages_for_span(plan.start, plan.end)
        categories = "\n".join(f"- {c.path}: {c.ask}" for c in self.prompts.categories)
        tasks = "\n".join(
            [
                self.prompts.texts["summary"].strip(),
                self.prompts.texts["complexity"].strip(),
                self.prompts.texts["obligations_risks"].strip(),
                self.prompts.render("clause_review", categories=categories).strip(),
            ]
        )
        # A boundary the document cannot forge: it depends on the text it encloses.
        boundary = hashlib.sha256(text.encode()).hexdigest()[:16]
        return self.prompts.render(
            "chunk",
            tasks=tasks,
            position=f"part {plan.index + 1} of {plan.count}",
            document=plan.document.filename or plan.document.document_id,
            pages=f"{first}-{last}" if last != first else str(first),
            boundary=boundary,
            text=text,
        )

    def read_chunk(self, plan: ChunkPlan) -> ChunkAnswer:
        """One chunk: a call, and one corrective call if the answer is not valid JSON."""
        messages = [
            ChatMessage(role="system", content=self.prompts.texts["system"]),
            ChatMessage(role="user", content=self._user_message(plan)),
        ]
        attempts = 0
        tokens_in = tokens_out = 0
        latency = 0.0
        answer: ChunkAnswer | None = None
        error = ""
        mode: Literal["strict", "json"] = "strict"
        for corrective in (False, True):
            reply, tries, mode = self._call(messages)
            attempts += tries
            tokens_in += reply.tokens_in
            tokens_out += reply.tokens_out
            latency += reply.latency_ms
            answer, error = _parse(reply)
            if answer is not None or corrective:
                break
            messages = [
                *messages,
                ChatMessage(role="assistant", content=(reply.content or "")[:4000]),
                ChatMessage(role="user", content=self.prompts.render("correction", error=error)),
            ]
        with self.lock:
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out
            self.calls.append(
                _call(
                    plan,
                    cached=False,
                    attempts=attempts,
                    mode=mode,
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                    latency_ms=latency,
                )
            )
        if answer is None:
            raise ModelUnavailableError(
                f"the model's answer was not valid JSON for the schema ({error}), "
                "also after a corrective retry"
            )
        entry = CacheEntry(
            key=plan.key,
            model=self.settings.model,
            prompt_hash=self.prompts.version(self.schema),
            document_sha256=plan.document.sha256,
            chunk_start=plan.start,
            chunk_end=plan.end,
            answer_json=answer.model_dump_json(),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=latency,
        )
        with self.lock:
            self.new_entries.append(entry)
        return answer

    def _call(
        self, messages: list[ChatMessage]
    ) -> tuple[ModelAnswer, int, Literal["strict", "json"]]:
        """One answer, retried with jittered backoff; ModelUnavailableError when it gives up."""
        attempt = 0
        last = "no attempt was made"
        while attempt <= self.settings.max_retries:
            if self.cancelled.is_set() or time.monotonic() >= self.deadline:
                raise ModelUnavailableError(
                    f"the model did not finish within {self.settings.case_timeout_s:g} s"
                )
            strict = self.strict
            request = ModelRequest(
                messages=messages,
                schema_name=SCHEMA_NAME,
                json_schema=self.schema,
                strict=strict,
                max_output_tokens=self.settings.max_output_tokens,
                temperature=self.settings.temperature,
            )
            attempt += 1
            try:
                reply = self.provider.complete(request)
            except StructuredOutputUnsupportedError as error:
                if self.settings.structured != "auto" or not strict:
                    raise ModelUnavailableError(error.reason) from error
                with self.lock:
                    self.strict = False
                attempt -= 1  # the endpoint's capability, not a failure of this call
                continue
            except ModelRefusalError as error:
                raise ModelUnavailableError(error.reason) from error
            except ModelError as error:
                last = error.reason
                if not error.retryable:
                    raise ModelUnavailableError(error.reason) from error
                if attempt > self.settings.max_retries:
                    break
                self._back_off(attempt, error.retry_after_s)
                continue
            return reply, attempt, "strict" if strict else "json"
        times = "1 attempt" if attempt == 1 else f"{attempt} attempts"
        raise ModelUnavailableError(f"{last}; gave up after {times}")

    def _back_off(self, attempt: int, retry_after_s: float | None) -> None:
        ceiling = min(self.settings.backoff_max_s, self.settings.backoff_s * 2 ** (attempt - 1))
        # Full jitter, so that concurrent chunks do not retry in step; a server's
        # Retry-After is honoured up to the cap.
        delay = (
            min(retry_after_s, self.settings.backoff_max_s)
            if retry_after_s is not None
            else random.uniform(0, ceiling)  # noqa: S311 - jitter, not cryptography
        )
        if time.monotonic() + delay >= self.deadline:
            raise ModelUnavailableError(
                f"the model did not finish within {self.settings.case_timeout_s:g} s"
            )
        self.cancelled.wait(delay)


def _call(plan: ChunkPlan, *, cached: bool, **values: Any) -> ModelCall:
    return ModelCall(
        document_id=plan.document.document_id,
        chunk_index=plan.index,
        start=plan.start,
        end=plan.end,
        cached=cached,
        mode="cache" if cached else values.pop("mode", "strict"),
        **values,
    )


def _cached_answer(entry: CacheEntry) -> ChunkAnswer | None:
    try:
        return ChunkAnswer.model_validate_json(entry.answer_json)
    except ValidationError:
        return None


def _parse(reply: ModelAnswer) -> tuple[ChunkAnswer | None, str]:
    """The validated answer, or why it is not one."""
    if reply.finish_reason == "length":
        return None, "the answer was cut off at the output limit"
    content = (reply.content or "").strip()
    if not content:
        return None, "the answer was empty"
    if content.startswith("```"):
        content = content.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        return None, f"invalid JSON at character {error.pos}: {error.msg}"
    try:
        return ChunkAnswer.model_validate(data), ""
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return None, f"{where}: {first['msg']}"


# ---- merging the chunks' answers -----------------------------------------------------


def _merge(
    plans: Sequence[ChunkPlan], answers: Mapping[str, ChunkAnswer], prompts: PromptSet
) -> AiReading:
    merger = _Merger(prompts, several=len(plans) > 1)
    for plan in plans:
        merger.add(plan, answers[plan.key])
    return merger.reading()


class _Merger:
    """Folds the chunks' answers into one reading, grounding every quote on the way."""

    def __init__(self, prompts: PromptSet, *, several: bool) -> None:
        self.labels = {c.path: c.label for c in prompts.categories}
        self.several = several
        self.grounders: dict[str, QuoteGrounder] = {}
        self.findings: dict[tuple[str, ...], AiFinding] = {}
        self.facts: dict[tuple[str, ...], Finding] = {}
        self.summaries: list[str] = []
        self.summary_evidence: list[Evidence] = []
        self.level = -1
        self.rationale: list[str] = []
        self.complexity_grounded = False

    def add(self, plan: ChunkPlan, answer: ChunkAnswer) -> None:
        grounder = self.grounders.setdefault(
            plan.document.document_id, QuoteGrounder(plan.document)
        )
        ground = functools.partial(grounder.ground, near=plan.start)
        if answer.summary.strip():
            where = plan.document.filename or plan.document.document_id
            first, last = plan.document.pages_for_span(plan.start, plan.end)
            pages = f"p. {first}" if first == last else f"pp. {first}-{last}"
            prefix = f"{where}, {pages}: " if self.several else ""
            self.summaries.append(prefix + answer.summary.strip())
        for quote in answer.summary_quotes:
            found = ground(quote)
            if found is not None and found not in self.summary_evidence:
                self.summary_evidence.append(found)
        rank = COMPLEXITY_ORDER.index(answer.complexity)
        if rank > self.level:
            self.level, self.rationale = rank, []
        for reason in answer.complexity_reasons:
            found = ground(reason.quote)
            self._add(_finding("complexity", "Complexity", reason.point, reason.quote, found))
            if rank == self.level:
                self.rationale.append(reason.point.strip().rstrip("."))
                self.complexity_grounded = self.complexity_grounded or found is not None
        for obligation in answer.obligations:
            self._obligation(obligation, ground(obligation.quote))
        for risk in answer.risks:
            found = ground(risk.quote)
            self._add(_finding("risk", risk.label, risk.explanation, risk.quote, found))
        for clause in answer.clauses:
            # The model may add a clause, never take one away: "absent" answers are dropped.
            if clause.present and clause.category in self.labels:
                self._clause(clause, ground(clause.quote))

    def _obligation(self, obligation: ObligationAnswer, found: Evidence | None) -> None:
        due = f" ({obligation.due})" if obligation.due else ""
        label = f"{obligation.party.value.capitalize()} obligation"
        text = obligation.action + due
        self._add(_finding("obligation", label, text, obligation.quote, found, "obligations"))
        if found is None:
            return
        value = Obligation(
            party=obligation.party,
            action=obligation.action,
            due_relative=obligation.due,
            recurring=obligation.recurring,
        )
        self._fact("obligations", value, found)

    def _clause(self, clause: ClauseAnswer, found: Evidence | None) -> None:
        label = self.labels[clause.category]
        self._add(
            _finding("clause", label, clause.explanation, clause.quote, found, clause.category)
        )
        if found is not None:
            self._fact(clause.category, True, found)

    def _fact(self, path: str, value: Any, found: Evidence) -> None:
        fact: Fact[Any] = Fact(
            status=FactStatus.PRESENT,
            value=value,
            evidence=[found],
            source=Source.LLM,
            confidence=AI_CONFIDENCE,
            extractor=EXTRACTOR_NAME,
        )
        key = (path, found.document_id or "", str(found.start), str(found.end))
        self.facts.setdefault(key, Finding(path=path, fact=fact))

    def _add(self, finding: AiFinding) -> None:
        """One finding per kind, subject and place: overlapping chunks see clauses twice."""
        subject = finding.path or fold(finding.label)
        if finding.evidence:
            first = finding.evidence[0]
            key: tuple[str, ...] = (
                finding.kind,
                subject,
                first.document_id or "",
                str(first.start),
            )
        else:
            key = (finding.kind, subject, fold(finding.quote or finding.text))
        self.findings.setdefault(key, finding)

    def reading(self) -> AiReading:
        kept = list(self.findings.values())
        share = sum(f.grounded for f in kept) / len(kept) if kept else None
        rationale = "; ".join(dict.fromkeys(self.rationale))
        return AiReading(
            status="used",
            summary=" ".join(self.summaries) or None,
            summary_evidence=self.summary_evidence,
            complexity=COMPLEXITY_ORDER[self.level] if self.level >= 0 else None,
            complexity_rationale=rationale + "." if rationale else None,
            complexity_grounded=self.complexity_grounded,
            findings=kept,
            facts=list(self.facts.values()),
            grounded_share=share,
        )


def _finding(  # noqa: PLR0917 - a finding's six parts, always in this order
    kind: Literal["obligation", "risk", "clause", "complexity"],
    label: str,
    text: str,
    quote: str | None,
    evidence: Evidence | None,
    path: str | None = None,
) -> AiFinding:
    return AiFinding(
        kind=kind,
        label=label.strip() or kind,
        text=text.strip(),
        grounded=evidence is not None,
        evidence=[evidence] if evidence is not None else [],
        quote=quote,
        path=path,
    )
