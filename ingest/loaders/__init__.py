"""Loaders: file -> LoadedDocument (decoded text, native tables rendered into it).

Loaders are registered by file suffix (`registry.register`); `load(path)` picks one by suffix.
A loader whose optional library is missing is disabled with a message saying what to install.
Every failure raises `ingest.errors.IngestError(path, reason)`.
"""
from __future__ import annotations

# Importing the modules registers their loaders.
from ingest.loaders import docx_loader, html_loader, pdf_loader, text_loader  # noqa: F401
from ingest.loaders.registry import (
    MAX_BYTES,
    load,
    render_table,
    supported_suffixes,
    unavailable_suffixes,
)

__all__ = ["MAX_BYTES", "load", "render_table", "supported_suffixes", "unavailable_suffixes"]
