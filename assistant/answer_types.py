"""Records the answer stage hands to its callers (CLI, API, widget, Zalo bot).

`Answer.to_json()` is the output contract of design.md:
{"id", "question", "answer", "abstained", "language", "intent", "citations": [...], "records": [...]}
"""
from __future__ import annotations

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


class Answerer(Protocol):
    """Anything that answers a question given the earlier user turns."""

    def answer(self, question: str, history: list[str] | None = None) -> Answer: ...
