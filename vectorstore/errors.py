"""Errors of the index stage (the base type lives in ingest/errors.py)."""
from __future__ import annotations

from ingest.errors import AssistantError


class IndexNotReady(AssistantError):
    status = 503
    code = "index_not_ready"


class EmbedderMismatch(AssistantError):
    status = 409
    code = "embedder_mismatch"


class EmbedderUnavailable(AssistantError):
    status = 503
    code = "embedder_unavailable"


class IndexLocked(AssistantError):
    status = 409
    code = "index_locked"
