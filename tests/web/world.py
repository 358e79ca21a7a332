"""A running service with people in it, and a real Chromium to look at it: shared by the
browser tests and the screenshot command."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from app.api.main import QueueFactory, create_app
from app.auth.service import create_user, get_user_by_email, issue_token
from app.db import get_engine, session_scope
from app.settings import Settings
from tests.app.api.conftest import running_server

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "onboarding-triage-demo"
SAMPLE = Path(__file__).resolve().parents[2] / "app" / "samples" / "kepler-maritime"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    roles: tuple[str, ...]


PEOPLE = {
    "csm": Person("casey@example.com", "Casey Morgan", ("csm",)),
    "legal": Person("lee@example.com", "Lee Okafor", ("legal",)),
    "finance": Person("fran@example.com", "Fran Dubois", ("finance",)),
    "security": Person("sam@example.com", "Sam Lindqvist", ("security",)),
    "tax": Person("tao@example.com", "Tao Nakamura", ("tax",)),
    "executive": Person("eve@example.com", "Eve Schwartz", ("executive",)),
    # Uploads and holds a legal role too: may never approve what they uploaded.
    "csm_legal": Person("pat@example.com", "Pat Quinn", ("csm", "legal")),
}


def chromium_available() -> bool:
    return shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists()


def seed_people(engine: Engine) -> None:
    """Everyone in ``PEOPLE``, signing in with ``PASSWORD``."""
    with session_scope(engine) as session:
        for person in PEOPLE.values():
            create_user(
                session=session,
                email=person.email,
                roles=person.roles,
                name=person.name,
                password=PASSWORD,
            )


@dataclass(frozen=True)
class Service:
    url: str
    app: FastAPI
    engine: Engine

    def token(self, who: str) -> str:
        """A new API token of ``who`` (a key of ``PEOPLE``), for setting up through the API."""
        with session_scope(self.engine) as session:
            user = get_user_by_email(session=session, email=PEOPLE[who].email)
            return issue_token(session=session, user=user, name="browser-tests")


@contextmanager
def served(settings: Settings, queue_factory: QueueFactory | None = None) -> Iterator[Service]:
    """The whole app (API, pages, workers) on a free port, with ``PEOPLE`` in it."""
    app = create_app(settings, queue_factory=queue_factory)
    with running_server(app) as base_url:
        engine = get_engine(settings.database_url)
        seed_people(engine)
        yield Service(base_url, app, engine)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (no downloaded browser)."""
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Page, base_url: str, who: str) -> None:
    """Sign ``who`` (a key of ``PEOPLE``) in through the form."""
    person = PEOPLE[who]
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def upload_bundle(page: Page, base_url: str, files: list[Path], customer: str) -> str:
    """Upload ``files`` as a new case through the page; the case page's path."""
    page.goto(f"{base_url}/cases/new")
    page.get_by_label("Customer", exact=True).fill(customer)
    page.locator("#files").set_input_files([str(f) for f in files])
    page.get_by_role("button", name="Upload and triage").click()
    page.wait_for_url(lambda url: "/cases/" in url and "/cases/new" not in url)
    return page.url.removeprefix(base_url)
