"""The command line starts at once: help and listing never load the extractors or rules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.cli.console import PIPED_WIDTH, output_width

# sqlalchemy and uvicorn are left out: ``triage serve`` imports them when its module loads.
_HEAVY = ("extractors", "rules", "sqlmodel", "alembic", "durable", "pypdf", "docx", "celery")


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"import json, sys\n{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({_HEAVY!r}))))"
    )
    result = subprocess.run(  # the interpreter under test, never a shell
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_command_line_loads_no_heavy_module() -> None:
    assert _loaded_after("import app.cli.main") == []


def test_help_loads_no_heavy_module() -> None:
    code = (
        "from app.cli.main import app\n"
        "try:\n    app(['--help'], prog_name='triage')\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(code) == []


def test_the_service_client_loads_no_database_rules_or_parser() -> None:
    # ``triage run --server`` uploads and polls: only the case view, once the service has
    # decided, needs the models (imported meanwhile, in the background).
    code = "import app.cli.main, app.cli.remote, app.cli.warm"
    assert set(_loaded_after(code)) <= {"extractors"}


@pytest.mark.parametrize(
    ("columns", "tty", "width"),
    [
        ("72", False, 72),
        ("72", True, 72),
        (None, False, PIPED_WIDTH),
        (None, True, None),
        ("x", False, PIPED_WIDTH),
    ],
)
def test_the_output_width_is_columns_else_the_terminal_else_100(
    columns: str | None, tty: bool, width: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert output_width(stream_is_tty=tty) == width


def test_loading_the_extractors_loads_the_text_splitter_the_first_case_needs() -> None:
    code = (
        "import sys\n"
        "from app.cli.warm import load_extractors\n"
        "from app.settings import get_settings\n"
        "assert 'langchain_text_splitters' not in sys.modules\n"
        "load_extractors(get_settings())\n"
        "print('langchain_text_splitters' in sys.modules)"
    )
    result = subprocess.run(  # the interpreter under test, never a shell
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == ["True"]
