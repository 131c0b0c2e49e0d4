"""Answers about documents rather than their contents: what the index holds, a document's issuer,
number, date and signer, and what a plan is about (its purpose, its parts, its groups of tasks),
each cited to the header line, signature or heading it comes from.
"""
from __future__ import annotations

import re

from ingest.normalize import fold

from assistant.answers.corpus import Corpus, Scope
from assistant.answers.drafting import Draft, Evidence, clip, doc_label, issued_date, jurisdiction, short_issuer
from assistant.answers.evidence import find_phrase, split_sentences
from assistant.answers.extractive import ITEM_HEAD, item_head, list_after
from assistant.understanding import Question

HEAD = 6000  # where a header's lines are looked for
MAX_DOCS = 3  # documents described in one answer
TITLE_MATCH = 0.5  # a question names a document by its title words when it covers this much of them
PURPOSE_CHARS = 420


def _title_span(corpus: Corpus, doc_id: str) -> Evidence:
    """The document's title (or first line) in its source."""
    meta, src = corpus.meta(doc_id), corpus.source(doc_id)
    words = (meta.get("title") or "").split()
    for n in (6, 4, 2):
        span = find_phrase(src, " ".join(words[1:1 + n]), 0, HEAD) if len(words) > n else None
        if span:
            line_end = src.find("\n", span[1])
            return Evidence(doc_id, "", span[0], line_end if 0 < line_end - span[0] < 300 else span[1])
    head = re.search(r"\S[^\n]*", src)
    return Evidence(doc_id, "", head.start(), head.end()) if head else Evidence(doc_id, "", 0, 0)


def _field_span(corpus: Corpus, doc_id: str, field: str) -> Evidence | None:
    meta, src = corpus.meta(doc_id), corpus.source(doc_id)
    span = None
    if field == "number" and meta.get("number"):
        m = re.search(r"Số\s*(?:hiệu)?\s*[:|]?\s*" + r"\s*".join(re.escape(c) for c in meta["number"].replace(" ", "")),
                      src[:HEAD], re.I)
        span = m.span() if m else find_phrase(src, meta["number"], 0, HEAD)
    elif field == "issued":
        m = re.search(r"[^\n|,]{2,40},\s*ngày\s*\d{0,2}\s*tháng\s*\d{0,2}\s*năm\s*\d{4}", src[:HEAD])
        span = m.span() if m else None
    elif field == "signer" and meta.get("signer"):
        span = find_phrase(src, meta["signer"])
        if span and meta.get("signer_role"):  # the role lines above the name belong to the quote
            role = find_phrase(src, meta["signer_role"].split()[-1], max(0, span[0] - 200), span[0])
            span = (role[0], span[1]) if role else span
    elif field == "issuer" and meta.get("issuer"):
        span = find_phrase(src, meta["issuer"], 0, HEAD) or find_phrase(src, meta["issuer"].split(" tỉnh ")[0], 0, HEAD)
    if span is None:
        return None
    return Evidence(doc_id, "", span[0], span[1])


def named_docs(corpus: Corpus, q: Question, scope: Scope) -> list[str]:
    """The documents a question is about: those it names, else its province's or the one whose
    title its words cover, else every document when the index holds only one."""
    if scope.doc_ids:
        return scope.doc_ids
    docs = [d for d in corpus.docs if not q.provinces or corpus.in_provinces(d, q.provinces)]
    if len(docs) <= 1:
        return docs
    words = [w for w in q.topic if len(w) > 1]
    if words:
        scored = sorted(((corpus.vocab.coverage(words, corpus.meta(d).get("title") or "", q.accented), d) for d in docs),
                        reverse=True)
        if scored[0][0] >= TITLE_MATCH and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return [scored[0][1]]
    return docs if q.provinces else []


# -- what the index holds ------------------------------------------------------------------------
def catalog_draft(corpus: Corpus, q: Question, scope: Scope) -> Draft:
    docs = scope.doc_ids or [d for d in sorted(corpus.docs) if not q.provinces or corpus.in_provinces(d, q.provinces)]
    draft = Draft()
    en = q.language == "en"
    places = list(dict.fromkeys(jurisdiction(corpus.meta(d)) for d in docs if jurisdiction(corpus.meta(d))))
    draft.lines.append((f"I hold {len(docs)} document(s)" if en else f"Tôi có {len(docs)} văn bản")
                       + (f" ({', '.join(places)}):" if places else ":"))
    for d in docs:
        meta = corpus.meta(d)
        n = draft.cite(_title_span(corpus, d))
        issued = f", {issued_date(meta)}" if meta.get("issued") else ""
        where = jurisdiction(meta)
        draft.lines.append(f"- {where + ': ' if where else ''}{doc_label(meta, q.language)}{issued} [{n}]")
    return draft


