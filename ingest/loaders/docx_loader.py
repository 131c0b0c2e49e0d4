"""Word documents (.docx, python-docx): paragraphs and native tables in document order."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.registry import TextBuilder, register
from ingest.records import LoadedDocument

# Zip-bomb guards, read from the zip directory before anything is decompressed. A long plan's
# document.xml is a few MB; python-docx loads every part into memory and parses the XML ones.
# lxml needs several times the XML's size in memory, so the XML parts together are bounded tightly
# (a 300-page plan's XML is under 10 MB); images and other media only count in the total.
MAX_PARTS = 2_000
MAX_XML_PART_BYTES = 16 * 1024 * 1024
MAX_XML_TOTAL_BYTES = 24 * 1024 * 1024
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024


def check_package(path: Path, data: bytes) -> None:
    """Refuse a .docx whose declared uncompressed sizes are out of bounds. zipfile stops reading a
    member at its declared size (and fails its CRC check), so the declared sizes bound the memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(path, f"corrupt .docx ({exc}); re-save it from Word") from exc
    if len(infos) > MAX_PARTS:
        raise IngestError(path, f"the .docx package has {len(infos):,} parts (at most {MAX_PARTS:,})")
    total = xml = 0
    for info in infos:
        total += info.file_size
        if info.filename.lower().endswith((".xml", ".rels")):
            xml += info.file_size
            if info.file_size > MAX_XML_PART_BYTES:
                raise IngestError(path, f"{info.filename} would unpack to {info.file_size:,} bytes (at most "
                                        f"{MAX_XML_PART_BYTES:,}); refusing a possible zip bomb")
    if xml > MAX_XML_TOTAL_BYTES:
        raise IngestError(path, f"the .docx XML would unpack to {xml:,} bytes (at most {MAX_XML_TOTAL_BYTES:,}); "
                                "refusing a possible zip bomb")
    if total > MAX_UNZIPPED_BYTES:
        raise IngestError(path, f"the .docx would unpack to {total:,} bytes (at most "
                                f"{MAX_UNZIPPED_BYTES:,}); refusing a possible zip bomb")


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
    check_package(path, data)
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
