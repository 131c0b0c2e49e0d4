"""The one error type of the ingest stage (re-exported by assistant.errors)."""
from assistant.errors import AssistantError


class IngestError(AssistantError):
    """A file could not be ingested. The message names the file and the reason."""

    status = 422
    code = "ingest_error"

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
