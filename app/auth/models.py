"""Users and their API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.models import new_id, utcnow


class Role(StrEnum):
    CSM = "csm"
    LEGAL = "legal"
    FINANCE = "finance"
    SECURITY = "security"
    TAX = "tax"
    EXECUTIVE = "executive"
    ADMIN = "admin"


# The roles that decide approvals (the approval roles of the policy).
APPROVER_ROLES = frozenset({Role.LEGAL, Role.FINANCE, Role.SECURITY, Role.TAX, Role.EXECUTIVE})


class User(SQLModel, table=True):
    """A person (or a system, such as the CRM) that uses the service."""

    __tablename__ = "users"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    email: str = Field(max_length=320, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    # Comma-separated Role values, e.g. "csm" or "legal,executive".
    roles: str = Field(default="", max_length=200)
    password_hash: str | None = Field(default=None, max_length=300)
    disabled: bool = False
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles.split(",") if r)


class ApiToken(SQLModel, table=True):
    """A bearer token: only its SHA-256 is stored; the token is shown once, when made."""

    __tablename__ = "api_tokens"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=32)
    name: str = Field(default="", max_length=200)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # The first characters, so a person can tell their tokens apart.
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    # Sign-in sessions end on their own; API tokens (None) last until revoked.
    expires_at: datetime | None = None
