"""Tampering with the audit trail is found at the row it happened, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.audit.chain import event_hash
from app.audit.models import AuditEvent
from app.audit.verify import BreakKind, Chain, ChainBreak, VerifyReport, verify_chain
from tests.app.audit.conftest import write_trail

CONTENT = (
    "case_id",
    "case_seq",
    "kind",
    "actor",
    "data_json",
    "created_at",
    "prev_case_hash",
    "prev_hash",
    "hash",
)


def verify(engine: Engine, anchor: str | None = None) -> VerifyReport:
    with Session(engine) as session:
        return verify_chain(session=session, anchor=anchor)


def where(report: VerifyReport) -> list[tuple[Chain, BreakKind, int]]:
    return [(b.chain, b.kind, b.event_id) for b in report.breaks]


def raw(engine: Engine, sql: str, **params: Any) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), params)


def swap_content(engine: Engine, first: int, second: int) -> None:
    """Swap everything but the ids of two rows, as if they had been written the other way."""
    columns = ", ".join(CONTENT)
    with engine.begin() as connection:
        rows = {
            row.id: row._mapping
            for row in connection.execute(
                text(f"SELECT id, {columns} FROM audit_events WHERE id IN (:a, :b)"),
                {"a": first, "b": second},
            )
        }
        assignments = ", ".join(f"{name} = :{name}" for name in CONTENT)
        # Out of the way first: (case_id, case_seq) is unique.
        connection.execute(
            text("UPDATE audit_events SET case_id = NULL, case_seq = NULL WHERE id = :id"),
            {"id": second},
        )
        for target, source in ((first, second), (second, first)):
            values = {name: rows[source][name] for name in CONTENT}
            connection.execute(
                text(f"UPDATE audit_events SET {assignments} WHERE id = :id"),
                {**values, "id": target},
            )


def test_an_untampered_trail_verifies(engine: Engine) -> None:
    events = write_trail(engine)
    report = verify(engine)
    assert report.ok
    assert (report.events, report.cases, report.breaks_total) == (10, 3, 0)
    assert report.head == events[-1].hash
    assert report.first is None


def test_an_empty_trail_verifies(engine: Engine) -> None:
    report = verify(engine)
    assert report.ok
    assert (report.events, report.cases, report.head) == (0, 0, None)


def test_an_edited_row_is_found_where_it_was_edited(engine: Engine) -> None:
    events = write_trail(engine)
    edited = events[4]  # case-a's third event
    raw(
        engine,
        "UPDATE audit_events SET data_json = :data WHERE id = :id",
        data=json.dumps({"n": 4, "granted": True}),
        id=edited.id,
    )
    report = verify(engine)
    assert not report.ok
    assert where(report) == [
        (Chain.GLOBAL, BreakKind.EDITED, edited.id),
        (Chain.CASE, BreakKind.EDITED, edited.id),
    ]
    first = report.first
    assert first is not None
    assert (first.case_id, first.case_seq) == ("case-a", 3)
    assert "edited" in first.detail


def test_an_edit_that_rewrites_its_own_hash_breaks_the_next_links(engine: Engine) -> None:
    events = write_trail(engine)
    edited = events[4]
    with Session(engine) as session:
        row = session.get(AuditEvent, edited.id)
        assert row is not None
        row.data_json = json.dumps({"n": 4, "granted": True})
        forged = event_hash(row)
    raw(
        engine,
        "UPDATE audit_events SET data_json = :data, hash = :hash WHERE id = :id",
        data=row.data_json,
        hash=forged,
        id=edited.id,
    )
    report = verify(engine)
    # The next event overall (case-c's first) and case-a's next event point at the old hash.
    assert where(report) == [
        (Chain.GLOBAL, BreakKind.BROKEN_LINK, events[5].id),
        (Chain.CASE, BreakKind.BROKEN_LINK, events[7].id),
    ]


def test_a_deleted_row_is_found_at_the_rows_after_it(engine: Engine) -> None:
    events = write_trail(engine)
    raw(engine, "DELETE FROM audit_events WHERE id = :id", id=events[4].id)
    report = verify(engine)
    assert where(report) == [
        (Chain.GLOBAL, BreakKind.BROKEN_LINK, events[5].id),
        (Chain.CASE, BreakKind.SEQ_GAP, events[7].id),
    ]
    assert report.events == 9
    first = report.first
    assert first is not None
    assert f"event {events[3].id}" in first.detail
    gap = report.breaks[1]
    assert (gap.case_id, gap.case_seq) == ("case-a", 4)
    assert "event 3 is missing" in gap.detail


def test_deleting_the_first_rows_is_found(engine: Engine) -> None:
    events = write_trail(engine)
    raw(engine, "DELETE FROM audit_events WHERE id = :id", id=events[0].id)
    report = verify(engine)
    assert where(report) == [
        (Chain.GLOBAL, BreakKind.BROKEN_LINK, events[1].id),
        (Chain.CASE, BreakKind.SEQ_GAP, events[2].id),
    ]
    first = report.first
    assert first is not None
    assert "comes first" in first.detail


@pytest.mark.parametrize(
    ("first", "second"),
    [pytest.param(2, 6, id="two-cases"), pytest.param(2, 4, id="same-case")],
)
def test_reordered_rows_are_found_at_the_first_moved_row(
    engine: Engine, first: int, second: int
) -> None:
    events = write_trail(engine)
    moved, other = events[first].id, events[second].id
    assert moved is not None and other is not None
    swap_content(engine, moved, other)
    report = verify(engine)
    assert not report.ok
    assert report.first == ChainBreak(
        chain=Chain.GLOBAL,
        kind=BreakKind.BROKEN_LINK,
        event_id=moved,
        case_id=events[second].case_id,
        case_seq=events[second].case_seq,
        detail=report.first.detail if report.first else "",
    )
    # Each row still hashes to its own content: only the order is wrong.
    assert {b.kind for b in report.breaks} == {BreakKind.BROKEN_LINK}
    assert {b.event_id for b in report.breaks} <= {e.id for e in events[first : second + 2]}


def test_removing_the_newest_rows_is_found_only_against_a_noted_head(engine: Engine) -> None:
    events = write_trail(engine)
    noted = verify(engine).head
    assert noted == events[-1].hash
    raw(engine, "DELETE FROM audit_events WHERE id >= :id", id=events[-2].id)
    # A shorter chain is still a whole chain ...
    assert verify(engine).breaks_total == 0
    # ... but the head noted before is gone from it.
    report = verify(engine, anchor=noted)
    assert report.anchor_found is False
    assert not report.ok
    kept = verify(engine, anchor=events[3].hash)
    assert kept.anchor_found is True
    assert kept.ok
