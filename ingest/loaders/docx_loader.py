"""Word documents (.docx, python-docx): paragraphs and native tables in document order."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.registry import TextBuilder, register
from ingest.records import LoadedDocument


def _table_rows(table) -> list[list[str]]:
    """Cell texts per grid column. A horizontally merged cell fills its first column only (no
    duplicated text); a vertically merged cell repeats its text, since it applies to each row."""
    from docx.table import _Cell

    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in table._tbl.tr_lst:
        row: list[str] = []
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.vMerge
            if vmerge == "continue":
                text = above.get(col, "")
            else:
                text = _Cell(tc, table).text  # paragraphs and line breaks as "\n"
            above[col] = text
            row.append(text)
            row.extend([""] * (span - 1))
            col += span
        rows.append(row)
    return rows


@register(".docx", requires=("docx",), install="python-docx")
def load_docx(path: Path, data: bytes) -> LoadedDocument:
    import docx
    from docx.table import Table

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(path, "corrupt .docx (not a zip package); re-save it from Word")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise IngestError(path, f"corrupt .docx ({type(exc).__name__}: {exc})") from exc
    out = TextBuilder()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            out.table(_table_rows(block))
        else:
            for line in block.text.split("\n"):  # soft line breaks inside a paragraph
                out.line(line)
    return out.build(path)
