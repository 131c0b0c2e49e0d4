"""Ingest entry points: one file -> ParsedDocument; a folder -> documents plus per-file errors.

parse_file: load -> normalize -> sections -> table records + prose records -> assignments.
parse_corpus: every supported file of a folder, with catalog metadata; a bad file becomes an
IngestError in the returned list and never stops the others.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.errors import IngestError
from ingest.records import DocumentMeta, LoadedDocument, NormalizedText, ParsedDocument

# Used only when ingest.loaders is not importable; the loaders own the real list.
_FALLBACK_SUFFIXES = {".txt", ".md"}
CATALOG_NAME = "catalog.json"


def supported_suffixes() -> set[str]:
    try:
        from ingest import loaders
    except ImportError:
        return set(_FALLBACK_SUFFIXES)
    for name in ("SUPPORTED_SUFFIXES", "SUFFIXES", "supported_suffixes"):
        value = getattr(loaders, name, None)
        if value is not None:
            found = set(value() if callable(value) else value)
            # suffixes whose loader misses a library are still listed, so they get reported
            missing = getattr(loaders, "unavailable_suffixes", None)
            if callable(missing):
                found |= set(missing())
            return found
    registry = getattr(loaders, "LOADERS", None)
    if isinstance(registry, dict):
        return set(registry)
    return {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}


def _load(path: Path) -> LoadedDocument:
    try:
        from ingest.loaders import load
    except ImportError:
        load = None
    if load is not None:
        try:
            return load(path)
        except IngestError:
            raise
        except Exception as exc:  # a loader bug or a corrupt file: report it, do not crash
            raise IngestError(path, f"cannot load file ({type(exc).__name__}: {exc})") from exc
    if path.suffix.lower() not in _FALLBACK_SUFFIXES:
        raise IngestError(path, f"no loader for {path.suffix or 'files without a suffix'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror})") from exc
    return LoadedDocument(path=str(path), text=data.decode("utf-8", errors="replace"))


def _normalize(text: str) -> NormalizedText:
    try:
        from ingest.normalize import normalize
    except ImportError:
        return NormalizedText(text=text, offsets=list(range(len(text) + 1)))
    return normalize(text)


def _table_records(doc_id: str, norm: NormalizedText, province: str, path_at) -> list:
    try:
        from ingest.table_records import extract_table_records
    except ImportError:  # the tables stage lands in parallel
        return []
    return list(extract_table_records(doc_id, norm, province, section_path_at=path_at))


def _dedupe(records: list) -> list:
    """Drop records that repeat an earlier one (same id, or same kind, section, text and span)."""
    seen: set = set()
    out = []
    for rec in records:
        key = rec.id
        if key in seen:
            continue
        seen.add(key)
        out.append(rec)
    return out


def parse_text(text: str, meta: DocumentMeta, content_hash: str = "",
               loaded: LoadedDocument | None = None) -> ParsedDocument:
    """Parse already-loaded text (the stages after loading)."""
    from ingest.assignments import apply_assignments, extract_assignments
    from ingest.prose import extract_prose_records
    from ingest.sections import parse_sections, section_path_at

    norm = _normalize(text)
    sections = parse_sections(norm, meta.doc_id)
    path_at = section_path_at(sections)
    records: list = _table_records(meta.doc_id, norm, meta.province, path_at)
    records += extract_prose_records(meta.doc_id, norm, sections, title=meta.title, province=meta.province)
    assignments = extract_assignments(meta.doc_id, norm, sections, province=meta.province)
    apply_assignments(records, assignments, sections)
    records = _dedupe(records + assignments)
    return ParsedDocument(
        meta=meta,
        source_text=text,
        normalized=norm,
        sections=sections,
        records=records,
        content_hash=content_hash or hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def parse_file(path: str | Path, meta: DocumentMeta | None = None) -> ParsedDocument:
    """Parse one file. Without meta, the catalog beside the file (or a guess) supplies it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise IngestError(path, "file is empty")
    loaded = _load(path)
    if not loaded.text.strip():
        raise IngestError(path, "no text could be extracted")
    if meta is None:
        from ingest.catalog import load_catalog, meta_for

        try:
            catalog = load_catalog(path.parent / CATALOG_NAME)
        except IngestError:
            catalog = {}
        meta = meta_for(path, catalog, loaded.text)
    try:
        return parse_text(loaded.text, meta, hashlib.sha256(data).hexdigest(), loaded)
    except IngestError:
        raise
    except Exception as exc:  # a parser bug on one file must not sink a whole corpus run
        raise IngestError(path, f"cannot parse ({type(exc).__name__}: {exc})") from exc


def corpus_files(folder: str | Path) -> list[Path]:
    """Supported documents of a folder (sorted; the catalog and hidden files excluded)."""
    folder = Path(folder)
    suffixes = supported_suffixes()
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name != CATALOG_NAME
        and p.suffix.lower() in suffixes
    )


def parse_corpus(folder: str | Path, catalog_path: str | Path | None = None
                 ) -> tuple[list[ParsedDocument], list[IngestError]]:
    """Parse every document of a folder; failures are collected, never raised."""
    from ingest.catalog import load_catalog, meta_for

    folder = Path(folder)
    errors: list[IngestError] = []
    if not folder.is_dir():
        return [], [IngestError(folder, "not a folder")]
    try:
        catalog = load_catalog(catalog_path or folder / CATALOG_NAME)
    except IngestError as exc:
        errors.append(exc)
        catalog = {}
    docs: list[ParsedDocument] = []
    for path in corpus_files(folder):
        try:
            meta = catalog.get(path.stem)
            if meta is None:
                loaded = _load(path)
                meta = meta_for(path, catalog, loaded.text)
            docs.append(parse_file(path, meta))
        except IngestError as exc:
            errors.append(exc)
        except Exception as exc:
            errors.append(IngestError(path, f"{type(exc).__name__}: {exc}"))
    return docs, errors
