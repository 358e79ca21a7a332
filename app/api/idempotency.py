"""``Idempotency-Key``: a retried POST gets the first answer again, never a second effect.

The first request with a key inserts its record (unique on scope and key, so two racing
requests cannot both win, on SQLite or PostgreSQL); the winner does the work and stores
its answer, the others replay it. The same key with another request is refused. Answers
that say "try again" (5xx, 409) are not kept: the record is removed so a retry can run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

import anyio
from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.problems import error_response
from app.db import session_scope
from app.errors import (
    IdempotencyInProgressError,
    IdempotencyKeyReusedError,
    InvalidRequestError,
    TriageError,
)
from app.models import IdempotencyRecord, utcnow
from app.uploads import content_digest

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# How long a duplicate waits for the first request to finish before it is told to retry.
WAIT_FOR_FIRST_S = 15.0
POLL_INTERVAL_S = 0.1
# A request still "in flight" after this long was cut off (a crash, a kill): its key is free.
ABANDONED_AFTER = timedelta(minutes=10)
# Visible ASCII, as the IETF draft's examples and every client library use.
_KEY = re.compile(r"[\x21-\x7e]{1,200}")
# Recomputed by the server on every answer, so never stored.
_UNSTORED_HEADERS = frozenset({"content-length", "connection", "date", "server"})


def check_key(key: str) -> str:
    """``key`` if it is 1 to 200 visible ASCII characters, else InvalidRequestError."""
    if not _KEY.fullmatch(key):
        raise InvalidRequestError(
            f"The {IDEMPOTENCY_HEADER} header must be 1 to 200 visible ASCII characters."
        )
    return key


@dataclass(frozen=True)
class StoredAnswer:
    """A response as it was first sent."""

    status: int
    body: bytes
    headers: list[tuple[str, str]]

    @classmethod
    def of(cls, response: Response) -> StoredAnswer:
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _UNSTORED_HEADERS
        ]
        return cls(status=response.status_code, body=bytes(response.body), headers=headers)

    def response(self) -> Response:
        """The stored answer again, marked as a replay."""
        response = Response(content=self.body, status_code=self.status)
        for name, value in self.headers:
            response.headers.append(name, value)
        response.headers[REPLAYED_HEADER] = "true"
        return response


def request_fingerprint(*, path: str, query: str, content: str) -> str:
    """SHA-256 of what a request asks for: its path, query and content digest."""
    return content_digest({"path": path, "query": sorted(parse_qsl(query)), "content": content})


def json_content_digest(body: bytes) -> str:
    """A JSON body's digest, blind to spacing and key order; other bytes as they are."""
    try:
        return content_digest(json.loads(body))
    except (ValueError, RecursionError):
        return hashlib.sha256(body).hexdigest()


def storable(status: int) -> bool:
    """Whether an answer is final for its key: not a server error, not "still in progress"."""
    return status < 500 and status != 409


def caller_scope(scope: str, caller: str) -> str:
    """The scope of a caller's keys: two callers choosing the same key never collide."""
    return f"{scope} by {caller}"


@dataclass(frozen=True)
class Claimed:
    """This request owns the key and must finish or release it."""

    record_id: int


@dataclass(frozen=True)
class InFlight:
    """Another request holds the key and has not answered yet."""


def claim_key(
    *, engine: Engine, scope: str, key: str, request_hash: str
) -> Claimed | StoredAnswer | InFlight:
    """Take ``key`` for this request, or say what the request that holds it has answered."""
    for _ in range(5):  # the holder may release the key between our insert and our read
        try:
            with session_scope(engine) as session:
                record = IdempotencyRecord(scope=scope, key=key, request_hash=request_hash)
                session.add(record)
                session.flush()
                assert record.id is not None
                return Claimed(record.id)
        except IntegrityError:
            pass
        with session_scope(engine) as session:
            statement = select(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
            )
            existing = session.exec(statement).first()
            if existing is None:
                continue
            if existing.request_hash != request_hash:
                raise IdempotencyKeyReusedError(
                    f"The {IDEMPOTENCY_HEADER} {key!r} was used with a different request; "
                    "send a new key for a new request.",
                    idempotency_key=key,
                )
            if existing.completed_at is not None and existing.response_status is not None:
                return StoredAnswer(
                    status=existing.response_status,
                    body=existing.response_body or b"",
                    headers=[
                        (str(name), str(value))
                        for name, value in json.loads(existing.response_headers_json or "[]")
                    ],
                )
            if _abandoned(existing.created_at) and _take_over(
                engine=engine, record_id=existing.id, created_at=existing.created_at
            ):
                assert existing.id is not None
                return Claimed(existing.id)
            return InFlight()
    return InFlight()


