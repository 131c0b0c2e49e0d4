"""Plain-text replies for Zalo: answer, short source lines, numbered suggestions, split at 2,000.

The OA message endpoint takes plain text only (no buttons), at most 2,000 characters per message.
"""
from __future__ import annotations

import re

LIMIT = 2000

_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+")


def shorten(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def source_lines(citations: list[dict], title_width: int = 70, section_width: int = 60) -> list[str]:
    """"[1] <title> — <section>" per citation, shortened to fit a phone screen."""
    lines = []
    for c in citations:
        line = f"[{c['n']}] {shorten(c.get('title') or c.get('doc_id', ''), title_width)}"
        if c.get("section"):
            line += f" — {shorten(c['section'], section_width)}"
        lines.append(line)
    return lines


def format_answer(payload: dict) -> str:
    """The /v1/ask payload as one Zalo text (possibly longer than LIMIT; split it after)."""
    parts = [payload["answer"].strip()]
    if payload.get("citations"):
        parts.append("Nguồn:\n" + "\n".join(source_lines(payload["citations"])))
    if payload.get("suggestions"):
        parts.append("Bạn có thể hỏi tiếp:\n" + "\n".join(
            f"{i}. {s}" for i, s in enumerate(payload["suggestions"][:3], 1)))
    return "\n\n".join(parts)


def _units(text: str) -> list[tuple[str, str]]:
    """(separator, sentence) pairs: lines keep their newline, sentences within a line a space."""
    units = []
    for line in text.split("\n"):
        for i, sent in enumerate(s for s in _SENTENCE_END.split(line.strip()) if s):
            units.append(("\n" if i == 0 else " ", sent))
    return units


def _pieces(text: str, limit: int) -> list[str]:
    """Break one block into pieces <= limit: on sentence ends, then spaces, then hard cuts."""
    out, cur = [], ""
    for sep, sent in _units(text):
        while len(sent) > limit:  # one enormous sentence: cut at the last space that fits
            cut = sent.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            head, sent = sent[:cut].rstrip(), sent[cut:].lstrip()
            if cur:
                out.append(cur)
                cur = ""
            out.append(head)
        joined = f"{cur}{sep}{sent}" if cur else sent
        if len(joined) <= limit:
            cur = joined
        else:
            out.append(cur)
            cur = sent
    if cur:
        out.append(cur)
    return out


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split a reply into messages of at most `limit` characters, preferring paragraph
    boundaries, then sentence boundaries; no text is lost except whitespace at the cuts."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    messages, cur = [], ""
    for para in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not para:
            continue
        blocks = [para] if len(para) <= limit else _pieces(para, limit)
        for block in blocks:
            joined = f"{cur}\n\n{block}" if cur else block
            if len(joined) <= limit:
                cur = joined
            else:
                messages.append(cur)
                cur = block
    if cur:
        messages.append(cur)
    return messages
