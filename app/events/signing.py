"""Signing webhook deliveries, and checking a signature as a receiver does (Standard Webhooks).

Every POST carries three headers:

- ``webhook-id``: the event id (the CloudEvent ``id``), the same on every retry, so a
  receiver de-duplicates by it;
- ``webhook-timestamp``: when this attempt was sent, in whole seconds since the epoch;
- ``webhook-signature``: ``v1,`` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")),
  where ``body`` is the request body exactly as received (bytes, before any JSON parsing).

The key is the configured secret: a ``whsec_`` secret is base64 after the prefix, and the
decoded bytes are the key (so the Standard Webhooks libraries verify our deliveries);
any other secret is used as its UTF-8 bytes.

A receiver verifies by recomputing the signature over the raw body with the same key,
comparing in constant time with each space-separated ``v1,`` entry of the header, and
refusing a timestamp more than a few minutes from its own clock (a replayed request):
``verify_signature`` does exactly that.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

from app.errors import TriageError

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix, not a secret
VERSION = "v1"
# How far a delivery's timestamp may be from the receiver's clock.
DEFAULT_TOLERANCE_S = 300.0


class SignatureError(TriageError):
    code = "invalid_signature"
    status = 401
    title = "The webhook signature does not verify"


def signing_key(secret: str | bytes) -> bytes:
    """The HMAC key of ``secret``: decoded base64 after ``whsec_``, else its UTF-8 bytes."""
    if isinstance(secret, bytes):
        return secret
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
        except binascii.Error as error:
            raise SignatureError("A whsec_ secret must be followed by base64.") from error
    return secret.encode("utf-8")


def sign(*, secret: str | bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of one delivery: ``v1,<base64 HMAC-SHA256>``."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return f"{VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_headers(
    *, secret: str | bytes, webhook_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three headers of a delivery of ``body``, timestamped now unless told otherwise."""
    moment = int(time.time()) if timestamp is None else timestamp
    return {
        ID_HEADER: webhook_id,
        TIMESTAMP_HEADER: str(moment),
        SIGNATURE_HEADER: sign(secret=secret, webhook_id=webhook_id, timestamp=moment, body=body),
    }


def verify_signature(
    *,
    secret: str | bytes,
    headers: Mapping[str, str],
    body: bytes,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> str:
    """The delivery's ``webhook-id`` if its signature verifies, else SignatureError.

    ``headers`` may use any letter case; ``body`` is the raw request body.
    """
    found = {name.lower(): value for name, value in headers.items()}
    webhook_id = found.get(ID_HEADER)
    stamp = found.get(TIMESTAMP_HEADER)
    offered = found.get(SIGNATURE_HEADER)
    if not webhook_id or not stamp or not offered:
        raise SignatureError(f"Missing {ID_HEADER}, {TIMESTAMP_HEADER} or {SIGNATURE_HEADER}.")
    try:
        timestamp = int(stamp)
    except ValueError as error:
        raise SignatureError(f"{TIMESTAMP_HEADER} is not whole seconds: {stamp!r}.") from error
    clock = time.time() if now is None else now
    if abs(clock - timestamp) > tolerance_s:
        raise SignatureError(
            f"{TIMESTAMP_HEADER} is {clock - timestamp:+.0f} s from now: too old or too new."
        )
    expected = sign(secret=secret, webhook_id=webhook_id, timestamp=timestamp, body=body)
    # Several signatures (key rotation) are separated by spaces; any one verifying is enough.
    if any(hmac.compare_digest(expected, candidate) for candidate in offered.split()):
        return webhook_id
    raise SignatureError("No signature matches the body with this secret.")
