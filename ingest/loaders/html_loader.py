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
        """Depth-first over the tree with an explicit stack: deeply nested markup (thousands of
        <div>s) must not hit Python's recursion limit."""
        from bs4 import Comment, NavigableString, Tag

        stack = [(iter(node.children), False)]  # (children left, flush after them: a block)
        while stack:
            children, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    self.flush()
                continue
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
                    stack.append((iter(child.children), True))
                else:
                    stack.append((iter(child.children), False))


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, 1)), 50))
    except ValueError:
        return 1


def _take_covered(row: list[str], below: dict[int, list]) -> None:
    """Append the cells of rowspans from above that cover the next columns of `row`."""
    while len(row) in below:
        col = len(row)
        text, left, width = below[col]
        row.extend([text] + [""] * (width - 1))
        if left <= 1:
            del below[col]
        else:
            below[col][1] = left - 1


def _table_rows(table) -> list[list[str]]:
    """Rows of a table (nested tables' rows excluded) on the column grid: colspan fills its first
    column only; rowspan repeats the text in the rows below, as a vertically merged DOCX cell."""
    rows = []
    below: dict[int, list] = {}  # grid column -> [text, rows still covered, colspan] of a rowspan
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            _take_covered(row, below)
            text = clean_cell(cell.get_text(" "))
            width, height = _span(cell, "colspan"), _span(cell, "rowspan")
            if height > 1:
                below[len(row)] = [text, height - 1, width]
            row.append(text)
            row.extend([""] * (width - 1))
        _take_covered(row, below)
        while any(k > len(row) for k in below):  # rowspans right of this row's last cell
            row.append("")
            _take_covered(row, below)
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
