"""parse_file: load -> normalize -> sections -> records for one file.

TEMPORARY minimal version (identity normalization, no sections/records) so the index stage can
be built in parallel; the ingest-structure work replaces the body, keeping the signature.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.errors import IngestError
from ingest.records import DocumentMeta, NormalizedText, ParsedDocument


def parse_file(path: str | Path, meta: DocumentMeta | None = None) -> ParsedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise IngestError(path, "file is empty")
    text = data.decode("utf-8", errors="replace")
    meta = meta or DocumentMeta(doc_id=path.stem, file=path.name)
    norm = NormalizedText(text=text, offsets=list(range(len(text) + 1)))
    return ParsedDocument(
        meta=meta,
        source_text=text,
        normalized=norm,
        sections=[],
        records=[],
        content_hash=hashlib.sha256(data).hexdigest(),
    )