def _abandoned(created_at: datetime) -> bool:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    now = utcnow() if created_at.tzinfo is not None else utcnow().replace(tzinfo=None)
    return now - created_at > ABANDONED_AFTER


def _take_over(*, engine: Engine, record_id: int | None, created_at: datetime) -> bool:
    # Conditional on the old start time, so of two takers only one succeeds.
    with session_scope(engine) as session:
        result = session.exec(
            update(IdempotencyRecord)
            .where(
                col(IdempotencyRecord.id) == record_id,
                col(IdempotencyRecord.completed_at).is_(None),
                col(IdempotencyRecord.created_at) == created_at,
            )
            .values(created_at=utcnow())
        )
        return bool(result.rowcount == 1)


def store_answer(*, engine: Engine, record_id: int, answer: StoredAnswer) -> None:
    """Keep the answer of the request that holds ``record_id``."""
    with session_scope(engine) as session:
        session.exec(
            update(IdempotencyRecord)
            .where(col(IdempotencyRecord.id) == record_id)
            .values(
                response_status=answer.status,
                response_body=answer.body,
                response_headers_json=json.dumps([list(pair) for pair in answer.headers]),
                completed_at=utcnow(),
            )
        )


def release_key(*, engine: Engine, record_id: int) -> None:
    """Free a key whose request ended without a final answer, so a retry can run."""
    with session_scope(engine) as session:
        session.exec(
            delete(IdempotencyRecord).where(
                col(IdempotencyRecord.id) == record_id,
                col(IdempotencyRecord.completed_at).is_(None),
            )
        )


async def idempotent(
    *,
    engine: Engine,
    scope: str,
    caller: str,
    key: str | None,
    request_hash: str,
    instance: str,
    produce: Callable[[], Awaitable[Response]],
    wait_s: float | None = None,
) -> Response:
    """``produce()``'s response, once per key: later requests with the key replay it.

    ``scope`` is the method and route template, ``caller`` the user's id (one caller's
    keys never meet another's); ``request_hash`` the request's content.
    """
    if key is None:
        return await produce()
    check_key(key)
    scope = caller_scope(scope, caller)
    deadline = time.monotonic() + (WAIT_FOR_FIRST_S if wait_s is None else wait_s)
    while True:
        outcome = await run_in_threadpool(
            lambda: claim_key(engine=engine, scope=scope, key=key, request_hash=request_hash)
        )
        if isinstance(outcome, StoredAnswer):
            return outcome.response()
        if isinstance(outcome, Claimed):
            break
        if time.monotonic() >= deadline:
            raise IdempotencyInProgressError(
                f"A request with {IDEMPOTENCY_HEADER} {key!r} is still being processed; "
                "retry shortly to get its answer.",
                idempotency_key=key,
            )
        await anyio.sleep(POLL_INTERVAL_S)
    record_id = outcome.record_id
    try:
        try:
            response = await produce()
        except TriageError as error:
            response = error_response(error, instance=instance)
        if storable(response.status_code):
            answer = StoredAnswer.of(response)
            await run_in_threadpool(
                lambda: store_answer(engine=engine, record_id=record_id, answer=answer)
            )
        else:
            await run_in_threadpool(lambda: release_key(engine=engine, record_id=record_id))
    except BaseException:
        # Cancelled or failed before an answer was kept: free the key even while cancelled.
        with anyio.CancelScope(shield=True):
            try:
                await run_in_threadpool(lambda: release_key(engine=engine, record_id=record_id))
            except Exception:
                log.exception("could not release idempotency record %s", record_id)
        raise
    return response
