"""Scoring an answerer on a question file in the format of ../shared/eval/dev.jsonl.

A question is correct when every `must` group has one alternative in the answer (case- and
diacritic-insensitive), a cited document is in `docs` (when docs are given), and the answer
abstained exactly when `abstain` is true.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest.normalize import fold

from assistant.answer_types import Answer, Answerer
from assistant.errors import AssistantError


def _key(text: str) -> str:
    return " ".join(fold(text).split())


def contains(answer: str, needle: str) -> bool:
    return _key(needle) in _key(answer)


@dataclass
class ItemResult:
    id: str
    type: str
    correct: bool
    must_ok: bool
    cite_ok: bool | None  # None when the item names no documents
    abstain_ok: bool
    expected_abstain: bool
    abstained: bool
    latency_ms: float
    answer: Answer


@dataclass
class Report:
    items: list[ItemResult] = field(default_factory=list)

    @property
    def overall(self) -> float:
        return sum(i.correct for i in self.items) / len(self.items) if self.items else 0.0

    def by_type(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for i in self.items:
            out[i.type][0] += i.correct
            out[i.type][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    @property
    def citation_accuracy(self) -> float:
        rated = [i.cite_ok for i in self.items if i.cite_ok is not None]
        return sum(rated) / len(rated) if rated else 0.0

    @property
    def abstention(self) -> tuple[float, float]:
        """(precision, recall) of abstaining."""
        tp = sum(i.abstained and i.expected_abstain for i in self.items)
        said = sum(i.abstained for i in self.items)
        want = sum(i.expected_abstain for i in self.items)
        return (tp / said if said else 1.0), (tp / want if want else 1.0)

    def latency(self, q: float) -> float:
        return percentile([i.latency_ms for i in self.items], q)

    def to_json(self) -> dict:
        p, r = self.abstention
        return {
            "overall": round(self.overall, 4),
            "by_type": {k: {"correct": c, "total": n, "accuracy": round(c / n, 4)}
                        for k, (c, n) in self.by_type().items()},
            "citation_accuracy": round(self.citation_accuracy, 4),
            "abstention_precision": round(p, 4),
            "abstention_recall": round(r, 4),
            "latency_ms_p50": round(self.latency(50), 1),
            "latency_ms_p95": round(self.latency(95), 1),
            "n": len(self.items),
            "failed": [i.id for i in self.items if not i.correct],
        }

    def format(self) -> str:
        lines = []
        for t, (c, n) in self.by_type().items():
            lines.append(f"{t:<10} {c}/{n}  {c / n:.3f}")
        p, r = self.abstention
        lines += [
            f"overall    {sum(i.correct for i in self.items)}/{len(self.items)}  {self.overall:.3f}",
            f"citations  {self.citation_accuracy:.3f}",
            f"abstention precision {p:.3f}  recall {r:.3f}",
            f"latency    p50 {self.latency(50):.1f} ms  p95 {self.latency(95):.1f} ms",
        ]
        failed = [i.id for i in self.items if not i.correct]
        if failed:
            lines.append("failed     " + ", ".join(failed))
        return "\n".join(lines)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def load_questions(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise AssistantError(f"question file not found: {path}", status=404, code="not_found")
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssistantError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise AssistantError(f'{path}:{n}: each line needs a "q" string')
        item.setdefault("id", f"q{n}")
        items.append(item)
    return items


def score_item(item: dict, answer: Answer, latency_ms: float = 0.0) -> ItemResult:
    expected_abstain = bool(item.get("abstain", False))
    must_ok = all(any(contains(answer.answer, alt) for alt in group) for group in item.get("must", []))
    docs = item.get("docs") or []
    cite_ok = any(c.doc_id in docs for c in answer.citations) if docs else None
    abstain_ok = answer.abstained == expected_abstain
    if expected_abstain:
        correct = abstain_ok
    else:
        correct = abstain_ok and must_ok and (cite_ok is not False)
    return ItemResult(
        id=str(item.get("id")), type=str(item.get("type", "other")), correct=correct, must_ok=must_ok,
        cite_ok=cite_ok, abstain_ok=abstain_ok, expected_abstain=expected_abstain,
        abstained=answer.abstained, latency_ms=latency_ms, answer=answer,
    )


def evaluate(answerer: Answerer, items: list[dict]) -> Report:
    report = Report()
    for item in items:
        t0 = time.perf_counter()
        ans = answerer.answer(item["q"], item.get("history") or None)
        ms = (time.perf_counter() - t0) * 1000
        report.items.append(score_item(item, ans, ms))
    return report
