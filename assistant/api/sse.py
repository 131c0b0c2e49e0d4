"""Server-sent events for a finished answer: text pieces, then citations, then done.

The deterministic answerer composes the whole answer at once; it is sent in small pieces so the
widget can render progressively and a generative answerer can later stream into the same events.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

_PIECE = re.compile(r"\S+\s*|\s+")


def split_pieces(text: str, size: int = 24) -> list[str]:
    """Split text into pieces of about `size` characters on word boundaries (lossless)."""
    pieces, cur = [], ""
    for tok in _PIECE.findall(text):
        cur += tok
        if len(cur) >= size:
            pieces.append(cur)
            cur = ""
    if cur:
        pieces.append(cur)
    return pieces


def event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(payload: dict) -> Iterator[str]:
    """`payload` is the /v1/ask response body."""
    for piece in split_pieces(payload["answer"]):
        yield event("answer", {"text": piece})
    yield event("citations", {"citations": payload["citations"]})
    yield event("done", payload)
