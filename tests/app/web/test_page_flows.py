"""The pages' forms without a browser script: upload, correct, approve, read, filter, KPIs."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.app.api.conftest import count_cases, scanned_pdf
from tests.app.web.conftest import Browserish

CLEAN = (
    b"ORDER FORM\nCustomer: Harbor Bakery LLC, 12 Water Street, Albany, NY 12207, USA\n"
    b"Provider: Nimbus Cloud Inc.\nAnnual fees: USD 4,800.\nTerm: 12 months.\n"
    b"Payment: net 30 days from invoice.\n"
    b"This Order Form is governed by the laws of the State of New York.\n"
)
RISKY = CLEAN.replace(b"net 30 days", b"net 90 days").replace(b"State of New York", b"Netherlands")


def _upload(pages: Browserish, data: bytes, reference: str, key: str = "") -> Any:
    return pages.client.post(
        "/cases/new",
        data={"csrf_token": pages.token, "reference": reference, "idempotency_key": key},
        files=[("files", (f"{reference}.txt", data))],
        follow_redirects=False,
    )


def _case_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    return str(response.headers["location"].rsplit("/", 1)[1])


def _api_case(client: TestClient, case_id: str, token: str) -> dict[str, Any]:
    del token
    response = client.get(f"/v1/cases/{case_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_uploading_with_the_form_makes_one_case_even_when_sent_twice(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    first = _case_id(_upload(pages, CLEAN, "Harbor Bakery LLC", key="form-key-1"))
    again = _case_id(_upload(pages, CLEAN, "Harbor Bakery LLC", key="form-key-1"))
    assert again == first
    assert count_cases(pages.client) == 1
    page = pages.client.get(f"/cases/{first}")
    case = _api_case(pages.client, first, pages.token)
    assert case["summary"] in page.text
    assert case["metadata"] == {}


def test_deal_details_are_kept_on_the_case(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    response = pages.client.post(
        "/cases/new",
        data={
            "csrf_token": pages.token,
            "reference": "Deal Ltd",
            "crm_id": "OPP-42",
            "close_date": "2026-11-30",
            "notes": "",
        },
        files=[("files", ("order.txt", CLEAN))],
        follow_redirects=False,
    )
    case = _api_case(pages.client, _case_id(response), pages.token)
    assert case["metadata"] == {"crm_id": "OPP-42", "close_date": "2026-11-30"}
    assert case["reference"] == "Deal Ltd"


def test_a_refused_upload_is_a_page_that_names_the_file_and_stores_nothing(
    pages: Browserish,
) -> None:
    pages.sign_in("csm@example.com")
    response = pages.client.post(
        "/cases/new",
        data={"csrf_token": pages.token, "reference": "Scan"},
        files=[("files", ("scan.pdf", scanned_pdf())), ("files", ("ok.txt", CLEAN))],
    )
    assert response.status_code == 422
    assert "scan.pdf" in response.text and "no_text_layer" in response.text
    assert count_cases(pages.client) == 0
    as_json = pages.client.post(
        "/cases/new",
        data={"csrf_token": pages.token},
        files=[("files", ("scan.pdf", scanned_pdf()))],
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 422
    assert as_json.json()["code"] == "no_text_layer"
    assert as_json.json()["documents"][0]["filename"] == "scan.pdf"


def test_adding_documents_triages_the_case_again(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    case_id = _case_id(_upload(pages, CLEAN, "Harbor"))
    before = _api_case(pages.client, case_id, pages.token)
    assert not before["approvals"]
    response = pages.client.post(
        f"/cases/{case_id}/documents",
        data={"csrf_token": pages.token},
        files=[("files", ("amendment.txt", RISKY))],
        follow_redirects=False,
    )
    assert response.status_code == 303
    after = _api_case(pages.client, case_id, pages.token)
    assert len(after["documents"]) == 2
    assert "finance" in {a["role"] for a in after["approvals"]}


def test_a_correction_decides_again_and_a_bad_value_says_why(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    case_id = _case_id(_upload(pages, CLEAN, "Harbor"))
    bad = pages.client.post(
        f"/cases/{case_id}/corrections",
        data={
            "csrf_token": pages.token,
            "path": "commercial.payment_terms_days",
            "value": "ninety",
            "reason": "typo",
        },
    )
    assert bad.status_code == 422
    assert "holds no number" in bad.text
    no_reason = pages.client.post(
        f"/cases/{case_id}/corrections",
        data={"csrf_token": pages.token, "path": "commercial.payment_terms_days", "value": "90"},
    )
    assert no_reason.status_code == 422 and "Say why the fact is wrong." in no_reason.text
    assert not _api_case(pages.client, case_id, pages.token)["approvals"]
    good = pages.client.post(
        f"/cases/{case_id}/corrections",
        data={
            "csrf_token": pages.token,
            "path": "commercial.payment_terms_days",
            "value": "90 days",
            "reason": "The countersigned copy says net 90.",
            "quote": "net 30 days from invoice",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"].endswith("#decision")
    case = _api_case(pages.client, case_id, pages.token)
    assert [a["role"] for a in case["approvals"]] == ["finance"]
    page = pages.client.get(good.headers["location"].split("#")[0])
    assert case["summary"] in page.text and "Corrected Payment terms" in page.text


def test_approving_through_the_page_and_the_uploader_refused(pages: Browserish) -> None:
    pages.sign_in("both@example.com")
    own = _case_id(_upload(pages, RISKY, "Own"))
    refused = pages.client.post(
        f"/cases/{own}/approvals/legal",
        data={"csrf_token": pages.token, "decision": "grant"},
    )
    assert refused.status_code == 403
    assert "You uploaded this case, so someone else must approve it." in refused.text
    page = pages.client.get(f"/cases/{own}")
    assert re.search(r'<button type="button" class="primary" disabled', page.text)

    pages.sign_in("legal@example.com")
    approvals = pages.client.get("/approvals")
    assert f'href="/cases/{own}"' in approvals.text
    done = pages.client.post(
        f"/cases/{own}/approvals/legal",
        data={
            "csrf_token": pages.token,
            "decision": "grant",
            "comment": "Fine.",
            "next": "/approvals",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith("/approvals?done=Legal%20approved.")
    legal = next(a for a in _api_case(pages.client, own, "")["approvals"] if a["role"] == "legal")
    assert legal["state"] == "granted" and legal["comment"] == "Fine."
    assert f'href="/cases/{own}"' not in pages.client.get("/approvals").text
    twice = pages.client.post(
        f"/cases/{own}/approvals/legal", data={"csrf_token": pages.token, "decision": "grant"}
    )
    assert twice.status_code == 409


def test_the_reader_refuses_what_the_case_does_not_have(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    case_id = _case_id(_upload(pages, CLEAN, "Harbor"))
    sha = _api_case(pages.client, case_id, "")["documents"][0]["sha256"]
    assert pages.client.get(f"/cases/{case_id}/documents/{sha[:16]}?page=1").status_code == 200
    assert pages.client.get(f"/cases/{case_id}/documents/{sha[:4]}").status_code == 404
    assert pages.client.get(f"/cases/{case_id}/documents/{'f' * 64}").status_code == 404
    beyond = pages.client.get(f"/cases/{case_id}/documents/{sha}?page=9")
    assert beyond.status_code == 422 and "there is no page 9" in beyond.text
    assert pages.client.get("/cases/nope").status_code == 404


def test_the_queue_filters(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    clean = _case_id(_upload(pages, CLEAN, "Clean Co"))
    pages.sign_in("both@example.com")
    risky = _case_id(_upload(pages, RISKY, "Risky Co"))

    def listed(query: str) -> set[str]:
        response = pages.client.get(f"/cases?{query}")
        assert response.status_code == 200, response.text
        return set(re.findall(r'href="/cases/([0-9a-f]{32})"', response.text))

    assert listed("") == {clean, risky}
    assert listed("mine=true") == {risky}
    assert listed("waiting_on_me=true") == {risky}
    assert listed("search=clean") == {clean}
    assert listed("status=&path=&tier=&search=") == {clean, risky}
    assert listed("path=assisted") | listed("path=standard") >= {risky}
    bad = pages.client.get("/cases?status=lost")
    assert bad.status_code == 422 and "status is one of" in bad.text
    partial = pages.client.get("/cases?search=risky", headers={"HX-Target": "queue-table"})
    assert partial.text.lstrip().startswith('<div id="queue-table">')


def test_the_kpis_follow_the_cases(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    _case_id(_upload(pages, CLEAN, "Clean Co"))
    risky = _case_id(_upload(pages, RISKY, "Risky Co"))
    kpis = pages.client.get("/v1/kpis?period=7d").json()
    assert kpis["cases"] == kpis["decided"] == 2
    assert kpis["first_pass_rate"] == 0.5
    assert kpis["automation_rate"] == 1.0
    assert kpis["cycle_time"]["count"] == 2
    assert kpis["exceptions_by_category"]["finance"] == 1
    assert kpis["exceptions_by_stage"]["decision"] == 1
    pages.sign_in("legal@example.com")
    pages.client.post(
        f"/cases/{risky}/approvals/legal", data={"csrf_token": pages.token, "decision": "grant"}
    )
    pages.client.post(
        f"/cases/{risky}/corrections",
        data={
            "csrf_token": pages.token,
            "path": "commercial.payment_terms_days",
            "value": "30",
            "reason": "Net 30 agreed by e-mail.",
        },
    )
    kpis = pages.client.get("/v1/kpis?period=all").json()
    legal = next(r for r in kpis["approvals"] if r["role"] == "legal")
    assert legal["decided"] == legal["granted"] == 1
    assert legal["turnaround"]["median_s"] is not None
    assert kpis["automation_rate"] == 0.5
    dashboard = pages.client.get("/dashboard?period=all")
    assert dashboard.status_code == 200 and "Approval turnaround by role" in dashboard.text
    assert (
        pages.client.get(
            "/v1/kpis?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"
        ).status_code
        == 422
    )
    assert pages.client.get("/dashboard?period=year").status_code == 422


def test_empty_pages_say_what_to_do(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    queue = pages.client.get("/cases")
    assert "No cases yet." in queue.text and 'href="/cases/new"' in queue.text
    approvals = pages.client.get("/approvals")
    assert "You hold no approval role" in approvals.text
    dashboard = pages.client.get("/dashboard")
    assert "No case was uploaded in this period." in dashboard.text
    pages.sign_in("legal@example.com")
    assert "Nothing waits for your approval." in pages.client.get("/approvals").text
    assert "Upload the first bundle" not in pages.client.get("/cases").text
