"""`ask`: answer one question, or a JSON-lines file of questions (design.md contract).

    python -m assistant ask "Ai chủ trì ...?" [--json] [--history "earlier question" ...]
    python -m assistant ask --jsonl FILE     # lines {"id", "q", "history"} -> one JSON per line
"""
from __future__ import annotations

import json
from pathlib import Path

from assistant.errors import AssistantError
from assistant.evaluation import load_questions


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "ask", help="answer a question about the plans, with citations",
        description="Answer a question (or a JSON-lines file of questions) from the indexed plans.")
    p.add_argument("question", nargs="?", help="the question (Vietnamese or English)")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument("--jsonl", type=Path, metavar="FILE",
                   help='answer every line {"id", "q", "history"} of FILE; prints one JSON object per line')
    p.add_argument("--history", action="append", default=[], metavar="TURN",
                   help="an earlier user turn (repeat for several, oldest first)")
    p.set_defaults(func=run)


def format_answer(ans) -> str:
    lines = [ans.answer]
    if ans.citations:
        lines.append("")
        lines.append("Nguồn:" if ans.language == "vi" else "Sources:")
        for c in ans.citations:
            quote = c.quote if len(c.quote) <= 240 else c.quote[:237] + "…"
            sec = f" — {c.section}" if c.section else ""
            lines.append(f"[{c.n}] {c.doc_id}{sec} ({c.start}-{c.end}): “{quote}”")
    return "\n".join(lines)


def run(args, settings) -> int:
    if not args.question and not args.jsonl:
        raise AssistantError('give a question or --jsonl FILE, e.g. python -m assistant ask "Ai chủ trì ...?"')
    items = load_questions(args.jsonl) if args.jsonl else None
    from assistant.assistant import PlanAssistant

    bot = PlanAssistant(settings)
    if items is not None:
        for item in items:
            ans = bot.answer(item["q"], item.get("history") or None)
            print(json.dumps(ans.to_json(item.get("id")), ensure_ascii=False), flush=True)
        return 0
    ans = bot.answer(args.question, args.history or None)
    if args.json:
        print(json.dumps(ans.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(ans))
    return 0
