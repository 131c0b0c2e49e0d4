"""Grounded answers: from records (owner, target, deadline, lists) or extractive sentences.

The composer never writes a fact the sources do not state: owners, figures and timeframes are
copied from records, other answers are sentences copied from the retrieved chunks. Every
statement carries a numbered citation [n] whose quote is the source text slice (whitespace
normalized) at its start/end offsets. Without enough evidence it abstains and says what the
plans cover.

Evidence is measured by `coverage`: the IDF-weighted share of the question's topic words found
in a text. The abstention threshold is calibrated on the dev set (bench/ask.py --calibrate).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.agencies import agency_aliases
from ingest.normalize import fold

from assistant.answer_types import Answer, AnswerCitation
from assistant.glossary import VI_ABBREVIATIONS, province_key
from assistant.understanding import Question

ABSTAIN_COVERAGE = 0.6  # middle of the dev-set plateau 0.45-0.80 (bench/ask.py --calibrate)


# -- text helpers (pure) -------------------------------------------------------------------
def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", fold(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences/lines/table cells in `text` (bullets and rows end at newlines)."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        # a "." between digits is a thousands separator ("3.000 tỷ"), not a sentence end
        for s in re.finditer(r"(?:[^.;|]|(?<=\d)\.(?=\d))+(?:[.;](?!\d)|$|\|)?", m.group(0)):
            seg = s.group(0)
            if len(seg.strip(" |-+.;")) >= 3:
                a = line_start + s.start() + (len(seg) - len(seg.lstrip(" |-+")))
                b = line_start + s.end()
                spans.append((a, b))
    return spans


def locate(source: str, start: int, end: int, snippet: str) -> tuple[int, int]:
    """Source span of `snippet` inside source[start:end] (accents and spacing may differ)."""
    ws = snippet.split()
    if not ws:
        return start, end
    region = source[start:end]
    pat = r"\s+".join(re.escape(fold(w)) for w in ws)
    folded = fold(region)
    if len(folded) == len(region):
        m = re.search(pat, folded)
        if m:
            return start + m.start(), start + m.end()
    return start, end


def accented_words(text: str) -> list[str]:
    return re.findall(r"[\w%]+", text.lower())


# Spellings Vietnamese writes both ways ("hằng năm" / "hàng năm", "kỹ" / "kĩ"): one counts for the other.
_VARIANT_GROUPS = (("hằng", "hàng"), ("kỹ", "kĩ"), ("lý", "lí"), ("sỹ", "sĩ"), ("mỹ", "mĩ"))
VARIANTS: dict[str, tuple[str, ...]] = {w: g for g in _VARIANT_GROUPS for w in g}
_ABBREV_FORMS = [(k, v.lower().split(), fold(v).split()) for k, v in VI_ABBREVIATIONS.items()]


def with_abbreviations(present: set[str], accented: bool) -> set[str]:
    """`present` plus the words an abbreviation stands for and the abbreviation of a full term
    ("CNTT" in a text covers "công nghệ thông tin" in a question, and the other way round)."""
    extra: set[str] = set()
    short = {fold(w) for w in present if len(w) <= 6} if accented else present  # "tmđt" -> "tmdt"
    for key, acc, flat in _ABBREV_FORMS:
        full = acc if accented else flat
        if key in short:
            extra.update(full)
        elif all(w in present for w in full):
            extra.add(key)
    return present | extra if extra else present


class Vocabulary:
    """Document frequencies of words (accented and folded) over all chunks, for IDF-weighted coverage."""

    def __init__(self, texts: list[str]):
        self.n = max(1, len(texts))
        self.df: Counter[str] = Counter()  # accented words and folded words share the counter:
        for t in texts:                     # folded keys are prefixed so "ve" != "vé"/"về" folded
            acc = set(accented_words(t))
            self.df.update(acc)
            self.df.update({"~" + w for w in words(t)})

    def idf(self, word: str, accented: bool = True) -> float:
        forms = VARIANTS.get(word, (word,)) if accented else (word,)
        df = sum(self.df.get(f if accented else "~" + f, 0) for f in forms)
        return math.log((self.n + 1) / (df + 0.5))

    def coverage(self, topic: list[str], text: str, accented: bool = True, foreign: list[str] = ()) -> float:
        if not topic:
            return 0.0
        present = set(accented_words(text)) if accented else set(words(text))
        if accented:
            present |= {v for w in present for v in VARIANTS.get(w, ())}
        present = with_abbreviations(present, accented)
        weight = {w: self.idf(w, accented) for w in topic}
        known = [w for w in topic if w not in foreign]
        if foreign and len(known) >= 6 and 5 * len(foreign) <= len(known) and all(w in present for w in known):
            # English words the glossary cannot translate weigh as much as the rarest corpus word, so
            # one everyday word ("bringing") sank an exact match of everything translated. When the
            # translated words are many, all present and far outnumber it, weigh it like an average
            # topic word; a short translated part ("smart" + "stadium") still abstains.
            mean = sum(weight[w] for w in known) / len(known)
            weight.update({w: mean for w in foreign})
        total = sum(weight.values())
        return sum(weight[w] for w in topic if w in present) / total if total else 0.0


# -- documents -------------------------------------------------------------------------------
def short_title(meta: dict, language: str) -> str:
    """A document named in a few words: "Kế hoạch số 5046/KH-UBND (29/12/2023)", else its title up to
    the scope phrase ("trên địa bàn …", ", định hướng …") plus the year. Citations keep the full title."""
    number, issued = meta.get("number"), str(meta.get("issued") or "")
    date = ("/".join(reversed(issued.split("-"))) if re.fullmatch(r"\d{4}-\d\d-\d\d", issued) else issued[:4])
    when = f" ({date})" if date else ""
    if number:
        kind = "plan" if (meta.get("kind") or "plan") == "plan" else "other"
        if language == "en":
            return f"{'Plan' if kind == 'plan' else 'Document'} No. {number}{when}"
        return f"{'Kế hoạch' if kind == 'plan' else 'Văn bản'} số {number}{when}"
    title = meta.get("title") or meta.get("doc_id", "")
    head = re.split(r"\s+trên địa bàn\b|,\s*định hướng\b|\s+đến năm\b", title)[0].strip(" ,")
    return f"{head}{when}"


def doc_label(meta: dict, language: str, short: bool = False) -> str:
    """How an answer names a document: title (or its short form), number, and its kind when it
    is not a plan."""
    if short:
        title, number = short_title(meta, language), None
    else:
        title, number = meta.get("title") or meta.get("doc_id", ""), meta.get("number")
    kind = meta.get("kind") or "plan"
    if language == "en":
        label = f"{title}" + (f" (No. {number})" if number else "")
        if kind == "news":
            label += " — a news report of a draft scheme, not an adopted plan"
        elif kind != "plan":
            label += f" — a {kind}, not a plan"
        return label
    label = f"{title}" + (f" (số {number})" if number else "")
    if kind == "news":
        label += " — đây là bản tin báo chí về dự thảo đề án, không phải kế hoạch ban hành"
    elif kind != "plan":
        label += f" — văn bản loại {kind}, không phải kế hoạch"
    return label


@dataclass
class Evidence:
    """A statement to cite: doc, section and a source span."""

    doc_id: str
    section: str
    start: int
    end: int


@dataclass
class Draft:
    """Answer lines plus the evidence each cites; numbering happens at the end."""

    lines: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)

    def cite(self, ev: Evidence) -> int:
        for i, e in enumerate(self.evidence):
            if (e.doc_id, e.start, e.end) == (ev.doc_id, ev.start, ev.end):
                return i + 1
        self.evidence.append(ev)
        return len(self.evidence)


def build_citations(evidence: list[Evidence], docs: dict[str, dict], source_of) -> list[AnswerCitation]:
    out = []
    for n, ev in enumerate(evidence, 1):
        src = source_of(ev.doc_id)
        quote = " ".join(src[ev.start:ev.end].split())
        out.append(AnswerCitation(n=n, doc_id=ev.doc_id, title=docs.get(ev.doc_id, {}).get("title", ""),
                                  section=ev.section, quote=quote, start=ev.start, end=ev.end))
    return out


# -- messages ------------------------------------------------------------------------------
def coverage_note(docs: dict[str, dict], language: str) -> str:
    provinces = sorted({d.get("province") for d in docs.values() if d.get("province")})
    years = sorted({int(y) for d in docs.values() for y in re.findall(r"20\d\d", f"{d.get('title')} {d.get('issued')}")})
    span = f"{years[0]}–{years[-1]}" if years else ""
    if language == "en":
        return (f"The plans I hold cover {', '.join(provinces)}" + (f" (years {span})" if span else "")
                + ". Try naming the province and the topic, e.g. \"What is Hai Duong's 2025 target "
                "for adults with a smartphone?\"")
    return (f"Các kế hoạch hiện có thuộc các tỉnh: {', '.join(provinces)}" + (f" (giai đoạn {span})" if span else "")
            + ". Bạn có thể hỏi lại, nêu rõ tỉnh và nội dung, ví dụ: \"Mục tiêu 2025 của Hải Dương về tỷ lệ "
            "dân số trưởng thành có điện thoại thông minh?\"")


def abstain(q: Question, docs: dict[str, dict], reason: str, intent: str | None = None) -> Answer:
    if q.language == "en":
        msgs = {
            "province": f"I have no plan for {', '.join(q.provinces)}, so I cannot answer this.",
            "year": f"The plans I hold do not cover {', '.join(map(str, q.years))}.",
            "evidence": "I could not find this in the plans I hold.",
        }
    else:
        msgs = {
            "province": f"Tôi chưa có kế hoạch nào của {', '.join(q.provinces)} nên không thể trả lời câu hỏi này.",
            "year": f"Các kế hoạch hiện có không đề cập đến năm {', '.join(map(str, q.years))}.",
            "evidence": "Tôi không tìm thấy thông tin này trong các kế hoạch hiện có.",
        }
    return Answer(question=q.text, answer=f"{msgs[reason]} {coverage_note(docs, q.language)}", abstained=True,
                  language=q.language, intent=intent or q.intent)


def greeting(q: Question, docs: dict[str, dict]) -> Answer:
    if q.language == "en":
        text = ("Hello! I answer questions about provincial digital-transformation plans: who leads a task, "
                "targets and deadlines, with the source quoted. " + coverage_note(docs, "en"))
    else:
        text = ("Xin chào! Tôi trả lời câu hỏi về các kế hoạch chuyển đổi số của tỉnh: cơ quan chủ trì, chỉ tiêu, "
                "thời hạn, kèm trích dẫn nguồn. " + coverage_note(docs, "vi"))
    return Answer(question=q.text, answer=text, abstained=False, language=q.language, intent="greeting")


def corpus_years(docs: dict[str, dict]) -> tuple[int, int] | None:
    years = [int(y) for d in docs.values() for y in re.findall(r"20\d\d", f"{d.get('title')} {d.get('issued')}")]
    return (min(years), max(years)) if years else None


def known_province(q: Question, docs: dict[str, dict]) -> bool | None:
    """None when no province is named; else whether the corpus holds one of them."""
    if not q.provinces:
        return None
    held = {province_key(d.get("province") or "") for d in docs.values()}
    return any(province_key(p) in held for p in q.provinces)


# -- the composer ----------------------------------------------------------------------------
_OWNER_FIELDS = ("lead", "owners", "owner")
_TEXT_FIELDS = ("text", "indicator", "name")


def owners_of(rec: dict) -> list[str]:
    for f in _OWNER_FIELDS:
        if rec.get(f):
            return list(rec[f])
    return []


def record_text(rec: dict) -> str:
    return next((" ".join(str(rec[f]).split()) for f in _TEXT_FIELDS if rec.get(f)), "")


def target_values(rec: dict) -> dict[str, str]:
    """A target's figures by year, its baseline ("hiện trạng") included under its year."""
    vals = dict(rec.get("values") or {})
    if rec.get("baseline") and rec.get("baseline_year") and str(rec["baseline_year"]) not in vals:
        vals[str(rec["baseline_year"])] = rec["baseline"]
    return dict(sorted(vals.items()))


