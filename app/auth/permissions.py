"""Who may do what: one table from each API operation to the roles allowed and the case rule.

The policy (roles allowed; the case rule where it matters)
---------------------------------------------------------
- upload a bundle ``POST /v1/cases``, add documents ``POST /v1/cases/{case_id}/documents``:
  csm, admin
- read cases, documents, jobs and the audit trail (every ``GET``): every role
- recommendations ``POST /v1/recommendations``: csm, admin
- rules replay ``POST /v1/rules/replay``: admin
- decide an approval ``POST /v1/cases/{case_id}/approvals/{role}``: only users holding
  that very role, and never the user who uploaded the case
- corrections: csm, the approver roles (legal, finance, security, tax, executive), admin
- the events' dead letters, list and retry: admin
- sign in ``POST /v1/sessions``: public; sign out ``DELETE /v1/sessions/current``: every role
- the KPIs ``GET /v1/kpis``: every role
- the web pages: each under the rule of the API operation it performs (upload: csm, admin;
  decide an approval: that very role, never the uploader; correct: the correctors; read:
  every role); the sign-in page is public

A CRM or CPQ integration is a user with the role csm. Deciding an approval needs the very
role the approval is for, and is never open to the person who uploaded the case, even if
they hold that role (separation of duties): admin holds no approval role by being admin,
so it cannot decide approvals, nor lift the rule. ``/healthz``, ``/readyz``, ``/metrics``
and the OpenAPI pages are public.

Every route of the app is either in ``PERMISSIONS`` or in ``PUBLIC`` (a test holds this);
``app.api.deps.authorize_request`` enforces the table on every ``/v1`` request, so a route
missing from it is refused to everyone rather than left open. The case rule is checked on
the case named by the path's ``{case_id}``; a route that finds its case another way calls
``authorize_case_action`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.auth.models import APPROVER_ROLES, Role, User
from app.auth.service import ForbiddenError
from app.models import Case

Operation = tuple[str, str]
"""An HTTP method and a route template, e.g. ``("GET", "/v1/cases/{case_id}")``."""


class CaseRule(StrEnum):
    """Who may act on a case, among the users whose role allows the operation."""

    # Any of them, whoever uploaded the case.
    ANY = "any"
    # Never the user who uploaded the case (separation of duties; admin included).
    NOT_UPLOADER = "not_uploader"
    # The uploader, or a user holding one of the permission's ``any_case_roles``.
    UPLOADER_OR_ROLE = "uploader_or_role"


@dataclass(frozen=True)
class Permission:
    """The roles allowed to perform an operation, and the rule on the case it acts on."""

    roles: frozenset[Role]
    own_case: CaseRule = CaseRule.ANY
    # For UPLOADER_OR_ROLE: the roles that may act on a case someone else uploaded.
    any_case_roles: frozenset[Role] = frozenset()
    # A path parameter naming a role: only users holding that very role may proceed.
    role_param: str | None = None


EVERYONE = frozenset(Role)
UPLOADERS = frozenset({Role.CSM, Role.ADMIN})
CORRECTORS = frozenset({Role.CSM, Role.ADMIN} | APPROVER_ROLES)
ADMINS = frozenset({Role.ADMIN})

# Operations anyone may call, signed in or not.
PUBLIC: frozenset[Operation] = frozenset(
    {
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/metrics"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        ("GET", "/openapi.json"),
        ("POST", "/v1/sessions"),
        ("GET", "/sign-in"),
        ("POST", "/sign-in"),
    }
)

# One row per operation; engineers adding a route add its row here (and nothing else).
PERMISSIONS: Mapping[Operation, Permission] = {
    ("POST", "/v1/cases"): Permission(roles=UPLOADERS),
    ("GET", "/v1/cases"): Permission(roles=EVERYONE),
    ("GET", "/v1/cases/{case_id}"): Permission(roles=EVERYONE),
    ("POST", "/v1/cases/{case_id}/documents"): Permission(roles=UPLOADERS),
    ("GET", "/v1/cases/{case_id}/documents/{document_id}"): Permission(roles=EVERYONE),
    ("GET", "/v1/jobs/{job_id}"): Permission(roles=EVERYONE),
    ("POST", "/v1/recommendations"): Permission(roles=UPLOADERS),
    ("POST", "/v1/rules/replay"): Permission(roles=ADMINS),
    ("DELETE", "/v1/sessions/current"): Permission(roles=EVERYONE),
    ("POST", "/v1/cases/{case_id}/approvals/{role}"): Permission(
        roles=frozenset(APPROVER_ROLES), own_case=CaseRule.NOT_UPLOADER, role_param="role"
    ),
    ("GET", "/v1/cases/{case_id}/audit"): Permission(roles=EVERYONE),
    ("GET", "/v1/events"): Permission(roles=ADMINS),
    ("POST", "/v1/events/{event_id}/retry"): Permission(roles=ADMINS),
    ("GET", "/v1/cases/{case_id}/approvals"): Permission(roles=EVERYONE),
    ("POST", "/v1/cases/{case_id}/corrections"): Permission(roles=CORRECTORS),
    ("GET", "/v1/cases/{case_id}/corrections"): Permission(roles=EVERYONE),
    ("GET", "/v1/kpis"): Permission(roles=EVERYONE),
    # The web pages: each does what its API operation does, under the same rule.
    ("GET", "/"): Permission(roles=EVERYONE),
    ("POST", "/sign-out"): Permission(roles=EVERYONE),
    ("GET", "/cases"): Permission(roles=EVERYONE),
    ("GET", "/cases/new"): Permission(roles=UPLOADERS),
    ("POST", "/cases/new"): Permission(roles=UPLOADERS),
    ("GET", "/cases/{case_id}"): Permission(roles=EVERYONE),
    ("POST", "/cases/{case_id}/documents"): Permission(roles=UPLOADERS),
    ("GET", "/cases/{case_id}/documents/{document_sha}"): Permission(roles=EVERYONE),
    ("POST", "/cases/{case_id}/approvals/{role}"): Permission(
        roles=frozenset(APPROVER_ROLES), own_case=CaseRule.NOT_UPLOADER, role_param="role"
    ),
    ("POST", "/cases/{case_id}/corrections"): Permission(roles=CORRECTORS),
    ("GET", "/approvals"): Permission(roles=EVERYONE),
    ("GET", "/dashboard"): Permission(roles=EVERYONE),
}


def permission_for(method: str, template: str) -> Permission | None:
    """The table's row for an operation, or None when it has none."""
    return PERMISSIONS.get((method.upper(), template))


