"""`chat`: an interactive session; follow-up questions use the earlier turns. /quit ends it."""
from __future__ import annotations

import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "chat", help="ask questions interactively (follow-ups understood; /quit to leave)",
        description="Interactive question answering over the plans. Type /quit to leave, /new to forget "
                    "the earlier questions.")
    p.set_defaults(func=run)


def run(args, settings, stdin=None, stdout=None) -> int:
    from assistant.assistant import PlanAssistant
    from assistant.commands.ask import format_answer

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    bot = PlanAssistant(settings)
    history: list[str] = []
    print("Hỏi về các kế hoạch chuyển đổi số (/quit để thoát, /new để bắt đầu lại).", file=stdout)
    while True:
        print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        q = line.strip()
        if not q:
            continue
        if q in ("/quit", "/exit", "/q"):
            break
        if q == "/new":
            history = []
            continue
        ans = bot.answer(q, history)
        if ans.standalone_question and ans.standalone_question != q:
            print(f"({ans.standalone_question})", file=stdout)
        print(format_answer(ans), file=stdout, flush=True)
        history.append(q)
    return 0
