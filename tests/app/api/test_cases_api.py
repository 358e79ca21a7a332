"""Cases over HTTP: upload a bundle, read the triage, add documents, list, download, jobs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from app.api.routes.documents import content_disposition
from tests.app.api.conftest import (
    MSA_TEXT,
    SAMPLE,
    SOW_TEXT,
    count_cases,
    sample_files,
    snapshot,
    submitted_jobs,
    text_file,
)


def test_the_sample_bundle_is_accepted_then_decided_with_its_approvals(client: TestClient) -> None:
    response = client.post(
        "/v1/cases",
        files=sample_files(),
        data={"reference": "Kepler Maritime B.V.", "metadata": json.dumps({"crm_id": "0061x"})},
    )
    assert response.status_code == 202, response.text
    accepted = response.json()
    case_id = accepted["case_id"]
    assert response.headers["location"] == f"/v1/cases/{case_id}"
    assert accepted["created"] is True
    assert accepted["links"]["self"] == f"/v1/cases/{case_id}"
    assert accepted["links"]["job"] == f"/v1/jobs/{accepted['job_id']}"
    assert [d["filename"] for d in accepted["documents"]] == ["msa.pdf", "order_form.docx"]

    view = client.get(response.headers["location"])
    assert view.status_code == 200
    case = view.json()
    assert case["status"] == "decided"
    assert case["path"] == "assisted"
    assert [a["role"] for a in case["approvals"]] == ["legal", "finance", "security", "tax"]
    assert case["summary"].startswith("Assisted: legal, finance, security and tax must approve")
    assert case["reference"] == "Kepler Maritime B.V."
    assert case["metadata"] == {"crm_id": "0061x"}
    assert [(d["filename"], d["status"]) for d in case["documents"]] == [
        ("msa.pdf", "ingested"),
        ("order_form.docx", "ingested"),
    ]
    assert case["job"]["status"] == "done"

    job = client.get(accepted["links"]["job"]).json()
    assert job["status"] == "done" and job["case_id"] == case_id
    assert job["links"] == {"self": accepted["links"]["job"], "case": f"/v1/cases/{case_id}"}

    # The original bytes come back as uploaded, typed from their content, safely named.
    original = client.get(accepted["links"]["documents"][0])
    assert original.status_code == 200
    assert original.content == (SAMPLE / "msa.pdf").read_bytes()
    assert original.headers["content-type"] == "application/pdf"
    assert original.headers["content-disposition"].startswith('attachment; filename="msa.pdf"')
    assert original.headers["x-content-type-options"] == "nosniff"


def test_adding_documents_retriages_the_case_through_a_new_job(queued_client: TestClient) -> None:
    client = queued_client
    first = client.post("/v1/cases", files=[text_file()], data={"reference": "Harbor"}).json()
    case_id = first["case_id"]

    added = client.post(
        f"/v1/cases/{case_id}/documents",
        files=[text_file(), text_file(SOW_TEXT, "sow.txt")],
    )
    assert added.status_code == 202, added.text
    body = added.json()
    assert body["case_id"] == case_id and body["created"] is False
    assert body["job_id"] != first["job_id"]
    assert body["status"] == "queued"
    # The MSA's bytes were already on the case: kept once, the SOW is new.
    assert [(d["filename"], d["already_stored"]) for d in body["documents"]] == [
        ("msa.txt", True),
        ("sow.txt", False),
    ]
    assert body["documents"][0]["id"] == first["documents"][0]["id"]
    case = client.get(f"/v1/cases/{case_id}").json()
    assert [d["filename"] for d in case["documents"]] == ["msa.txt", "sow.txt"]
    assert case["reference"] == "Harbor"
    assert submitted_jobs(client) == [first["job_id"], body["job_id"]]
    assert count_cases(client) == 1


def test_adding_to_an_unknown_case_is_404_and_stores_nothing(
    queued_client: TestClient, settings: object
) -> None:
    client = queued_client
    before = snapshot(client, settings)  # type: ignore[arg-type]
    response = client.post("/v1/cases/nope/documents", files=[text_file()])
    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"
    assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(client, settings) == before  # type: ignore[arg-type]


def test_reference_and_metadata_are_checked(queued_client: TestClient) -> None:
    client = queued_client
    invalid = client.post("/v1/cases", files=[text_file()], data={"metadata": "{not json"})
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid_request"
    assert invalid.json()["field"] == "metadata"
    not_object = client.post("/v1/cases", files=[text_file()], data={"metadata": "[1, 2]"})
    assert not_object.status_code == 422 and not_object.json()["code"] == "invalid_request"
    too_long = client.post("/v1/cases", files=[text_file()], data={"reference": "x" * 201})
    assert too_long.status_code == 422 and too_long.json()["field"] == "reference"
    unknown = client.post("/v1/cases", files=[text_file()], data={"owner": "ana"})
    assert unknown.status_code == 422 and unknown.json()["fields"] == ["owner"]
    no_files = client.post("/v1/cases", data={"reference": "x"}, files=[("other", ("a", b"x"))])
    assert no_files.status_code == 422
    not_multipart = client.post("/v1/cases", json={"files": []})
    assert not_multipart.status_code == 415
    assert not_multipart.json()["code"] == "unsupported_media_type"
    assert count_cases(client) == 0


def test_cases_are_listed_newest_first_filtered_and_paged_by_cursor(
    queued_client: TestClient,
) -> None:
    client = queued_client
    ids = []
    for index in range(5):
        reference = f"ACME-{index}" if index % 2 == 0 else f"Globex-{index}"
        body = text_file(MSA_TEXT + f"Order {index}.\n".encode())
        ids.append(client.post("/v1/cases", files=[body], data={"reference": reference}).json())
    newest_first = [item["case_id"] for item in reversed(ids)]

    seen: list[str] = []
    cursor = None
    for _ in range(3):
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/v1/cases", params=params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == newest_first
    assert cursor is None

    item = client.get("/v1/cases", params={"limit": 1}).json()["items"][0]
    assert set(item) == {
        "id",
        "reference",
        "status",
        "path",
        "tier",
        "summary",
        "approvals",
        "created_at",
        "href",
    }
    assert item["summary"].startswith("Queued")

    prefix = client.get("/v1/cases", params={"reference_prefix": "ACME-"}).json()["items"]
    assert [i["reference"] for i in prefix] == ["ACME-4", "ACME-2", "ACME-0"]
    exact = client.get("/v1/cases", params={"reference": "Globex-3"}).json()["items"]
    assert [i["reference"] for i in exact] == ["Globex-3"]
    assert client.get("/v1/cases", params={"reference": "ACME"}).json()["items"] == []
    queued = client.get("/v1/cases", params=[("status", "queued"), ("status", "decided")])
    assert len(queued.json()["items"]) == 5
    assert client.get("/v1/cases", params={"status": "decided"}).json()["items"] == []
    assert client.get("/v1/cases", params={"path": "assisted"}).json()["items"] == []
    assert client.get("/v1/cases", params={"tier": 2}).json()["items"] == []

    now = datetime.now(UTC)
    later = client.get(
        "/v1/cases", params={"created_after": (now + timedelta(hours=1)).isoformat()}
    )
    assert later.json()["items"] == []
    earlier = client.get(
        "/v1/cases", params={"created_before": (now + timedelta(hours=1)).isoformat()}
    )
    assert len(earlier.json()["items"]) == 5

    for bad in ({"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}, {"status": "done"}):
        refused = client.get("/v1/cases", params=bad)
        assert refused.status_code == 422, bad
        assert refused.json()["code"] == "invalid_request"


def test_decided_cases_are_found_by_path_and_tier(client: TestClient) -> None:
    case_id = client.post("/v1/cases", files=sample_files()).json()["case_id"]
    by_path = client.get("/v1/cases", params={"path": "assisted"}).json()["items"]
    assert [i["id"] for i in by_path] == [case_id]
    assert by_path[0]["approvals"] == ["legal", "finance", "security", "tax"]
    tier = by_path[0]["tier"]
    assert [i["id"] for i in client.get("/v1/cases", params={"tier": tier}).json()["items"]] == [
        case_id
    ]
    assert client.get("/v1/cases", params={"path": "self_serve"}).json()["items"] == []


def test_unknown_case_document_and_job_are_problems(queued_client: TestClient) -> None:
    client = queued_client
    case_id = client.post("/v1/cases", files=[text_file()]).json()["case_id"]
    for url, code in (
        ("/v1/cases/nope", "case_not_found"),
        (f"/v1/cases/{case_id}/documents/999", "document_not_found"),
        ("/v1/cases/nope/documents/1", "document_not_found"),
        ("/v1/jobs/nope", "job_not_found"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == code
        assert response.json()["instance"] == url


def test_a_document_name_cannot_inject_headers(queued_client: TestClient) -> None:
    nasty = content_disposition('evil"\r\nSet-Cookie: a=b;..\\..\\x.txt', "document-1")
    assert "\r" not in nasty and "\n" not in nasty and nasty.count('"') == 2
    assert nasty.startswith('attachment; filename="x.txt"')
    assert content_disposition(None, "document-7").startswith('attachment; filename="document-7"')

    accepted = queued_client.post("/v1/cases", files=[text_file(name="contrat été.txt")]).json()
    response = queued_client.get(accepted["links"]["documents"][0])
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="contrat _t_.txt"')
    assert disposition.endswith("filename*=UTF-8''contrat%20%C3%A9t%C3%A9.txt")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.content == MSA_TEXT
