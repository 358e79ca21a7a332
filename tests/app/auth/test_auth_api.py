"""Through the API: who is refused (401, 403) and why, who uploaded, whose Idempotency-Keys."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import Role
from app.auth.service import disable_user, revoke_token
from app.db import session_scope
from app.models import Case
from tests.app.api.conftest import (
    MSA_TEXT,
    SOW_TEXT,
    bearer,
    count_cases,
    engine_of,
    issue_test_token,
    text_file,
    user_id,
)


def _token(client: TestClient, email: str, *roles: Role) -> dict[str, str]:
    return bearer(issue_test_token(engine_of(client), email=email, roles=roles))


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == status
    return body


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        ("", "Send an API token: Authorization: Bearer <token>."),
        ("Bearer", "Send an API token: Authorization: Bearer <token>."),
        ("Bearer   ", "Send an API token: Authorization: Bearer <token>."),
        ("Basic YW5hOnNlY3JldA==", "Send an API token: Authorization: Bearer <token>."),
        ("Bearer tri_not-a-token-anyone-was-given", "The token is not valid."),
    ],
)
def test_without_a_valid_token_it_is_401_with_a_bearer_challenge(
    client: TestClient, authorization: str, detail: str
) -> None:
    for method, url in (("GET", "/v1/cases"), ("POST", "/v1/cases"), ("GET", "/v1/jobs/x")):
        response = client.request(method, url, headers={"Authorization": authorization})
        body = _problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == "Bearer"
        assert body["detail"] == detail
        assert body["title"] == "Sign in first"
    assert count_cases(client) == 0


def test_a_revoked_token_and_a_disabled_user_are_401(client: TestClient) -> None:
    revoked = issue_test_token(engine_of(client), email="ana@example.com", roles=(Role.CSM,))
    ben = _token(client, "ben@example.com", Role.CSM)
    with session_scope(engine_of(client)) as session:
        revoke_token(session=session, token=revoked)
    assert client.get("/v1/cases", headers=bearer(revoked)).status_code == 401
    assert client.get("/v1/cases", headers=ben).status_code == 200
    with session_scope(engine_of(client)) as session:
        disable_user(session=session, email="ben@example.com")
    response = client.get("/v1/cases", headers=ben)
    assert _problem(response, 401, "unauthenticated")["detail"] == "The token has been revoked."
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_probes_and_the_docs_need_no_token(client: TestClient) -> None:
    client.headers.pop("Authorization")
    for url in ("/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/redoc"):
        assert client.get(url).status_code == 200, url


def test_a_role_that_may_not_is_403_with_the_reason_and_nothing_is_stored(
    client: TestClient,
) -> None:
    legal = _token(client, "lea@example.com", Role.LEGAL)
    refused = client.post("/v1/cases", files=[text_file()], headers=legal)
    body = _problem(refused, 403, "forbidden")
    assert body["detail"] == "This needs the role csm or admin; you have legal."
    assert body["required_roles"] == ["admin", "csm"]
    assert count_cases(client) == 0
    replay = client.post("/v1/rules/replay", headers=_token(client, "c@example.com", Role.CSM))
    assert _problem(replay, 403, "forbidden")["detail"] == (
        "This needs the role admin; you have csm."
    )
    # Reading is every role's.
    assert client.get("/v1/cases", headers=legal).status_code == 200


def test_an_upload_records_who_uploaded_the_case(client: TestClient) -> None:
    ana = _token(client, "ana@example.com", Role.CSM)
    ben = _token(client, "ben@example.com", Role.CSM)
    case_id = client.post("/v1/cases", files=[text_file()], headers=ana).json()["case_id"]
    added = client.post(
        f"/v1/cases/{case_id}/documents", files=[text_file(SOW_TEXT, "sow.txt")], headers=ben
    )
    assert added.status_code == 202
    with Session(engine_of(client)) as session:
        case = session.exec(select(Case)).one()
    # The uploader is who opened the case; adding documents does not change it.
    assert case.uploaded_by == user_id(client, "ana@example.com")


def test_two_callers_with_the_same_key_never_share_an_answer(client: TestClient) -> None:
    key = {"Idempotency-Key": "crm-deal-42"}
    ana = {**_token(client, "ana@example.com", Role.CSM), **key}
    ben = {**_token(client, "ben@example.com", Role.CSM), **key}
    first = client.post("/v1/cases", files=[text_file()], headers=ana)
    other = client.post("/v1/cases", files=[text_file()], headers=ben)
    assert first.status_code == other.status_code == 202
    assert first.json()["case_id"] != other.json()["case_id"]
    assert "idempotent-replayed" not in other.headers
    again = client.post("/v1/cases", files=[text_file()], headers=ana)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["case_id"] == first.json()["case_id"]
    # Ben's key with another body is his own key: no "reused" refusal from Ana's request.
    refused = client.post("/v1/cases", files=[text_file(MSA_TEXT + b"x")], headers=ben)
    assert _problem(refused, 422, "idempotency_key_reused")
    assert count_cases(client) == 2

    facts: dict[str, Any] = {"facts": {"commercial": {}}}
    mine = client.post("/v1/recommendations", json=facts, headers=ana)
    theirs = client.post("/v1/recommendations", json=facts, headers=ben)
    assert mine.status_code == theirs.status_code == 200
    assert "idempotent-replayed" not in theirs.headers


def test_separation_of_duties_through_the_api(client: TestClient) -> None:
    # Ana holds csm and legal: she uploads, and she approves for legal, but not her own case.
    ana = _token(client, "ana@example.com", Role.CSM, Role.LEGAL)
    ben = _token(client, "ben@example.com", Role.CSM)
    own = client.post("/v1/cases", files=[text_file()], headers=ana).json()["case_id"]
    other = client.post("/v1/cases", files=[text_file(MSA_TEXT + b"Ben's.\n")], headers=ben).json()[
        "case_id"
    ]

    refused = client.post(f"/v1/cases/{own}/approvals/legal", headers=ana)
    body = _problem(refused, 403, "forbidden")
    assert body["detail"] == "You uploaded this case, so someone else must approve it."
    assert body["case_id"] == own
    assert client.post(f"/v1/cases/{other}/approvals/legal", headers=ana).status_code not in {
        401,
        403,
    }
    # Only the approval's own role decides it.
    finance = client.post(f"/v1/cases/{other}/approvals/finance", headers=ana)
    assert _problem(finance, 403, "forbidden")["detail"].startswith(
        "Only a user with the role finance can act for it"
    )
    # Admin is no approver, and holding legal too does not lift the rule on its own upload.
    root = _token(client, "root@example.com", Role.ADMIN)
    assert client.post(f"/v1/cases/{other}/approvals/legal", headers=root).status_code == 403
    root_legal = _token(client, "root-legal@example.com", Role.ADMIN, Role.LEGAL, Role.CSM)
    mine = client.post(
        "/v1/cases", files=[text_file(MSA_TEXT + b"Root's.\n")], headers=root_legal
    ).json()["case_id"]
    assert client.post(f"/v1/cases/{mine}/approvals/legal", headers=root_legal).status_code == 403
    assert client.post(f"/v1/cases/{own}/approvals/legal", headers=root_legal).status_code not in {
        401,
        403,
    }
