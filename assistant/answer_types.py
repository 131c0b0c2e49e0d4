"""Records the answer stage hands to its callers (CLI, API, widget, Zalo bot).

`Answer.to_json()` is the output contract of design.md:
{"id", "question", "answer", "abstained", "language", "intent", "citations": [...], "records": [...]}
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Protocol


@dataclass
class AnswerCitation:
    n: int
    doc_id: str
    title: str
    section: str
    quote: str
    start: int
    end: int


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    language: str  # "vi" | "en"
    intent: str
    citations: list[AnswerCitation] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    standalone_question: str | None = None  # the follow-up rewritten with its history
    suggestions: list[str] = field(default_factory=list)  # follow-up questions to offer

    def to_json(self, id: str | None = None) -> dict:
        out = {
            "id": id,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "intent": self.intent,
            "citations": [asdict(c) for c in self.citations],
            "records": self.records,
        }
        if self.standalone_question and self.standalone_question != self.question:
            out["standalone_question"] = self.standalone_question
        if self.suggestions:
            out["suggestions"] = self.suggestions
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Answer":
        """The inverse of to_json (an answer kept in a cache)."""
        return cls(question=data["question"], answer=data["answer"], abstained=data["abstained"],
                   language=data["language"], intent=data["intent"],
                   citations=[AnswerCitation(**c) for c in data.get("citations", [])],
                   records=list(data.get("records", [])), standalone_question=data.get("standalone_question"),
                   suggestions=list(data.get("suggestions", [])))


class Answerer(Protocol):
    """Anything that answers a question given the earlier user turns."""

    def answer(self, question: str, history: list[str] | None = None) -> Answer: ...


def merge_answers(answers: list[Answer]) -> Answer:
    """One answer from the answers to the parts of a compound question: the parts that found
    something, their citations renumbered into one list; an abstention when no part found anything."""
    found = [a for a in answers if not a.abstained]
    if not found:
        return answers[0]
    lines: list[str] = []
    cits: list[AnswerCitation] = []
    records: list[dict] = []
    for a in found:
        numbers: dict[int, int] = {}
        for c in a.citations:
            same = next((k for k in cits if (k.doc_id, k.start, k.end) == (c.doc_id, c.start, c.end)), None)
            if same is None:
                same = AnswerCitation(**{**asdict(c), "n": len(cits) + 1})
                cits.append(same)
            numbers[c.n] = same.n
        lines.append(re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m.group(1)), m.group(1))}]", a.answer))
        records += [r for r in a.records if r not in records]
    first = found[0]
    return Answer(question=first.question, answer="\n".join(lines), abstained=False, language=first.language,
                  intent=first.intent, citations=cits, records=records)


def with_context(parts: list[str], whole) -> list[str]:
    """Parts of a compound question, each given the places, documents and years of the whole
    question that it does not name itself ("…, DVC mức độ 4 đạt bao nhiêu?" -> "… ở Bình Định năm 2025")."""
    from assistant.glossary import find_provinces
    from assistant.understanding import find_doc_refs, find_years
    from ingest.normalize import fold

    out = []
    for p in parts:
        extra = []
        if whole.provinces and not find_provinces(p):
            extra.append(", ".join(whole.provinces))
        if whole.doc_refs and not find_doc_refs(fold(p)):
            extra.append(whole.doc_refs[0].text)
        if whole.years and not find_years(p):
            extra.append(" ".join(map(str, whole.years)))
        out.append(f"{p.rstrip(' ?')} {' '.join(extra)}?" if extra else p)
    return out
