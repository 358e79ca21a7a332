"""``triage users``: people and systems that call the service, their roles and API tokens."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.console import make_console
from app.cli.errors import handles_errors

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlmodel import Session

    from app.auth.models import Role

# Spelt out here: the Role enum lives with the tables, which --help does not load.
ROLE_NAMES = ("csm", "legal", "finance", "security", "tax", "executive", "admin")

app = typer.Typer(
    help="Users, their roles and their API tokens (tokens are shown once, never stored).",
    no_args_is_help=True,
)


@dataclass(frozen=True)
class TokenListing:
    """A token as listed: what it is called and how it starts, never the token."""

    name: str
    prefix: str
    created_at: str


@dataclass(frozen=True)
class UserListing:
    """A user as listed: no password hash, no token."""

    email: str
    name: str
    roles: list[str]
    disabled: bool
    signs_in_with_password: bool
    tokens: list[TokenListing]
    created_at: str


EmailArgument = Annotated[str, typer.Argument(help="The user's e-mail address.")]


def _roles(values: list[str]) -> list[Role]:
    from app.auth.models import Role

    roles = []
    for value in values:
        try:
            roles.append(Role(value.strip().lower()))
        except ValueError:
            names = ", ".join(ROLE_NAMES)
            raise typer.BadParameter(f"{value!r} is none of {names}", param_hint="--role") from None
    return roles


@app.command("create")
@handles_errors
def create(
    *,
    email: EmailArgument,
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            help=f"A role ({', '.join(ROLE_NAMES)}); repeat it for several.",
            show_default=False,
        ),
    ],
    name: Annotated[str, typer.Option(help="The name people know them by.")] = "",
    password_prompt: Annotated[
        bool,
        typer.Option(
            "--password-prompt",
            help="Ask for a password (typed twice, not echoed) for signing in to the web pages.",
        ),
    ] = False,
) -> None:
    """Add a user with one or more roles (a CRM integration is a user with the role csm)."""
    roles = _roles(role)
    password = (
        typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if password_prompt
        else None
    )
    from app.auth.service import create_user

    with _session() as session:
        user = create_user(session=session, email=email, roles=roles, name=name, password=password)
        summary = f"Created {user.email} ({user.roles})" + (
            ", who can sign in with a password." if password else "."
        )
    make_console().print(summary, markup=False, soft_wrap=True)


@app.command("token")
@handles_errors
def token(
    *,
    email: EmailArgument,
    name: Annotated[
        str, typer.Option(help="What the token is for (e.g. 'crm'), to tell tokens apart.")
    ] = "",
) -> None:
    """Make an API token for a user and print it, this once: only its hash is stored."""
    from app.auth.service import get_user_by_email, issue_token

    with _session() as session:
        user = get_user_by_email(session=session, email=email)
        if user.disabled:
            from app.errors import InvalidRequestError

            raise InvalidRequestError(f"{user.email} is disabled; a token would not work.")
        secret = issue_token(session=session, user=user, name=name)
    # The token alone on stdout, so a script can capture it; the warning goes to stderr.
    typer.echo(secret)
    make_console(stderr=True).print(
        "Keep this token now: it is not stored and cannot be shown again. "
        f"Send it as 'Authorization: Bearer <token>'; 'triage users disable {email}' "
        "revokes it with the user's other tokens.",
        markup=False,
        soft_wrap=True,
    )


@app.command("disable")
@handles_errors
def disable(*, email: EmailArgument) -> None:
    """Disable a user: their tokens and sessions stop working at once."""
    from app.auth.service import disable_user

    with _session() as session:
        user = disable_user(session=session, email=email)
        address = user.email
    make_console().print(
        f"Disabled {address}; their tokens are revoked.", markup=False, soft_wrap=True
    )


@app.command("list")
@handles_errors
def list_users(
    *, as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False
) -> None:
    """Every user: e-mail, name, roles, whether disabled, active tokens (never a secret)."""
    from app.auth.service import active_tokens
    from app.auth.service import list_users as stored_users

    with _session() as session:
        users = [
            UserListing(
                email=user.email,
                name=user.name,
                roles=sorted(role.value for role in user.role_set),
                disabled=user.disabled,
                signs_in_with_password=bool(user.password_hash),
                tokens=[
                    TokenListing(t.name, t.prefix, t.created_at.isoformat())
                    for t in active_tokens(session=session, user=user)
                ],
                created_at=user.created_at.isoformat(),
            )
            for user in stored_users(session=session)
        ]
    if as_json:
        typer.echo(json.dumps([asdict(user) for user in users]))
        return
    console = make_console()
    if not users:
        console.print("No users yet: triage users create EMAIL --role csm", markup=False)
    for user in users:
        state = "disabled" if user.disabled else f"{len(user.tokens)} active token(s)"
        label = f" ({user.name})" if user.name else ""
        line = f"{user.email}{label}: {', '.join(user.roles)}; {state}"
        console.print(line, markup=False, soft_wrap=True)


def _session() -> AbstractContextManager[Session]:
    from app.db import get_engine, session_scope
    from app.settings import get_settings

    return session_scope(get_engine(get_settings().database_url))
