"""Fixtures for the decision tests: the shipped policy, a writable copy, hypothesis profiles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from rules import Policy, load_policy
from rules.loader import DEFAULT_POLICY_DIR

# Applied per test (not loaded globally) so other packages' hypothesis tests are untouched.
# Drawing a whole case choice by choice (so failures shrink) costs ~40 ms an example; the
# 10,000-case differential run draws a seed per case instead (see test_differential.py).
settings.register_profile(
    "rules-properties",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def differential_profile() -> settings:
    """The settings of the shrinking property tests."""
    return settings.get_profile("rules-properties")


@pytest.fixture(scope="session")
def policy() -> Policy:
    """The shipped default policy, compiled once."""
    return load_policy()


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped policy directory."""
    target = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target
