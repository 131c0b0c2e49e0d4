"""How many: tasks, targets or projects of a plan or of one of its parts, groups of a part, or
sub-indicators of a numbered indicator, counted from the records and the section tree.

The part is found in the document's own structure: an appendix or part by its number ("Phụ lục
II", "Phần A", "chỉ tiêu số 11") or a heading whose words the question uses ("phần mục tiêu phát
triển xã hội số"). The answer states the count, lists what it counted and cites the part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold

from assistant.answers.corpus import Corpus, Scope
from assistant.answers.drafting import Draft, Evidence, clip
from assistant.answers.records import Rec
from assistant.answers.tasks import rec_evidence
from assistant.understanding import Question

SEP = " › "
SHOWN = 12
HEADING_COVERAGE = 0.5  # a heading is the asked part when it covers this much of the part's words

# the counted noun -> what is counted
_NOUNS = [
    (r"chi tieu con|sub[- ]?(indicators|targets)", "sub"),
    (r"nhom|linh vuc|giai doan|phan|muc|noi dung|groups?|phases?|stages?|areas?", "group"),
    (r"chi tieu|muc tieu|tieu chi|targets?|indicators?|goals?", "target"),
    (r"du an|projects?", "project"),
    (r"van ban|ke hoach|de an|documents?|plans?", "document"),
    (r"nhiem vu|giai phap|cong viec|dau viec|viec|hang muc|chuong trinh|tasks?|items?|duties", "task"),
]
_RE_COUNTED = re.compile(r"\b(?:bao nhieu|may|so luong|tong so|how many)\s+(" + "|".join(p for p, _ in _NOUNS) + r")\b")
_RE_PART = re.compile(r"\b(phu luc|phan|muc|appendix|part|section)\s+(?:so\s+)?([ivx]+|\d{1,2}|[a-d])\b(?!\s*%)")
_RE_ROW = re.compile(r"\b(?:chi tieu|nhiem vu|muc|dong|indicator|task|row)\s+(?:so\s+|no\.?\s*)?(\d{1,3}(?:\.\d{1,2})?)\b")
_ROLE_WORDS = {"bao", "nhiêu", "nhieu", "mấy", "may", "gồm", "gom", "có", "co", "tất", "cả", "tổng", "số", "con",
               "lượng", "phần", "phụ", "lục", "mục", "nhóm", "nhiệm", "vụ", "chỉ", "tiêu", "dự", "án", "phan", "phu",
               "luc", "muc", "nhom", "nhiem", "vu", "chi", "tieu", "du", "an", "tong", "so", "luong", "tat", "ca"}


@dataclass
class Part:
    doc_id: str
    path: str  # section path prefix ("" = the whole document)
    label: str  # how the answer names it
    start: int = 0
    end: int = 0
    row: str | None = None  # a numbered indicator/task whose sub-rows are counted


def counted(q: Question) -> str:
    return counted_noun(q)[0]


def counted_noun(q: Question) -> tuple[str, str]:
    """(what is counted, the noun as the question writes it: "nhóm", "chỉ tiêu con", "tasks")."""
    folded = fold(q.text)
    m = _RE_COUNTED.search(folded)
    if not m:
        return "task", ""
    kind = next(kind for pat, kind in _NOUNS if re.fullmatch(pat, m.group(1)))
    noun = q.text[m.start(1):m.end(1)] if len(folded) == len(q.text) else m.group(1)
    return kind, noun.lower()


def _paths(corpus: Corpus, doc_id: str) -> dict[str, tuple[int, int]]:
    """Every section path of a document (sections and table group rows) with a source span."""
    out: dict[str, tuple[int, int]] = {}
    for s in corpus.sections(doc_id):
        if s.get("path"):
            out.setdefault(s["path"], (s["start"], s["end"]))
    for r in corpus.records(doc_id):
        parts = r.section.split(SEP) if r.section else []
        for i in range(1, len(parts) + 1):
            p = SEP.join(parts[:i])
            a, b = out.get(p, (r.start, r.end))
            out[p] = (min(a, r.start), max(b, r.end))
    return out


def _number(segment: str) -> str:
    m = re.match(r"^(?:PHỤ LỤC|Phụ lục|PHẦN|Phần)?\s*(?:SỐ\s+|số\s+)?([IVXivx]+|\d{1,2}(?:\.\d{1,2})*|[A-Za-z])[.)]?(?:\s|$)",
                 segment.strip())
    return fold(m.group(1)).lstrip("0") if m else ""


def find_part(corpus: Corpus, q: Question, doc_id: str) -> Part | None:
    folded = fold(q.text)
    paths = _paths(corpus, doc_id)
    row = _RE_ROW.search(folded)
    if row and counted(q) in ("sub", "target", "task"):
        num = row.group(1)
        if any((r.row or "").startswith(num + ".") for r in corpus.records(doc_id)):
            rec = next((r for r in corpus.records(doc_id) if r.row == num), None)
            span = (rec.start, rec.end) if rec else (0, 0)
            return Part(doc_id, "", f"{'indicator' if q.language == 'en' else 'mục'} {num}", *span, row=num)
    wanted = [(m.group(1), fold(m.group(2)).lstrip("0")) for m in _RE_PART.finditer(folded)]
    words = [w for w in q.topic if w not in _ROLE_WORDS and not w.isdigit()]
    best: tuple[float, str] | None = None
    for path in paths:
        segs = path.split(SEP)
        ok = True
        for kind, num in wanted:  # every numbered part the question names must be on the path
            if not any(_number(s) == num and (kind not in ("phu luc", "appendix") or fold(s).startswith("phu luc"))
                       for s in segs):
                ok = False
                break
        if not ok:
            continue
        cov = corpus.vocab.coverage(words, segs[-1], q.accented) if words else 0.0
        if not wanted and cov < HEADING_COVERAGE:
            continue
        # the numbered part itself, not a deeper heading, unless the words point deeper
        score = cov + (1.0 if wanted and _number(segs[-1]) == wanted[-1][1] else 0.0) - 0.01 * len(segs)
        if best is None or score > best[0]:
            best = (score, path)
    if best is None:
        return None if (wanted or words) else Part(doc_id, "", corpus.label(doc_id, q.language))
    a, b = paths[best[1]]
    return Part(doc_id, best[1], best[1].split(SEP)[-1], a, b)


def _children(corpus: Corpus, part: Part) -> list[str]:
    """The next-level headings under a part (sections and table group rows)."""
    prefix = part.path + SEP if part.path else ""
    out: list[str] = []
    for p in _paths(corpus, part.doc_id):
        if p.startswith(prefix) and p != part.path:
            seg = p[len(prefix):].split(SEP)[0]
            if seg not in out and seg not in ("-", "+") and not re.fullmatch(r"[a-zđ]\)", seg):
                out.append(seg)
    return out


def _members(corpus: Corpus, part: Part, kind: str) -> list[Rec]:
    recs = [r for r in corpus.records(part.doc_id) if r.kind == kind]
    if part.row:
        return [r for r in recs if (r.row or "").startswith(part.row + ".")]
    if part.path:
        recs = [r for r in recs if r.section == part.path or r.section.startswith(part.path + SEP)]
    tables = [r for r in recs if r.source == "table"]
    return tables or recs  # an appendix table counts its rows; prose repeats them


def count_draft(corpus: Corpus, q: Question, scope: Scope) -> Draft | None:
    kind, asked_noun = counted_noun(q)
    docs = scope.doc_ids or [d for d in corpus.docs if not q.provinces or corpus.in_provinces(d, q.provinces)]
    en = q.language == "en"
    if kind == "document":
        return None  # the catalog answer lists and counts documents
    if len(docs) != 1:
        return None  # a count needs one document; otherwise the plans' own words answer
    part = find_part(corpus, q, docs[0])
    if part is None:
        return None
    draft = Draft()
    where = corpus.label(part.doc_id, q.language)
    n = draft.cite(Evidence(part.doc_id, part.path, part.start, part.end)) if part.end else None
    cite = f" [{n}]" if n else ""
    if kind == "group":
        items = _children(corpus, part)
        if not items:
            return None
        noun = asked_noun or ("headings" if en else "mục")
        draft.lines.append(f"{part.label} ({where}): {len(items)} {noun}{cite}:")
        draft.lines += [f"- {clip(i, 160)}" for i in items[:SHOWN * 2]]
        return draft
    members = _members(corpus, part, "target" if kind == "sub" else kind)
    if not members:
        return None
    nouns = {"task": ("tasks", "nhiệm vụ"), "target": ("targets", "chỉ tiêu"), "project": ("projects", "dự án"),
             "sub": ("sub-indicators", "chỉ tiêu")}[kind]
    noun = asked_noun or (nouns[0] if en else nouns[1])
    draft.lines.append(f"{part.label} ({where}): {len(members)} {noun}{cite}:")
    for r in members[:SHOWN]:
        m = draft.cite(rec_evidence(r))
        draft.records.append(r.raw)
        num = f"{r.row}. " if r.row else ""
        draft.lines.append(f"- {num}{clip(r.text, 140)} [{m}]")
    if len(members) > SHOWN:
        more = len(members) - SHOWN
        draft.lines.append(f"… and {more} more." if en else f"… và {more} {noun} khác.")
    return draft
