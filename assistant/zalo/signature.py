"""Webhook signature check (see shared/docs/zalo.md).

X-ZEvent-Signature = "mac=" + sha256_hex(app_id + raw_body + timestamp + OA_SECRET_KEY), with
app_id and timestamp read from the JSON body. Plain SHA-256 (not HMAC), compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import json

from assistant.errors import AssistantError


class BadSignature(AssistantError):
    status = 401
    code = "bad_signature"


def sign(app_id: str, raw_body: bytes, timestamp: str, oa_secret: str) -> str:
    digest = hashlib.sha256(
        app_id.encode("utf-8") + raw_body + timestamp.encode("utf-8") + oa_secret.encode("utf-8")
    ).hexdigest()
    return "mac=" + digest


def verify_event(raw_body: bytes, header: str | None, oa_secret: str) -> dict:
    """The parsed event when the signature matches; BadSignature (401) otherwise."""
    if not header:
        raise BadSignature("Missing X-ZEvent-Signature header.")
    try:
        event = json.loads(raw_body)
        app_id, timestamp = str(event["app_id"]), str(event["timestamp"])
    except (ValueError, KeyError, TypeError):
        raise BadSignature("Webhook body must be a JSON event with app_id and timestamp.") from None
    expected = sign(app_id, raw_body, timestamp, oa_secret)
    if not hmac.compare_digest(expected.encode(), header.strip().encode()):
        raise BadSignature("Signature does not match; check ASSISTANT_ZALO_OA_SECRET.")
    return event
