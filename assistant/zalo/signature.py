"""Webhook signature and freshness checks (see shared/docs/zalo.md).

X-ZEvent-Signature = "mac=" + sha256_hex(app_id + raw_body + timestamp + OA_SECRET_KEY), with
app_id and timestamp read from the JSON body. Plain SHA-256 (not HMAC), compared in constant time.

Any byte sequence gets an answer, never an exception: a body that is not a JSON object (deeply
nested arrays included), a missing field or a string that cannot be encoded is a 401, like a
wrong signature. A correctly signed event whose timestamp (epoch milliseconds) lies outside the
accepted window is refused with 400: a captured event cannot be replayed later.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time

from assistant.errors import AssistantError

FUTURE_SKEW_SECONDS = 60  # clocks differ a little; an event from the future beyond this is forged


class BadSignature(AssistantError):
    status = 401
    code = "bad_signature"


class StaleEvent(AssistantError):
    status = 400
    code = "stale_event"


def _bytes(text: str) -> bytes:
    # a lone surrogate ("\ud800") is kept as bytes: the digest then simply does not match
    return text.encode("utf-8", "surrogatepass")


def sign(app_id: str, raw_body: bytes, timestamp: str, oa_secret: str) -> str:
    digest = hashlib.sha256(_bytes(app_id) + raw_body + _bytes(timestamp) + _bytes(oa_secret)).hexdigest()
    return "mac=" + digest


def parse_event(raw_body: bytes) -> dict:
    """The event object of a webhook body, or BadSignature when it is not one."""
    try:
        event = json.loads(raw_body)
    except (ValueError, RecursionError, UnicodeError, MemoryError):
        raise BadSignature("Webhook body must be a JSON event with app_id and timestamp.") from None
    if not isinstance(event, dict) or not isinstance(event.get("app_id"), (str, int)) \
            or not isinstance(event.get("timestamp"), (str, int)):
        raise BadSignature("Webhook body must be a JSON event with app_id and timestamp.")
    return event


def event_time(timestamp) -> float | None:
    """Seconds since the epoch of an event timestamp (milliseconds, or seconds), None if unreadable."""
    try:
        value = float(str(timestamp).strip())
    except ValueError:
        return None
    if value != value or value <= 0:  # NaN, negative
        return None
    return value / 1000.0 if value > 1e11 else value


def verify_event(raw_body: bytes, header: str | None, oa_secret: str, window_seconds: float = 300,
                 now: float | None = None) -> dict:
    """The parsed event when the signature matches and the event is fresh; BadSignature (401) or
    StaleEvent (400) otherwise."""
    if not header or not isinstance(header, str):
        raise BadSignature("Missing X-ZEvent-Signature header.")
    event = parse_event(raw_body)
    app_id, timestamp = str(event["app_id"]), str(event["timestamp"])
    expected = sign(app_id, raw_body, timestamp, oa_secret)
    if not hmac.compare_digest(expected.encode(), _bytes(header.strip())):
        raise BadSignature("Signature does not match; check ASSISTANT_ZALO_OA_SECRET.")
    sent = event_time(timestamp)
    now = time.time() if now is None else now
    if sent is None or sent < now - window_seconds or sent > now + FUTURE_SKEW_SECONDS:
        raise StaleEvent(f"Event timestamp is outside the accepted window of {int(window_seconds)} s "
                         "(ASSISTANT_ZALO_EVENT_WINDOW_SECONDS); a replayed or forged event is refused.")
    return event
