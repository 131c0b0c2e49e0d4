"""Structure-aware chunks of a ParsedDocument: one chunk per table row, sentence-packed prose.

Rules:
- a table-row record (Task/Target/Project read from a table) is exactly one "row" chunk whose
  text names its fields ("Nhiệm vụ: … | Chủ trì: … | Thời gian: …") and whose embed_text starts
  with the province and the section path (appendix and group rows);
- prose is cut per section unit (a numbered section; lettered points and bullets stay with their
  parent) into sentence-aligned chunks of at most `max_chars`; a chunk never crosses a unit and
  therefore never crosses a top-level part; text covered by row records is not repeated as prose;
- a document without sections falls back to paragraph/sentence packing over the whole text.
Offsets (`start`/`end`) are source offsets; `text` is the normalized span.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.records import ParsedDocument, Project, Target, Task, content_id

MAX_CHARS = 800
# Lettered points and bullets are too small to stand alone: they stay in their parent's chunks.
_MERGED_KINDS = {"letter", "bullet", "root"}


@dataclass
class Chunk:
    id: str
    doc_id: str
    title: str
    province: str
    doc_kind: str
    kind: str  # "row" | "prose"
    section: str
    text: str  # display text
    embed_text: str  # what is embedded and lexically indexed (without the "passage: " prefix)
    start: int
    end: int
    record_id: str | None = None
    record_kind: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))  # every field is a str/int/None: no deep copy (asdict) needed

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})


def _join(names: list[str]) -> str:
    return "; ".join(n for n in names if n)


def row_text(rec) -> str:
    """The fields of a table-row record as one line: "Nhiệm vụ: … | Chủ trì: … | …"."""
    parts: list[tuple[str, str | None]] = []
    if isinstance(rec, Task):
        parts = [("Nhiệm vụ", rec.text), ("Chủ trì", _join(rec.lead)),
                 ("Phối hợp", _join(rec.partners)), ("Thời gian", rec.timeframe), ("Ghi chú", rec.note)]
    elif isinstance(rec, Target):
        base = rec.baseline
        if base and rec.baseline_year:
            base = f"{base} ({rec.baseline_year})"
        parts = [("Chỉ tiêu", rec.indicator), ("Hiện trạng", base)]
        parts += [(year, value) for year, value in sorted(rec.values.items())]
        parts += [("Đơn vị", rec.unit), ("Chủ trì", _join(rec.owners)),
                  ("Phối hợp", _join(rec.partners)), ("Căn cứ", rec.legal_basis)]
    elif isinstance(rec, Project):
        parts = [("Dự án", rec.name), ("Chủ trì", _join(rec.owner)), ("Mục tiêu", rec.purpose),
                 ("Quy mô", rec.scope), ("Căn cứ", rec.legal_basis), ("Ghi chú", rec.note)]
    return " | ".join(f"{k}: {' '.join(str(v).split())}" for k, v in parts if v)


def is_row_record(rec) -> bool:
    return isinstance(rec, (Task, Target, Project)) and getattr(rec, "source", "table") == "table"


def _context(province: str, path: str) -> str:
    return " › ".join(p for p in (province, path) if p)


def top_level_sections(doc: ParsedDocument) -> list:
    """Sections directly under the root: Roman parts and appendices (bullets of a preamble,
    which have no parent either, are not parts)."""
    by_id = {s.id: s for s in doc.sections}
    out = []
    for s in doc.sections:
        if s.kind in _MERGED_KINDS:
            continue
        parent = by_id.get(s.parent_id) if s.parent_id else None
        if parent is None or parent.kind == "root":
            out.append(s)
    return out


def _norm_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Source span -> normalized span (offsets is non-decreasing)."""
    n = len(offsets) - 1
    a = bisect.bisect_left(offsets, start, 0, n)
    b = bisect.bisect_left(offsets, end, 0, n)
    return a, max(a, b)


def _units(doc: ParsedDocument) -> list[tuple[int, int, object]]:
    """Elementary normalized intervals, each owned by its deepest chunking unit (or None)."""
    n = len(doc.normalized.text)
    units = [s for s in doc.sections if s.kind not in _MERGED_KINDS and s.norm_end > s.norm_start]
    cuts = sorted({0, n, *(max(0, min(n, s.norm_start)) for s in units),
                   *(max(0, min(n, s.norm_end)) for s in units)})
    out: list[tuple[int, int, object]] = []
    for a, b in zip(cuts, cuts[1:]):
        owner = None
        for s in units:
            if s.norm_start <= a and b <= s.norm_end and (
                owner is None or (s.norm_end - s.norm_start) < (owner.norm_end - owner.norm_start)
            ):
                owner = s
        if out and out[-1][2] is owner and out[-1][1] == a:
            out[-1] = (out[-1][0], b, owner)
        else:
            out.append((a, b, owner))
    return out


