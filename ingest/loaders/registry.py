"""Suffix registry, the common checks every load goes through, and the native-table layout."""
from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from ingest.records import LoadedDocument, NativeTable

MAX_BYTES = 50 * 1024 * 1024  # larger files are refused (override per call with max_bytes=)

LoaderFn = Callable[[Path, bytes], LoadedDocument]


@dataclass(frozen=True)
class _Loader:
    name: str
    fn: LoaderFn
    requires: tuple[str, ...]  # importable module names
    install: str  # what to pip install when a requirement is missing

    def missing(self) -> list[str]:
        return [m for m in self.requires if importlib.util.find_spec(m) is None]


_LOADERS: dict[str, _Loader] = {}


def register(*suffixes: str, requires: tuple[str, ...] = (), install: str = "") -> Callable:
    """Decorator: register `fn(path, data) -> LoadedDocument` for the given suffixes."""

    def deco(fn: LoaderFn) -> LoaderFn:
        for s in suffixes:
            _LOADERS[s.lower()] = _Loader(fn.__module__, fn, requires, install or " ".join(requires))
        return fn

    return deco


def supported_suffixes() -> list[str]:
    """Suffixes that can be loaded here (loaders whose libraries are installed)."""
    return sorted(s for s, ld in _LOADERS.items() if not ld.missing())


def unavailable_suffixes() -> dict[str, str]:
    """Registered suffixes whose library is missing -> the message a load would give."""
    return {s: _missing_message(s, ld) for s, ld in _LOADERS.items() if ld.missing()}


def _missing_message(suffix: str, ld: _Loader) -> str:
    return (
        f"reading {suffix} files needs the Python package(s) {', '.join(ld.missing())}; "
        f"install with: pip install {ld.install}"
    )


def load(path: str | Path, max_bytes: int = MAX_BYTES) -> LoadedDocument:
    """Load one file. Raises IngestError with a clear reason on any failure."""
    path = Path(path)
    suffix = path.suffix.lower()
    ld = _LOADERS.get(suffix)
    if ld is None:
        known = ", ".join(sorted(_LOADERS)) or "none"
        raise IngestError(path, f"unsupported file type {suffix or '(no suffix)'!r}; supported: {known}")
    if not path.exists():
        raise IngestError(path, "file not found")
    if not path.is_file():
        raise IngestError(path, "not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            path, f"file is too large ({size:,} bytes; the limit is {max_bytes:,} bytes)"
        )
    if ld.missing():
        raise IngestError(path, _missing_message(suffix, ld))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise IngestError(path, "file is empty")
    doc = ld.fn(path, data)
    if not doc.text.strip():
        raise IngestError(path, "no text found in the file")
    return doc


# --- native tables ---------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def clean_cell(text: str | None) -> str:
    """Cell text for the row-per-line layout: one line, no "|" (it separates cells)."""
    return _WS.sub(" ", (text or "").replace("|", "/")).strip()


def render_table(rows: list[list[str]]) -> str:
    """Rows as lines "| c1 | c2 |" (cells already cleaned)."""
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


class TextBuilder:
    """Collects lines and tables in document order, then renders the LoadedDocument text.

    `build` repairs legacy font encodings (a .docx typed in .VnTime shows TCVN3 mojibake)
    before rendering, so table spans are spans of the repaired text.
    """

    def __init__(self) -> None:
        self.blocks: list[str | list[list[str]]] = []  # a line, or a table's cleaned rows

    def line(self, text: str) -> None:
        text = text.strip()
        if text:
            self.blocks.append(text)

    def table(self, rows: list[list[str | None]]) -> None:
        cleaned = [[clean_cell(c) for c in r] for r in rows]
        cleaned = [r for r in cleaned if any(r)]
        if cleaned:
            self.blocks.append(cleaned)

    def _plain(self) -> str:
        return "\n".join(
            b if isinstance(b, str) else "\n".join(" ".join(r) for r in b) for b in self.blocks
        )

    def build(self, path: str | Path, encoding: str = "utf-8") -> LoadedDocument:
        from ingest import legacy

        enc = legacy.detect(self._plain())
        fix = (lambda s: legacy.repair(s, enc)) if enc else (lambda s: s)
        parts: list[str] = []
        length = 0
        tables: list[NativeTable] = []
        for b in self.blocks:
            if isinstance(b, str):
                piece = fix(b) + "\n"
            else:
                rows = [[fix(c) for c in r] for r in b]
                if length and not parts[-1].endswith("\n\n"):
                    parts.append("\n")  # a blank line before the table
                    length += 1
                body = render_table(rows)
                tables.append(NativeTable(rows=rows, start=length, end=length + len(body)))
                piece = body + "\n\n"
            parts.append(piece)
            length += len(piece)
        return LoadedDocument(
            path=str(path), text="".join(parts), encoding=encoding, repaired_from=enc, tables=tables
        )
