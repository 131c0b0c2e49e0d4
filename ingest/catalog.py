"""Document metadata: the document's own header first (ingest.header), the catalog over it.

data/plans/catalog.json is optional; an entry states only what it wants to override (title,
province, kind, number, issued, status …) and everything else comes from the header. A file
without an entry gets its issuer, number, date, type, title and scope from its header. A catalog
that cannot be read or parsed raises IngestError naming the file.

`entry_fingerprint(entry)` lets the index notice an edited catalog entry: an unchanged file
with a changed entry is parsed again, so its metadata is never stale.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields, replace
from pathlib import Path

from ingest.errors import IngestError
from ingest.header import headline, province_label, read_header
from ingest.records import DocumentMeta

_META_FIELDS = {f.name for f in fields(DocumentMeta)}
Catalog = dict[str, dict]  # doc_id -> the fields its entry states


def load_catalog(path: str | Path) -> Catalog:
    """Catalog entries by doc_id (only the fields each entry states); {} when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"cannot read catalog ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(path, f"catalog is not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(data, dict):  # {"doc_id": {...}} is accepted as well as a list
        data = [{"doc_id": k, **v} if isinstance(v, dict) else v for k, v in data.items()]
    if not isinstance(data, list):
        raise IngestError(path, "catalog must be a JSON list of document entries")
    out: Catalog = {}
    for n, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise IngestError(path, f"catalog entry {n} is not an object")
        doc_id = entry.get("doc_id") or (Path(str(entry["file"])).stem if entry.get("file") else None)
        if not doc_id:
            raise IngestError(path, f"catalog entry {n} has neither doc_id nor file")
        known = {k: v for k, v in entry.items() if k in _META_FIELDS and v is not None}
        known["doc_id"] = str(doc_id)
        out[str(doc_id)] = known
    return out


def entry_fingerprint(entry: dict | None) -> str:
    """Short hash of a catalog entry ("" without one)."""
    if not entry:
        return ""
    return hashlib.sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def header_meta(doc_id: str, text: str, file: str = "") -> DocumentMeta:
    """Metadata read from the document's own header."""
    h = read_header(text or "")
    first = next((ln.strip(" #*|") for ln in (text or "").splitlines() if len(ln.strip(" #*|")) > 3), "")
    number, doc_type = h.number, h.doc_type
    title = h.title or (first if len(first) <= 200 and not first.startswith("[") else "")
    if not title:  # no header: a press article or transcription goes by its headline and the code it names
        title, named, named_type = headline(text or "")
        number, doc_type = number or named, doc_type or named_type
    title = title or doc_id.replace("-", " ")
    return DocumentMeta(
        doc_id=doc_id, title=title, province=h.province, kind="plan",
        issuer=h.issuer, number=number, issued=h.issued, file=file, doc_type=doc_type, scope=h.scope,
        level=h.level, district=h.district, attached_to=h.attached_to, signer=h.signer, signer_role=h.signer_role,
    )


def meta_for(path: str | Path, catalog: Catalog, text: str | None = None) -> DocumentMeta:
    """A file's metadata: its header, with the catalog entry's fields over it."""
    path = Path(path)
    header = header_meta(path.stem, text or "", path.name)
    entry = catalog.get(path.stem)
    if not entry:
        return header
    meta = replace(header, **{k: v for k, v in entry.items() if k != "doc_id"})
    if "province" in entry and entry["province"] != header.province and "scope" not in entry:
        p = entry["province"]  # the catalog names another province: the scope follows it
        meta = replace(meta, scope=province_label(p) if p else "", level="province" if p else "", district="")
    return meta
