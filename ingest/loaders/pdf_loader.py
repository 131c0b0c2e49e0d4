"""PDF (.pdf, pdfplumber): text and native tables per page, in reading order.

Table areas are cut out of the page text (so a table is not read twice) and the rendered table
is placed where it stood on the page, between the text lines above and below it.
"""
from __future__ import annotations

import io
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.registry import TextBuilder, register
from ingest.records import LoadedDocument

MAX_PAGES = 2_000  # a long plan has a few hundred pages; every page costs a layout analysis


def _page_count(pdf) -> int | None:
    """The page count the PDF declares in its page tree (cheap: no page is read)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return int(count) if isinstance(count, int) else None
    except Exception:  # a broken page tree: let the page walk report it
        return None


def _outside(bboxes: list[tuple[float, float, float, float]]):
    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)

    return keep


def _repeat_vertical_merges(table, rows: list[list[str | None]]) -> list[list[str | None]]:
    """pdfplumber gives None for every grid slot a merged cell covers. A cell merged down over
    the rows below repeats its text there (as the DOCX loader does: it applies to each row); a
    cell merged across keeps its text in its first column only."""
    grid = [r.cells for r in table.rows]
    if len(grid) != len(rows):
        return rows
    out = [list(r) for r in rows]
    for r in range(1, len(rows)):
        tops = [c[1] for c in grid[r] if c]
        if not tops:
            continue
        for k, cell in enumerate(grid[r]):
            if cell is not None or k >= len(out[r]):
                continue
            above = next((q for q in range(r - 1, -1, -1) if k < len(grid[q]) and grid[q][k]), None)
            if above is not None and grid[above][k][3] > min(tops) + 0.5:  # its box reaches this row
                out[r][k] = out[above][k]
    return out


def _page_blocks(page) -> list[tuple[float, str, object]]:
    """(top, kind, content) for the text lines and tables of one page."""
    tables = [t for t in page.find_tables() if t.bbox]
    blocks: list[tuple[float, str, object]] = []
    for t in tables:
        rows = _repeat_vertical_merges(t, t.extract())
        if rows:
            blocks.append((t.bbox[1], "table", rows))
    text_page = page.filter(_outside([t.bbox for t in tables])) if tables else page
    for ln in text_page.extract_text_lines(layout=False, strip=True):
        if ln["text"].strip():
            blocks.append((ln["top"], "line", ln["text"]))
    blocks.sort(key=lambda b: (b[0], b[1] != "table"))
    return blocks


@register(".pdf", requires=("pdfplumber",), install="pdfplumber")
def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    import pdfplumber

    if not data.lstrip().startswith(b"%PDF-"):
        raise IngestError(path, "corrupt PDF (no %PDF header)")
    out = TextBuilder()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            declared = _page_count(pdf)
            if declared is not None and declared > MAX_PAGES:
                raise IngestError(path, f"PDF has {declared:,} pages (at most {MAX_PAGES:,}); "
                                        "split it into parts")
            if len(pdf.pages) > MAX_PAGES:
                raise IngestError(path, f"PDF has {len(pdf.pages):,} pages (at most {MAX_PAGES:,}); "
                                        "split it into parts")
            if not pdf.pages:
                raise IngestError(path, "PDF has no pages")
            for page in pdf.pages:
                for _top, kind, content in _page_blocks(page):
                    if kind == "table":
                        out.table(content)
                    else:
                        out.line(content)
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        raise IngestError(path, f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not out.blocks:
        raise IngestError(path, "PDF has no text layer (a scanned image?); run OCR on it first")
    return out.build(path)
