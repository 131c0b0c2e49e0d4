"""Assertions shared by the API test modules."""
from __future__ import annotations


def assert_error(resp, status: int, code: str | None = None) -> dict:
    """The one error shape: {"error": {"code", "message", "status"}}, nothing else."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]
