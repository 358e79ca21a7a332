"""A running service and a real Chromium for the browser tests (mandatory under CI)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine

from app.jobs.local import LocalWorkerPool
from app.jobs.queue import JobQueue, make_job_queue
from app.settings import Settings
from rules import Policy
from tests.conftest import require
from tests.web.world import Service, chromium, chromium_available, served, sign_in


class HeldQueue:
    """The app's own queue, except that while ``held`` jobs wait until ``release()``: a test
    can look at a case before it is triaged, then watch the page catch up."""

    def __init__(self, *, engine: Engine, settings: Settings, policy: Policy) -> None:
        self.inner: JobQueue = (
            # Idle workers also poll the table for ready jobs, which would take a held job
            # within half a second: here they only run what is submitted (or released).
            LocalWorkerPool(engine=engine, settings=settings, policy=policy, poll_interval_s=3600)
            if settings.job_backend == "local"
            else make_job_queue(engine=engine, settings=settings, policy=policy)
        )
        self.held = threading.Event()
        self.waiting: list[str] = []
        self._lock = threading.Lock()

    def submit(self, job_id: str) -> None:
        with self._lock:
            if self.held.is_set():
                self.waiting.append(job_id)
                return
        self.inner.submit(job_id)

    def release(self) -> None:
        with self._lock:
            self.held.clear()
            waiting, self.waiting = self.waiting, []
        for job_id in waiting:
            self.inner.submit(job_id)

    def start(self) -> None:
        self.inner.start()

    def stop(self, *, timeout_s: float = 30.0) -> None:
        self.inner.stop(timeout_s=timeout_s)

    def healthy(self) -> bool:
        return self.inner.healthy()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(chromium_available(), "Chromium is not installed (apt-get install chromium)")
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder: Path = tmp_path_factory.mktemp("web")
    settings = Settings(database_url=f"sqlite:///{folder / 'triage.db'}", data_dir=folder / "data")
    with served(settings, queue_factory=HeldQueue) as running:
        yield running


def held_queue(service: Service) -> HeldQueue:
    queue = service.app.state.queue
    assert isinstance(queue, HeldQueue)
    return queue


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def signed_in_page(browser: Browser, service: Service, who: str) -> Page:
    """A new browser context (its own cookies) signed in as ``who``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    opened = context.new_page()
    sign_in(opened, service.url, who)
    return opened
