"""Passwords hashed with Argon2id (memory-hard); API tokens random, stored as SHA-256.

A token has 256 bits of randomness, so a fast hash is enough to store it: there is nothing
to guess. A password is chosen by a person, so it gets a slow, memory-hard hash.
"""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "tri_"  # noqa: S105 - a label that makes leaked tokens easy to spot
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salt and parameters included)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    # A hash of nothing anyone can type, made on first use (hashing at import costs time).
    return _HASHER.hash(secrets.token_urlsafe(32))


def waste_password_check(password: str) -> None:
    """Spend what checking a password costs, for an account that does not exist."""
    verify_password(_dummy_hash(), password)


def new_token() -> str:
    """A fresh bearer token, shown to its owner once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
