"""The errors the assistant and its channels raise and catch, gathered in one place.

The base type lives at the bottom of the pipeline (ingest/errors.py) so that ingest and the index
can raise it without importing upwards; the API maps every one to one JSON shape
(assistant/api/errors.py).
"""
from __future__ import annotations

from ingest.errors import AssistantError, IngestError, NotFound
from vectorstore.errors import EmbedderMismatch, EmbedderUnavailable, IndexLocked, IndexNotReady

__all__ = ["AssistantError", "EmbedderMismatch", "EmbedderUnavailable", "IndexLocked", "IndexNotReady",
           "IngestError", "NotFound"]