def _subtract(a: int, b: int, masks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, cur = [], a
    for ma, mb in masks:
        if mb <= cur or ma >= b:
            continue
        if ma > cur:
            pieces.append((cur, ma))
        cur = max(cur, mb)
    if cur < b:
        pieces.append((cur, b))
    return pieces


_LINE = re.compile(r"[^\n]+")
_WORD_CHARS = re.compile(r"[^\W\d_]")
MIN_PROSE_LETTERS = 12
# Between two rows of one table lie only separators and group rows ("|", "II Phát triển hạ
# tầng"); the row chunks already carry that context, so such gaps are not prose.
TABLE_GAP_CHARS = 250


def _close_table_gaps(masks: list[tuple[int, int]], text: str, heading_starts: list[int]
                      ) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in masks:
        if out and a - out[-1][1] <= TABLE_GAP_CHARS and "\n\n" not in text[out[-1][1]:a].strip() \
                and not any(out[-1][1] <= h < a for h in heading_starts):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _sent_tokenize(text: str) -> list[str]:
    from underthesea import sent_tokenize  # imported late: it loads its model on import

    return sent_tokenize(text)


def sentence_spans(text: str, a: int, b: int, max_chars: int = MAX_CHARS) -> list[tuple[int, int]]:
    """Sentence spans of text[a:b]: lines first (lists and table cells are line-based), then
    underthesea sentences inside long lines; an over-long sentence is cut at spaces."""
    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text, a, b):
        ls, le = m.start(), m.end()
        line = text[ls:le]
        if not line.strip():
            continue
        if len(line) <= 200:
            pieces = [(ls, le)]
        else:
            pieces, pos = [], 0
            for sent in _sent_tokenize(line):
                i = line.find(sent, pos)
                if i < 0:
                    continue
                pieces.append((ls + i, ls + i + len(sent)))
                pos = i + len(sent)
            if not pieces:
                pieces = [(ls, le)]
        for ps, pe in pieces:
            while pe - ps > max_chars:
                cut = text.rfind(" ", ps, ps + max_chars)
                cut = cut if cut > ps else ps + max_chars
                spans.append((ps, cut))
                ps = cut
                while ps < pe and text[ps] == " ":
                    ps += 1
            if pe > ps:
                spans.append((ps, pe))
    return spans


def pack(spans: list[tuple[int, int]], max_chars: int = MAX_CHARS) -> list[tuple[int, int]]:
    """Greedy packing of consecutive sentence spans into chunks of at most max_chars."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and e - out[-1][0] <= max_chars:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def chunk_document(doc: ParsedDocument, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """All chunks of one document, in text order (rows and prose interleaved by position)."""
    meta = doc.meta
    norm = doc.normalized
    made: list[Chunk] = []
    seen: dict[str, int] = {}

    def add(kind, section, text, embed_text, start, end, record_id=None, record_kind=None):
        cid = content_id(meta.doc_id, embed_text)
        if cid in seen:  # identical text twice in one document: keep both, ids stay unique
            seen[cid] += 1
            cid = content_id(meta.doc_id, embed_text, seen[cid])
        else:
            seen[cid] = 0
        made.append(Chunk(cid, meta.doc_id, meta.title, meta.province, meta.kind, kind, section,
                          text, embed_text, start, end, record_id, record_kind))

    rows = [r for r in doc.records if is_row_record(r)]
    masks = []
    for rec in rows:
        body = row_text(rec)
        add("row", rec.section, body, f"{_context(meta.province, rec.section)} | {body}",
            rec.start, rec.end, rec.id, rec.kind)
        if rec.end > rec.start:
            masks.append(_norm_span(norm.offsets, rec.start, rec.end))
    masks = _close_table_gaps(sorted(masks), norm.text, [s.norm_start for s in doc.sections])

    for a, b, owner in _units(doc):
        path = owner.path if owner is not None else ""
        heading_only = owner is not None and a == owner.norm_start and any(
            u.parent_id == owner.id for u in doc.sections if u.kind not in _MERGED_KINDS)
        for pa, pb in _subtract(a, b, masks):
            for cs, ce in pack(sentence_spans(norm.text, pa, pb, max_chars), max_chars):
                text = norm.text[cs:ce].strip()
                if len(_WORD_CHARS.findall(text)) < MIN_PROSE_LETTERS:  # "|", "4.", stray cells
                    continue
                # A heading followed only by sub-sections says nothing the sub-sections' paths don't.
                if heading_only and cs == a and "\n" not in text and len(text) < 120:
                    continue
                src_s, src_e = norm.to_source(cs, ce)
                add("prose", path, text, f"{_context(meta.province, path)}\n{text}", src_s, src_e)
    made.sort(key=lambda c: (c.start, c.kind != "row"))
    return made