# -- a document's metadata -----------------------------------------------------------------------
_FIELD_NAMES = {
    "vi": {"number": "Số hiệu", "issued": "Ngày ban hành", "issuer": "Cơ quan ban hành", "signer": "Người ký",
           "type": "Loại văn bản"},
    "en": {"number": "Number", "issued": "Issued", "issuer": "Issued by", "signer": "Signed by", "type": "Type"},
}


_REFERENCE = re.compile(r"\b(Nghị quyết|Quyết định|Chỉ thị|Kế hoạch|Chiến lược|Chương trình|Đề án|Kết luận|Thông báo"
                        r"|Công văn|Luật|Nghị định|Thông tư)\s+(số\s*)?\d", re.I)
_BASIS_LINE = re.compile(r"^\s*(Căn cứ|Thực hiện|Triển khai)\b|\b(thực hiện|triển khai|cụ thể hóa|theo)\s+\S+\s+\S*\s*số"
                         r"|\bthay thế\b", re.I)
BASIS_LINES = 4
REPLACED_CLAUSES = 2  # "… thay thế Quyết định số …" and "Các Quyết định sau đây hết hiệu lực: a) … b) …"
_REPLACES = re.compile(r"\bthay thế\b|\bhết hiệu lực\b|\bbãi bỏ\b", re.I)
_ASKS_REPLACED = re.compile(r"\b(thay the|het hieu luc|bai bo|replace[sd]?|supersede[sd]?|repeal(s|ed)?)\b")


def _basis_spans(corpus: Corpus, doc_id: str) -> list[Evidence]:
    """The lines of a document's opening that name what it implements, is based on or replaces
    ("Căn cứ Nghị quyết số …", "Thực hiện Quyết định số …", "… thay thế Kế hoạch số …")."""
    src = corpus.source(doc_id)
    out: list[Evidence] = []
    for m in re.finditer(r"[^\n]+", src[:HEAD * 2]):
        line = m.group(0)
        if line.isupper():  # the title in capitals: the answer's first line gives it already
            continue
        if _BASIS_LINE.search(line) and _REFERENCE.search(line) and not any(e.start <= m.start() < e.end for e in out):
            # the clause goes on over hard-wrapped lines to its ";" or "." (or a blank line)
            stop = re.search(r";|\.\s*\n|\n\s*\n", src[m.start():m.start() + 400])
            out.append(Evidence(doc_id, "", m.start(), m.start() + (stop.end() if stop else min(len(line), 400))))
        if len(out) >= BASIS_LINES:
            break
    replaced = 0
    for m in _REPLACES.finditer(src):  # a replaced plan is named late, too
        # the clause around it, from the previous to the next "\n", "." or ";" (found, not backtracked)
        a = max(src.rfind(c, max(0, m.start() - 400), m.start()) for c in "\n.;") + 1
        ends = [i for i in (src.find(c, m.end(), m.end() + 400) for c in "\n;") if i >= 0]
        stop = re.search(r"\.(?!\d)", src[m.end():m.end() + 400])
        ends += [m.end() + stop.start()] if stop else []
        b = min(ends, default=min(len(src), m.end() + 400))
        clause = src[a:b]
        if clause.rstrip().endswith(":"):  # "Các Quyết định sau đây hết hiệu lực …:" and the list of them
            _, b = list_after(src, b)
            clause = src[a:b]
        if _REFERENCE.search(clause) and not any(e.start <= a < e.end for e in out):
            out.append(Evidence(doc_id, "", a + len(clause) - len(clause.lstrip()), min(b, a + 900)))
            replaced += 1
            if replaced >= REPLACED_CLAUSES:
                break
    return out


