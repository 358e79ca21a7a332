"""Fixtures for the approval tests: the API on a fresh database, people with roles, documents
whose terms ask for known approvals, and readers of the audit trail and the outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app import deciding
from app.api.main import create_app
from app.approvals.calendar import WorkingCalendar, as_utc
from app.approvals.models import ApprovalRecord
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.auth.service import create_user, issue_token
from app.db import session_scope
from app.events.models import OutboxEvent
from app.jobs.inline import InlineJobQueue
from app.settings import Settings
from extractors.ingest import shutdown_pool

# Payment terms of net 60 ask for finance; a USD 40,000 deal is on the standard path.
ORDER_FORM = (
    b"ORDER FORM\n\n"
    b"This order form is between Nimbus Cloud Inc. and Harbor Foods Inc.\n"
    b"The annual subscription fee is USD 40,000 per year.\n"
    b"Invoices are payable within sixty (60) days of receipt.\n"
    b"This Agreement is governed by the laws of the State of New York.\n"
)
# A demand for a SOC 2 report asks for security.
SECURITY_ADDENDUM = (
    b"SECURITY ADDENDUM\n\n"
    b"Nimbus Cloud Inc. shall provide Harbor Foods Inc. with its SOC 2 Type II report annually.\n"
)
# Nothing unusual: a small deal on standard terms needs no approval.
PLAIN_ORDER = (
    b"ORDER FORM\n\n"
    b"This order form is between Nimbus Cloud Inc. and Harbor Foods Inc.\n"
    b"The annual subscription fee is USD 40,000 per year.\n"
    b"Invoices are payable within thirty (30) days of receipt.\n"
    b"This Agreement is governed by the laws of the State of New York.\n"
)
# Adds nothing the policy cares about.
KICKOFF_NOTE = b"KICK-OFF NOTE\n\nThe kick-off meeting takes place in the first week.\n"

CONTACTS = {"finance": "cfo@example.com", "security": "ciso@example.com"}


@pytest.fixture(scope="session", autouse=True)
def _stop_worker_processes() -> Iterator[None]:
    yield
    deciding.close_deciders()
    shutdown_pool()


@pytest.fixture
def settings(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """A fresh database; UTC office hours Monday to Friday; the reference rules evaluator.

    A test changes more with ``@pytest.mark.parametrize("settings", [{...}], indirect=True)``.
    """
    overrides: dict[str, Any] = getattr(request, "param", {})
    return Settings(
        _env_file=None,
        database_url=db_url,
        data_dir=tmp_path / "data",
        rules_engine="reference",
        escalation_contacts=CONTACTS,
        approval_reminder_hours=4,
        **overrides,
    )


@dataclass
class Api:
    """The app under test and a token for each person."""

    client: TestClient
    engine: Engine
    settings: Settings
    tokens: dict[str, str]

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def user_id(self, who: str) -> str:
        with Session(self.engine) as session:
            return session.exec(select(User).where(User.email == f"{who}@example.com")).one().id

    def upload(self, who: str, *documents: tuple[str, bytes]) -> dict[str, Any]:
        files = [("files", (name, data, "text/plain")) for name, data in documents]
        response = self.client.post("/v1/cases", files=files, headers=self.as_(who))
        assert response.status_code == 202, response.text
        return response.json()  # type: ignore[no-any-return]

    def add(self, who: str, case_id: str, *documents: tuple[str, bytes]) -> Any:
        files = [("files", (name, data, "text/plain")) for name, data in documents]
        url = f"/v1/cases/{case_id}/documents"
        return self.client.post(url, files=files, headers=self.as_(who))

    def case(self, case_id: str, who: str = "csm") -> dict[str, Any]:
        response = self.client.get(f"/v1/cases/{case_id}", headers=self.as_(who))
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def approvals(self, case_id: str, who: str = "csm") -> dict[str, dict[str, Any]]:
        response = self.client.get(f"/v1/cases/{case_id}/approvals", headers=self.as_(who))
        assert response.status_code == 200, response.text
        return {item["role"]: item for item in response.json()["items"]}

    def decide(
        self, who: str, case_id: str, role: str, decision: str, comment: str | None = None
    ) -> Any:
        body: dict[str, Any] = {"decision": decision}
        if comment is not None:
            body["comment"] = comment
        return self.client.post(
            f"/v1/cases/{case_id}/approvals/{role}", json=body, headers=self.as_(who)
        )

    def correct(self, who: str, case_id: str, **body: Any) -> Any:
        return self.client.post(
            f"/v1/cases/{case_id}/corrections", json=body, headers=self.as_(who)
        )

    def record(self, case_id: str, role: str) -> ApprovalRecord:
        with Session(self.engine) as session:
            return session.exec(
                select(ApprovalRecord).where(
                    ApprovalRecord.case_id == case_id, ApprovalRecord.role == role
                )
            ).one()

    def audit(self, case_id: str) -> list[AuditEvent]:
        with Session(self.engine) as session:
            statement = (
                select(AuditEvent)
                .where(AuditEvent.case_id == case_id)
                .order_by(col(AuditEvent.case_seq))
            )
            return list(session.exec(statement).all())

    def audit_kinds(self, case_id: str) -> list[str]:
        return [event.kind for event in self.audit(case_id)]

    def outbox(self, case_id: str) -> list[OutboxEvent]:
        with Session(self.engine) as session:
            statement = (
                select(OutboxEvent)
                .where(OutboxEvent.case_id == case_id)
                .order_by(col(OutboxEvent.seq))
            )
            return list(session.exec(statement).all())

    def outbox_types(self, case_id: str) -> list[tuple[str, str | None]]:
        """(type, role) of each outbound event of the case, in delivery order."""
        return [(e.type, json.loads(e.data_json).get("role")) for e in self.outbox(case_id)]

    @property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.from_settings(self.settings)


PEOPLE: dict[str, tuple[Role, ...]] = {
    "csm": (Role.CSM,),
    "csm2": (Role.CSM,),
    "legal": (Role.LEGAL,),
    "finance": (Role.FINANCE,),
    "finance2": (Role.FINANCE,),
    "security": (Role.SECURITY,),
    "tax": (Role.TAX,),
    # Sells and approves finance: may upload, never approve their own upload.
    "csmfinance": (Role.CSM, Role.FINANCE),
    "admin": (Role.ADMIN,),
}


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    """The API with jobs run inline (a case is decided when its upload is answered)."""
    app: FastAPI = create_app(settings, queue_factory=InlineJobQueue)
    with TestClient(app) as client:
        engine: Engine = app.state.engine
        tokens = {}
        with session_scope(engine) as session:
            for name, roles in PEOPLE.items():
                user = create_user(session=session, email=f"{name}@example.com", roles=roles)
                tokens[name] = issue_token(session=session, user=user, name="tests")
        yield Api(client=client, engine=engine, settings=settings, tokens=tokens)


def moment(value: str) -> datetime:
    """A timestamp of the API as an aware UTC datetime."""
    return as_utc(datetime.fromisoformat(value))
