"""Outbox rows go out as CloudEvents 1.0 in structured JSON mode."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.events.cloudevents import cloud_event, encode


def test_an_outbox_row_is_a_cloudevent() -> None:
    event = cloud_event(
        event_id="0f3a",
        outbox_type="approval.requested",
        case_id="c1",
        created_at=datetime(2025, 3, 4, 5, 6, 7, 890, tzinfo=UTC),
        data_json='{"role":"legal","due_at":"2025-03-05T17:00:00Z"}',
        source="urn:onboarding-triage",
    )
    assert event == {
        "specversion": "1.0",
        "id": "0f3a",
        "source": "urn:onboarding-triage",
        "type": "com.onboarding-triage.approval.requested",
        "subject": "c1",
        "time": "2025-03-04T05:06:07.000890Z",
        "datacontenttype": "application/json",
        "data": {"role": "legal", "due_at": "2025-03-05T17:00:00Z"},
    }
    assert json.loads(encode(event)) == event


def test_a_naive_time_is_utc_and_an_event_of_no_case_has_no_subject() -> None:
    event = cloud_event(
        event_id="1",
        outbox_type="case.triaged",
        case_id=None,
        created_at=datetime(2025, 3, 4, 5, 6, 7),  # as SQLite gives it back
        data_json="{}",
        source="https://triage.example.com",
    )
    assert event["time"] == "2025-03-04T05:06:07.000000Z"
    assert "subject" not in event