def meta_draft(corpus: Corpus, q: Question, scope: Scope) -> Draft | None:
    docs = named_docs(corpus, q, scope)
    if not docs or len(docs) > MAX_DOCS:
        return None
    fields = q.meta or ["type", "number", "issued", "issuer", "signer"]
    names = _FIELD_NAMES["en" if q.language == "en" else "vi"]
    draft = Draft()
    for d in docs:
        meta = corpus.meta(d)
        n = draft.cite(_title_span(corpus, d))
        draft.lines.append(f"{corpus.label(d, q.language)}: {meta.get('title') or d} [{n}]")
        if "basis" in fields:
            src = corpus.source(d)
            spans = _basis_spans(corpus, d)
            if _ASKS_REPLACED.search(fold(q.text)):  # what it replaces first: that is the question
                spans.sort(key=lambda ev: not _REPLACES.search(src[ev.start:ev.end]))
            for ev in spans:
                draft.lines.append(f"- “{clip(' '.join(src[ev.start:ev.end].split()), 600)}” [{draft.cite(ev)}]")
        for f in fields:
            value = {"number": meta.get("number"), "issued": _date_text(meta, q.language),
                     "issuer": short_issuer(meta.get("issuer") or ""), "type": meta.get("doc_type"),
                     "signer": _signer_text(meta)}.get(f)
            if not value:
                continue
            ev = _field_span(corpus, d, f) if f != "type" else None
            cite = f" [{draft.cite(ev)}]" if ev else f" [{n}]"
            draft.lines.append(f"- {names[f]}: {value}{cite}")
    titled = "basis" in fields and any(_REFERENCE.search(corpus.meta(d).get("title") or "") for d in docs)
    return draft if len(draft.lines) > len(docs) or titled else None  # a title "… thực hiện Quyết định số …" answers


def _date_text(meta: dict, language: str) -> str:
    issued = str(meta.get("issued") or "")
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", issued)
    if not m:
        return issued
    y, mo, d = m.groups()
    return f"{d}/{mo}/{y}" if language == "en" else f"ngày {d} tháng {mo} năm {y} ({d}/{mo}/{y})"


def _signer_text(meta: dict) -> str:
    signer = meta.get("signer") or ""
    role = meta.get("signer_role") or ""
    return f"{signer} ({role})" if signer and role else signer


# -- what a plan is about ------------------------------------------------------------------------
_PURPOSE = (r"\bmuc dich\b", r"\bmuc tieu (chung|tong quat)\b", r"\bquan diem\b", r"\bmuc tieu\b")


def _heading_span(corpus: Corpus, s: dict) -> Evidence:
    src = corpus.source(s["doc_id"])
    end = src.find("\n", s["start"])
    end = end if 0 < end - s["start"] < 250 else min(s["end"], s["start"] + 120)
    return Evidence(s["doc_id"], s["path"], s["start"], end)


def _first_sentences(corpus: Corpus, s: dict, limit: int = PURPOSE_CHARS) -> Evidence | None:
    """The opening sentences of a section's body (after its heading line)."""
    src = corpus.source(s["doc_id"])
    head = _heading_span(corpus, s)
    body = src[head.end:s["end"]]
    out_end, start = None, None
    for a, b in split_sentences(body):
        if start is None and re.match(r"^\s*(?:[IVX]+|\d{1,2}(?:\.\d{1,2})*)\.\s+\S{1,40}\s*$", body[a:b]):
            continue  # a sub-heading line ("1. Mục đích") is no sentence of the body
        if start is None:
            start = a
        if b - start > limit and out_end is not None:
            break
        out_end = b
    if start is None or out_end is None:
        return None
    return Evidence(s["doc_id"], s["path"], head.end + start, head.end + out_end)


