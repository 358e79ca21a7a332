"""Database engine, sessions and schema migrations (Alembic, applied at start-up)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant works; every process that migrates uses the same one.
_MIGRATION_LOCK = 7_461_726_961


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets its directory created, WAL and foreign keys on."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the shipped migrations and ``url``."""
    # Alembic is imported when migrating: a process that only reads (the CLI showing a
    # case) does not pay for it.
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# A migration's own header lines: ``revision = "0005"``, ``down_revision = "0004"``.
_HEADER_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The revision no shipped migration builds on, read from the migrations' headers.

    None unless they form one plain chain this reading understands (a merge, a branch or an
    unusual header leaves the question to Alembic).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        header: dict[str, object] = {}
        for name, value in _HEADER_LINE.findall(path.read_text(encoding="utf-8")):
            if name in header:
                return None
            try:
                header[name] = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return None
        if not header:
            continue  # not a migration (the package's __init__)
        revision, parent = header.get("revision"), header.get("down_revision")
        if not isinstance(revision, str) or not (parent is None or isinstance(parent, str)):
            return None
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def at_head(engine: Engine) -> bool:
    """Whether the database is at the latest migration already: one row in Alembic's
    version table, naming the head. Any doubt (no table yet, an error) says no."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return False
    return [tuple(row) for row in rows] == [(head,)]


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (idempotent).

    A database already at the latest revision is left as it is without loading Alembic
    (a quarter of a second, most of what the command line's start-up would spend here).
    """
    if at_head(engine):
        return
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        # An API process and a worker starting together on a new database would both create
        # the tables: the first to take this lock migrates, the other finds it done.
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        from alembic import command  # noqa: PLC0415

        command.upgrade(config, "head")


@lru_cache(maxsize=4)
def get_engine(url: str) -> Engine:
    """One migrated engine per database URL for the whole process."""
    engine = create_db_engine(url)
    migrate(engine)
    _ENGINES.append(engine)
    return engine


# Every engine get_engine made, so that they can be closed on purpose: an engine dropped
# from the cache would otherwise leave its pooled connections to the garbage collector.
_ENGINES: list[Engine] = []


def dispose_engines() -> None:
    """Close the pooled connections of every engine ``get_engine`` made, and forget them."""
    get_engine.cache_clear()
    while _ENGINES:
        _ENGINES.pop().dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
