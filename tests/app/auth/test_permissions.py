"""The permission table: every route is in it, it says what the policy says, it is enforced."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from app.api.deps import Authorized, authorize_request
from app.api.main import create_app
from app.auth.models import APPROVER_ROLES, Role, User
from app.auth.permissions import (
    ADMINS,
    EVERYONE,
    PERMISSIONS,
    PUBLIC,
    UPLOADERS,
    CaseRule,
    Permission,
    authorize,
    authorize_case_action,
    authorize_roles,
    permission_for,
)
from app.auth.service import ForbiddenError
from app.models import Case
from app.settings import Settings
from app.web.security import PageAuthorized, page_user
from tests.app.api.conftest import RecordingQueue, api_client, bearer, engine_of, issue_test_token
from tests.app.auth.routes import Operation, app_operations

APPROVE = ("POST", "/v1/cases/{case_id}/approvals/{role}")


def service_operations() -> list[Operation]:
    """The service app's operations (its lifespan is not started: nothing is opened)."""
    return app_operations(create_app(Settings(database_url="sqlite://")))


def _user(*roles: Role, user_id: str = "u1") -> User:
    return User(id=user_id, email=f"{user_id}@example.com", roles=",".join(roles))


def test_every_route_is_in_the_table_or_public() -> None:
    operations = service_operations()
    missing = [str(op) for op in operations if op.key not in PERMISSIONS and op.key not in PUBLIC]
    assert missing == [], (
        "Routes without a row in app/auth/permissions.py (add one to PERMISSIONS, or to "
        f"PUBLIC if anyone may call them): {missing}"
    )
    assert len(operations) >= len(PUBLIC) + 9


def test_every_row_names_a_route_of_the_app() -> None:
    served = {op.key for op in service_operations()}
    stale = sorted(f"{m} {t}" for m, t in PERMISSIONS.keys() - served)
    assert stale == [], f"Rows of the permission table for routes the app does not serve: {stale}"
    assert served >= PUBLIC


def test_every_route_that_needs_a_role_goes_through_the_check() -> None:
    unchecked = [
        str(op)
        for op in service_operations()
        if op.key in PERMISSIONS
        and not op.depends_on(authorize_request)
        and not op.depends_on(page_user)
    ]
    assert unchecked == [], (
        f"Routes that skip authorize_request or page_user (put them under /v1 or the "
        f"pages' router): {unchecked}"
    )
    assert Authorized.dependency is authorize_request
    assert PageAuthorized.dependency is page_user
    pages = [op for op in service_operations() if not op.key[1].startswith("/v1")]
    assert all(op.depends_on(page_user) for op in pages if op.key in PERMISSIONS)
    assert {"/cases/{case_id}", "/approvals", "/dashboard"} <= {op.key[1] for op in pages}


