"""The project's one error type, at the bottom of the pipeline so every stage can raise it.

Every error a user can cause is an AssistantError (or subclass) carrying its HTTP status; the API
(assistant/api/errors.py) turns it into {"error": {"code", "message", "status"}} and the CLI into
one line on stderr. Stages above add their own subclasses (vectorstore/errors.py);
assistant/errors.py gathers them for the assistant and its channels.
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


class IngestError(AssistantError):
    """A file could not be ingested. The message names the file and the reason."""

    status = 422
    code = "ingest_error"

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
