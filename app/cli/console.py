"""The terminal console every command prints to."""

from __future__ import annotations

import sys

from rich.console import Console

# Piped or captured output has no terminal width; tables of quotes need more than 80 columns.
_PIPED_WIDTH = 160


def make_console() -> Console:
    """A console sized to the terminal, or wide enough for tables when output is piped."""
    return Console(width=None if sys.stdout.isatty() else _PIPED_WIDTH)
