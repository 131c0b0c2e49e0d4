"""The composer: an understood question and its retrieved passages -> a grounded Answer.

It never writes a fact the sources do not state: owners, figures, timeframes and document facts
are copied from records and metadata, other answers are sentences copied from the passages.
Every statement carries a numbered citation. Which builder answers follows the question's
intent; when a structured builder has nothing, the plans' own sentences answer; without enough
evidence it abstains and says what the index holds.

Evidence is measured by `coverage` (assistant.answers.evidence); the abstention threshold is
calibrated on the dev set (bench/ask.py --calibrate).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ingest.normalize import fold

from assistant.answer_types import Answer
from assistant.answers.corpus import Corpus, Scope
from assistant.answers.counts import count_draft, counted
from assistant.answers.documents import asked_section, catalog_draft, meta_draft, section_draft, summary_draft
from assistant.answers.drafting import Draft, build_citations
from assistant.answers.evidence import words
from assistant.answers.extractive import extractive_draft
from assistant.answers.lists import list_draft
from assistant.answers.messages import abstain, greeting
from assistant.answers.targets import asks_goals, goals_draft, target_draft
from assistant.answers.tasks import owner_draft
from assistant.understanding import Question

HOW_TO_NOTE = {"vi": "Các kế hoạch không mô tả thủ tục hay cách làm cụ thể; trên đây là những gì kế hoạch nêu về việc này.",
               "en": "The plans do not describe the procedure itself; above is what they say about it."}
ABSTAIN_COVERAGE = 0.6  # middle of the dev-set plateau 0.45-0.80 (bench/ask.py --calibrate)
EARLIEST_YEAR_MARGIN = 5  # a year this far before the corpus' first year is still "covered"
# words of a document question that ask for its metadata, not for its contents
_META_WORDS = set("ban hanh ngay nao ky ai nguoi so hieu co quan don vi do van ban nam thang issued signed who when "
                  "date number issuer by was what is the of".split())


# a figure other than a year or a part number: "80%", "3.000 tỷ", "05 dịch vụ", "≥ 30"
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|(?<![\d./-])(?!(?:19|20)\d\d(?!\d))\d[\d.,]*(?![\d./-])(?!\.\d)")


# a time a sentence states: a year, a month or quarter, a date, "hằng năm", "trước ngày …"
_TIME = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)|\b(thang|quy) [\divx]+\b|(?<![\d/])(?!24/7\b)\d{1,2}/\d{1,2}\b|\bhang (nam|thang|quy)\b"
                   r"|\btruoc ngay\b|\bngay \d|\bgiai doan\b|\bthuong xuyen\b|\bkhi co\b|\bdinh ky\b"
                   r"|\b\d+\s*(nam|thang|quy|tuan|ngay|gio)\b|\blan\s*/\s*(nam|thang|quy|tuan|ngay)\b|\bmoi (nam|thang|quy)\b")
_ASKS_FIGURE = re.compile(r"\bbao nhieu\b|%|\bty le\b|\bmay (phan tram|%)|\bhow (many|much)\b|\bpercent|\bwhat share\b")


class Composer:
    """Turns an understood question and its fused hits into a grounded Answer."""

    def __init__(self, index, threshold: float = ABSTAIN_COVERAGE):
        self.corpus = Corpus(index)
        self.threshold = threshold
        self.examples = {lang: self.corpus.example(lang) for lang in ("vi", "en")}

    @property
    def docs(self) -> dict[str, dict]:
        return self.corpus.docs

    def scope(self, q: Question) -> Scope:
        return self.corpus.scope(q)

    # -- checks --
    def known_province(self, q: Question) -> bool | None:
        """None when no province is named; else whether the index holds one of them."""
        if not q.provinces:
            return None
        return any(self.corpus.in_provinces(d, q.provinces) for d in self.docs)

    def years_span(self) -> tuple[int, int] | None:
        """The years the documents speak of: their titles and dates, the years their targets are
        set for and their headings name ("Tầm nhìn đến năm 2045")."""
        return self.corpus.years_span()

    def evidence_score(self, q: Question, hits) -> float:
        return max((self.corpus.vocab.coverage(
            q.topic, f"{self.corpus.place(h.chunk.doc_id)} {h.chunk.section} {h.chunk.text}", q.accented, q.foreign,
            q.bridged, q.repeats) for h in hits[:5]), default=0.0)

    def titles_found(self, q: Question, hits) -> bool:
        """Every named programme/project title appears in a hit of an asked province (a task only
        another province's plan has must not answer for this one)."""
        for title in q.titles:
            if not any(f" {title} " in " {} ".format(" ".join(words(f"{h.chunk.section} {h.chunk.text}")))
                       and (not q.provinces or self.corpus.in_provinces(h.chunk.doc_id, q.provinces))
                       for h in hits):
                return False
        return True

    def _abstain(self, q: Question, reason: str, missing: str = "") -> Answer:
        return abstain(q, self.docs, reason, "out_of_scope", self.examples[q.language], missing)

    # -- entry point --
    def compose(self, q: Question, hits, scope: Scope | None = None) -> Answer:
        scope = scope if scope is not None else self.scope(q)
        if q.intent == "greeting":
            return greeting(q, self.docs, self.examples[q.language])
        if self.known_province(q) is False:
            return self._abstain(q, "province")
        span = self.years_span()
        if q.years and span and all(y > span[1] or y < span[0] - EARLIEST_YEAR_MARGIN for y in q.years):
            return self._abstain(q, "year")
        if scope.missing and not scope.doc_ids:
            if not any(self.corpus.mentioned(r) for r in scope.missing):
                return self._abstain(q, "document", ", ".join(r.label or r.text for r in scope.missing))
            q = replace(q, topic=[*q.topic, *q.ref_words])  # a document the plans cite is a subject
        draft = self.structured(q, hits, scope)
        if draft is None:
            if scope.named and len(scope.doc_ids) == 1:  # "Theo Nghị quyết 03/NQ-CP, …": its title words are no topic
                q = replace(q, topic=self.corpus.narrow(q.topic, scope.doc_ids[0], q.accented))
            if not hits or self.evidence_score(q, hits) < self.threshold or not self.titles_found(q, hits):
                return self._abstain(q, "evidence")
            draft = self.from_passages(q, hits)
            if draft is None or not draft.lines:
                return self._abstain(q, "evidence")
        if q.yes_no and draft.lines:
            draft.lines[0] = ("Yes. " if q.language == "en" else "Có. ") + draft.lines[0]
        if q.how_to and q.intent == "general" and draft.lines:  # say plainly what the plans do not hold
            draft.lines.append(HOW_TO_NOTE[q.language])
        return self.finish(q, draft)

    def structured(self, q: Question, hits, scope: Scope) -> Draft | None:
        """Answers built from records and metadata rather than from retrieved passages."""
        if q.intent == "document":
            if q.meta or scope.named:
                draft = meta_draft(self.corpus, q, scope)
                if draft is None and q.meta:
                    return None  # "… là kế hoạch số mấy?" of a plan the text cites: its words answer
                if draft is not None:
                    rest = [w for w in q.topic if fold(w) not in _META_WORDS and len(w) > 1]
                    if rest and hits:  # "… ban hành ngày nào và thay thế kế hoạch nào?": the rest from the text
                        extra = extractive_draft(self.corpus, replace(q, topic=rest), hits, max_lines=2)
                        if extra.lines and self.evidence_score(replace(q, topic=rest), hits) >= self.threshold:
                            draft.merge(extra)
                    return draft
            return catalog_draft(self.corpus, q, scope)
        if asked_section(q) and q.intent in ("general", "summary", "list_year"):
            draft = section_draft(self.corpus, q, scope)  # "những yêu cầu gì": the part under that heading
            if draft is not None:
                return draft
        if q.intent == "summary":
            return summary_draft(self.corpus, q, scope)
        if q.intent == "count" and q.agencies and counted(q) in ("task", "target", "project"):
            # "Sở TT&TT chủ trì bao nhiêu nhiệm vụ?": the agency's list, whose heading counts them per plan
            return list_draft(self.corpus, replace(q, intent="list_agency"), scope)
        if q.intent == "count":
            return count_draft(self.corpus, q, scope)
        if (q.intent == "list_agency" and q.agencies) or (q.intent == "list_year" and q.years):
            return list_draft(self.corpus, q, scope)
        return None

    def from_passages(self, q: Question, hits) -> Draft | None:
        draft = None
        if q.intent in ("owner", "deadline") or ((q.yes_no or q.how_to) and q.intent == "general"):
            # "… có xây dựng X không?": the record of X, with who does it and when, is the fact behind the yes
            draft = owner_draft(self.corpus, q, hits, self.threshold)
        elif q.intent == "target":
            goals = goals_draft(self.corpus, q, hits, self.threshold) if asks_goals(q) else None
            draft = goals if goals is not None and len(goals.records) > 1 else target_draft(
                self.corpus, q, hits, self.threshold)
        if draft is None or not draft.lines:
            draft = extractive_draft(self.corpus, q, hits)
            quotes = [m.group(1) for line in draft.lines for m in re.finditer(r"“([^”]*)”", line)]
            if _ASKS_FIGURE.search(fold(q.text)) and not any(_FIGURE.search(t) for t in quotes):
                return None  # a figure was asked and no sentence states one: say so rather than guess
            if q.intent == "deadline" and not any(_TIME.search(fold(t)) for t in quotes):
                return None  # "when" was asked and no sentence states a time: no answer is better than a guess
        if len(q.provinces) > 1:
            self.fill_provinces(q, hits, draft)
        return draft

    def fill_provinces(self, q: Question, hits, draft: Draft) -> None:
        """A named province the structured lines missed gets its best sentence (figures and owners
        stated in prose), so a two-province question is answered for both or says which lacks it."""
        for p in q.provinces:
            if any(self.corpus.in_provinces(e.doc_id, [p]) for e in draft.evidence):
                continue
            mine = [h for h in hits if self.corpus.in_provinces(h.chunk.doc_id, [p])]
            if not mine or self.evidence_score(q, mine) < self.threshold:
                continue
            draft.merge(extractive_draft(self.corpus, q, mine, max_lines=1))

    def finish(self, q: Question, draft: Draft) -> Answer:
        cits = build_citations(draft.evidence, self.docs, self.corpus.source)
        return Answer(question=q.text, answer="\n".join(draft.lines), abstained=False, language=q.language,
                      intent=q.intent, citations=cits, records=draft.records)
