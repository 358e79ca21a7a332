"""Which case a run decides: the same files again reuse their case; errors are one line."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from app.db import get_engine, session_scope
from app.models import Case
from app.settings import get_settings
from tests.app.cli.conftest import invoke, run_process


def _case_ids() -> list[str]:
    with session_scope(get_engine(get_settings().database_url)) as session:
        return [case.id for case in session.exec(select(Case)).all()]


def test_the_same_documents_again_decide_their_case_again(order_form: Path) -> None:
    first = invoke(["run", str(order_form), "--reference", "Harbor Foods"])
    assert first.exit_code == 0, first.output
    (case_id,) = _case_ids()
    assert "Same documents" not in first.output
    again = invoke(["run", str(order_form), "--reference", "Harbor Foods"])
    assert again.exit_code == 0, again.output
    assert _case_ids() == [case_id]
    assert f"Same documents as case {case_id}: decided again." in again.stdout
    # Another reference is another customer: a case of its own.
    other = invoke(["run", str(order_form), "--reference", "Harbor Foods US"])
    assert other.exit_code == 0, other.output
    assert len(_case_ids()) == 2


def test_new_case_opens_another_case_for_the_same_documents(order_form: Path) -> None:
    assert invoke(["run", str(order_form)]).exit_code == 0
    result = invoke(["run", str(order_form), "--new-case"])
    assert result.exit_code == 0, result.output
    assert "Same documents" not in result.output
    assert len(_case_ids()) == 2


def test_another_set_of_documents_is_another_case(order_form: Path, tmp_path: Path) -> None:
    addendum = tmp_path / "addendum.txt"
    addendum.write_text("ADDENDUM\n\nThe parties agree to net 30 payment terms.\n", "utf-8")
    assert invoke(["run", str(order_form)]).exit_code == 0
    assert invoke(["run", str(order_form), str(addendum)]).exit_code == 0
    assert invoke(["run", str(addendum)]).exit_code == 0
    assert len(_case_ids()) == 3


def test_an_unknown_case_is_one_line_and_exit_code_2(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--case", "no-such-case"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # handled, not a crash
    assert result.stderr.strip() == "error: There is no case with id 'no-such-case'."
    assert _case_ids() == []
    shown = invoke(["cases", "show", "no-such-case"])
    assert shown.exit_code == 2
    assert shown.stderr.strip() == "error: There is no case with id 'no-such-case'."


def test_an_unknown_case_prints_no_traceback_from_a_real_process(order_form: Path) -> None:
    result = run_process(["run", str(order_form), "--case", "no-such-case"])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip() == "error: There is no case with id 'no-such-case'."


def test_clashing_options_are_usage_errors(order_form: Path) -> None:
    both = invoke(["run", str(order_form), "--case", "abc", "--new-case"])
    assert both.exit_code == 2
    assert "--new-case" in both.output
    formats = invoke(["run", str(order_form), "--json", "--format", "csv"])
    assert formats.exit_code == 2
    assert _case_ids() == []
