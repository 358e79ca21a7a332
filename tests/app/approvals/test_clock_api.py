"""Reminders and escalation on a clock the test controls: each exactly once, on business hours,
with the role's escalation contact; and the workers' pool running the clock by itself."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.approvals.clock import run_approval_clock
from app.approvals.models import ApprovalRecord
from app.jobs.local import LocalWorkerPool
from rules import load_policy
from tests.app.approvals.conftest import ORDER_FORM, SECURITY_ADDENDUM, Api


def _case(api: Api) -> str:
    accepted = api.upload(
        "csm", ("order_form.txt", ORDER_FORM), ("security.txt", SECURITY_ADDENDUM)
    )
    return str(accepted["case_id"])


def test_one_reminder_before_the_due_time_and_one_escalation_after_it(api: Api) -> None:
    case_id = _case(api)
    finance = api.record(case_id, "finance")
    requested, due = finance.requested_at, finance.due_at
    assert due is not None
    calendar = api.calendar

    def tick(moment: datetime) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        run = run_approval_clock(engine=api.engine, settings=api.settings, now=moment)
        return run.reminded, run.escalated

    # 15 business hours to go (finance has 16): nothing yet.
    assert tick(calendar.add_business_hours(requested, 1)) == ([], [])
    # 3 business hours to go, inside the 4-hour window: finance is reminded, security
    # (24 hours, 11 to go) is not.
    soon = calendar.add_business_hours(requested, 13)
    assert tick(soon) == ([(case_id, "finance")], [])
    assert tick(soon + timedelta(minutes=30)) == ([], [])
    assert api.record(case_id, "finance").reminded_at is not None
    assert api.record(case_id, "security").reminded_at is None

    # Due: escalated once, with finance's contact; never again.
    late = api.record(case_id, "finance").due_at
    assert late is not None
    assert tick(late) == ([], [(case_id, "finance")])
    assert tick(late + timedelta(days=3)) == ([], [(case_id, "security")])
    assert tick(late + timedelta(days=10)) == ([], [])

    overdue = [json.loads(e.data_json) for e in api.outbox(case_id) if e.type == "approval.overdue"]
    assert [(o["role"], o["escalation_contact"]) for o in overdue] == [
        ("finance", "cfo@example.com"),
        ("security", "ciso@example.com"),
    ]
    reminders = [
        json.loads(e.data_json) for e in api.outbox(case_id) if e.type == "approval.reminder"
    ]
    assert [r["role"] for r in reminders] == ["finance"]
    kinds = api.audit_kinds(case_id)
    assert kinds.count("approval.reminded") == 1
    assert kinds.count("approval.escalated") == 2
    assert kinds.index("approval.reminded") < kinds.index("approval.escalated")


def test_reminders_count_business_hours_not_the_wall_clock(api: Api) -> None:
    case_id = _case(api)
    # Finance is due on Monday 2026-12-14 at 11:00 UTC (office hours 09:00-17:00, UTC).
    due = datetime(2026, 12, 14, 11, tzinfo=UTC)
    with Session(api.engine) as session:
        record = session.exec(
            select(ApprovalRecord).where(
                ApprovalRecord.case_id == case_id, ApprovalRecord.role == "finance"
            )
        ).one()
        record.requested_at, record.due_at = due - timedelta(days=4), due
        session.add(record)
        session.commit()

    def reminded(moment: datetime) -> list[tuple[str, str]]:
        run = run_approval_clock(engine=api.engine, settings=api.settings, now=moment)
        return [item for item in run.reminded if item[1] == "finance"]

    # Friday 12:00: 5 business hours on Friday and 2 on Monday are left, 7 > 4.
    assert reminded(datetime(2026, 12, 11, 12, tzinfo=UTC)) == []
    # Friday 15:00 is 68 wall-clock hours before the due time but 2 + 2 business hours.
    assert reminded(datetime(2026, 12, 11, 15, tzinfo=UTC)) == [(case_id, "finance")]
    assert reminded(datetime(2026, 12, 14, 10, tzinfo=UTC)) == []


def test_decided_and_reset_approvals_are_not_chased(api: Api) -> None:
    case_id = _case(api)
    assert api.decide("finance", case_id, "finance", "grant").status_code == 200
    security = api.record(case_id, "security")
    assert security.due_at is not None
    run = run_approval_clock(
        engine=api.engine, settings=api.settings, now=security.due_at + timedelta(days=30)
    )
    assert run.escalated == [(case_id, "security")]
    # Asked again after a document: a new round of reminder and escalation.
    assert api.decide("security", case_id, "security", "grant").status_code == 200
    assert api.add("csm", case_id, ("note.txt", b"NOTE\n\nA note.\n")).status_code == 202
    reset = api.record(case_id, "security")
    assert reset.state == "reset" and reset.escalated_at is None and reset.due_at is not None
    run = run_approval_clock(
        engine=api.engine, settings=api.settings, now=reset.due_at + timedelta(minutes=1)
    )
    assert sorted(run.escalated) == [(case_id, "finance"), (case_id, "security")]


def test_the_worker_pool_runs_the_clock(api: Api) -> None:
    case_id = _case(api)
    # Every approval overdue (due in the past): the pool's clock escalates without being asked.
    finance = api.record(case_id, "finance")
    with Session(api.engine) as session:
        statement = select(ApprovalRecord).where(ApprovalRecord.case_id == case_id)
        for record in session.exec(statement):
            record.due_at = finance.requested_at - timedelta(hours=1)
            session.add(record)
        session.commit()
    settings = api.settings.model_copy(update={"approval_clock_interval_s": 0.2})
    pool = LocalWorkerPool(engine=api.engine, settings=settings, policy=load_policy(None))
    pool.start()
    try:
        deadline = time.monotonic() + 30
        while api.audit_kinds(case_id).count("approval.escalated") < 2:
            assert time.monotonic() < deadline, "the pool's clock did not escalate"
            time.sleep(0.1)
    finally:
        pool.stop(timeout_s=10)
    assert api.audit_kinds(case_id).count("approval.escalated") == 2
