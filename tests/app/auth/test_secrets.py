"""Passwords hashed with Argon2id; tokens random, with only their SHA-256 kept."""

from __future__ import annotations

import hashlib

import pytest
from argon2 import PasswordHasher

from app.auth.secrets import (
    TOKEN_PREFIX,
    hash_password,
    new_token,
    token_digest,
    verify_password,
    waste_password_check,
)


def test_a_password_is_hashed_with_argon2id_and_a_salt_of_its_own() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("$argon2id$")
    assert first != second  # salted
    assert "correct horse battery" not in first
    # Memory-hard: the parameters name a memory cost of at least 19 MiB (OWASP's floor).
    memory_kib = int(first.split("$")[3].split(",")[0].removeprefix("m="))
    assert memory_kib >= 19 * 1024


def test_the_right_password_matches_and_a_wrong_one_does_not() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(stored, "")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a hash",
        "$argon2id$v=19$m=65536,t=3,p=4$broken",
        hashlib.sha256(b"correct horse battery").hexdigest(),
        "$2b$12$abcdefghijklmnopqrstuu5Tn6mW7sOe7rj4bAJR0Q5Xy8yxUgDNa",  # bcrypt
    ],
)
def test_a_malformed_hash_is_a_mismatch_never_an_error(stored: str) -> None:
    assert verify_password(stored, "correct horse battery") is False


def test_a_check_for_an_unknown_account_costs_a_real_check() -> None:
    # It runs the same Argon2 verification; a wrong answer must not raise either.
    waste_password_check("anything at all")
    assert PasswordHasher().check_needs_rehash(hash_password("x" * 12)) is False


def test_tokens_are_random_labelled_and_stored_as_sha256() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = tokens.pop()
    assert token.startswith(TOKEN_PREFIX)
    assert len(token) >= len(TOKEN_PREFIX) + 43  # 32 random bytes, base64url
    assert token_digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in token_digest(token)
