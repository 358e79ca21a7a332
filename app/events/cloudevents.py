"""Outbox rows as CloudEvents 1.0 in structured JSON mode (the whole event is the body).

An event's ``type`` is the outbox type behind a reverse-DNS prefix, as the CloudEvents
spec advises: ``case.triaged`` goes out as ``com.onboarding-triage.case.triaged``; the
API and the outbox keep the bare type. ``subject`` is the case id; ``id`` is the outbox
id, the same on every retry, for receivers to de-duplicate by.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

SPEC_VERSION = "1.0"
TYPE_PREFIX = "com.onboarding-triage."
# The media type of a structured-mode CloudEvent (CloudEvents HTTP binding 3.2).
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


def cloud_type(outbox_type: str) -> str:
    """``case.triaged`` -> ``com.onboarding-triage.case.triaged``."""
    return TYPE_PREFIX + outbox_type


def rfc3339(moment: datetime) -> str:
    """UTC with a ``Z``; a naive time (SQLite gives those back) is taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def cloud_event(
    *,
    event_id: str,
    outbox_type: str,
    case_id: str | None,
    created_at: datetime,
    data_json: str,
    source: str,
) -> dict[str, Any]:
    """The CloudEvent of one outbox row."""
    event: dict[str, Any] = {
        "specversion": SPEC_VERSION,
        "id": event_id,
        "source": source,
        "type": cloud_type(outbox_type),
        "time": rfc3339(created_at),
        "datacontenttype": "application/json",
        "data": json.loads(data_json),
    }
    if case_id is not None:
        event["subject"] = case_id
    return event


def encode(event: dict[str, Any]) -> bytes:
    """The body that is sent and signed: compact UTF-8 JSON."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
