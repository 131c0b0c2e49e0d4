"""HTML (.html/.htm, BeautifulSoup): visible text, block elements as lines, tables rendered."""
from __future__ import annotations

from pathlib import Path

from ingest.loaders.registry import TextBuilder, clean_cell, register
from ingest.loaders.text_loader import decode_text
from ingest.records import LoadedDocument

_DROP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
    "pre", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "address", "figure", "figcaption", "form", "fieldset", "caption", "body", "html", "center",
}  # fmt: skip


class _Walker:
    def __init__(self) -> None:
        self.out = TextBuilder()
        self.inline: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.inline).split())
        self.inline = []
        if text:
            self.out.line(text)

    def walk(self, node) -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(str(child))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in _DROP:
                    continue
                if name == "br":
                    self.flush()
                elif name == "table":
                    self.flush()
                    self.out.table(_table_rows(child))
                elif name in _BLOCK:
                    self.flush()
                    self.walk(child)
                    self.flush()
                else:
                    self.walk(child)


def _table_rows(table) -> list[list[str]]:
    """Rows of a table (nested tables' rows excluded); colspan fills its first column only."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            row.append(clean_cell(cell.get_text(" ")))
            try:
                span = int(cell.get("colspan", 1))
            except ValueError:
                span = 1
            row.extend([""] * (max(1, min(span, 50)) - 1))
        rows.append(row)
    return rows


@register(".html", ".htm", requires=("bs4",), install="beautifulsoup4")
def load_html(path: Path, data: bytes) -> LoadedDocument:
    from bs4 import BeautifulSoup

    text, encoding, _ = decode_text(data, path)
    soup = BeautifulSoup(text, "html.parser")
    walker = _Walker()
    walker.walk(soup)
    walker.flush()
    return walker.out.build(path, encoding)
