"""The API as deployed: uvicorn on 127.0.0.1, the default job queue, a real HTTP client."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from app.api.main import create_app
from app.settings import Settings
from tests.app.api.conftest import (
    SAMPLE,
    SOW_TEXT,
    RecordingQueue,
    auth_headers,
    running_server,
    sample_files,
    wait_for,
)

SETTLED = {"decided", "needs_information", "ready_for_provisioning", "returned", "failed"}


def _settled(http: httpx.Client, case_url: str, job_id: str) -> dict[str, Any]:
    """The case once the job ``job_id`` has decided it."""
    view: dict[str, Any] = {}

    def done() -> bool:
        view.update(http.get(case_url).json())
        job = view.get("job") or {}
        return view["status"] in SETTLED and job.get("id") == job_id

    wait_for(done, timeout_s=120)
    return view


def test_upload_poll_and_add_a_document_over_http(settings: Settings) -> None:
    """Upload the sample, poll until the background worker decides it, then add a document."""
    app = create_app(settings)  # the default queue: workers in this process
    headers = auth_headers(settings)
    with (
        running_server(app) as base,
        httpx.Client(base_url=base, timeout=60, headers=headers) as http,
    ):
        response = http.post(
            "/v1/cases",
            files=sample_files(),
            data={"reference": "Kepler Maritime B.V."},
            headers={"Idempotency-Key": "kepler-1"},
        )
        assert response.status_code == 202, response.text
        accepted = response.json()
        assert accepted["status"] in {"queued", "processing", "decided"}
        case_url = response.headers["location"]

        case = _settled(http, case_url, accepted["job_id"])
        assert case["status"] == "decided"
        assert case["path"] == "assisted"
        assert [a["role"] for a in case["approvals"]] == ["legal", "finance", "security", "tax"]
        assert [d["filename"] for d in case["documents"]] == ["msa.pdf", "order_form.docx"]
        job = http.get(accepted["links"]["job"]).json()
        assert job["status"] == "done" and job["attempts"] == 1

        original = http.get(accepted["links"]["documents"][1])
        assert original.content == (SAMPLE / "order_form.docx").read_bytes()

        # A retry with the key replays the answer: still one case.
        retry = http.post(
            "/v1/cases",
            files=sample_files(),
            data={"reference": "Kepler Maritime B.V."},
            headers={"Idempotency-Key": "kepler-1"},
        )
        assert retry.json()["case_id"] == accepted["case_id"]
        assert retry.headers["idempotent-replayed"] == "true"
        assert len(http.get("/v1/cases").json()["items"]) == 1

        # A statement of work added: the case is decided again, with all three documents.
        added = http.post(
            f"{case_url}/documents",
            files=[
                ("files", ("order_form.docx", (SAMPLE / "order_form.docx").read_bytes())),
                ("files", ("sow.txt", SOW_TEXT, "text/plain")),
            ],
        )
        assert added.status_code == 202, added.text
        assert [d["already_stored"] for d in added.json()["documents"]] == [True, False]
        case = _settled(http, case_url, added.json()["job_id"])
        assert case["status"] == "decided"
        assert [d["filename"] for d in case["documents"]] == [
            "msa.pdf",
            "order_form.docx",
            "sow.txt",
        ]
        assert "legal" in [a["role"] for a in case["approvals"]]


def test_an_oversized_upload_is_answered_before_the_client_sends_it_all(
    settings: Settings,
) -> None:
    """The 413 arrives while most of the declared body is still unsent."""
    small = settings.model_copy(update={"max_upload_mb": 0.02})
    app = create_app(small, queue_factory=RecordingQueue)
    headers = auth_headers(small)
    with running_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            head = (
                "POST /v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: {headers['Authorization']}\r\n"
                "Content-Type: multipart/form-data; boundary=b\r\n"
                "Transfer-Encoding: chunked\r\n\r\n"
            )
            part = (
                b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
                b"Content-Type: text/plain\r\n\r\n"
            )
            sock.sendall(head.encode() + b"%x\r\n%s\r\n" % (len(part), part))
            for _ in range(40):  # 40 kB of a document whose cap is 20 kB; the rest never sent
                sock.sendall(b"%x\r\n%s\r\n" % (1000, b"a" * 1000))
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"application/problem+json" in answer

        # A declared length over the request cap is refused from the headers alone.
        with httpx.Client(base_url=base, headers=headers) as http:
            response = http.post(
                "/v1/cases",
                files=[("files", ("big.txt", b"a" * 30_000, "text/plain"))],
            )
            assert response.status_code == 413
            assert response.json()["code"] == "too_large"
            assert http.get("/v1/cases").json()["items"] == []
