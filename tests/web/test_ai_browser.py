"""The model's reading on the case page in Chromium, with the model at the local stub server:
marked advisory with citations that open the document, or the reason it is unavailable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from app.settings import Settings
from tests.support.openai_stub import OpenAIStub, StubReply, running_stub
from tests.web.conftest import signed_in_page
from tests.web.world import SAMPLE, Service, served, upload_bundle

pytestmark = pytest.mark.browser


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with running_stub() as server:
        yield server


@pytest.fixture
def service_with_model(
    stub: OpenAIStub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Service]:
    for key, value in {
        "OPENAI_BASE_URL": stub.base_url,
        "OPENAI_API_KEY": "sk-test-not-a-real-key",
        "TRIAGE_OPENAI_MODEL": "stub-model",
        "TRIAGE_LLM_TIMEOUT_S": "2",
        "TRIAGE_LLM_CASE_TIMEOUT_S": "10",
        "TRIAGE_LLM_MAX_RETRIES": "2",
        "TRIAGE_LLM_BACKOFF_S": "0.01",
        "TRIAGE_LLM_BACKOFF_MAX_S": "0.2",
        "TRIAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'triage.db'}",
        "TRIAGE_DATA_DIR": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(key, value)
    with served(Settings(_env_file=None)) as running:
        yield running


def test_the_models_reading_is_advisory_and_its_citations_open_the_document(
    browser: Browser, service_with_model: Service, stub: OpenAIStub
) -> None:
    page = signed_in_page(browser, service_with_model, "csm")
    try:
        upload_bundle(page, service_with_model.url, [SAMPLE / "msa.pdf"], "Model Reading B.V.")
        expect(page.locator("#case-body")).not_to_have_attribute("aria-busy", "true")
        assert stub.calls >= 1
        panel = page.locator("section.advisory")
        expect(panel.locator("h2")).to_contain_text("advisory")
        expect(panel.locator(".ai-summary")).not_to_be_empty()
        findings = panel.locator(".ai-findings li[data-grounded=yes]")
        expect(findings.first).to_be_visible()
        expect(panel).to_contain_text("only grounded findings reach the rules")
        findings.first.locator("a.cite").first.click()
        expect(page).to_have_url(re.compile(r"/documents/.*page=\d+"))
        expect(page.locator("mark#quote")).to_be_visible()
    finally:
        page.context.close()


def test_a_failing_model_says_why_and_the_case_is_still_decided(
    browser: Browser, service_with_model: Service, stub: OpenAIStub
) -> None:
    stub.enqueue(*[StubReply(status=500)] * 3)
    page = signed_in_page(browser, service_with_model, "csm")
    try:
        upload_bundle(page, service_with_model.url, [SAMPLE / "msa.pdf"], "Model Down B.V.")
        expect(page.locator("#case-body")).not_to_have_attribute("aria-busy", "true")
        panel = page.locator("section.advisory")
        expect(panel).to_contain_text("AI unavailable: the endpoint failed (500)")
        expect(panel.locator(".ai-findings")).to_have_count(0)
        expect(page.locator("li.approval").first).to_be_visible()
    finally:
        page.context.close()
