"""Every setting is documented in ``.env.example``, and the file's values are valid settings."""

from __future__ import annotations

import re

import pytest

from app.settings import Settings
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / ".env.example"


def _documented() -> dict[str, str]:
    pairs = re.findall(r"^#?\s*((?:TRIAGE|OPENAI)_[A-Z_]+)=(.*)$", EXAMPLE.read_text(), re.M)
    return dict(pairs)


def test_every_setting_is_in_the_example_file() -> None:
    documented = _documented()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        key = alias if isinstance(alias, str) else f"TRIAGE_{name.upper()}"
        assert key in documented, f"{key} is not documented in .env.example"


def test_the_example_values_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in _documented().items():
        if value and not key.startswith("OPENAI_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("TRIAGE_ENVIRONMENT", "development")
    Settings(_env_file=None)
