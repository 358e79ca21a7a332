"""The consoles every command prints to: results on stdout, progress and errors on stderr."""

from __future__ import annotations

import os
import sys

from rich.console import Console

# Piped or captured output has no terminal to measure: this width reads well in a file or a
# pager, and COLUMNS says otherwise when set.
PIPED_WIDTH = 100
# Below this width sections are printed as ``label: value`` lines, never as tables.
NARROW_WIDTH = 100


def output_width(*, stream_is_tty: bool) -> int | None:
    """COLUMNS when set, else the terminal's own width (None), else ``PIPED_WIDTH``."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if stream_is_tty else PIPED_WIDTH


def make_console(*, stderr: bool = False) -> Console:
    """A console sized to the terminal, or to COLUMNS (default 100) when output is piped.

    Piped output carries no colour codes unless FORCE_COLOR is set, and NO_COLOR turns
    colour off everywhere: Rich reads both variables itself (force-color.org, no-color.org).
    """
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        stderr=stderr, width=output_width(stream_is_tty=stream.isatty()), highlight=False
    )