def _names(roles: frozenset[Role], conjunction: str = "or") -> str:
    """``csm or admin``: the roles in their declared order."""
    ordered = [role.value for role in Role if role in roles]
    if len(ordered) <= 1:
        return "".join(ordered) or "no role"
    return ", ".join(ordered[:-1]) + f" {conjunction} " + ordered[-1]


def authorize_roles(
    *, user: User, permission: Permission, path_params: Mapping[str, str] | None = None
) -> None:
    """ForbiddenError, saying why, unless ``user``'s roles allow the operation."""
    held = user.role_set
    if not held & permission.roles:
        raise ForbiddenError(
            f"This needs the role {_names(permission.roles)}; you have {_names(held, 'and')}.",
            required_roles=sorted(role.value for role in permission.roles),
        )
    if permission.role_param is not None:
        wanted = (path_params or {}).get(permission.role_param, "")
        if wanted not in {role.value for role in held & permission.roles}:
            raise ForbiddenError(
                f"Only a user with the role {wanted or '(none)'} can act for it; "
                f"you have {_names(held, 'and')}.",
                required_roles=[wanted],
            )


def authorize_case_action(*, user: User, case: Case, permission: Permission) -> None:
    """ForbiddenError, saying why, unless the permission's case rule lets ``user`` act on it."""
    uploader = case.uploaded_by is not None and case.uploaded_by == user.id
    if permission.own_case is CaseRule.NOT_UPLOADER and uploader:
        raise ForbiddenError(
            "You uploaded this case, so someone else must approve it.", case_id=case.id
        )
    if (
        permission.own_case is CaseRule.UPLOADER_OR_ROLE
        and not uploader
        and not user.role_set & permission.any_case_roles
    ):
        raise ForbiddenError(
            "Only the user who uploaded this case, or one with the role "
            f"{_names(permission.any_case_roles)}, can do this.",
            case_id=case.id,
        )


def authorize(
    *,
    user: User,
    permission: Permission,
    path_params: Mapping[str, str] | None = None,
    case: Case | None = None,
) -> None:
    """The whole check of one request: roles first, then the case rule when there is a case."""
    authorize_roles(user=user, permission=permission, path_params=path_params)
    if case is not None:
        authorize_case_action(user=user, case=case, permission=permission)