def test_the_table_says_what_the_policy_says() -> None:
    def row(method: str, template: str) -> Permission:
        permission = permission_for(method, template)
        assert permission is not None, (method, template)
        return permission

    assert row("POST", "/v1/cases").roles == UPLOADERS == {Role.CSM, Role.ADMIN}
    assert row("POST", "/v1/cases/{case_id}/documents").roles == UPLOADERS
    assert row("POST", "/v1/recommendations").roles == UPLOADERS
    assert row("POST", "/v1/rules/replay").roles == ADMINS == {Role.ADMIN}
    for template in (
        "/v1/cases",
        "/v1/cases/{case_id}",
        "/v1/cases/{case_id}/documents/{document_id}",
        "/v1/jobs/{job_id}",
    ):
        assert row("GET", template).roles == EVERYONE
    # Every GET, whoever adds it, is readable by every role; the events' dead letters are
    # the one exception (operations: admin).
    for (method, template), permission in PERMISSIONS.items():
        if template.startswith("/v1/events"):
            assert permission.roles == ADMINS, template
        elif (method, template) == ("GET", "/cases/new"):
            # The upload form is shown to those who may send it.
            assert permission == row("POST", "/cases/new") == row("POST", "/v1/cases")
        elif method == "GET":
            assert permission.roles == EVERYONE, template
    approve = row(*APPROVE)
    # A page that acts does so under the rule of the API operation it performs.
    assert row("POST", "/cases/{case_id}/approvals/{role}") == approve
    assert row("POST", "/cases/{case_id}/corrections") == row(
        "POST", "/v1/cases/{case_id}/corrections"
    )
    assert row("POST", "/cases/{case_id}/documents") == row("POST", "/v1/cases/{case_id}/documents")
    assert approve.roles == APPROVER_ROLES and Role.ADMIN not in approve.roles
    assert approve.own_case is CaseRule.NOT_UPLOADER and approve.role_param == "role"
    assert {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")} <= PUBLIC
    assert {("GET", "/docs"), ("GET", "/openapi.json"), ("POST", "/v1/sessions")} <= PUBLIC
    assert not PUBLIC & PERMISSIONS.keys()
    assert all(p.roles for p in PERMISSIONS.values())


def test_a_role_outside_the_row_is_refused_with_the_reason() -> None:
    with pytest.raises(ForbiddenError) as refused:
        authorize_roles(user=_user(Role.LEGAL), permission=Permission(roles=UPLOADERS))
    assert refused.value.detail == "This needs the role csm or admin; you have legal."
    assert refused.value.extra == {"required_roles": ["admin", "csm"]}
    authorize_roles(user=_user(Role.LEGAL, Role.CSM), permission=Permission(roles=UPLOADERS))
    with pytest.raises(ForbiddenError, match="you have no role"):
        authorize_roles(user=_user(), permission=Permission(roles=EVERYONE))


def test_an_approval_needs_its_own_role_and_admin_is_no_approver() -> None:
    approve = PERMISSIONS[APPROVE]
    legal = _user(Role.LEGAL, Role.FINANCE)
    authorize_roles(user=legal, permission=approve, path_params={"role": "legal"})
    authorize_roles(user=legal, permission=approve, path_params={"role": "finance"})
    for role in ("security", "tax", "executive", "admin", "csm", "nonsense", ""):
        with pytest.raises(ForbiddenError, match="Only a user with the role"):
            authorize_roles(user=legal, permission=approve, path_params={"role": role})
    with pytest.raises(ForbiddenError, match="This needs the role legal, finance"):
        authorize_roles(user=_user(Role.ADMIN), permission=approve, path_params={"role": "legal"})


def test_the_uploader_never_approves_their_own_case() -> None:
    approve = PERMISSIONS[APPROVE]
    uploader = _user(Role.CSM, Role.LEGAL, Role.ADMIN, user_id="ana")
    own, other = Case(id="c1", uploaded_by="ana"), Case(id="c2", uploaded_by="ben")
    with pytest.raises(ForbiddenError) as refused:
        authorize(user=uploader, permission=approve, path_params={"role": "legal"}, case=own)
    assert refused.value.detail == "You uploaded this case, so someone else must approve it."
    assert refused.value.extra == {"case_id": "c1"}
    authorize(user=uploader, permission=approve, path_params={"role": "legal"}, case=other)
    # A case nobody uploaded through the API (the command line) has no uploader to exclude.
    authorize_case_action(user=uploader, case=Case(id="c3"), permission=approve)


def test_uploader_or_role_lets_the_uploader_and_the_named_roles_act() -> None:
    permission = Permission(
        roles=frozenset({Role.CSM, Role.LEGAL}),
        own_case=CaseRule.UPLOADER_OR_ROLE,
        any_case_roles=frozenset({Role.LEGAL}),
    )
    own, other = Case(id="c1", uploaded_by="ana"), Case(id="c2", uploaded_by="ben")
    csm = _user(Role.CSM, user_id="ana")
    authorize_case_action(user=csm, case=own, permission=permission)
    with pytest.raises(ForbiddenError) as refused:
        authorize_case_action(user=csm, case=other, permission=permission)
    assert refused.value.detail == (
        "Only the user who uploaded this case, or one with the role legal, can do this."
    )
    authorize_case_action(user=_user(Role.LEGAL, user_id="lea"), case=other, permission=permission)


def test_a_route_missing_from_the_table_is_refused_to_everyone(settings: Settings) -> None:
    with api_client(settings, RecordingQueue) as client:
        app = client.app
        assert isinstance(app, FastAPI)
        app.router.add_api_route(
            "/v1/unlisted", lambda: {"open": True}, methods=["GET"], dependencies=[Authorized]
        )
        admin = issue_test_token(engine_of(client), email="root@example.com", roles=tuple(Role))
        refused = client.get("/v1/unlisted", headers=bearer(admin))
        assert refused.status_code == 403
        assert refused.json()["detail"] == (
            "GET /v1/unlisted has no entry in the permission table, so nobody may use it."
        )
        anonymous = client.get("/v1/unlisted", headers={"Authorization": ""})
        assert anonymous.status_code == 401
