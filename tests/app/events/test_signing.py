"""Deliveries are signed as Standard Webhooks; ``verify_signature`` checks them as a receiver."""

from __future__ import annotations

import pytest

from app.events.signing import SignatureError, sign, signature_headers, verify_signature

# The test vector published with the Standard Webhooks specification.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
BODY = b'{"specversion":"1.0","id":"e1"}'


def test_the_signature_is_the_standard_webhooks_one() -> None:
    signed = sign(
        secret=VECTOR_SECRET, webhook_id=VECTOR_ID, timestamp=VECTOR_TIMESTAMP, body=VECTOR_BODY
    )
    assert signed == VECTOR_SIGNATURE
    headers = {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": VECTOR_SIGNATURE,
    }
    found = verify_signature(
        secret=VECTOR_SECRET, headers=headers, body=VECTOR_BODY, now=VECTOR_TIMESTAMP + 1
    )
    assert found == VECTOR_ID


def test_a_signed_delivery_verifies_whatever_the_header_case() -> None:
    headers = signature_headers(secret="plain secret", webhook_id="e1", body=BODY)
    assert verify_signature(secret="plain secret", headers=headers, body=BODY) == "e1"
    shouting = {name.upper(): value for name, value in headers.items()}
    assert verify_signature(secret=b"plain secret", headers=shouting, body=BODY) == "e1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"body": BODY + b" "}, "No signature matches", id="body-changed"),
        pytest.param({"secret": "another secret"}, "No signature matches", id="wrong-secret"),
        pytest.param({"webhook-id": "e2"}, "No signature matches", id="id-changed"),
        pytest.param({"now": 1_000_000 + 301}, "too old or too new", id="replayed-late"),
        pytest.param({"now": 1_000_000 - 301}, "too old or too new", id="from-the-future"),
        pytest.param({"webhook-signature": None}, "Missing", id="unsigned"),
        pytest.param({"webhook-timestamp": "yesterday"}, "whole seconds", id="bad-timestamp"),
    ],
)
def test_a_delivery_that_does_not_verify_is_refused(
    change: dict[str, object], message: str
) -> None:
    headers = signature_headers(secret="s3cret", webhook_id="e1", body=BODY, timestamp=1_000_000)
    for name in ("webhook-id", "webhook-signature", "webhook-timestamp"):
        if name in change:
            value = change[name]
            if value is None:
                del headers[name]
            else:
                headers[name] = str(value)
    with pytest.raises(SignatureError, match=message):
        verify_signature(
            secret=str(change.get("secret", "s3cret")),
            headers=headers,
            body=change.get("body", BODY),  # type: ignore[arg-type]
            now=float(change.get("now", 1_000_010)),  # type: ignore[arg-type]
        )


def test_any_of_several_signatures_may_verify() -> None:
    headers = signature_headers(secret="new", webhook_id="e1", body=BODY)
    old = sign(
        secret="old", webhook_id="e1", timestamp=int(headers["webhook-timestamp"]), body=BODY
    )
    headers["webhook-signature"] = f"{old} {headers['webhook-signature']}"
    assert verify_signature(secret="new", headers=headers, body=BODY) == "e1"
    assert verify_signature(secret="old", headers=headers, body=BODY) == "e1"
