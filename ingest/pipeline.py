"""Ingest entry points: one file -> ParsedDocument; a folder -> documents plus per-file errors.

parse_file: load -> normalize -> sections -> table records + prose records -> assignments
-> duties written under the agency headings of "Tổ chức thực hiện".
parse_corpus: every file of a folder, with catalog metadata; a bad or unsupported file becomes
an IngestError in the returned list and never stops the others.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.assignments import apply_assignments, extract_assignments
from ingest.catalog import Catalog, load_catalog, meta_for
from ingest.duties import extract_duties, sentence_duties
from ingest.errors import IngestError
from ingest.loaders import load
from ingest.normalize import normalize
from ingest.prose import extract_prose_records
from ingest.records import DocumentMeta, LoadedDocument, ParsedDocument, Task
from ingest.sections import parse_sections, section_path_at
from ingest.table_records import extract_table_records

CATALOG_NAME = "catalog.json"


def _load(path: Path) -> LoadedDocument:
    try:
        return load(path)
    except IngestError:
        raise
    except Exception as exc:  # a loader bug or a corrupt file: report it, do not crash
        raise IngestError(path, f"cannot load file ({type(exc).__name__}: {exc})") from exc


def _dedupe(records: list) -> list:
    """Drop records that repeat an earlier one (same content id)."""
    seen: set = set()
    out = []
    for rec in records:
        if rec.id not in seen:
            seen.add(rec.id)
            out.append(rec)
    return out


def parse_text(text: str, meta: DocumentMeta, content_hash: str = "") -> ParsedDocument:
    """Parse already-loaded text (the stages after loading)."""
    norm = normalize(text)
    sections = parse_sections(norm, meta.doc_id)
    records: list = list(extract_table_records(meta.doc_id, norm, meta.province,
                                               section_path_at=section_path_at(sections)))
    records += extract_prose_records(meta.doc_id, norm, sections, title=meta.title, province=meta.province)
    assignments = extract_assignments(meta.doc_id, norm, sections, province=meta.province)
    apply_assignments(records, assignments, sections)
    # after apply_assignments: a duty's owners come from its own heading, never by reference
    duties = extract_duties(meta.doc_id, norm, sections, assignments, province=meta.province)
    # a bullet read as a prose task is the agency's duty when it sits under the agency's heading
    spans = [(d.start, d.end) for d in duties]
    records = [r for r in records if not (isinstance(r, Task) and r.source == "prose"
                                          and any(a < r.end and r.start < b for a, b in spans))]
    records += duties
    # text outside every part (a news report, a conclusion): sentences that charge an agency
    records += sentence_duties(meta.doc_id, norm, sections, [(r.start, r.end) for r in records], province=meta.province)
    return ParsedDocument(
        meta=meta,
        source_text=text,
        normalized=norm,
        sections=sections,
        records=_dedupe(records + assignments),
        content_hash=content_hash or hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_file(path: str | Path, meta: DocumentMeta | None = None,
               loaded: LoadedDocument | None = None, catalog: Catalog | None = None) -> ParsedDocument:
    """Parse one file. Without meta, its header and the catalog (default: the one beside the
    file) supply it."""
    path = Path(path)
    loaded = loaded or _load(path)  # checks existence, size, emptiness and format first
    if not loaded.text.strip():
        raise IngestError(path, "no text could be extracted")
    if meta is None:
        if catalog is None:
            try:
                catalog = load_catalog(path.parent / CATALOG_NAME)
            except IngestError:
                catalog = {}
        meta = meta_for(path, catalog, loaded.text)
    try:
        return parse_text(loaded.text, meta, file_hash(path))
    except IngestError:
        raise
    except Exception as exc:  # a parser bug on one file must not sink a whole corpus run
        raise IngestError(path, f"cannot parse ({type(exc).__name__}: {exc})") from exc


def corpus_files(folder: str | Path) -> list[Path]:
    """Files of a folder that are meant as documents (the catalog and hidden files excluded)."""
    folder = Path(folder)
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name != CATALOG_NAME
    )


def parse_corpus(folder: str | Path, catalog_path: str | Path | None = None
                 ) -> tuple[list[ParsedDocument], list[IngestError]]:
    """Parse every document of a folder; failures (unsupported files too) are collected, never raised."""
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
            loaded = _load(path)
            docs.append(parse_file(path, meta_for(path, catalog, loaded.text), loaded))
        except IngestError as exc:
            errors.append(exc)
        except Exception as exc:
            errors.append(IngestError(path, f"{type(exc).__name__}: {exc}"))
    return docs, errors
