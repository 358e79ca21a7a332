"""A case's audit trail as a person reads it: when, who, and what happened in words."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.approvals.announce import SYSTEM_ACTOR
from app.audit.models import AuditEvent
from app.views.wording import fact_label, join_words
from app.web.templating import path_words, role_words


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str
    text: str
    detail: str | None


def _documents(data: Mapping[str, Any]) -> str:
    names = [str(d.get("filename") or "a document") for d in data.get("documents") or []]
    return join_words(names) if names else "documents"


def _approval(kind: str, data: Mapping[str, Any]) -> str:
    role = role_words(str(data.get("role", "")))
    state = kind.split(".", 1)[1]
    words = {
        "requested": f"{role} approval requested",
        "granted": f"{role} approved",
        "rejected": f"{role} rejected",
        "reset": f"{role} approval asked again",
        "expired": f"{role} approval no longer needed",
        "reminded": f"{role} reminded",
        "escalated": f"{role} approval overdue, escalated",
        "removal_confirmed": f"{role} confirmed its approval is no longer needed",
    }
    return words.get(state, f"{role}: {state}")


def describe(event: AuditEvent, data: Mapping[str, Any]) -> tuple[str, str | None]:
    """The event's sentence and its detail (a comment, a reason), if any."""
    kind = event.kind
    if kind == "case.received":
        return f"Received {_documents(data)}", None
    if kind == "case.documents_added":
        return f"Added {_documents(data)}", None
    if kind == "case.decided":
        path = path_words(str(data.get("path") or "")) if data.get("path") else "Decided"
        roles = [
            role_words(str(a.get("role") if isinstance(a, dict) else a))
            for a in data.get("approvals") or []
        ]
        approvals = f"; {join_words(roles)} must approve" if roles else "; no approval needed"
        cause = "after a correction" if data.get("cause") == "correction" else None
        return f"Decided: {path}{approvals}", cause
    if kind == "case.ready_for_provisioning":
        return "Ready for provisioning", None
    if kind == "case.returned":
        return "Returned to its owner", None
    if kind == "fact.corrected":
        return f"Corrected {fact_label(str(data.get('path', '')))}", data.get("reason")
    if kind == "job.failed":
        return "Processing failed", data.get("message") or data.get("error_code")
    if kind.startswith("approval."):
        return _approval(kind, data), data.get("comment") or data.get("cause")
    return kind, None


def timeline(events: Sequence[AuditEvent], people: Mapping[str, str]) -> list[TimelineEntry]:
    """Newest first."""
    entries = []
    for event in events:
        data = json.loads(event.data_json)
        text, detail = describe(event, data)
        actor = event.actor or SYSTEM_ACTOR
        entries.append(
            TimelineEntry(
                at=event.created_at,
                actor="Onboarding triage" if actor == SYSTEM_ACTOR else people.get(actor, actor),
                kind=event.kind,
                text=text,
                detail=str(detail) if detail else None,
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)
