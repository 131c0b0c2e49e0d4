"""Typed records on the answer side: one view of a stored Task, Target, Project or Assignment.

The record store keeps each record as the JSON of its ingest dataclass plus the document's
province and title. Answer builders read them through `Rec`, where the owner is always `leads`
(a task's lead, a target's owners, a project's owner, an assignment's agency) and the text is
always `text` (task text, target indicator, project name, assignment sentence). `raw` is the
stored dict, which the output contract returns as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rec:
    id: str
    kind: str  # "task" | "target" | "project" | "assignment"
    doc_id: str
    section: str
    text: str
    leads: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    row: str | None = None
    timeframe: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    values: dict[str, str] = field(default_factory=dict)  # targets: year -> figure, baseline included
    start: int = 0
    end: int = 0
    assigned_by: dict | None = None  # {"quote", "start", "end"} of the clause that gave the owner
    source: str = ""  # "table" | "prose" | "assignment"
    note: str | None = None
    unit: str | None = None  # of a target's figures ("% GDP", "doanh nghiệp")
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, d: dict) -> "Rec":
        kind = d.get("kind") or "task"
        text = d.get("text") or d.get("indicator") or d.get("name") or d.get("sentence") or ""
        leads = d.get("lead") or d.get("owners") or d.get("owner") or []
        if kind == "assignment" and not leads and d.get("agency") and d.get("role", "lead") == "lead":
            leads = [d["agency"]]
        values = dict(d.get("values") or {})
        if d.get("baseline") and d.get("baseline_year") and str(d["baseline_year"]) not in values:
            values[str(d["baseline_year"])] = d["baseline"]  # the baseline answers its own year
        return cls(
            id=d["id"], kind=kind, doc_id=d["doc_id"], section=d.get("section") or "", text=" ".join(text.split()),
            leads=list(leads), partners=list(d.get("partners") or []), row=d.get("row"),
            timeframe=d.get("timeframe"), start_year=d.get("start_year"), end_year=d.get("end_year"),
            values=dict(sorted(values.items())), start=d.get("start", 0), end=d.get("end", 0),
            assigned_by=d.get("assigned_by"), source=d.get("source") or "", note=d.get("note"), unit=d.get("unit"), raw=d,
        )

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end
