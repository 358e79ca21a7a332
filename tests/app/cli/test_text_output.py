"""What a person reads in a terminal: the decision first, nothing squeezed at 80 columns."""

from __future__ import annotations

import re
from pathlib import Path

from app.db import get_engine, session_scope
from app.settings import get_settings
from app.views.case_list import list_case_items
from app.views.case_view import CaseView, load_case_view
from tests.app.cli.conftest import SAMPLE_FILES, invoke, run_process

# A citation line: file, page and at least 30 characters of the quote.
_CITATION = re.compile(r"^ +\S+ p\.\d+(-\d+)? “[^”]{30,}")


def _only_case() -> CaseView:
    with session_scope(get_engine(get_settings().database_url)) as session:
        (item,) = list_case_items(session=session)
        return load_case_view(session=session, case_id=item.id)


def _words(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def test_the_sample_bundle_at_80_columns_leads_with_the_decision_and_squeezes_nothing() -> None:
    result = invoke(["run", *SAMPLE_FILES, "--reference", "Kepler Maritime B.V."], columns=80)
    assert result.exit_code == 0, result.output
    view = _only_case()
    lines = result.stdout.splitlines()
    assert view.summary.startswith("Assisted: legal, finance, security and tax must approve")
    assert view.summary in _words(lines[:5])
    assert max(len(line) for line in lines) <= 80
    # label: value lines, each quote on its own indented line, never a squeezed table cell.
    assert "│" not in result.stdout and "┃" not in result.stdout
    assert "  Governing law: Netherlands" in lines
    assert "  Annual contract value: EUR 230,400.00" in lines
    governing = lines.index("  Governing law: Netherlands")
    assert _CITATION.match(lines[governing + 1]), lines[governing + 1]
    # Reading order: decision, approvals, documents, facts by group, obligations, rules last.
    order = [
        "Approvals (4)",
        "Documents (2)",
        "Commercial facts (16)",
        "Legal facts (12)",
        "Security facts (13)",
        "Implementation facts (5)",
        "Tax facts (4)",
        "Obligations (6)",
        "Rules fired (16)",
    ]
    assert [lines.index(heading) for heading in order] == sorted(
        lines.index(heading) for heading in order
    )
    assert "  legal: within 24 business hours" in lines
    assert "    • Governing law outside the approved list." in lines
    assert len(lines) < 300  # it was 725 at 80 columns before


def test_brief_prints_the_decision_only(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--brief"], columns=80)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Assisted: legal, finance and security must approve")
    assert "Approvals (3)" in out and "  finance: within 16 business hours" in out
    assert "order_form.txt p.1 “Invoices are payable within ninety (90)" in out
    for later in ("Documents", "facts (", "Obligations", "Rules fired", "Decided with"):
        assert later not in out


def test_a_case_that_needs_information_says_so(empty_file: Path) -> None:
    result = invoke(["run", str(empty_file)], columns=80)
    assert result.exit_code == 1  # the upload was refused
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Needs information: A document could not be read")
    assert "status: needs information" in _words(lines[:5])
    assert "Information needed (2)" in lines
    assert "  scan.txt: refused (empty_file): The file is empty." in lines
    assert _only_case().status.value == "needs_information"


def test_piped_output_honours_columns_and_has_no_colour(order_form: Path) -> None:
    first = run_process(["run", str(order_form)], env={"COLUMNS": "60"})
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert max(len(line) for line in lines) > 50
    assert "\x1b[" not in first.stdout
    case_id = _only_case().id
    # Unset, a pipe gets 100 columns (lines longer than 80 prove it is not a terminal default).
    wide = run_process(["cases", "show", case_id])
    assert wide.returncode == 0, wide.stderr
    assert 80 < max(len(line) for line in wide.stdout.splitlines()) <= 100
    assert "\x1b[" not in wide.stdout
    forced = run_process(["cases", "show", case_id, "--brief"], env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
