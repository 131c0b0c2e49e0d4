"""User text as every channel receives it (web, API, Zalo): invisible characters out, a length cap."""
from __future__ import annotations

import re

MAX_QUESTION = 2000

# Control characters (C0/C1 but tab and newlines), bidi overrides/isolates and zero-width
# characters: invisible, useless to retrieval, and a way to disguise text in logs and the widget.
# Lone surrogates ("\ud800") cannot be encoded at all: dropped like the invisible ones.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f"
                        "\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")

# `clean_text` told as a JSON-schema pattern: at least one visible character.
VISIBLE = ("[^\\s\\x00-\\x1f\\x7f-\\x9f\\u200b\\u200e\\u200f\\u202a-\\u202e"
           "\\u2066-\\u2069\\ufeff]")


def clean_text(text: str) -> str:
    """User text without invisible characters and surrounding whitespace; empty text is an error."""
    text = _INVISIBLE.sub("", text).strip()
    if not text:
        raise ValueError("the text is empty (only spaces or invisible characters); type a question")
    return text
