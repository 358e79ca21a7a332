"""The pages through a TestClient (no browser): a signed-in session and its form token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.auth.service import create_user
from app.db import session_scope
from app.jobs.inline import InlineJobQueue
from app.settings import Settings
from tests.app.api.conftest import engine_of

PASSWORD = "a long test password"
BASE = "http://127.0.0.1:8000"


@dataclass
class Browserish:
    """A TestClient that signs in through the form and keeps the page's form token."""

    client: TestClient
    token: str = ""

    def sign_in(self, email: str) -> None:
        self.client.cookies.clear()
        response = self.client.post(
            "/sign-in", data={"email": email, "password": PASSWORD}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        page = self.client.get("/cases")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found is not None
        self.token = found.group(1)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings on a fresh database (SQLite or PostgreSQL) and data folder."""
    return Settings(database_url=db_url, data_dir=tmp_path / "data")


@pytest.fixture
def pages(settings: Settings) -> Iterator[Browserish]:
    """The app with jobs run inline; users csm@, legal@, both@ (csm+legal) and admin@."""
    app = create_app(settings, queue_factory=InlineJobQueue)
    with TestClient(app, base_url=BASE) as client:
        with session_scope(engine_of(client)) as session:
            for name, roles in (
                ("csm", ["csm"]),
                ("legal", ["legal"]),
                ("both", ["csm", "legal"]),
                ("admin", ["admin"]),
            ):
                create_user(
                    session=session, email=f"{name}@example.com", roles=roles, password=PASSWORD
                )
        yield Browserish(client)
