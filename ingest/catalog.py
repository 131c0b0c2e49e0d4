"""Document catalog: data/plans/catalog.json -> DocumentMeta by doc_id (the file stem).

A file missing from the catalog still gets usable metadata: doc_id and file from its name, a
title from the text (the "KẾ HOẠCH …" heading, else the stem) and the province named most often
("tỉnh X"). A catalog that cannot be read or parsed raises IngestError naming the file.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import fields
from pathlib import Path

from ingest.errors import IngestError
from ingest.records import DocumentMeta

_META_FIELDS = {f.name for f in fields(DocumentMeta)}
# "tỉnh Thanh Hóa", "tỉnh Bình Định": one to three capitalized syllables after "tỉnh".
_RE_PROVINCE = re.compile(r"\b[Tt]ỉnh\s+((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]*){0,2})")
_NOT_PROVINCE = {"Ủy", "Uỷ", "Tỉnh", "Thường", "Ban", "Hội", "Đoàn", "Công", "Văn", "Chủ"}


def load_catalog(path: str | Path) -> dict[str, DocumentMeta]:
    """Catalog entries by doc_id; {} when the file does not exist."""
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
    out: dict[str, DocumentMeta] = {}
    for n, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise IngestError(path, f"catalog entry {n} is not an object")
        doc_id = entry.get("doc_id") or (Path(entry["file"]).stem if entry.get("file") else None)
        if not doc_id:
            raise IngestError(path, f"catalog entry {n} has neither doc_id nor file")
        known = {k: v for k, v in entry.items() if k in _META_FIELDS}
        known["doc_id"] = str(doc_id)
        known.setdefault("file", f"{doc_id}.txt")
        for key in ("title", "province", "kind", "issuer", "file"):
            if known.get(key) is None:
                known.pop(key, None)
        out[str(doc_id)] = DocumentMeta(**known)
    return out


def guess_province(text: str) -> str:
    """The province named most often as "tỉnh X" in the text ("" when none)."""
    counts = Counter(
        m.group(1).strip() for m in _RE_PROVINCE.finditer(text)
        if m.group(1).split()[0] not in _NOT_PROVINCE
    )
    if not counts:
        return ""
    return counts.most_common(1)[0][0]


def guess_title(text: str, fallback: str) -> str:
    """The plan's own title: the line(s) after a "KẾ HOẠCH" heading, else the first line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and ln.strip() != "|"]
    for i, ln in enumerate(lines[:80]):
        if re.fullmatch(r"KẾ HOẠCH|QUYẾT ĐỊNH|ĐỀ ÁN|CHƯƠNG TRÌNH", ln) and i + 1 < len(lines):
            kind = ln.capitalize()
            title = lines[i + 1]
            if title.isupper():
                title = title.capitalize()
            return f"{kind} {title[0].lower()}{title[1:]}" if title else kind
    return lines[0][:200] if lines else fallback


def meta_for(path: str | Path, catalog: dict[str, DocumentMeta], text: str | None = None) -> DocumentMeta:
    """Catalog meta for a file, or meta guessed from its name and text."""
    path = Path(path)
    if path.stem in catalog:
        return catalog[path.stem]
    text = text or ""
    return DocumentMeta(
        doc_id=path.stem,
        title=guess_title(text, path.stem.replace("-", " ")),
        province=guess_province(text),
        kind="plan",
        file=path.name,
    )
