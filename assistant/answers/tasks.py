"""Who leads a task, and when: answers from task, project and target records.

The record that best covers the question's topic answers; a question that names no province or
document gets one line per plan that holds such a task (figures and owners differ by plan).
A record whose owner came by cross-reference from "Tổ chức thực hiện" quotes the assigning clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold

from assistant.answers.corpus import Corpus
from assistant.answers.drafting import Draft, Evidence, clip
from assistant.answers.records import Rec
from assistant.understanding import Question

PER_PLAN_LINES = 4  # at most this many plans answer one "who leads" question
CLOSE_TO_BEST = 0.85  # another plan's record answers too when it scores this close to the best


@dataclass
class Candidate:
    score: float  # coverage plus a little of the retrieval score and rank
    coverage: float
    rec: Rec
    chunk: object


def candidates(corpus: Corpus, q: Question, hits, want) -> list[Candidate]:
    """Records of the top hits that `want` accepts, best first."""
    out: dict[str, Candidate] = {}
    top = max((h.score for h in hits), default=1.0) or 1.0
    for rank, h in enumerate(hits[:24]):
        for rec in corpus.records_for_chunk(h.chunk):
            if not want(rec):
                continue
            topic = corpus.narrow(q.topic, rec.doc_id, q.accented)
            cov = corpus.vocab.coverage(topic, f"{corpus.place(rec.doc_id)} {rec.text} {rec.section}", q.accented,
                                        q.foreign, q.bridged, q.repeats)
            score = cov + 0.3 * (h.score / top) - 0.01 * min(rank, 8)
            if rec.id not in out or out[rec.id].score < score:
                out[rec.id] = Candidate(score, cov, rec, h.chunk)
    return sorted(out.values(), key=lambda c: c.score, reverse=True)


def rec_evidence(rec: Rec) -> Evidence:
    return Evidence(rec.doc_id, rec.section, rec.start, rec.end)


def assignment_clause(quote: str) -> str:
    """The clause of a "Tổ chức thực hiện" sentence that assigns sections ("… chủ trì … điểm 5.1 …")."""
    parts = [p.strip(" .;") for p in re.split(r";|\.\s", quote) if p.strip(" .;")]
    for verb in (r"\bchu tri\b", r"\bthuc hien\b|\btrien khai\b"):
        for p in parts:
            if re.search(r"\b(diem|khoan|muc|phan)\b", fold(p)) and re.search(verb, fold(p)):
                return p
    return parts[0] if parts else quote


# the dates a task's own text states ("tháng 10/2025", "năm 2028")
_STATED_TIME = re.compile(r"(?:tháng|quý)\s+[\dIVX]{1,4}\s*(?:/|năm)\s*20\d\d|(?<![\d.,/])20\d\d(?![\d%]|[.,]\d)")


def owner_draft(corpus: Corpus, q: Question, hits, threshold: float) -> Draft | None:
    """Owner / deadline lines, or None when no record covers the question well enough."""
    if q.intent == "deadline":  # "when": a record that states a time (its timeframe or a date in its text)
        want = lambda r: r.kind in ("task", "project") and bool(r.timeframe or _STATED_TIME.search(r.text))
    else:
        want = lambda r: bool(r.leads)
    cands = candidates(corpus, q, hits, want)
    if not cands or cands[0].coverage < threshold:
        return None
    best = _pick(q, cands, threshold)
    chosen = [best]
    if len(q.provinces) > 1:  # "… ở tỉnh A và tỉnh B": one line per province and plan
        for p in q.provinces:
            if any(corpus.in_provinces(c.rec.doc_id, [p]) for c in chosen):
                continue
            mine = [c for c in cands if corpus.in_provinces(c.rec.doc_id, [p])]
            if mine and mine[0].coverage >= threshold:
                chosen.append(_pick(q, mine, threshold))
    elif not q.provinces:  # no province named: every plan that holds such a task answers
        seen = {corpus.scope_of(best.rec.doc_id)}
        across = asks_across(q)  # "ở các tỉnh", "những cơ quan nào", "in each province": every plan that has one
        for c in cands:
            scope = corpus.scope_of(c.rec.doc_id)
            close = across or (c.coverage >= best.coverage - 0.05 and c.score >= CLOSE_TO_BEST * best.score)
            if (scope not in seen and c.coverage >= threshold and close and len(chosen) < PER_PLAN_LINES):
                seen.add(scope)
                chosen.append(_pick(q, [x for x in cands if x.rec.doc_id == c.rec.doc_id], threshold))
    draft = Draft()
    for c in chosen:
        task_line(corpus, q, c.rec, draft)
    return draft


_ACROSS = re.compile(r"\b(cac|moi|tung|nhung) (tinh|dia phuong|ke hoach|noi|thanh pho)\b|\b(ca|tat ca) (cac )?(tinh|ke hoach)\b"
                     r"|\bnhung (co quan|so|don vi|nganh|ben) nao\b|\bcac (co quan|so|don vi) nao\b"
                     r"|\beach (province|plan|city)\b|\bacross\b|\bin (all|every|the different) (provinces|plans)\b"
                     r"|\bwhich (agencies|departments|bodies|offices)\b|\bin (different|various) provinces\b")


def asks_across(q: Question) -> bool:
    """Does an owner question ask about every plan ("ở các tỉnh", "những cơ quan nào", "each province")?"""
    return bool(_ACROSS.search(fold(q.text)))


def _pick(q: Question, cands: list[Candidate], threshold: float) -> Candidate:
    if q.intent == "deadline" or q.wants_time:  # a close candidate that states a timeframe answers "when"
        timed = [c for c in cands if c.rec.timeframe and c.coverage >= threshold and c.score >= 0.8 * cands[0].score]
        if timed:
            return timed[0]
    return cands[0]


def task_line(corpus: Corpus, q: Question, rec: Rec, draft: Draft) -> None:
    draft.records.append(rec.raw)
    n = draft.cite(rec_evidence(rec))
    owners = "; ".join(rec.leads)
    partners = "; ".join(rec.partners)
    time = rec.timeframe
    text = clip(rec.text)
    label = corpus.label(rec.doc_id, q.language)
    ref = ""
    if rec.assigned_by and rec.assigned_by.get("end"):
        # the owner comes from a cross-reference in "Tổ chức thực hiện": say where it is assigned
        m = draft.cite(Evidence(rec.doc_id, "", rec.assigned_by["start"], rec.assigned_by["end"]))
        clause = assignment_clause(rec.assigned_by.get("quote") or "")
        ref = (f" — assigned in the implementation part: “{clause}” [{m}]" if q.language == "en"
               else f" — giao tại phần Tổ chức thực hiện: “{clause}” [{m}]")
    deadline = q.intent == "deadline"
    if q.language == "en":
        if deadline and time:
            line = f"Timeframe: {time} — “{text}”" + (f" (lead: {owners})" if owners else "")
        else:
            line = f"Lead: {owners} — “{text}”" + (f"; partners: {partners}" if partners else "") + (
                f"; timeframe: {time}" if time else "")
    else:
        if deadline and time:
            line = f"Thời gian thực hiện: {time} — “{text}”" + (f" (chủ trì: {owners})" if owners else "")
        else:
            line = f"{owners} chủ trì: “{text}”" + (f"; phối hợp: {partners}" if partners else "") + (
                f"; thời gian thực hiện: {time}" if time else "")
    if rec.kind == "target" and rec.values:  # "tỷ lệ … là bao nhiêu và ai theo dõi": the figure too
        keys = [k for k in rec.values if not q.years or k in map(str, q.years)] or list(rec.values)
        line += " — " + "; ".join(f"{k}: {rec.values[k]}" if q.language == "en" or not k.isdigit()
                                  else f"năm {k}: {rec.values[k]}" for k in keys)
    stated = list(dict.fromkeys(_STATED_TIME.findall(rec.text)))
    if (deadline or q.wants_time) and (not time or any(y[-4:] not in time for y in stated)):
        # the years and dates the task's own text states answer "when", even those the clipped
        # quote cut off ("… vào năm 2023, tiến tới … năm 2028") or a timeframe read from it omits
        if stated:
            line += (f"; dates stated: {', '.join(stated)}" if q.language == "en"
                     else f"; mốc thời gian nêu trong nhiệm vụ: {', '.join(stated)}")
    draft.lines.append(f"{line} ({label}) [{n}]{ref}")
