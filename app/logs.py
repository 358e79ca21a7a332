"""Structured logs: one JSON object a line, each carrying the id of the request it belongs to.

The request id lives in a context variable, so every log line written while a request is
handled (in the event loop or in the thread pool FastAPI runs sync endpoints in) carries
it without being passed around.
"""

from __future__ import annotations

import json as jsonlib
import logging
import logging.config
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from app.settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# A caller's id is echoed and logged, so it must not smuggle in new lines, quotes or
# header syntax, and must stay short; anything else is replaced by an id of our own.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

# Attributes every LogRecord has; whatever else a record carries came from ``extra=``.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
    "taskName",
}

_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def current_request_id() -> str | None:
    """The id of the request being handled, if any."""
    return _request_id.get()


def new_request_id() -> str:
    """A fresh, unguessable request id."""
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str:
    """The caller's request id when it is safe to echo and log, else a new one."""
    if value is not None and _ACCEPTABLE_ID.fullmatch(value):
        return value
    return new_request_id()


@contextmanager
def request_id_bound(request_id: str) -> Iterator[str]:
    """Log lines written inside the block carry ``request_id``."""
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id and request_id != "-":
            payload["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            payload["exception"] = record.exc_text
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return jsonlib.dumps(payload, default=str, ensure_ascii=False)


def log_level_from_env() -> str:
    """``TRIAGE_LOG_LEVEL`` (default INFO), read through the settings; unknown levels refused."""
    return _fresh_settings().log_level


def json_logs_from_env() -> bool:
    """Whether ``TRIAGE_LOG_FORMAT`` asks for JSON (the default) rather than text."""
    return _fresh_settings().log_format == "json"


def _fresh_settings() -> Settings:
    # Read anew rather than cached: logging is set up before, and apart from, the app.
    try:
        return Settings()
    except ValidationError as error:
        raise ValueError(str(error)) from error


def logging_config(level: str | None = None, *, json: bool | None = None) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the service (uvicorn applies it in each worker)."""
    level = (level or log_level_from_env()).upper()
    json = json_logs_from_env() if json is None else json
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"} if json else {"format": _TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's records go through the root handler, in the same format.
            "uvicorn": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.error": {"level": level, "handlers": [], "propagate": True},
            # Our access line carries the request id and the route; uvicorn's would repeat it.
            "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
            # Alembic announces each of its plugins at every start; the migrations still show.
            "alembic.runtime.plugins": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }


def configure_logging(level: str | None = None, *, json: bool | None = None) -> None:
    """Send every log record to stderr, as JSON lines or text; unset arguments come from env."""
    logging.config.dictConfig(logging_config(level, json=json))
