"""``triage db``: bring the configured database's schema up to date."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from app.cli.console import make_console
from app.cli.errors import handles_errors

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(help="Manage the configured database.", no_args_is_help=True)


@app.command("upgrade")
@handles_errors
def upgrade() -> None:
    """Apply every pending migration to the configured database and print its revision."""
    # Imported here: Alembic and SQLAlchemy are the slowest imports of the command line.
    from app.db import create_db_engine, migrate
    from app.settings import get_settings

    engine = create_db_engine(get_settings().database_url)
    try:
        before = _revision(engine)
        migrate(engine)
        after = _revision(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    change = "already up to date" if before == after else f"upgraded from {before or 'empty'}"
    make_console().print(f"{where}: at revision {after} ({change}).", markup=False, soft_wrap=True)


def _revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
