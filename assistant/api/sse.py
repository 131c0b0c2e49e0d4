"""How a finished answer is cut for server-sent events (FastAPI encodes the events themselves).

The deterministic answerer composes the whole answer at once; it is sent in small pieces so the
widget can render progressively and a generative answerer can later stream into the same events.
"""
from __future__ import annotations

import re

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
