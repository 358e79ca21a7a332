"""The web pages in a real Chromium: what a success manager and an approver do each day."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.app.api.conftest import scanned_pdf
from tests.web.conftest import held_queue, signed_in_page
from tests.web.world import PEOPLE, SAMPLE, Service, sign_in, upload_bundle

pytestmark = pytest.mark.browser

CLEAN_ORDER = (
    "ORDER FORM\n\nCustomer: Harbor Bakery LLC, 12 Water Street, Albany, NY 12207, USA\n"
    "Provider: Nimbus Cloud Inc.\n\nPlan: Team, 10 seats at USD 40.00 per seat per month.\n"
    "Annual fees: USD 4,800.\nTerm: 12 months from the Effective Date.\n"
    "Payment: net 30 days from invoice.\n"
    "This Order Form is governed by the laws of the State of New York.\n"
)


def api(service: Service, who: str = "csm") -> httpx.Client:
    return httpx.Client(
        base_url=service.url,
        headers={"Authorization": f"Bearer {service.token(who)}"},
        timeout=60,
    )


def case_json(service: Service, case_id: str) -> dict[str, Any]:
    with api(service) as client:
        response = client.get(f"/v1/cases/{case_id}")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


def upload_via_api(
    service: Service, files: list[tuple[str, bytes]], reference: str, who: str
) -> str:
    """A decided case uploaded by ``who`` (set-up for the tests that act on one)."""
    with api(service, who) as client:
        response = client.post(
            "/v1/cases",
            files=[("files", (name, data)) for name, data in files],
            data={"reference": reference},
        )
        assert response.status_code == 202, response.text
        case_id: str = response.json()["case_id"]
        for _ in range(600):
            status = client.get(f"/v1/cases/{case_id}").json()["status"]
            if status not in {"received", "queued", "processing"}:
                return case_id
            time.sleep(0.1)
    pytest.fail(f"case {case_id} was not decided")


@pytest.fixture(scope="module")
def kepler(service: Service) -> str:
    """The bundled sample (MSA PDF + order form DOCX), uploaded by the success manager."""
    return upload_via_api(
        service,
        [(p.name, p.read_bytes()) for p in (SAMPLE / "msa.pdf", SAMPLE / "order_form.docx")],
        "Kepler Maritime B.V.",
        "csm",
    )


@pytest.fixture
def csm(browser: Browser, service: Service) -> Iterator[Page]:
    page = signed_in_page(browser, service, "csm")
    yield page
    page.context.close()


def test_sign_in_and_see_your_role(page: Page, service: Service) -> None:
    page.goto(f"{service.url}/cases")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/cases$"))
    page.get_by_label("E-mail").fill(PEOPLE["csm"].email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The e-mail or the password is not right.")
    sign_in(page, service.url, "csm")
    expect(page).to_have_url(re.compile(r"/cases$"))
    expect(page.locator(".who .badge.role")).to_have_text("Customer success")
    expect(page.get_by_role("link", name="Upload", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    page.goto(f"{service.url}/cases")
    expect(page).to_have_url(re.compile(r"/sign-in"))

    sign_in(page, service.url, "legal")
    # An approver starts with what waits for them, and is offered no upload.
    expect(page).to_have_url(re.compile(r"/approvals$"))
    expect(page.locator(".who .badge.role")).to_have_text("Legal")
    expect(page.get_by_role("link", name="Upload", exact=True)).to_have_count(0)


def test_upload_a_pdf_and_watch_the_triage_appear(csm: Page, service: Service) -> None:
    queue = held_queue(service)
    queue.held.set()
    try:
        case_path = upload_bundle(
            csm, service.url, [SAMPLE / "msa.pdf", SAMPLE / "order_form.docx"], "Upload Test B.V."
        )
        body = csm.locator("#case-body")
        expect(body).to_have_attribute("aria-busy", "true")
        expect(csm.locator(".steps [aria-current=step]")).to_have_text("Queued")
        csm.evaluate("window.sameDocument = true")
    finally:
        queue.release()
    expect(body).not_to_have_attribute("aria-busy", "true", timeout=120_000)
    # The page updated in place: no reload, no navigation.
    assert csm.evaluate("window.sameDocument") is True
    case = case_json(service, case_path.rsplit("/", 1)[1])
    assert case["status"] == "decided"
    expect(csm.locator("p.summary")).to_have_text(case["summary"])
    expect(csm.locator(".decision-line .path")).to_have_text(case["path"].capitalize())
    roles = [a["role"] for a in case["approvals"]]
    assert roles
    expect(csm.locator("li.approval")).to_have_count(len(roles))


def test_a_citation_opens_the_quote_highlighted_on_its_page(
    csm: Page, service: Service, kepler: str
) -> None:
    case = case_json(service, kepler)
    evidence = next(e for a in case["approvals"] for e in a["evidence"] if e["page"] > 1)
    csm.goto(f"{service.url}/cases/{kepler}")
    chip = csm.locator(f'li.approval a.cite[href*="start={evidence["start"]}&"]').first
    chip.click()
    expect(csm).to_have_url(re.compile(rf"page={evidence['page']}&"))
    expect(csm.locator("#page-number")).to_have_text(str(evidence["page"]))
    mark = csm.locator("mark#quote")
    expect(mark).to_be_in_viewport()
    shown = " ".join(mark.inner_text().split())
    assert shown == " ".join(evidence["quote"].split())
    # The same page of the document, not another one that happens to hold the words.
    other = 1 if evidence["page"] != 1 else 2
    csm.goto(csm.url.replace(f"page={evidence['page']}&", f"page={other}&"))
    expect(csm.locator("mark#quote")).to_have_count(0)
    expect(csm.get_by_text("The quote is not on this page.")).to_be_visible()


def test_correcting_a_fact_changes_the_decision(csm: Page, service: Service) -> None:
    case_id = upload_via_api(
        service, [("harbor-order.txt", CLEAN_ORDER.encode())], "Harbor Bakery LLC", "csm"
    )
    before = case_json(service, case_id)
    assert not before["approvals"], before["summary"]
    csm.goto(f"{service.url}/cases/{case_id}")
    expect(csm.locator("p.summary")).to_have_text(before["summary"])
    fact = csm.locator('.fact[data-path="commercial.payment_terms_days"]')
    fact.get_by_text("Correct", exact=True).click()
    fact.get_by_label("Right value").fill("90 days")
    fact.get_by_label("Why (required)").fill("The signed copy says net 90.")
    fact.get_by_role("button", name="Save and decide again").click()
    expect(csm).to_have_url(re.compile(r"done=.*#decision$"))
    after = case_json(service, case_id)
    assert "finance" in [a["role"] for a in after["approvals"]]
    expect(csm.locator("p.summary")).to_have_text(after["summary"])
    assert after["summary"] != before["summary"]
    expect(csm.locator('li.approval[data-role="finance"]')).to_be_visible()
    expect(csm.locator(".timeline")).to_contain_text("Corrected Payment terms")
    expect(csm.locator(".timeline")).to_contain_text("The signed copy says net 90.")


def test_an_approver_approves_for_their_role(
    browser: Browser, service: Service, kepler: str
) -> None:
    legal = signed_in_page(browser, service, "legal")
    try:
        legal.goto(f"{service.url}/approvals")
        card = legal.locator("section.waiting", has_text="Kepler Maritime B.V.")
        expect(card.locator("blockquote.clause").first).to_be_visible()
        card.get_by_label("Comment").fill("Carve-outs reviewed with the customer.")
        card.get_by_role("button", name="Approve").click()
        expect(legal.get_by_role("status").filter(has_text="Legal approved.")).to_be_visible()
        approval = next(a for a in case_json(service, kepler)["approvals"] if a["role"] == "legal")
        assert approval["state"] == "granted"
        assert approval["approver"] == PEOPLE["legal"].email
        assert approval["comment"] == "Carve-outs reviewed with the customer."
        legal.goto(f"{service.url}/cases/{kepler}")
        shown = legal.locator('li.approval[data-role="legal"]')
        expect(shown).to_contain_text(f"Granted by {PEOPLE['legal'].email}")
        expect(shown).to_contain_text("Carve-outs reviewed with the customer.")
        # Finance's approval is not legal's to decide: no button for it.
        expect(
            legal.locator('li.approval[data-role="finance"]').get_by_role("button", name="Approve")
        ).to_have_count(0)
    finally:
        legal.context.close()


def test_the_uploader_cannot_approve_their_own_case(browser: Browser, service: Service) -> None:
    case_id = upload_via_api(
        service,
        [("msa.pdf", (SAMPLE / "msa.pdf").read_bytes())],
        "Own Upload GmbH",
        "csm_legal",
    )
    page = signed_in_page(browser, service, "csm_legal")
    try:
        page.goto(f"{service.url}/cases/{case_id}")
        legal = page.locator('li.approval[data-role="legal"]')
        button = legal.get_by_role("button", name="Approve")
        expect(button).to_be_disabled()
        why = "You uploaded this case, so someone else must approve it."
        expect(legal.locator(".why-not")).to_have_text(why)
        assert button.get_attribute("aria-describedby") == legal.locator(".why-not").get_attribute(
            "id"
        )
        # Sending the form anyway (as a hand-made request) is refused with the same reason.
        token = page.locator('input[name="csrf_token"]').first.input_value()
        response = page.request.post(
            f"{service.url}/cases/{case_id}/approvals/legal",
            form={"decision": "grant", "comment": "mine", "csrf_token": token},
            headers={"Origin": service.url},
        )
        assert response.status == 403
        assert why in response.text()
        approval = next(a for a in case_json(service, case_id)["approvals"] if a["role"] == "legal")
        assert approval["state"] == "pending"
    finally:
        page.context.close()


def test_a_refused_upload_says_exactly_why(csm: Page, service: Service, tmp_path: Path) -> None:
    scan = tmp_path / "signed-scan.pdf"
    scan.write_bytes(scanned_pdf())
    with api(service) as client:
        before = len(client.get("/v1/cases", params={"limit": 200}).json()["items"])
    csm.goto(f"{service.url}/cases/new")
    csm.get_by_label("Customer", exact=True).fill("Scanned Co")
    csm.locator("#files").set_input_files([str(scan), str(SAMPLE / "msa.pdf")])
    expect(csm.locator(".chosen li")).to_have_count(2)
    csm.get_by_role("button", name="Upload and triage").click()
    alert = csm.locator("#flash [role=alert]")
    expect(alert).to_contain_text("signed-scan.pdf")
    expect(alert).to_contain_text("no_text_layer")
    expect(csm).to_have_url(re.compile(r"/cases/new$"))
    # Nothing was stored, and the form still holds the files to try again.
    with api(service) as client:
        assert len(client.get("/v1/cases", params={"limit": 200}).json()["items"]) == before
    expect(csm.get_by_role("button", name="Upload and triage")).to_be_enabled()


def test_the_dashboard_renders_with_data(browser: Browser, service: Service, kepler: str) -> None:
    page = signed_in_page(browser, service, "executive")
    try:
        page.goto(f"{service.url}/dashboard?period=all")
        with api(service) as client:
            kpis = client.get("/v1/kpis", params={"period": "all"}).json()
        assert kpis["cases"] >= 1
        tiles = page.locator(".tile")
        expect(tiles.first.locator(".tile-value")).to_have_text(str(kpis["cases"]))
        charts = page.locator("svg.chart")
        assert charts.count() >= 3
        label = page.locator('svg.chart[aria-label^="Exceptions by category"]').get_attribute(
            "aria-label"
        )
        assert label is not None
        for role, count in kpis["exceptions_by_category"].items():
            assert f"{role} {count}" in label
        rows = page.locator("table.numbers tbody tr")
        expect(rows).to_have_count(5)
        page.get_by_role("link", name="7 days").click()
        expect(page).to_have_url(re.compile(r"period=7d$"))
    finally:
        page.context.close()


def test_the_queue_filters_and_searches(csm: Page, service: Service, kepler: str) -> None:
    upload_via_api(service, [("harbor.txt", CLEAN_ORDER.encode())], "Harbor Search LLC", "csm")
    csm.goto(f"{service.url}/cases")
    csm.get_by_label("Customer").fill("kepler")
    rows = csm.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kepler Maritime B.V.")
    expect(csm).to_have_url(re.compile(r"search=kepler"))
    csm.get_by_label("Customer").fill("no such customer")
    expect(csm.get_by_text("No case matches these filters.")).to_be_visible()
    csm.get_by_label("Customer").fill("")
    csm.get_by_label("Path").select_option("assisted")
    expect(rows.first).to_be_visible()
    for text in rows.locator("td:nth-child(3)").all_inner_texts():
        assert text == "Assisted"


def test_every_field_has_a_label_and_the_keyboard_reaches_the_citations(
    csm: Page, service: Service, kepler: str
) -> None:
    errors: list[str] = []
    csm.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    for path in ("/cases", "/cases/new", f"/cases/{kepler}", "/dashboard", "/approvals"):
        csm.goto(f"{service.url}{path}")
        unlabelled = csm.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length)
                        && !e.getAttribute('aria-label'))
                .map(e => e.name || e.id)"""
        )
        assert unlabelled == [], (path, unlabelled)
        assert csm.locator("h1").count() == 1, path
    csm.goto(f"{service.url}/cases/{kepler}")
    for _ in range(60):
        csm.keyboard.press("Tab")
        if csm.evaluate("document.activeElement.classList.contains('cite')"):
            break
    else:
        pytest.fail("no citation reached with the keyboard")
    csm.keyboard.press("Enter")
    expect(csm.locator("mark#quote")).to_be_visible()
    # Nothing the pages need is blocked by their own Content-Security-Policy.
    assert errors == []
