"""One project exception type carrying its HTTP status; one JSON error shape.

Every error a user can cause is an AssistantError (or subclass). The API turns it into
{"error": {"code": ..., "message": ..., "status": ...}} and the CLI into one line on stderr.
"""
from __future__ import annotations


class AssistantError(Exception):
    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


class NotFound(AssistantError):
    status = 404
    code = "not_found"


class IndexNotReady(AssistantError):
    status = 503
    code = "index_not_ready"


class EmbedderMismatch(AssistantError):
    status = 409
    code = "embedder_mismatch"