def clip(text: str, limit: int = 220) -> str:
    """A long task text cut at a word boundary (the citation keeps the whole source)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def assignment_clause(quote: str) -> str:
    """The clause of a "Tổ chức thực hiện" sentence that assigns sections ("… chủ trì … điểm 5.1 …")."""
    parts = [p.strip(" .;") for p in re.split(r";|\.\s", quote) if p.strip(" .;")]
    for verb in (r"\bchu tri\b", r"\bthuc hien\b|\btrien khai\b"):
        for p in parts:
            if re.search(r"\b(diem|khoan|muc|phan)\b", fold(p)) and re.search(verb, fold(p)):
                return p
    return parts[0] if parts else quote


def _years_text(values: dict[str, str], years: list[int], language: str) -> str:
    keys = [str(y) for y in years if str(y) in values] if years else sorted(values)
    if language == "en":
        return "; ".join(f"{k}: {values[k]}" if k.isdigit() else f"{k}: {values[k]}" for k in keys)
    return "; ".join(f"năm {k}: {values[k]}" if k.isdigit() else f"{k}: {values[k]}" for k in keys)


class Composer:
    """Turns an understood question and its fused hits into a grounded Answer."""

    def __init__(self, index, threshold: float = ABSTAIN_COVERAGE):
        self.index = index
        self.threshold = threshold
        self.docs = {d["doc_id"]: d for d in index.documents()}
        self.chunks = [c for c, _ in index.records.chunks()]
        self.vocab = Vocabulary([f"{c.section} {c.text}" for c in self.chunks])
        self._doc_records: dict[str, list[dict]] = {}
        self._sources: dict[str, str] = {}
        for doc_id in self.docs:  # warm the caches once: answering then stays in memory
            self.doc_records(doc_id)
            self.source(doc_id)

    # -- lookups --
    def source(self, doc_id: str) -> str:
        if doc_id not in self._sources:
            self._sources[doc_id] = self.index.source_text(doc_id)
        return self._sources[doc_id]

    def doc_records(self, doc_id: str) -> list[dict]:
        if doc_id not in self._doc_records:
            self._doc_records[doc_id] = self.index.records.query(doc_id=doc_id, limit=100000)
        return self._doc_records[doc_id]

    def records_for_chunk(self, chunk) -> list[dict]:
        if chunk.record_id:
            rec = self.index.records.record(chunk.record_id)
            if rec:
                return [rec]
        return [r for r in self.doc_records(chunk.doc_id)
                if r.get("kind") != "assignment" and r.get("start", 0) < chunk.end and r.get("end", 0) > chunk.start]

    def evidence_score(self, q: Question, hits) -> float:
        return max((self.vocab.coverage(q.topic, f"{h.chunk.section} {h.chunk.text}", q.accented, q.foreign) for h in hits[:5]), default=0.0)

    def titles_found(self, q: Question, hits) -> bool:
        """Every named programme/project title appears in a hit of an asked province (a task only
        another province's plan has must not answer for this one)."""
        keys = {province_key(p) for p in q.provinces}
        for title in q.titles:
            if not any(f" {title} " in " {} ".format(" ".join(words(f"{h.chunk.section} {h.chunk.text}")))
                       and (not keys or province_key((self.docs.get(h.chunk.doc_id) or {}).get("province") or "") in keys)
                       for h in hits):
                return False
        return True

    # -- entry point --
    def compose(self, q: Question, hits) -> Answer:
        if q.intent == "greeting":
            return greeting(q, self.docs)
        if known_province(q, self.docs) is False:
            return abstain(q, self.docs, "province", "out_of_scope")
        span = corpus_years(self.docs)
        if q.years and span and all(y > span[1] or y < span[0] - 5 for y in q.years):
            return abstain(q, self.docs, "year", "out_of_scope")
        if q.intent == "document":
            return self.documents_answer(q)
        if q.intent == "list_agency" and q.agencies:
            ans = self.list_answer(q)
            if ans:
                return ans
        if q.intent == "list_year" and q.years:
            ans = self.list_answer(q)
            if ans:
                return ans
        if not hits or self.evidence_score(q, hits) < self.threshold or not self.titles_found(q, hits):
            return abstain(q, self.docs, "evidence", "out_of_scope")
        draft = None
        if q.intent in ("owner", "deadline"):
            draft = self.task_draft(q, hits)
        elif q.intent == "target":
            draft = self.target_draft(q, hits)
        if draft is None or not draft.lines:
            draft = self.extractive_draft(q, hits)
        if not draft.lines:
            return abstain(q, self.docs, "evidence", "out_of_scope")
        if len(q.provinces) > 1:
            self.fill_provinces(q, hits, draft)
        return self.finish(q, draft)

    def fill_provinces(self, q: Question, hits, draft: Draft) -> None:
        """A named province the structured lines missed gets its best sentence (figures and owners
        stated in prose), so a two-province question is answered for both or says which lacks it."""
        answered = {province_key((self.docs.get(e.doc_id) or {}).get("province") or "") for e in draft.evidence}
        for p in q.provinces:
            key = province_key(p)
            if key in answered:
                continue
            mine = [h for h in hits if province_key((self.docs.get(h.chunk.doc_id) or {}).get("province") or "") == key]
            if not mine or self.evidence_score(q, mine) < self.threshold:
                continue
            extra = self.extractive_draft(q, mine, max_lines=1)
            for line, ev in zip(extra.lines, extra.evidence):
                n = draft.cite(ev)
                draft.lines.append(re.sub(r"\[1\]$", f"[{n}]", line))

    def finish(self, q: Question, draft: Draft) -> Answer:
        cits = build_citations(draft.evidence, self.docs, self.source)
        return Answer(question=q.text, answer="\n".join(draft.lines), abstained=False, language=q.language,
                      intent=q.intent, citations=cits, records=draft.records)

    # -- candidates --
    def _candidates(self, q: Question, hits, want) -> list[tuple[float, float, dict, object]]:
        """(score, coverage, record, chunk) for records of the top hits `want` accepts, best first."""
        out: dict[str, tuple[float, float, dict, object]] = {}
        top = max((h.score for h in hits), default=1.0) or 1.0
        for rank, h in enumerate(hits[:24]):
            for rec in self.records_for_chunk(h.chunk):
                if not want(rec):
                    continue
                text = f"{record_text(rec)} {rec.get('section') or ''}"
                cov = self.vocab.coverage(q.topic, text, q.accented, q.foreign)
                score = cov + 0.3 * (h.score / top) - 0.01 * min(rank, 8)
                if rec["id"] not in out or out[rec["id"]][0] < score:
                    out[rec["id"]] = (score, cov, rec, h.chunk)
        return sorted(out.values(), key=lambda t: t[0], reverse=True)

    def _where(self, rec: dict) -> str:
        meta = self.docs.get(rec["doc_id"], {})
        return f"{meta.get('province') or rec.get('province') or ''} — {doc_label(meta, 'vi')}"

    def _label(self, doc_id: str, language: str) -> str:
        meta = self.docs.get(doc_id, {})
        return f"{meta.get('province', '')}, {doc_label(meta, language, short=True)}"

    def _rec_evidence(self, rec: dict) -> Evidence:
        return Evidence(rec["doc_id"], rec.get("section") or "", rec.get("start", 0), rec.get("end", 0))

    # -- owner / deadline --
    def task_draft(self, q: Question, hits) -> Draft | None:
        if q.intent == "deadline":
            want = lambda r: r.get("kind") in ("task", "project") and (r.get("timeframe") or owners_of(r))
        else:
            want = lambda r: bool(owners_of(r))
        cands = self._candidates(q, hits, want)
        if not cands or cands[0][1] < self.threshold:
            return None
        chosen = [self._pick_task(q, cands)]
        if len(q.provinces) > 1:  # "… ở Hải Dương và Bình Định": one line per province and plan
            keys = {province_key(p) for p in q.provinces}
            seen = {province_key(chosen[0][2].get("province") or "")}
            for key in keys - seen:
                mine = [c for c in cands if province_key(c[2].get("province") or "") == key]
                if mine and mine[0][1] >= self.threshold:
                    chosen.append(self._pick_task(q, mine))
        draft = Draft()
        for _, _, rec, _ in chosen:
            self._task_line(q, rec, draft)
        return draft

    def _pick_task(self, q: Question, cands):
        if q.intent == "deadline":  # a close candidate that states a timeframe answers "when"
            timed = [c for c in cands if c[2].get("timeframe") and c[1] >= self.threshold
                     and c[0] >= 0.8 * cands[0][0]]
            if timed:
                return timed[0]
        return cands[0]

    def _task_line(self, q: Question, rec: dict, draft: Draft) -> None:
        draft.records.append(rec)
        n = draft.cite(self._rec_evidence(rec))
        owners = "; ".join(owners_of(rec))
        partners = "; ".join(rec.get("partners") or [])
        time = rec.get("timeframe")
        text = clip(record_text(rec))
        label = self._label(rec["doc_id"], q.language)
        assigned = rec.get("assigned_by") or {}
        ref = ""
        if assigned.get("end"):
            # the owner comes from a cross-reference in "Tổ chức thực hiện": say where it is assigned
            m = draft.cite(Evidence(rec["doc_id"], "", assigned["start"], assigned["end"]))
            clause = assignment_clause(assigned.get("quote") or "")
            ref = (f" — assigned in the implementation part: “{clause}” [{m}]" if q.language == "en"
                   else f" — giao tại phần Tổ chức thực hiện: “{clause}” [{m}]")
        if q.language == "en":
            if q.intent == "deadline" and time:
                line = f"Timeframe: {time} — “{text}”" + (f" (lead: {owners})" if owners else "")
            else:
                line = f"Lead: {owners} — “{text}”" + (f"; partners: {partners}" if partners else "") + (
                    f"; timeframe: {time}" if time else "")
        else:
            if q.intent == "deadline" and time:
                line = f"Thời gian thực hiện: {time} — “{text}”" + (f" (chủ trì: {owners})" if owners else "")
            else:
                line = f"{owners} chủ trì: “{text}”" + (f"; phối hợp: {partners}" if partners else "") + (
                    f"; thời gian thực hiện: {time}" if time else "")
        if q.intent == "deadline" and not time:
            # no timeframe column: the years the task's own text states answer "when", even those
            # the clipped quote cut off ("… vào năm 2023, tiến tới … năm 2028")
            years = list(dict.fromkeys(re.findall(r"(?<![\d.,/])20\d\d(?![\d%]|[.,]\d)", record_text(rec))))
            if years:
                line += (f"; years stated: {', '.join(years)}" if q.language == "en"
                         else f"; mốc thời gian nêu trong nhiệm vụ: {', '.join(years)}")
        draft.lines.append(f"{line} ({label}) [{n}]{ref}")

    # -- targets --
    def target_draft(self, q: Question, hits) -> Draft | None:
        def want(r):
            vals = target_values(r)
            if r.get("kind") != "target" or not vals:
                return False
            return not q.years or any(str(y) in vals for y in q.years)

        cands = self._candidates(q, hits, want)
        if not cands or cands[0][1] < self.threshold:
            return None
        best = cands[0][0]
        per_doc: dict[str, tuple[float, dict]] = {}
        for score, cov, rec, _ in cands:
            if score >= best * 0.8 and cov >= self.threshold and rec["doc_id"] not in per_doc:
                per_doc[rec["doc_id"]] = (score, rec)
        draft = Draft()
        for _, rec in sorted(per_doc.values(), key=lambda t: t[0], reverse=True)[:4]:
            n = draft.cite(self._rec_evidence(rec))
            draft.records.append(rec)
            vals = _years_text(target_values(rec), q.years, q.language)
            label = self._label(rec["doc_id"], q.language)
            owners = "; ".join(owners_of(rec))
            who = (f" (lead: {owners})" if q.language == "en" else f" (chủ trì: {owners})") if owners else ""
            draft.lines.append(f"{label}: “{record_text(rec)}” — {vals}{who} [{n}]")
        return draft

    # -- extractive --
    def extractive_draft(self, q: Question, hits, max_lines: int = 3) -> Draft:
        wants_figure = q.intent == "target"
        # numbers other than years name a part ("giai đoạn 3", "điểm 5.1"): sentences with them win
        numbers = [n for n in re.findall(r"(?<![\d.,])\d{1,2}(?:\.\d{1,2})?(?![\d%])", q.text) if not re.fullmatch(r"20\d\d", n)]
        scored = []
        for rank, h in enumerate(hits[:6]):
            text = h.chunk.text
            for a, b in split_sentences(text):
                sent = text[a:b].strip()
                cov = self.vocab.coverage(q.topic, sent, q.accented, q.foreign)
                if cov <= 0:
                    continue
                s = cov - 0.03 * rank
                if wants_figure and re.search(r"\d+(?:[.,]\d+)?\s*%", sent):
                    s += 0.15
                if q.years and any(str(y) in f"{h.chunk.section} {sent}" for y in q.years):
                    s += 0.1
                if numbers and any(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d%]|[.,]\d)", sent) for n in numbers):
                    s += 0.4
                scored.append((s, cov, rank, sent, h.chunk))
        scored.sort(key=lambda t: t[0], reverse=True)
        draft = Draft()
        used_chunks: set[str] = set()
        best = scored[0][0] if scored else 0
        for s, cov, rank, sent, chunk in scored:
            if len(draft.lines) >= max_lines or s < best * 0.75:
                break
            if chunk.id in used_chunks:
                continue
            used_chunks.add(chunk.id)
            a, b = locate(self.source(chunk.doc_id), chunk.start, chunk.end, sent)
            n = draft.cite(Evidence(chunk.doc_id, chunk.section, a, b))
            heading = f" › {chunk.section.split(' › ')[-1]}" if chunk.section and q.years else ""
            draft.lines.append(f"{self._label(chunk.doc_id, q.language)}{heading}: “{sent}” [{n}]")
        return draft

    # -- lists and documents --
    def _dated_by_heading(self, rec: dict, year: int) -> bool:
        """An undated record under a heading or in a plan titled "năm <year>" (not "đến năm")."""
        if rec.get("start_year"):
            return False
        title = (self.docs.get(rec["doc_id"]) or {}).get("title") or ""
        return any(re.search(rf"(?<!den )\bnam {year}\b", fold(t)) for t in (rec.get("section") or "", title))

    def year_records(self, years: list[int], province: str | None, kinds: tuple[str, ...]) -> list[dict]:
        """Tasks/projects carried out in one of `years`: by their timeframe, else by their heading."""
        out = []
        for y in years:
            if "task" in kinds:
                out += self.index.records.query(kind="task", year=y, province=province, limit=1000)
            out += [r for kind in kinds for r in self.index.records.query(kind=kind, province=province, limit=100000)
                    if self._dated_by_heading(r, y)]
        return out

    def list_answer(self, q: Question) -> Answer | None:
        known = {province_key(d.get("province") or ""): d.get("province") for d in self.docs.values()}
        province = next((known[province_key(p)] for p in q.provinces if province_key(p) in known), None)
        # "dự án" / "projects" asks for the project records (Phụ lục "Danh mục dự án"), tasks otherwise
        kinds = ("project",) if re.search(r"\bdu an\b|\bprojects?\b", fold(q.text)) else ("task", "project")
        if re.search(r"\b(muc tieu|chi tieu)\b|\b(targets|goals|indicators)\b", fold(q.text)):
            kinds = ("target",)  # "những mục tiêu nào do X chủ trì đôn đốc": the indicators it follows up
        if q.intent == "list_agency":
            recs = []
            # "chủ trì"/"lead" asks what the agency leads; "có nhiệm vụ gì" also what it supports
            leads_only = bool(re.search(r"\bchu tri\b|\blead|\bin charge\b|\bresponsible\b", fold(q.text)))
            for ag in q.agencies:
                mine = [r for r in self.index.records.query(agency=ag, province=province, limit=1000)
                        if ag in owners_of(r) or (not leads_only and ag in (r.get("partners") or []))]
                # a plan whose appendix mixes "nhiệm vụ, dự án" in one table has no project records:
                # "which projects" then lists its tasks
                wanted = kinds if any(r.get("kind") in kinds for r in mine) else ("task", "project")
                recs += [r for r in mine
                         if r.get("kind") in (wanted if wanted == ("project",) else (*wanted, "target"))]
        else:
            recs = self.year_records(q.years, province, kinds)
            # the tasks of that very year first: a one-year timeframe says more than "2022-2025"
            recs.sort(key=lambda r: (r.get("end_year") or 0) - (r.get("start_year") or r.get("end_year") or 0))
        generic = {"nhiệm", "vụ", "dự", "án", "nhiem", "vu", "du", "an", "tasks", "projects", "gì", "gi",
                   "đôn", "đốc", "don", "doc", "targets", "goals", "indicators"}  # "chủ trì đôn đốc" asks who
        topic = [w for w in q.topic if w not in generic]
        for phrase in (("chuyển", "đổi", "số"), ("chuyen", "doi", "so")):  # every plan is about it
            if all(w in topic for w in phrase):
                topic = [w for w in topic if w not in phrase]
        if topic:  # the group row in the section path names the theme of a table block
            recs = [r for r in recs
                    if self.vocab.coverage(topic, f"{record_text(r)} {r.get('section') or ''}", q.accented) >= 0.6]
        # what the agency leads before what it supports; tasks and projects before indicator
        # targets: "which tasks" asks for work items
        recs.sort(key=lambda r: (bool(q.agencies) and not any(a in owners_of(r) for a in q.agencies),
                                 r.get("kind") == "target"))
        seen, uniq = set(), []
        for r in recs:
            key = (r["doc_id"], record_text(r))
            if key not in seen:
                seen.add(key)
                uniq.append(r)
        if not uniq:
            return None
        draft = Draft()
        shown = uniq[:10]
        for doc_id in dict.fromkeys(r["doc_id"] for r in uniq):
            mine = [r for r in uniq if r["doc_id"] == doc_id]
            head = self._label(doc_id, q.language)
            head += f" — {len(mine)} items" if q.language == "en" else f" — {len(mine)} mục"
            draft.lines.append(f"{head}:")
            for r in (r for r in shown if r["doc_id"] == doc_id):
                n = draft.cite(self._rec_evidence(r))
                draft.records.append(r)
                time = f" ({r['timeframe']})" if r.get("timeframe") else ""
                who = f" — {'; '.join(owners_of(r))}" if q.intent == "list_year" and owners_of(r) else ""
                if q.intent == "list_agency" and not any(a in owners_of(r) for a in q.agencies):
                    support = "supports" if q.language == "en" else "phối hợp với"
                    who = f" ({support} {'; '.join(owners_of(r))})" if owners_of(r) else ""
                draft.lines.append(f"- {clip(record_text(r), 160)}{time}{who} [{n}]")
        if len(uniq) > len(shown):
            more = len(uniq) - len(shown)
            draft.lines.append(f"… and {more} more." if q.language == "en" else f"… và {more} mục khác.")
        return self.finish(q, draft)

    def documents_answer(self, q: Question) -> Answer:
        keys = {province_key(p) for p in q.provinces}
        docs = [d for d in self.docs.values() if not keys or province_key(d.get("province") or "") in keys]
        draft = Draft()
        for d in docs:
            src = self.source(d["doc_id"])
            head = re.search(r"\S[^\n]*", src)
            a, b = (head.start(), head.end()) if head else (0, 0)
            n = draft.cite(Evidence(d["doc_id"], "", a, b))
            issued = f", {d['issued']}" if d.get("issued") else ""
            draft.lines.append(f"- {d.get('province')}: {doc_label(d, q.language)}{issued} [{n}]")
        return self.finish(q, draft)
