"""Plain text (.txt): encoding detection, binary detection, legacy font encodings repaired.

Order: BOM (UTF-8, UTF-16, UTF-32) -> BOM-less UTF-16 by its NUL-byte pattern -> binary check ->
strict UTF-8 -> single-byte candidates (Windows-1258, and cp1252 repaired from TCVN3/VNI),
the one that reads most like Vietnamese wins. TCVN3/VNI mojibake saved as UTF-8 is repaired too.
"""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ingest import legacy
from ingest.errors import IngestError
from ingest.loaders.registry import register
from ingest.records import LoadedDocument

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x1B)) | set(range(0x1C, 0x20))


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one byte parity, as in ASCII-heavy UTF-16."""
    head = data[:8192]
    if len(head) < 4:
        return None
    even = head[0::2].count(0) / len(head[0::2])
    odd = head[1::2].count(0) / max(1, len(head[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _is_binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    return sum(b in _CONTROL for b in head) > 0.01 * len(head)


# cp1252 leaves 5 bytes undefined; map them as Latin-1 does instead of failing.
codecs.register_error("ingest-latin1", lambda e: (e.object[e.start : e.end].decode("latin-1"), e.end))


def _cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors="ingest-latin1")


def decode_text(data: bytes, path: Path | str = "") -> tuple[str, str, str | None]:
    """Bytes -> (text, encoding, repaired_from). Raises IngestError for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _repair_legacy(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"invalid {enc} text after its byte-order mark ({exc.reason})") from exc
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return _repair_legacy(data.decode(enc16), enc16)
        except UnicodeDecodeError:
            pass
    if _is_binary(data):
        raise IngestError(path, "binary content, not text (is this really a .txt file?)")
    try:
        return _repair_legacy(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Single-byte: Windows-1258 (combining tone marks -> NFC) against legacy font encodings.
    candidates: list[tuple[str, str, str | None]] = [
        (unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258", None)
    ]
    latin = _cp1252(data)
    for enc in (legacy.TCVN3, legacy.VNI):
        candidates.append((legacy.repair(latin, enc), "cp1252", enc))
    candidates.append((latin, "cp1252", None))
    best = max(candidates, key=lambda c: legacy.vietnamese_score(c[0][:200_000]))
    _refuse_unreadable(best[0][:200_000], path)
    return best


def _refuse_unreadable(text: str, path: Path | str) -> None:
    """A single-byte guess that reads as neither Vietnamese nor mostly-ASCII text (KOI8-R,
    Shift-JIS, an unknown font encoding …) is refused instead of indexing mojibake."""
    words = legacy._WORD.findall(text)
    foreign = sum(1 for w in words if not w.isascii())
    if foreign >= 5 and foreign >= 0.2 * len(words) and legacy.vietnamese_score(text) < 0.3 * foreign:
        raise IngestError(path, "unknown text encoding (not UTF-8, UTF-16, Windows-1258, TCVN3 or "
                                "VNI); save the file as UTF-8 and upload it again")


def _repair_legacy(text: str, encoding: str) -> tuple[str, str, str | None]:
    enc = legacy.detect(text)
    if enc:
        return legacy.repair(text, enc), encoding, enc
    return text, encoding, None


@register(".txt", ".text", ".md")
def load_text(path: Path, data: bytes) -> LoadedDocument:
    text, encoding, repaired = decode_text(data, path)
    return LoadedDocument(path=str(path), text=text, encoding=encoding, repaired_from=repaired)
