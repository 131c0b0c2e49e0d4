"""`eval`: score the assistant on a question file (format of ../shared/eval/dev.jsonl).

Prints accuracy by type, overall, citation accuracy, abstention precision/recall and latency
p50/p95 (in-process); --json prints the same as one JSON object, --show prints every answer.
"""
from __future__ import annotations

import json
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "eval", help="score answers on a question file (accuracy, citations, abstention, latency)",
        description="Score the assistant on a JSON-lines question file with must/docs/abstain fields.")
    p.add_argument("file", type=Path, help="question file, e.g. ../shared/eval/dev.jsonl")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--show", action="store_true", help="print each question's answer too")
    p.set_defaults(func=run)


def run(args, settings) -> int:
    from assistant.assistant import PlanAssistant
    from assistant.evaluation import evaluate, load_questions

    items = load_questions(args.file)
    bot = PlanAssistant(settings)
    bot.warm()  # latency measures answering, not loading
    report = evaluate(bot, items)
    if args.show:
        for i in report.items:
            mark = "ok " if i.correct else "BAD"
            print(f"{mark} {i.id}: {i.answer.answer[:300]}")
            print("    cites: " + ", ".join(f"[{c.n}] {c.doc_id}" for c in i.answer.citations))
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if args.json else report.format())
    return 0
