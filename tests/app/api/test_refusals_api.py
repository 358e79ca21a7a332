"""Bad uploads over HTTP: each refused with its code and a sentence, nothing stored altered."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.settings import Settings
from tests.app.api.conftest import (
    MSA_TEXT,
    RecordingQueue,
    api_client,
    encrypted_pdf,
    scanned_pdf,
    snapshot,
    text_file,
    text_pdf,
)

# (name of the upload, its bytes, the refusal code, the HTTP status).
BAD_UPLOADS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "empty": ("empty.pdf", lambda: b"", "empty_file"),
    "random bytes": ("contract.pdf", lambda: random.Random(7).randbytes(4096), "unsupported_type"),
    "encrypted": ("locked.pdf", encrypted_pdf, "encrypted"),
    "scanned": ("scan.pdf", scanned_pdf, "no_text_layer"),
    "truncated": (
        "cut.pdf",
        lambda: text_pdf(["An agreement of the parties."] * 3)[:600],
        "corrupt",
    ),
    "html": (
        "msa.pdf",
        lambda: b"<!DOCTYPE html><html><body>404</body></html>",
        "unsupported_type",
    ),
    "too many pages": (
        "long.pdf",
        lambda: text_pdf(["A page of the agreement."] * 4),
        "too_many_pages",
    ),
}


@pytest.fixture
def small_limits(settings: Settings) -> Settings:
    """Caps that small files pass: 3 pages, 20 kB a document."""
    return settings.model_copy(update={"max_pages": 3, "max_upload_mb": 0.02})


@pytest.fixture
def limited(small_limits: Settings) -> Iterator[TestClient]:
    with api_client(small_limits, RecordingQueue) as client:
        yield client


@pytest.fixture
def existing_case(limited: TestClient) -> str:
    """A stored case whose documents must survive every refused upload untouched."""
    response = limited.post("/v1/cases", files=[text_file()], data={"reference": "Harbor"})
    assert response.status_code == 202
    case_id: str = response.json()["case_id"]
    return case_id


def _assert_refused(response: Any, code: str, status: int, filename: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert problem["status"] == status
    assert problem["detail"].endswith(".") and len(problem["detail"]) > 10
    assert problem["documents"] == [
        {"filename": filename, "code": code, "detail": problem["detail"]}
    ]


@pytest.mark.parametrize("kind", list(BAD_UPLOADS))
def test_bad_upload_is_refused_with_its_code_and_nothing_is_stored(
    limited: TestClient, small_limits: Settings, existing_case: str, kind: str
) -> None:
    filename, build, code = BAD_UPLOADS[kind]
    data = build()
    before = snapshot(limited, small_limits)

    # A new case: the good document beside the bad one is not stored either.
    response = limited.post(
        "/v1/cases",
        files=[
            text_file(MSA_TEXT + b"Another order.\n"),
            ("files", (filename, data, "application/pdf")),
        ],
    )
    _assert_refused(response, code, 422, filename)
    assert snapshot(limited, small_limits) == before

    # An existing case: its documents, status and decision stay as they were.
    response = limited.post(
        f"/v1/cases/{existing_case}/documents",
        files=[("files", (filename, data, "application/pdf"))],
    )
    _assert_refused(response, code, 422, filename)
    assert snapshot(limited, small_limits) == before


def test_several_refusals_name_every_document(limited: TestClient, small_limits: Settings) -> None:
    before = snapshot(limited, small_limits)
    response = limited.post(
        "/v1/cases",
        files=[
            ("files", ("a.pdf", b"", "application/pdf")),
            ("files", ("b.pdf", scanned_pdf(), "application/pdf")),
        ],
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "uploads_refused"
    assert [(d["filename"], d["code"]) for d in problem["documents"]] == [
        ("a.pdf", "empty_file"),
        ("b.pdf", "no_text_layer"),
    ]
    assert snapshot(limited, small_limits) == before


def test_an_oversized_document_is_413_before_the_body_is_read(
    limited: TestClient, small_limits: Settings, existing_case: str
) -> None:
    before = snapshot(limited, small_limits)
    big = MSA_TEXT * 400  # about 100 kB, five times the 20 kB cap
    for url in ("/v1/cases", f"/v1/cases/{existing_case}/documents"):
        response = limited.post(url, files=[("files", ("big.txt", big, "text/plain"))])
        assert response.status_code == 413, response.text
        assert response.json()["code"] == "too_large"
        assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(limited, small_limits) == before


def test_the_document_cap_holds_on_a_chunked_body_without_a_content_length(
    limited: TestClient, small_limits: Settings
) -> None:
    boundary = "triage-boundary"

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        for _ in range(100):  # 100 kB: under the request cap, over the 20 kB document cap
            yield b"a" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    before = snapshot(limited, small_limits)
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    response = limited.post("/v1/cases", content=body(), headers=headers)
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    problem = response.json()
    assert problem["code"] == "too_large"
    assert problem["filename"] == "big.txt"
    assert problem["limit_bytes"] == 20_000
    assert snapshot(limited, small_limits) == before


def test_a_declared_length_over_the_request_cap_is_refused_unread(limited: TestClient) -> None:
    headers = {
        "Content-Type": "multipart/form-data; boundary=x",
        "Content-Length": str(10**9),
    }
    response = limited.post("/v1/cases", content=b"--x--\r\n", headers=headers)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_too_many_files_are_refused(limited: TestClient, small_limits: Settings) -> None:
    before = snapshot(limited, small_limits)
    files = [text_file(MSA_TEXT + f"{n}".encode(), f"doc{n}.txt") for n in range(21)]
    response = limited.post("/v1/cases", files=files)
    assert response.status_code == 422
    assert response.json()["code"] == "too_many_files"
    assert snapshot(limited, small_limits) == before


def test_a_full_queue_is_503_with_retry_after(settings: Settings) -> None:
    full = settings.model_copy(update={"max_queued_jobs": 1})
    with api_client(full, RecordingQueue) as client:
        assert client.post("/v1/cases", files=[text_file()]).status_code == 202
        before = snapshot(client, full)
        for headers in ({}, {"Idempotency-Key": "full-queue"}):
            response = client.post("/v1/cases", files=[text_file(MSA_TEXT + b"x")], headers=headers)
            assert response.status_code == 503
            assert response.json()["code"] == "queue_full"
            assert int(response.headers["retry-after"]) > 0
        assert snapshot(client, full) == before  # the 503 was not kept for the key either
