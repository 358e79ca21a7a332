"""Role × endpoint × (own case / someone else's case), generated from the app and the table.

Every operation the app serves that has a row in the permission table is called by a user
of every role (and by users holding two roles, as people do), on a case that user uploaded
and on one someone else uploaded, with every role in a ``{role}`` path parameter. Without a
token the answer is 401; where the table forbids, 403; where it allows, anything but 401 or
403 (and never a server error: an empty request gets 404, 415 or 422). A route added later
is in the matrix as soon as the app serves it.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, select

from app.api.main import create_app
from app.auth.models import Role, User
from app.auth.permissions import PERMISSIONS, CaseRule, Permission
from app.auth.service import create_user, issue_token
from app.db import session_scope
from app.models import CaseDocument
from app.pipeline import Upload, accept_uploads
from app.settings import Settings
from tests.app.api.conftest import MSA_TEXT, RecordingQueue, bearer, engine_of
from tests.app.auth.routes import Operation, app_operations
from tests.conftest import POSTGRES_URL, _postgres_reachable, require

# Every single role, and the combinations separation of duties is about.
ROLE_SETS: list[frozenset[Role]] = [frozenset({role}) for role in Role] + [
    frozenset({Role.CSM, Role.LEGAL}),
    frozenset({Role.ADMIN, Role.FINANCE}),
]
OPERATIONS = [
    op
    for op in app_operations(create_app(Settings(database_url="sqlite://")))
    if op.key in PERMISSIONS
]
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class StoredCase:
    """A case, its one document and its job, uploaded by ``uploader``."""

    case_id: str
    document_id: int
    job_id: str
    uploader: str


@dataclass(frozen=True)
class World:
    """One running app per database backend, with a user and a case per role set."""

    client: TestClient
    engine: Engine
    users: dict[frozenset[Role], User]
    own: dict[frozenset[Role], StoredCase]
    others: StoredCase

    def token(self, roles: frozenset[Role]) -> dict[str, str]:
        """A fresh token: an operation may revoke the one it is called with (sign-out)."""
        with session_scope(self.engine) as session:
            user = session.get(User, self.users[roles].id)
            assert user is not None
            return bearer(issue_token(session=session, user=user, name="matrix"))


def _database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'matrix.db'}"
        return
    require(_postgres_reachable(), "PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"triage_matrix_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _upload(engine: Engine, settings: Settings, uploader: User, n: int) -> StoredCase:
    data = MSA_TEXT + f"Order {n} for {uploader.email}.\n".encode()
    accepted = accept_uploads(
        engine=engine,
        uploads=[Upload(data=data, filename="msa.txt")],
        settings=settings,
        reference=f"matrix-{n}",
        uploaded_by=uploader.id,
    )
    with Session(engine) as session:
        document = session.exec(
            select(CaseDocument).where(CaseDocument.case_id == accepted.case_id)
        ).one()
    assert document.id is not None
    return StoredCase(accepted.case_id, document.id, accepted.job_id, uploader.id)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.service)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp(f"matrix-{request.param}")
    for url in _database(request.param, folder):
        settings = Settings(
            database_url=url,
            data_dir=folder / "data",
            rules_engine="reference",
            max_queued_jobs=100_000,
        )
        app = create_app(settings, queue_factory=RecordingQueue)
        with TestClient(app, raise_server_exceptions=False) as client:
            engine = engine_of(client)
            users: dict[frozenset[Role], User] = {}
            with session_scope(engine) as session:
                for index, roles in enumerate([*ROLE_SETS, frozenset({Role.CSM})]):
                    email = f"user{index}@example.com"
                    user = create_user(session=session, email=email, roles=roles)
                    session.flush()
                    session.expunge(user)
                    users[roles if index < len(ROLE_SETS) else frozenset()] = user
            uploader = users.pop(frozenset())  # someone else: the other cases' uploader
            own = {
                roles: _upload(engine, settings, user, n)
                for n, (roles, user) in enumerate(users.items())
            }
            others = _upload(engine, settings, uploader, len(users))
            yield World(client, engine, users, own, others)


def expected_allowed(
    permission: Permission, roles: frozenset[Role], *, uploader: bool | None, params: dict[str, str]
) -> bool:
    """What the table says, read independently of the code that enforces it."""
    if not roles & permission.roles:
        return False
    if permission.role_param is not None:
        held = {role.value for role in roles & permission.roles}
        if params.get(permission.role_param) not in held:
            return False
    if uploader is None:  # no case in the path
        return True
    if permission.own_case is CaseRule.NOT_UPLOADER:
        return not uploader
    if permission.own_case is CaseRule.UPLOADER_OR_ROLE:
        return uploader or bool(roles & permission.any_case_roles)
    return True


def _variants(
    world: World, operation: Operation, roles: frozenset[Role]
) -> Iterator[tuple[str, bool | None, dict[str, str]]]:
    """(label, uploaded by the caller?, path parameters) for each call of the operation."""
    names = _PARAM.findall(operation.template)
    cases = (
        [("own case", True, world.own[roles]), ("someone else's case", False, world.others)]
        if "case_id" in names
        else [("", None, world.others)]
    )
    role_values = [role.value for role in Role] if "role" in names else [""]
    for label, uploader, case in cases:
        for role_value in role_values:
            params = {
                name: {
                    "case_id": case.case_id,
                    "document_id": str(case.document_id),
                    "job_id": case.job_id,
                    "role": role_value,
                }.get(name, "unknown")
                for name in names
            }
            yield f"{label} {role_value}".strip(), uploader, params


def _url(template: str, params: dict[str, str]) -> str:
    return _PARAM.sub(lambda match: params[match.group(1)], template)


def _reason(body: str, *, page: bool) -> str:
    """The sentence of a refusal: the problem's detail, or the page's lead paragraph."""
    if not page:
        return str(json.loads(body).get("detail", ""))
    found = re.search(r'<p class="lead">(.*?)</p>', body, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_role_matrix(world: World, operation: Operation) -> None:
    permission = PERMISSIONS[operation.key]
    # The web pages send a browser without a session to sign in, and say why as a page.
    page = not operation.template.startswith("/v1")
    client, wrong = world.client, []
    calls = 0
    anonymous_checked: set[str] = set()
    for roles in ROLE_SETS:
        for label, uploader, params in _variants(world, operation, roles):
            url = _url(operation.template, params)
            who = "+".join(sorted(role.value for role in roles))
            if url not in anonymous_checked:
                anonymous_checked.add(url)
                anonymous = client.request(operation.method, url, follow_redirects=False)
                if not page:
                    challenge = anonymous.headers.get("www-authenticate")
                    if anonymous.status_code != 401 or challenge != "Bearer":
                        wrong.append(f"no token, {label}: {anonymous.status_code}, wanted 401")
                elif anonymous.status_code != 303 or not anonymous.headers.get(
                    "location", ""
                ).startswith("/sign-in"):
                    wrong.append(f"no session, {label}: {anonymous.status_code}, wanted sign-in")
            response = client.request(
                operation.method, url, headers=world.token(roles), follow_redirects=False
            )
            calls += 1
            allowed = expected_allowed(permission, roles, uploader=uploader, params=params)
            status = response.status_code
            if allowed and (status in {401, 403} or status >= 500):
                wrong.append(f"{who}, {label}: {status} {response.text[:200]}, wanted it allowed")
            if not allowed and status != 403:
                wrong.append(f"{who}, {label}: {status}, wanted 403")
            if status == 403 and not _reason(response.text, page=page).endswith("."):
                wrong.append(f"{who}, {label}: a 403 without a sentence saying why")
    assert calls >= len(ROLE_SETS)
    assert wrong == [], f"{operation}:\n" + "\n".join(wrong)