def summary_draft(corpus: Corpus, q: Question, scope: Scope) -> Draft | None:
    docs = named_docs(corpus, q, scope)
    if not docs or len(docs) > MAX_DOCS:
        return None
    en = q.language == "en"
    folded = fold(q.text)
    draft = Draft()
    for d in docs:
        meta = corpus.meta(d)
        sections = corpus.sections(d)
        n = draft.cite(_title_span(corpus, d))
        draft.lines.append(f"{corpus.label(d, q.language)}: {meta.get('title') or d} [{n}]")
        # the purpose or general objective, in the plan's words
        wants_goals = bool(re.search(r"\bmuc tieu\b|\bobjectives?\b|\bgoals?\b", folded))
        order = (_PURPOSE[1], _PURPOSE[3], _PURPOSE[0], _PURPOSE[2]) if wants_goals else _PURPOSE
        for pat in order:
            # the heading that is just "Mục đích" before "I. MỤC ĐÍCH, YÊU CẦU" around it
            matches = [s for s in sections if s["kind"] != "root" and re.search(pat, fold(s["title"]))]
            matches.sort(key=lambda s: (not re.fullmatch(pat + r"[\s:.]*", fold(s["title"]).strip()), len(s["title"])))
            sec = matches[0] if matches else None
            ev = _first_sentences(corpus, sec) if sec else None
            if ev:
                m = draft.cite(ev)
                quote = " ".join(corpus.source(d)[ev.start:ev.end].split())
                draft.lines.append(f"- {sec['title'].strip(' :.').capitalize()}: “{clip(quote, PURPOSE_CHARS)}” [{m}]")
                break
        parts = [s for s in sections if s["kind"] in ("part", "appendix")]
        if parts:
            cites = [f"{s['number']}. {clip(s['title'], 110).strip(' :')} [{draft.cite(_heading_span(corpus, s))}]"
                     for s in parts[:8]]
            draft.lines.append(("- Parts: " if en else "- Bố cục: ") + "; ".join(cites))
        task_parts = [s for s in parts if re.search(r"\bnhiem vu\b|\bgiai phap\b", fold(s["title"]))]
        by_id = {s["id"]: s for s in sections}
        groups = [by_id[c] for p in task_parts for c in p.get("children", []) if c in by_id
                  and by_id[c]["kind"] in ("item", "subitem", "letter")]
        if groups:
            cites = [f"{g['number']}. {clip(g['title'], 90).strip(' :')} [{draft.cite(_heading_span(corpus, g))}]"
                     for g in groups[:10]]
            draft.lines.append(("- Groups of tasks: " if en else "- Các nhóm nhiệm vụ: ") + "; ".join(cites))
        kinds = {}
        for r in corpus.records(d):
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        counts = [f"{kinds[k]} {w}" for k, w in (("task", "nhiệm vụ" if not en else "tasks"),
                                                 ("target", "chỉ tiêu" if not en else "targets"),
                                                 ("project", "dự án" if not en else "projects")) if kinds.get(k)]
        if counts:
            draft.lines.append(("- Records read from it: " if en else "- Số mục đã đọc được: ") + ", ".join(counts))
    return draft


# -- a part of a plan asked by its heading ("những yêu cầu gì", "what principles") ---------------
_SECTION_NOUNS = {"yeu cau": "yeu cau", "quan diem": "quan diem", "nguyen tac": "nguyen tac", "giai phap": "giai phap",
                  "dinh huong": "dinh huong", "requirements": "yeu cau", "principles": "nguyen tac|quan diem",
                  "solutions": "giai phap", "viewpoints": "quan diem"}
_ASKS_SECTION = re.compile(
    r"\b(?:nhung|cac) (yeu cau|quan diem|nguyen tac|giai phap|dinh huong)\b"
    r"|\b(yeu cau|quan diem|nguyen tac|giai phap|dinh huong)\b.{0,25}\b(?:gi|nao|gom|la gi|nhu the nao|ra sao)\b"
    r"|\bwhat (?:are the |main |key )*(requirements|principles|solutions|viewpoints)\b")
SECTION_ITEMS = 8


def asked_section(q: Question) -> str | None:
    """The heading word of the part a question asks for ("yeu cau"), folded, or None."""
    m = _ASKS_SECTION.search(fold(q.text))
    return _SECTION_NOUNS[next(g for g in m.groups() if g)] if m else None


def section_draft(corpus: Corpus, q: Question, scope: Scope) -> Draft | None:
    """The items of the part a question names by its heading ("III. YÊU CẦU": 1. …, 2. …), each by its
    opening sentence and cited; one plan (named, or the only one of the asked province)."""
    noun = asked_section(q)
    docs = named_docs(corpus, q, scope)
    if noun is None or len(docs) != 1:
        return None
    d = docs[0]
    sections = corpus.sections(d)
    heads = [s for s in sections if s["kind"] not in ("root", "bullet") and re.match(
        rf"^\W*({noun})\b", fold(s["title"]).strip())]
    if not heads:
        return None
    head = min(heads, key=lambda s: (len(s["title"]), s["start"]))
    by_id = {s["id"]: s for s in sections}
    children = [by_id[c] for c in head.get("children", []) if c in by_id and by_id[c]["kind"] != "bullet"]
    draft = Draft()
    n = draft.cite(_heading_span(corpus, head))
    number = f"{head['number']}. " if head.get("number") else ""
    draft.lines.append(f"{corpus.label(d, q.language)} — {number}{head['title'].strip(' :.')} [{n}]:")
    for c in children[:SECTION_ITEMS]:
        shown = clip(item_head(" ".join(c["title"].split())), ITEM_HEAD)
        draft.lines.append(f"- {shown} [{draft.cite(_heading_span(corpus, c))}]")
    if not children:
        ev = _first_sentences(corpus, head)
        if ev is None:
            return None
        quote = " ".join(corpus.source(d)[ev.start:ev.end].split())
        draft.lines.append(f"- “{clip(quote, PURPOSE_CHARS)}” [{draft.cite(ev)}]")
    return draft
