"""Lists from records: what an agency must do (leads, then supports), what falls in a year.

An agency's duties come from every record that names it (table rows, prose tasks, duties written
under its heading in "Tổ chức thực hiện", targets it follows up), grouped per document with a
count; a topic in the question ("những nhiệm vụ an toàn thông tin nào …") narrows the list.
"""
from __future__ import annotations

import re

from ingest.normalize import fold

from assistant.answers.corpus import Corpus, Scope
from assistant.answers.drafting import Draft, clip
from assistant.answers.records import Rec
from assistant.answers.tasks import rec_evidence
from assistant.understanding import Question, verb_words

SHOWN = 10  # items listed; the rest are counted
ITEM_CHARS = 220  # a duty's text shown in a list (a duty sentence runs to about this; its point may come late)
PLANS_SHOWN = 12  # plans listed in one answer; a corpus of hundreds is narrowed by asking again
TOPIC_COVERAGE = 0.6  # a record belongs to the asked theme when it covers this much of it
# words of a duty question that name no theme ("phải làm gì", "được giao nhiệm vụ gì", "which tasks")
_GENERIC = {"nhiệm", "vụ", "dự", "án", "nhiem", "vu", "du", "an", "tasks", "projects", "gì", "gi", "đôn", "đốc",
            "don", "doc", "targets", "goals", "indicators", "làm", "lam", "giao", "được", "duoc", "trách", "trach",
            "vai", "trò", "tro", "phụ", "phu", "cụ", "thể", "cu", "the", "công", "tác", "cong", "tac", "gồm", "gom",
            "mục", "tiêu", "chỉ", "muc", "tieu", "chi", "nội", "dung", "noi", "chương", "trình", "chuong", "trinh",
            "phần", "phan", "lục", "luc", "văn", "bản", "van", "ban",
            "hạn", "han", "due",  # "đến hạn năm 2025", "due in 2025": when, not what
            "phân", "phối", "phoi", "hợp", "hop", "chủ", "chu", "trì", "tri", "đảm", "dam", "nhận", "nhan",
            "tham", "gia", "support", "supports", "lead", "leads"}  # the role, not the theme
_SPELLED_OUT = (("chuyển", "đổi", "số"), ("chuyen", "doi", "so"),  # every plan is about it
                ("hoàn", "thành"), ("hoan", "thanh"), ("thực", "hiện"), ("thuc", "hien"))  # when, not what


def asked_kinds(q: Question) -> tuple[str, ...]:
    folded = fold(q.text)
    if re.search(r"\b(muc tieu|chi tieu)\b|\b(targets|goals|indicators)\b", folded):
        return ("target",)  # "những mục tiêu nào do X chủ trì đôn đốc": the indicators it follows up
    if re.search(r"\bdu an\b|\bprojects?\b", folded):
        return ("project",)
    return ("task", "project", "target")


def asked_role(q: Question) -> str:
    """"lead" (what it leads), "partner" (what it only supports: "chỉ phối hợp", "không chủ trì") or
    "any" (what it must do)."""
    folded = fold(q.text)
    support = re.search(r"\bphoi hop\b|\btham gia\b|\b(support|assist|help|cooperat|partner|take part)", folded)
    lead = re.search(r"\bchu tri\b|\blead|\bin charge\b", folded)
    if support and (not lead or re.search(r"\b(khong|chua|chang|not|never|rather than|instead of)\b.{0,20}"
                                          r"(chu tri|lead)|\bchi (phoi hop|tham gia)\b|\bonly (support|assist|help)",
                                          folded)):
        return "partner"
    return "lead" if lead else "any"


def theme(q: Question) -> list[str]:
    topic = [w for w in q.topic if w not in _GENERIC]
    for phrase in _SPELLED_OUT:
        if all(w in topic for w in phrase):
            topic = [w for w in topic if w not in phrase]
    return topic


def _in_scope(corpus: Corpus, q: Question, scope: Scope, doc_id: str) -> bool:
    if scope.doc_ids:
        return doc_id in scope.doc_ids
    return not q.provinces or corpus.in_provinces(doc_id, q.provinces)


def _own_heading(rec: Rec, agency: str) -> bool:
    """A duty written under the agency's own heading of the implementation part."""
    return rec.source == "prose" and fold(agency) in fold(rec.section.split(" › ")[-1] if rec.section else "")


def agency_records(corpus: Corpus, q: Question, scope: Scope) -> list[Rec]:
    """Records naming the asked agencies in the asked documents: leads first, then supports."""
    role = asked_role(q)
    kinds = asked_kinds(q)
    out: list[tuple[tuple, Rec]] = []
    for doc_id in corpus.docs:
        if not _in_scope(corpus, q, scope, doc_id):
            continue
        mine = [r for r in corpus.records(doc_id) if r.kind != "assignment"
                and any((role != "partner" and a in r.leads) or (role != "lead" and a in r.partners)
                        for a in q.agencies)]
        # a plan whose appendix mixes "nhiệm vụ, dự án" in one table has no project records:
        # "which projects" then lists its tasks
        wanted = kinds if any(r.kind in kinds for r in mine) else ("task", "project", "target")
        for i, r in enumerate(mine):
            if r.kind not in wanted:
                continue
            leads = any(a in r.leads for a in q.agencies)
            own = any(_own_heading(r, a) for a in q.agencies)
            out.append(((not leads, not own, r.kind == "target", i), r))
    return [r for _, r in sorted(out, key=lambda t: (t[1].doc_id, t[0]))]


