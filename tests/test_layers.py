"""The layout shows the pipeline, and imports follow it: a stage never imports one above it.

vocabulary (data) -> ingest -> vectorstore -> assistant (understanding, answers, service) ->
channels: the Zalo bot, then the web API that wires the bot in -> the CLI. Every import counts,
including those inside functions (a lazy import is still an arrow).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vocabulary", "ingest", "vectorstore", "assistant")
LAYERS = [  # lowest first; a module belongs to the first (longest) prefix that matches
    ("vocabulary", 0), ("ingest", 1), ("vectorstore", 2),
    ("assistant.zalo", 4), ("assistant.api", 5),
    ("assistant.commands", 6), ("assistant.cli", 6), ("assistant.__main__", 6),
    ("assistant", 3),
]


def layer(module: str) -> int | None:
    for prefix, rank in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def upward_arrows() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            here = module_name(path)
            for lineno, target in imports(path):
                if layer(target) is not None and layer(target) > layer(here):
                    found.append(f"{path.relative_to(ROOT)}:{lineno} {here} -> {target}")
    return found


def test_no_stage_imports_a_stage_above_it():
    assert upward_arrows() == []


def test_the_layer_table_sees_the_arrows_it_forbids():
    # the checker itself: the arrows this test exists to catch are classified as upward
    assert layer("ingest.errors") < layer("assistant.errors")
    assert layer("assistant.zalo.bot") < layer("assistant.api.schemas")
    assert layer("assistant.service") < layer("assistant.zalo.bot") < layer("assistant.api.app")
    assert layer("assistant.answers.composer") < layer("assistant.commands.serve")
    assert layer("langchain_core.retrievers") is None and layer("assistantx") is None
    lines = imports(ROOT / "assistant" / "api" / "app.py")
    assert any(target.startswith("assistant.zalo") for _, target in lines)  # the app wires the bot in
