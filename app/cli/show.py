"""A case view printed in the format asked for: text for people, JSON, Markdown or CSV."""

from __future__ import annotations

import sys

from app.cli.console import make_console
from app.cli.options import OutputFormat
from app.cli.render import print_case
from app.views.case_view import CaseView
from app.views.export import brief_json, case_markdown, facts_csv, full_json


def print_view(
    view: CaseView, *, output: OutputFormat, brief: bool = False, note: str | None = None
) -> None:
    """Print ``view`` on stdout; a note goes to stderr unless the output is text for people."""
    if output is OutputFormat.TEXT:
        print_case(make_console(), view, brief=brief, note=note)
        return
    if note:
        # stdout stays parseable: JSON, Markdown and CSV carry nothing but the case.
        make_console(stderr=True).print(note, markup=False)
    if output is OutputFormat.JSON:
        text = brief_json(view) if brief else full_json(view)
    elif output is OutputFormat.MARKDOWN:
        text = case_markdown(view, brief=brief)
    else:
        text = facts_csv(view)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