def year_records(corpus: Corpus, q: Question, scope: Scope) -> list[Rec]:
    """Tasks and projects carried out in an asked year: by their timeframe, else by a heading (or a
    plan title) "năm <year>"; the tasks of that very year first."""
    kinds = ("project",) if "project" == asked_kinds(q)[0] else ("task", "project")
    out = []
    named = [re.compile(rf"(?<!den )\bnam {y}\b") for y in q.years]
    for doc_id in corpus.docs:
        if not _in_scope(corpus, q, scope, doc_id):
            continue
        title = fold(corpus.meta(doc_id).get("title") or "")
        in_title = [bool(p.search(title)) for p in named]
        in_section: dict[str, list[bool]] = {}  # a plan's records share a few dozen headings
        for r in corpus.records(doc_id):
            if r.kind not in kinds:
                continue
            for i, y in enumerate(q.years):
                if r.start_year and r.start_year <= y <= (r.end_year or r.start_year):
                    out.append(r)
                    break
                if not r.start_year:
                    if r.section not in in_section:
                        section = fold(r.section)
                        in_section[r.section] = [bool(p.search(section)) for p in named]
                    if in_section[r.section][i] or in_title[i]:
                        out.append(r)
                        break
    out.sort(key=lambda r: (r.end_year or 0) - (r.start_year or r.end_year or 0))
    return out


def list_draft(corpus: Corpus, q: Question, scope: Scope) -> Draft | None:
    recs = agency_records(corpus, q, scope) if q.intent == "list_agency" else year_records(corpus, q, scope)
    topic = theme(q)

    def on_theme(r: Rec) -> bool:
        # the plan's own subject ("hệ thống lấy ý kiến điện tử" of its regulation) tells no duty apart
        mine = [w for w in topic if w not in corpus.title_words(r.doc_id, q.accented)]
        return not mine or corpus.vocab.coverage(mine, f"{r.text} {r.section}", q.accented) >= TOPIC_COVERAGE

    if topic:  # the group row in the section path names the theme of a table block
        themed = [r for r in recs if on_theme(r)]
        if not themed:  # "… được giao gì tại phiên họp thứ nhất BCĐ Trung ương?": the words name a document
            named = {d for d in corpus.docs if corpus.vocab.coverage(topic, corpus.meta(d).get("title") or "", q.accented)
                     >= TOPIC_COVERAGE}
            themed = [r for r in recs if r.doc_id in named]
        if not themed and q.accented and not set(topic) - verb_words(q.text):
            themed = recs  # "… gánh những nhiệm vụ nào": the only theme words are the question's verbs
        recs = themed
    seen, uniq = set(), []
    for r in recs:
        key = (r.doc_id, r.text)
        if key not in seen:
            seen.add(key)
            uniq.append(r)
    if not uniq:
        return None
    draft = Draft()
    en = q.language == "en"
    by_doc: dict[str, list[Rec]] = {}
    for r in uniq:
        by_doc.setdefault(r.doc_id, []).append(r)
    for doc_id, mine in list(by_doc.items())[:PLANS_SHOWN]:
        head = corpus.label(doc_id, q.language)
        if q.intent == "list_agency":
            led = sum(any(a in r.leads for a in q.agencies) for r in mine)
            parts = [f"{led} led" if en else f"{led} mục chủ trì"] if led else []
            if len(mine) > led:
                parts.append(f"{len(mine) - led} supported" if en else f"{len(mine) - led} mục phối hợp")
            head += " — " + ", ".join(parts)
        else:
            head += f" — {len(mine)} items" if en else f" — {len(mine)} mục"
        draft.lines.append(f"{head}:")
        for r in mine[:SHOWN]:
            n = draft.cite(rec_evidence(r))
            draft.records.append(r.raw)
            time = f" ({r.timeframe})" if r.timeframe else ""
            who = f" — {'; '.join(r.leads)}" if q.intent == "list_year" and r.leads else ""
            if r.kind == "target" and r.values:
                time = " (" + "; ".join(f"{k}: {v}" for k, v in r.values.items()) + ")"
            if q.intent == "list_agency" and not any(a in r.leads for a in q.agencies):
                support = "supports" if en else "phối hợp với"
                who = f" ({support} {'; '.join(r.leads)})" if r.leads else (" (supports)" if en else " (phối hợp)")
            draft.lines.append(f"- {clip(r.text, ITEM_CHARS)}{time}{who} [{n}]")
        if len(mine) > SHOWN:
            more = len(mine) - SHOWN
            draft.lines.append(f"… and {more} more." if en else f"… và {more} mục khác.")
    if len(by_doc) > PLANS_SHOWN:
        more = len(by_doc) - PLANS_SHOWN
        draft.lines.append(f"… and {more} more plans: name a province or a plan to see theirs." if en
                           else f"… và {more} kế hoạch khác: hãy nêu tên tỉnh hoặc kế hoạch để xem.")
    return draft
