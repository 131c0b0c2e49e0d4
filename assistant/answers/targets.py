"""What figure a plan sets: answers from target records (indicator tables and prose goals).

One line per document that states a figure for the topic (and year, when asked), best first: the
same indicator has different figures in different plans, and each line names its plan.
"""
from __future__ import annotations

import re

from ingest.normalize import fold

from assistant.answers.corpus import Corpus
from assistant.answers.drafting import Draft
from assistant.answers.records import Rec
from assistant.answers.tasks import candidates, rec_evidence
from assistant.understanding import Question

MAX_PLANS = 4


def years_text(values: dict[str, str], years: list[int], language: str) -> str:
    """"năm 2025: 80%; năm 2030: 95%"; a figure whose year the plan leaves unsaid has no label."""
    keys = list(dict.fromkeys(str(y) for y in years if str(y) in values)) if years else sorted(values)
    if language == "en":
        return "; ".join(f"{k}: {values[k]}" if k.isdigit() else values[k] for k in keys)
    return "; ".join(f"năm {k}: {values[k]}" if k.isdigit() else values[k] for k in keys)


def target_draft(corpus: Corpus, q: Question, hits, threshold: float) -> Draft | None:
    def want(r: Rec) -> bool:
        if r.kind != "target" or not r.values:
            return False
        return not q.years or any(str(y) in r.values for y in q.years)

    cands = candidates(corpus, q, hits, want)
    if not cands or cands[0].coverage < threshold:
        return None
    best = cands[0].score
    per_doc: dict[str, tuple[float, Rec]] = {}
    for c in cands:
        if c.score >= best * 0.8 and c.coverage >= threshold and c.rec.doc_id not in per_doc:
            per_doc[c.rec.doc_id] = (c.score, c.rec)
    draft = Draft()
    for _, rec in sorted(per_doc.values(), key=lambda t: t[0], reverse=True)[:MAX_PLANS]:
        n = draft.cite(rec_evidence(rec))
        draft.records.append(rec.raw)
        vals = years_text(rec.values, q.years, q.language)
        if rec.unit and not any(ch.isalpha() for ch in " ".join(rec.values.values())) and not all(
                rec.unit in v for v in rec.values.values()):
            vals += f" ({rec.unit})"  # "≥ 30" of "% GDP"
        label = corpus.label(rec.doc_id, q.language)
        owners = "; ".join(rec.leads)
        who = (f" (lead: {owners})" if q.language == "en" else f" (chủ trì: {owners})") if owners else ""
        draft.lines.append(f"{label}: “{rec.text}” — {vals}{who} [{n}]")
    return draft


GOALS_SHOWN = 6
# "mục tiêu về kinh tế số … là gì?", "what are the goals for …": the goals, not one figure
_GOALS = re.compile(r"\b(nhung|cac) (muc tieu|chi tieu)\b|\b(muc tieu|chi tieu)\b.{0,60}\b(la gi|gom (nhung )?gi"
                    r"|nhu the nao|ra sao|nhung gi)\b|\b(goals|targets|objectives|aims)\b")
_ONE_FIGURE = re.compile(r"\bbao nhieu\b|%|\bhow (many|much)\b|\bwhat (share|percentage|proportion|rate|level)\b"
                         r"|\bmay phan tram\b|\bty le\b")


def asks_goals(q: Question) -> bool:
    folded = fold(q.text)
    return bool(_GOALS.search(folded)) and not _ONE_FIGURE.search(folded)


def goals_draft(corpus: Corpus, q: Question, hits, threshold: float) -> Draft | None:
    """The goals a plan sets on the asked theme (and year): the best-covered target first, then the
    other targets of the same plan that cover the theme, each with its figures."""
    cands = [c for c in candidates(corpus, q, hits, lambda r: r.kind == "target" and bool(r.values)
                                   and (not q.years or any(str(y) in r.values for y in q.years)))
             if c.coverage >= threshold]
    if not cands:
        return None
    doc = cands[0].rec.doc_id
    mine = [c.rec for c in cands if c.rec.doc_id == doc][:GOALS_SHOWN]
    draft = Draft()
    draft.lines.append(f"{corpus.label(doc, q.language)}:")
    for rec in mine:
        n = draft.cite(rec_evidence(rec))
        draft.records.append(rec.raw)
        who = f" ({'lead' if q.language == 'en' else 'chủ trì'}: {'; '.join(rec.leads)})" if rec.leads else ""
        draft.lines.append(f"- {rec.text} — {years_text(rec.values, q.years, q.language)}{who} [{n}]")
    return draft
