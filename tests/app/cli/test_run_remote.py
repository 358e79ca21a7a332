"""``triage run --server``: the command as a client of a running service, same case view."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.api.main import create_app
from app.db import get_engine, session_scope
from app.jobs.inline import InlineJobQueue
from app.models import Case
from app.settings import Settings, get_settings
from tests.app.api.conftest import issue_test_token, running_server
from tests.app.cli.conftest import invoke


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[str, str, Settings]]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'service.db'}", data_dir=tmp_path / "service"
    )
    token = issue_test_token(get_engine(settings.database_url))
    with running_server(create_app(settings, queue_factory=InlineJobQueue)) as url:
        yield url, token, settings


def test_a_bundle_is_triaged_by_the_service_and_shown_as_here(
    service: tuple[str, str, Settings], order_form: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, token, settings = service
    monkeypatch.setenv("TRIAGE_API_TOKEN", token)
    result = invoke(["run", str(order_form), "--server", url, "--reference", "Harbor", "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert view["reference"] == "Harbor" and view["status"] in {"decided", "ready_for_provisioning"}
    assert {a["role"] for a in view["approvals"]} >= {"finance", "security"}
    # The case lives in the service's database, not in the command's own.
    with session_scope(get_engine(settings.database_url)) as session:
        assert session.get(Case, view["id"]) is not None


def test_a_refused_upload_and_a_missing_token_say_why(
    service: tuple[str, str, Settings],
    empty_file: Path,
    order_form: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, token, _ = service
    monkeypatch.setenv("TRIAGE_API_TOKEN", token)
    refused = invoke(["run", str(empty_file), "--server", url])
    assert refused.exit_code == 1
    assert "empty_file" in refused.output
    monkeypatch.delenv("TRIAGE_API_TOKEN")
    get_settings.cache_clear()
    anonymous = invoke(["run", str(order_form), "--server", url])
    assert anonymous.exit_code == 3
    assert "unauthenticated" in anonymous.output


def test_an_unreachable_service_is_a_clear_failure(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--server", "http://127.0.0.1:9"])
    assert result.exit_code == 3
    assert "did not answer" in result.output
    assert "Traceback" not in result.output
