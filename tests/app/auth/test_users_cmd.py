"""``triage users``: create, token, disable, list — secrets shown once and never stored."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session
from typer.testing import CliRunner, Result

from app.auth.models import Role
from app.auth.service import UnauthenticatedError, authenticate_password, authenticate_token
from app.cli.main import app
from app.cli.users_cmd import ROLE_NAMES
from app.db import get_engine
from app.settings import get_settings

PASSWORD = "correct horse battery"


def triage(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "120"})


def _database_bytes() -> bytes:
    url = get_settings().database_url
    path = Path(url.removeprefix("sqlite:///"))
    get_engine(url).dispose()  # the WAL written back into the file
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_create_then_list_shows_roles_and_no_secret() -> None:
    created = triage("users", "create", "Ana@Example.com", "--role", "csm", "--role", "LEGAL")
    assert created.exit_code == 0, created.output
    assert created.stdout.strip() == "Created ana@example.com (csm,legal)."
    crm = triage("users", "create", "crm@example.com", "--role", "csm", "--name", "CRM")
    assert crm.exit_code == 0
    token = triage("users", "token", "crm@example.com", "--name", "salesforce").stdout.strip()

    listed = triage("users", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        "ana@example.com: csm, legal; 0 active token(s)",
        "crm@example.com (CRM): csm; 1 active token(s)",
    ]
    as_json = triage("users", "list", "--json")
    users = json.loads(as_json.stdout)
    assert [u["email"] for u in users] == ["ana@example.com", "crm@example.com"]
    (listed_token,) = users[1]["tokens"]
    assert (listed_token["name"], listed_token["prefix"]) == ("salesforce", token[:12])
    assert set(users[0]) == {
        "email",
        "name",
        "roles",
        "disabled",
        "signs_in_with_password",
        "tokens",
        "created_at",
    }
    assert token not in as_json.stdout and "hash" not in as_json.stdout


def test_token_is_printed_once_with_a_warning_and_only_its_hash_is_kept() -> None:
    assert triage("users", "create", "crm@example.com", "--role", "csm").exit_code == 0
    result = triage("users", "token", "crm@example.com", "--name", "crm")
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert re.fullmatch(r"tri_[A-Za-z0-9_-]{43}", token)  # alone on stdout, for scripts
    assert "not stored" in result.stderr and "cannot be shown again" in result.stderr
    engine = get_engine(get_settings().database_url)
    with Session(engine) as session:
        assert authenticate_token(session=session, token=token).email == "crm@example.com"
    assert token.encode() not in _database_bytes()
    with engine.connect() as connection:
        names: list[str] = list(connection.execute(text("SELECT name FROM api_tokens")).scalars())
    assert names == ["crm"]


def test_disable_revokes_every_token_at_once() -> None:
    triage("users", "create", "crm@example.com", "--role", "csm")
    token = triage("users", "token", "crm@example.com").stdout.strip()
    disabled = triage("users", "disable", "CRM@example.com")
    assert disabled.exit_code == 0
    assert "Disabled crm@example.com" in disabled.stdout
    with Session(get_engine(get_settings().database_url)) as session:
        try:
            authenticate_token(session=session, token=token)
        except UnauthenticatedError as error:
            assert "revoked" in error.detail
        else:
            raise AssertionError("a disabled user's token still works")
    assert "disabled" in triage("users", "list").stdout
    again = triage("users", "token", "crm@example.com")
    assert again.exit_code == 2 and "disabled" in again.stderr


def test_a_password_is_asked_twice_hidden_and_hashed() -> None:
    result = triage(
        "users",
        "create",
        "ana@example.com",
        "--role",
        "legal",
        "--password-prompt",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # not echoed
    assert "can sign in with a password" in result.stdout
    with Session(get_engine(get_settings().database_url)) as session:
        assert authenticate_password(session=session, email="ana@example.com", password=PASSWORD)
    assert PASSWORD.encode() not in _database_bytes()
    assert json.loads(triage("users", "list", "--json").stdout)[0]["signs_in_with_password"]


def test_mistakes_are_one_line_and_exit_2() -> None:
    assert triage("users", "create", "ana@example.com", "--role", "csm").exit_code == 0
    for args, says in (
        (("create", "ana@example.com", "--role", "csm"), "already exists"),
        (("create", "ben@example.com", "--role", "ceo"), "'ceo' is none of csm, legal"),
        (("create", "not-an-email", "--role", "csm"), "not an e-mail address"),
        (("token", "nobody@example.com"), "no user with e-mail nobody@example.com"),
        (("disable", "nobody@example.com"), "no user with e-mail nobody@example.com"),
    ):
        result = triage("users", *args)
        assert result.exit_code == 2, (args, result.output)
        assert says in result.output, (args, result.output)
        assert "Traceback" not in result.output
    short = triage(
        "users",
        "create",
        "ben@example.com",
        "--role",
        "csm",
        "--password-prompt",
        stdin="short\nshort\n",
    )
    assert short.exit_code == 2 and "at least 12 characters" in short.stderr
    missing_role = triage("users", "create", "ben@example.com")
    assert missing_role.exit_code == 2 and "--role" in missing_role.output


def test_the_help_names_every_role() -> None:
    assert tuple(role.value for role in Role) == ROLE_NAMES
    help_text = triage("users", "create", "--help").stdout
    assert all(name in help_text for name in ROLE_NAMES)
    assert triage("users", "list").stdout.startswith("No users yet")
