"""Checking the audit trail: every hash recomputed, every link followed, in both chains.

What a break means:

- ``edited``: the stored hash is not the hash of the row's content: the row was changed.
- ``broken_link``: the row does not point at the hash of the row before it in its chain:
  a row between them was deleted, or rows were moved (reordered).
- ``seq_gap``: a case's events are not numbered 1, 2, 3 ...: one of them was deleted.

The walk goes on after a break from the row as it is stored, so one tampered row is one
break, not a cascade. Removing the newest rows leaves a shorter chain that is still
whole: only a head hash noted earlier (``anchor``) tells that they are gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, col, select

from app.audit.chain import event_hash
from app.audit.models import AuditEvent

# Enough to show where tampering is; the count says how much more there is.
MAX_BREAKS_KEPT = 100
_BATCH = 1000


class BreakKind(StrEnum):
    EDITED = "edited"
    BROKEN_LINK = "broken_link"
    SEQ_GAP = "seq_gap"


class Chain(StrEnum):
    GLOBAL = "global"
    CASE = "case"


@dataclass(frozen=True)
class ChainBreak:
    """The first thing wrong with one event in one chain."""

    chain: Chain
    kind: BreakKind
    event_id: int
    case_id: str | None
    case_seq: int | None
    detail: str


@dataclass
class VerifyReport:
    """What a walk of the whole trail found."""

    events: int = 0
    cases: int = 0
    # The newest event's hash: note it, and pass it as ``anchor`` later to detect removals.
    head: str | None = None
    breaks_total: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    # None when no anchor was given.
    anchor_found: bool | None = None

    @property
    def ok(self) -> bool:
        return self.breaks_total == 0 and self.anchor_found is not False

    @property
    def first(self) -> ChainBreak | None:
        """The break at the lowest event id (the global chain's first at equal ids)."""
        return self.breaks[0] if self.breaks else None

    def add(self, found: Iterable[ChainBreak]) -> None:
        for item in found:
            self.breaks_total += 1
            self.breaks.append(item)
        self.breaks.sort(key=lambda b: (b.event_id, b.chain is not Chain.GLOBAL))
        del self.breaks[MAX_BREAKS_KEPT:]


def _edited(event: AuditEvent, chain: Chain) -> ChainBreak | None:
    if event_hash(event) == event.hash:
        return None
    return _break(event, chain, BreakKind.EDITED, "its content does not match its hash: edited")


def _break(event: AuditEvent, chain: Chain, kind: BreakKind, detail: str) -> ChainBreak:
    assert event.id is not None  # stored rows have ids
    return ChainBreak(chain, kind, event.id, event.case_id, event.case_seq, detail)


def _link_detail(previous: AuditEvent | None) -> str:
    if previous is None:
        return "it links to an event before it, but it comes first: rows before it were deleted"
    return (
        f"it does not link to event {previous.id} before it: "
        "a row between them was deleted, or rows were reordered"
    )


def check_global_chain(events: Iterable[AuditEvent]) -> Iterator[ChainBreak]:
    """Breaks of the global chain; ``events`` are every event in ``id`` order."""
    previous: AuditEvent | None = None
    for event in events:
        found = _edited(event, Chain.GLOBAL)
        expected = previous.hash if previous else None
        if found is None and event.prev_hash != expected:
            found = _break(event, Chain.GLOBAL, BreakKind.BROKEN_LINK, _link_detail(previous))
        if found:
            yield found
        previous = event


def check_case_chain(events: Iterable[AuditEvent]) -> Iterator[ChainBreak]:
    """Breaks of one case's chain; ``events`` are that case's events in ``case_seq`` order."""
    previous: AuditEvent | None = None
    for event in events:
        found = _edited(event, Chain.CASE)
        expected_seq = (previous.case_seq or 0) + 1 if previous else 1
        if found is None and event.case_seq != expected_seq:
            found = _break(
                event,
                Chain.CASE,
                BreakKind.SEQ_GAP,
                f"the case's event {expected_seq} is missing (this one is {event.case_seq}): "
                "deleted",
            )
        expected = previous.hash if previous else None
        if found is None and event.prev_case_hash != expected:
            found = _break(event, Chain.CASE, BreakKind.BROKEN_LINK, _link_detail(previous))
        if found:
            yield found
        previous = event


def _by_case(events: Iterable[AuditEvent]) -> Iterator[list[AuditEvent]]:
    """Consecutive events of the same case, as lists (``events`` ordered by case)."""
    current: list[AuditEvent] = []
    for event in events:
        if current and current[0].case_id != event.case_id:
            yield current
            current = []
        current.append(event)
    if current:
        yield current


def case_events(*, session: Session, case_id: str) -> list[AuditEvent]:
    """A case's events in the order of its chain."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(col(AuditEvent.case_seq), col(AuditEvent.id))
        ).all()
    )


def verify_chain(*, session: Session, anchor: str | None = None) -> VerifyReport:
    """Walk the global chain in id order and every case chain in case_seq order."""
    report = VerifyReport()
    if anchor is not None:
        report.anchor_found = False

    def walked() -> Iterator[AuditEvent]:
        rows = session.exec(
            select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(yield_per=_BATCH)
        )
        for event in rows:
            report.events += 1
            report.head = event.hash
            if event.hash == anchor:
                report.anchor_found = True
            yield event

    report.add(check_global_chain(walked()))
    by_case = session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.case_id).is_not(None))
        .order_by(col(AuditEvent.case_id), col(AuditEvent.case_seq), col(AuditEvent.id))
        .execution_options(yield_per=_BATCH)
    )
    for events in _by_case(by_case):
        report.cases += 1
        report.add(check_case_chain(events))
    return report
