"""``triage run --server URL``: the same command as a client of a running service.

The service is warm (parsers, clause model and rules engine loaded), so a bundle is read and
decided in a fraction of what a one-off process needs to start; the case lives in the
service's database, and the terminal shows the same case view the API returns.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from app.errors import TriageError
from extractors.ingest import read_upload_file

if TYPE_CHECKING:
    from app.views.case_view import CaseView

# How often the case is asked for while the service works on it.
_POLL_S = 0.05
# States of a case the service is still working on: while the case is in one of them its
# view is not read. The case view and the database models it is defined with take longer
# to import than the service takes to decide, so they are imported while it works.
_WORKING = frozenset({"received", "queued", "processing"})


class RemoteError(TriageError):
    """The service answered with a problem, or did not answer."""

    code = "remote_error"
    status = 502
    title = "The service refused or did not answer"

    def __init__(self, detail: str, *, code: str, status: int) -> None:
        super().__init__(detail, remote_code=code, remote_status=status)
        self.code = code
        self.status = status


def _problem(response: httpx.Response) -> RemoteError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") or response.text[:200] or response.reason_phrase
    documents = body.get("documents") or []
    if documents:
        detail += " " + "; ".join(
            f"{d.get('filename')}: {d.get('code')}: {d.get('detail')}" for d in documents
        )
    return RemoteError(
        detail, code=str(body.get("code") or "http_error"), status=response.status_code
    )


def triage_remotely(
    *,
    server: str,
    token: str | None,
    files: list[Path],
    reference: str | None,
    case_id: str | None,
    max_bytes: int,
    timeout_s: float = 600.0,
) -> CaseView:
    """Upload ``files`` to the service (as a new case or to ``case_id``) and wait for the case."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    parts = [("files", (path.name, read_upload_file(path, max_bytes))) for path in files]
    data = {"reference": reference} if reference and case_id is None else {}
    url = f"/v1/cases/{case_id}/documents" if case_id else "/v1/cases"
    try:
        with httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=60.0) as client:
            response = client.post(url, files=parts, data=data)
            if response.status_code != 202:
                raise _problem(response)
            location = response.json()["links"]["self"]
            deadline = time.monotonic() + timeout_s
            while True:
                answer = client.get(location)
                if answer.status_code != 200:
                    raise _problem(answer)
                body: dict[str, Any] = answer.json()
                if body.get("status") not in _WORKING:
                    view = _settled_view(body)
                    if view is not None:
                        return view
                if time.monotonic() > deadline:
                    raise RemoteError(
                        f"The case {body.get('id')} was not decided within {timeout_s:.0f} s.",
                        code="timeout",
                        status=504,
                    )
                time.sleep(_POLL_S)
    except httpx.HTTPError as error:
        raise RemoteError(
            f"The service at {server} did not answer ({error}).", code="unreachable", status=503
        ) from error


def _settled_view(body: dict[str, Any]) -> CaseView | None:
    """The case view of ``body`` if the case is settled or failed, else None."""
    from app.models import SETTLED_STATUSES, CaseStatus
    from app.views.case_view import CaseView

    view = CaseView.model_validate(body)
    if view.status in SETTLED_STATUSES or view.status is CaseStatus.FAILED:
        return view
    return None
