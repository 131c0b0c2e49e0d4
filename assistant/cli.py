"""Thin CLI over library calls: `python -m assistant <command> …`.

Each module in assistant/commands/ registers one command with `register(subparsers)` and sets
`func(args, settings) -> int` on its parser. Library errors become one clean line on stderr and
exit code 2.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from assistant import commands
from assistant.errors import AssistantError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Trợ lý ảo cho kế hoạch chuyển đổi số: ingest, index, ask, serve.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        importlib.import_module(f"assistant.commands.{mod.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    from assistant.settings import Settings

    try:
        settings = Settings()
        return int(args.func(args, settings) or 0)
    except AssistantError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head` closed the pipe: the reader has what it wanted
        # later flushes at exit would raise again; send them nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
