"""Find tables in normalized text and rebuild their rows, whatever the flattened layout.

Three layouts reach us (docs/ARCHITECTURE.md "Native tables"):
- "rows":  native tables rendered one row per line, "| c1 | c2 | … |";
- "pipes": cells separated by lines holding only "|", cell text hard-wrapped (Bình Định);
- "lines": one cell per line under a header block (Hải Dương, Thanh Hóa), where the number of
  lines per row is not fixed: rows may lack their number, cells may be merged away or span
  several lines. Here each row is *aligned* to the column schema: a small dynamic program
  chooses which consecutive lines form which cell, scoring how well each line fits its column
  (agency-looking, timeframe, value, legal reference, …), and may start unnumbered rows.

Every layout ends in the same `Table`: typed columns and rows of cells with offsets into the
normalized text. Turning rows into records is ingest/table_records.py's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.agencies import looks_like_agency
from ingest.normalize import fold
from ingest.records import NormalizedText


@dataclass
class Column:
    name: str
    role: str  # num text lead partner exec time value baseline source legal note purpose scope unit other
    year: int | None = None  # the year a value/baseline column speaks of


@dataclass
class Cell:
    text: str
    start: int  # offsets in the normalized text
    end: int


@dataclass
class TableRow:
    cells: list[Cell | None]  # one per column; None = empty or merged away
    start: int
    end: int
    group: bool = False  # a group row ("A", "I", "ĐẾN NĂM 2025"): context for the rows below

    def text(self, i: int) -> str:
        c = self.cells[i] if i < len(self.cells) else None
        return c.text if c else ""


@dataclass
class Table:
    layout: str  # "lines" | "pipes" | "rows"
    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)
    title: list[str] = field(default_factory=list)  # lines just above the header (e.g. "PHỤ LỤC I")
    header: list[list[str]] = field(default_factory=list)  # header rows' cells (layout "rows")
    start: int = 0
    end: int = 0

    def role_index(self, *roles: str) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.role in roles]


# --- column roles ----------------------------------------------------------------------------

_YEAR = re.compile(r"(20\d\d)")


def column_role(header: str) -> tuple[str, int | None]:
    """Role of a column from its header text, and the year it refers to (value columns)."""
    h = " ".join(fold(header).replace(",", " ").split())
    year_m = _YEAR.search(h)
    year = int(year_m.group(1)) if year_m else None
    rules = [
        (r"^s?tt$", "num"),
        (r"su can thiet", "purpose"),
        (r"quy mo", "scope"),
        (r"phap ly", "legal"),
        (r"ghi chu", "note"),
        (r"phoi hop", "partner"),
        (r"chu tri|(co quan|don vi) (theo doi|danh gia|giam sat|dau moi)", "lead"),
        (r"(co quan|don vi) thuc hien", "exec"),
        (r"don vi do luong", "lead"),
        (r"thoi gian|thoi han|tien do|han hoan thanh", "time"),
        (r"don vi tinh", "unit"),
        (r"^so lieu", "baseline"),
        (r"^nguon", "source"),
    ]
    for pat, role in rules:
        if re.search(pat, h):
            return role, year
    if year and not re.search(r"noi dung|nhiem vu|ten", h):
        return "value", year
    if re.search(r"nhiem vu|noi dung|chi tieu|ten du an|muc tieu|giai phap", h):
        return "text", None
    return "other", year


# Value columns are named many ways ("Kết quả", "Giá trị", "Mục tiêu", "Chỉ tiêu" beside an
# indicator column): a header with such a word holds the figures when the table lists indicators
# (its text column says "chỉ tiêu"/"mục tiêu"/"tiêu chí") or has no timeframe column. In a task
# table, "Kết quả" is the output product and stays what it is.
_VALUE_HEADER = re.compile(r"^(ket qua|gia tri|muc tieu|chi tieu|muc dat|dat duoc|ke hoach|yeu cau|target|value)\b")
_INDICATOR_TEXT = re.compile(r"chi tieu|muc tieu|tieu chi|indicator")


def refine_roles(cols: list[Column]) -> list[Column]:
    """Column roles read by meaning after the first pass: unit columns ("Đơn vị", "ĐVT") and
    value columns whatever their header word (see _VALUE_HEADER)."""
    for c in cols:
        if c.role == "other" and re.fullmatch(r"(don vi|dvt|don vi tinh)", " ".join(fold(c.name).split())):
            c.role = "unit"
    if any(c.role in ("value", "baseline") for c in cols):
        return cols
    texts = [i for i, c in enumerate(cols) if c.role == "text"]
    indicator = bool(texts) and bool(_INDICATOR_TEXT.search(fold(cols[texts[0]].name)))
    tasks = any(c.role == "time" for c in cols) or (bool(texts) and re.search(r"nhiem vu|cong viec", fold(cols[texts[0]].name)))
    if not indicator and tasks:
        return cols
    for i, c in enumerate(cols):
        if (c.role == "other" or (c.role == "text" and texts and i != texts[0])) and _VALUE_HEADER.match(
                " ".join(fold(c.name).split())):
            c.role = "value"
    return cols


def _is_year_group(header: str) -> bool:
    """A year header that heads sub-columns ("Năm 2022" over "Số liệu" | "Nguồn"), not a target."""
    return column_role(header)[0] == "value" and not re.search(r"muc tieu|giao|chi tieu", fold(header))


def _columns(headers: list[str]) -> list[Column]:
    """Columns from header cells; sub-headers ("Số liệu", "Nguồn") replace their year group
    header ("Năm 2022") in place, carrying its year."""
    subs = [h for h in headers if re.match(r"^(so lieu|nguon)", fold(h).strip())]
    main = [h for h in headers if h not in subs]
    if subs and not any(_is_year_group(h) for h in main):
        subs, main = [], headers  # a flat header: "Số liệu năm 2022" | "Nguồn" are columns themselves
    cols: list[Column] = []
    for h in main:
        role, year = column_role(h)
        if subs and _is_year_group(h):
            for s in subs:  # "Năm 2022" over "Số liệu" | "Nguồn số liệu"
                srole, _ = column_role(s)
                cols.append(Column(f"{h} – {s}", srole, year))
            subs = []
            continue
        cols.append(Column(h, role, year))
    return refine_roles(cols)


# --- line features ---------------------------------------------------------------------------

_ROW_NUM = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
_LETTER = re.compile(r"^[A-Z]\.?$")
_LEGAL = re.compile(
    r"(Quyết định|Công văn|Kế hoạch|Nghị quyết|Nghị định|Thông tư|Thông báo|Chỉ thị|Tờ trình|"
    r"Văn bản|Báo cáo|Luật|Chương trình|CV|QĐ)\s*(?:số\s*)?\d+\s*[/-]"
)
_TIME = re.compile(
    r"^(?:(?:năm\s+)?20\d\d(?:\s*[-–]\s*20\d\d)?|quý\s+\S+.*|hằng năm|hàng năm|thường xuyên|"
    r"khi có .*|ngay sau .*|giai đoạn .*|trước .*20\d\d.*|từ năm .*|đến năm .*)\.?$",
    re.I,
)
_VALUE = re.compile(r"\d\s*%|^\s*[-–]?\s*[<>≥≤=]|^(?:duy trì|không giao|tối thiểu|tối đa|trên|dưới|đạt)\b", re.I)
_NEED = re.compile(r"cần thiết|cấp thiết|cấp bách|không thể thiếu|^(?:-\s*)?(?:hiện nay|hiện tại|vì vậy|do vậy|do đó)\b", re.I)
_ACTION = re.compile(
    r"^(?:-\s*)?(?:Đầu tư|Xây dựng|Nâng cấp|Mua sắm|Thuê|Triển khai|Tổ chức|Cài đặt|Bổ sung|Tập huấn|"
    r"Đào tạo|Chuẩn hóa|Kết nối|Hướng dẫn|Đảm bảo|Chi phí)\b"
)
_HEADING = re.compile(r"^(?:\d{1,2}\.(?:\d{1,2}\.)*\s+\S|[IVX]{1,5}\.\s+\S|\[\d+\]|PHỤ LỤC\b|Phụ lục\s+\d)")


def is_row_number(s: str) -> bool:
    return bool(_ROW_NUM.match(s.strip()))


def is_group_marker(s: str) -> bool:
    s = s.strip()
    return bool(_ROMAN.match(s) or _LETTER.match(s))


def is_legal(s: str) -> bool:
    return bool(_LEGAL.search(s))


def is_time(s: str) -> bool:
    return bool(_TIME.match(s.strip())) and len(s) < 80


def is_value(s: str) -> bool:
    s = s.strip()
    return (
        s in ("-", "–")
        or (len(s) < 70 and bool(_VALUE.search(s)))
        or (len(s) < 25 and bool(re.search(r"\d", s)))  # "- 300 xã", "30,07"
    )


# --- lines -----------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    start: int
    end: int
    indented: bool  # written with a leading space in the source (an unnumbered row in Thanh Hóa)
    after_blank: bool = False  # a blank line precedes it (loaders put one around each native table)


def _lines(norm: NormalizedText) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    text = norm.text
    blank = False
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        lead = len(raw) - len(raw.lstrip())
        s0 = start + lead
        indented = lead > 0
        if not indented and s0 > 0 and text[s0 - 1] == "\n":
            # normalization strips line-edge spaces; the offset map still shows the gap
            indented = norm.offsets[s0] - norm.offsets[s0 - 1] > 1
        out.append(_Line(stripped, s0, s0 + len(stripped), indented, blank))
        blank = False
    return out


# --- layout "rows": | c1 | c2 | … | -----------------------------------------------------------

_PIPE_ROW = re.compile(r"^\|.*\|$")


def _split_row(line: _Line) -> list[Cell]:
    cells: list[Cell] = []
    inner_start = line.start + 1
    parts = line.text[1:-1].split("|")
    pos = inner_start
    for p in parts:
        lead = len(p) - len(p.lstrip())
        t = p.strip()
        cells.append(Cell(t, pos + lead, pos + lead + len(t)))
        pos += len(p) + 1
    return cells


def _is_pipe_row(line: _Line) -> bool:
    return bool(_PIPE_ROW.match(line.text)) and line.text.count("|") >= 3


def _pipe_run(lines: list[_Line], i: int, head: list[str]) -> int:
    """End of the run of "| … |" rows from lines[i] that belong to the table headed by `head`."""
    j = i
    while j < len(lines) and _is_pipe_row(lines[j]):
        if j > i and lines[j].after_blank and _starts_new_table(head, lines[j]):
            break
        j += 1
    return j


def _parse_rows_layout(lines: list[_Line], i: int) -> tuple[Table | None, int]:
    head = [c.text for c in _split_row(lines[i])]
    j = _pipe_run(lines, i, head)
    if j - i < 2:
        return None, i + 1
    rows = [[c.text for c in _split_row(ln)] for ln in lines[i:j]]
    n_head = 1
    while n_head < len(rows) and _continues_header(rows[n_head - 1], rows[n_head]):
        n_head += 1
    # a header hard-wrapped inside its cells ("| Cơ quan chủ |" over "| trì |"): one header row
    wrapped = n_head
    while wrapped < len(rows) and _wraps_header(rows[n_head - 1], rows[wrapped]):
        rows[n_head - 1] = [f"{a} {b}".strip() for a, b in zip(rows[n_head - 1], rows[wrapped])]
        wrapped += 1
    header = rows[:n_head]
    columns = _columns(header[0]) if n_head == 1 else _grid_columns(header)
    table = Table("rows", columns, start=lines[i].start, end=lines[i + wrapped - 1].end, header=header)
    _add_body_rows(table, lines[i + wrapped : j])
    return table, j


def _wraps_header(top: list[str], sub: list[str]) -> bool:
    """Does `sub` continue the words of the header row `top` inside its cells (text exported from a
    PDF or Word with narrow columns)? No row number, no figure, short texts under filled cells."""
    return (len(sub) == len(top) and not sub[0] and any(sub) and not any(is_row_number(t) or "%" in t for t in sub)
            and all(not t or (len(t) < 40 and top[k]) for k, t in enumerate(sub)))


def _continues_row(prev: TableRow, cells: list[Cell]) -> bool:
    """Is a row without a number the rest of the numbered row above, hard-wrapped inside its cells
    ("| 1 | Tỷ lệ doanh nghiệp nhỏ và | 60% |" then "|   | vừa sử dụng hóa đơn điện tử |   |")? It
    fills fewer cells than that row, and none that the row left empty."""
    first = prev.cells[0] if prev.cells else None
    if cells[0].text or first is None or not is_row_number(first.text) or len(cells) != len(prev.cells):
        return False
    filled = [k for k, c in enumerate(cells) if c.text]
    return bool(filled) and len(filled) < sum(c is not None for c in prev.cells) and all(
        prev.cells[k] is not None for k in filled)


def _add_body_rows(table: Table, lines: list[_Line]) -> None:
    for ln in lines:
        cells = _split_row(ln)
        if [c.text for c in cells] in table.header:  # the header repeated after a page break
            continue
        prev = table.rows[-1] if table.rows else None
        if prev is not None and _continues_row(prev, cells):
            for k, c in enumerate(cells):
                if c.text:
                    p = prev.cells[k]
                    prev.cells[k] = Cell(f"{p.text} {c.text}", p.start, c.end)
            prev.end = ln.end
        else:
            table.rows.append(TableRow(cells, ln.start, ln.end))
        table.end = ln.end


def _continue_rows_layout(prev: Table, lines: list[_Line], i: int) -> int | None:
    """A native table cut by a page break comes back as a second table, sometimes with a page
    number or running header between the parts: rows with the same cells that start with a body
    row (or the header repeated) continue `prev`. Returns the end of the run, or None."""
    if prev.layout != "rows" or not prev.header:
        return None
    cells = [c.text for c in _split_row(lines[i])]
    if len(cells) != len(prev.columns):
        return None
    first = cells[0]
    if cells not in prev.header and not (not first or is_row_number(first) or is_group_marker(first)):
        return None
    k = i - 1
    while k >= 0 and lines[k].start > prev.end:  # at most a few short lines (page furniture)
        if i - k > 3 or len(lines[k].text) > 80 or _HEADING.match(lines[k].text):
            return None
        k -= 1
    j = _pipe_run(lines, i, prev.header[0])
    _add_body_rows(prev, lines[i:j])
    return j


def _starts_new_table(head: list[str], line: _Line) -> bool:
    """After a blank line, a row opens another table unless it continues this one over a page
    break: same number of cells, and either the header repeated or a body row."""
    cells = [c.text for c in _split_row(line)]
    if len(cells) != len(head):
        return True
    return bool(re.match(r"^s?tt$", fold(cells[0]))) and cells != head


def _continues_header(top: list[str], sub: list[str]) -> bool:
    """Whether row `sub` is a second header row under `top`: sub-headers ("Số liệu" | "Nguồn")
    under a cell spanning their columns ("Năm 2022" | ""), and elsewhere empty cells or the text
    of a vertically merged header cell repeated ("TT" under "TT")."""
    if len(sub) != len(top) or not any(sub) or (sub[0] and sub[0] != top[0]):
        return False
    news = [k for k, t in enumerate(sub) if t and t != top[k]]
    return bool(news) and all(
        len(sub[k]) < 60 and not is_row_number(sub[k])
        and (not top[k] or (k + 1 < len(top) and not top[k + 1]))  # under a spanning cell
        for k in news
    )


def _grid_columns(header: list[list[str]]) -> list[Column]:
    """Columns of a header of several rows: each column is named by its texts top to bottom, a
    cell spanning several columns ("Năm 2022" over "Số liệu" | "Nguồn") heading each of them.
    The lowest text gives the role, the year may come from any level."""
    filled: list[list[str]] = []
    for r, row in enumerate(header):
        below = header[r + 1] if r + 1 < len(header) else None
        out: list[str] = []
        for k, t in enumerate(row):
            if not t and k and below is not None and below[k]:
                t = out[k - 1]  # the spanning cell on the left covers this column
            out.append(t)
        filled.append(out)
    cols: list[Column] = []
    for k in range(len(header[0])):
        parts: list[str] = []
        for row in filled:
            if row[k] and (not parts or parts[-1] != row[k]):
                parts.append(row[k])
        name = " – ".join(parts)
        role, year = column_role(parts[-1] if parts else "")
        if role == "other" and len(parts) > 1:
            role, year = column_role(name)
        if year is None:
            ym = _YEAR.search(name)
            year = int(ym.group(1)) if ym else None
        cols.append(Column(name, role, year))
    return refine_roles(cols)


# --- layout "pipes": cells between "|" lines ---------------------------------------------------


def _parse_pipes_layout(lines: list[_Line], i: int) -> tuple[Table | None, int]:
    cells: list[Cell] = []
    cur: list[_Line] = []
    j = i
    while j < len(lines):
        ln = lines[j]
        if ln.text == "|":
            if cur:
                cells.append(Cell(" ".join(x.text for x in cur), cur[0].start, cur[-1].end))
            else:
                cells.append(Cell("", ln.start, ln.start))
            cur = []
        else:
            if _HEADING.match(ln.text) and not cur and cells or len(cur) > 40:
                break
            cur.append(ln)
        j += 1
    if cur:  # a last cell without its closing pipe
        cells.append(Cell(" ".join(x.text for x in cur), cur[0].start, cur[-1].end))
    n = 0
    while n < len(cells) and not (n > 0 and (is_row_number(cells[n].text) or is_group_marker(cells[n].text))):
        n += 1
    if n < 3:
        return None, i + 1
    columns = _columns([c.text for c in cells[:n]])
    table = Table("pipes", columns, start=cells[0].start, end=cells[-1].end)
    row: list[Cell] = []
    for c in cells[n:]:
        numbered = is_row_number(c.text) or is_group_marker(c.text)
        if row and numbered and len(row) >= 2:  # a short row: its last cells were never written
            table.rows.append(_pipe_row(row, len(columns)))
            row = []
        row.append(c)
        if len(row) == len(columns):
            table.rows.append(_pipe_row(row, len(columns)))
            row = []
    if row and any(c.text for c in row):
        table.rows.append(_pipe_row(row, len(columns)))
    return table, j


def _pipe_row(cells: list[Cell], n: int) -> TableRow:
    full: list[Cell | None] = [c if c.text else None for c in cells] + [None] * (n - len(cells))
    spans = [c for c in cells if c.text] or cells
    return TableRow(full, spans[0].start, spans[-1].end)


# --- layout "lines": one cell per line, rows aligned to the schema -----------------------------

_NEG = -1e9


def _fit(role: str, ln: _Line, first: bool, prev: _Line | None) -> float:
    """How well one line fits a cell of `role` (first: the cell's first line)."""
    t = ln.text
    agency, legal, value, time = looks_like_agency(t), is_legal(t), is_value(t), is_time(t)
    dash = t.startswith(("- ", "+ "))
    if role in ("lead", "partner", "exec"):
        if first:
            return 3.0 if agency else -4.0
        return -2.0 if not agency else -0.5
    if role == "time":
        return (3.0 if time else -4.0) if first else -4.0
    if role == "legal":
        return (3.0 if first else 2.0) if legal else -3.0
    if role == "note":
        return (2.0 if first else 1.5) if legal else (0.0 if first else -1.0)
    if role in ("value", "baseline"):
        if first:
            return 2.0 if value else (-1.0 if agency or legal else -0.5)
        return 1.0 if (dash and len(t) < 80) or value else -2.0
    if role == "source":
        return -1.0 if value and "%" in t and len(t) < 12 else 1.0
    if role in ("purpose", "scope"):
        # "Sự cần thiết" argues (… là cần thiết, Hiện nay …, Do đó …); "quy mô, nội dung" lists
        # the work (- Đầu tư …, - Xây dựng …): the cues decide where one cell ends
        need, act = bool(_NEED.search(t)), bool(_ACTION.match(t))
        if legal and not first and not need:  # an argument may cite a document in passing
            return -1.0
        if role == "purpose":
            return 1.5 if need else (0.0 if act else 0.6)  # plain lines: the argument goes on
        return -0.5 if need and not act else (1.0 if act else 0.5)
    if role in ("other", "unit"):
        return -1.0 if legal and not first else 0.5
    # the row's main text
    score = 1.0
    if agency and not first:
        score -= 4.0
    if time or (value and len(t) < 40):
        score -= 3.0
    if legal and not first:
        score -= 1.0
    return score


def _align(block: list[_Line], cols: list[Column], numbered: bool) -> list[list[list[_Line]]]:
    """Split `block` (the lines of one or more rows, number line excluded) into rows of cells.

    Semi-Markov alignment: state (lines used, next column); a cell takes 1..K lines or is
    skipped (merged away); after the last column a new, unnumbered row may start.
    """
    n, m = len(block), len(cols)
    K = 14
    skip_pen = {"text": _NEG, "note": -1.0, "purpose": -1.0, "scope": -1.0, "other": -0.5, "unit": -0.5}
    best = [[_NEG] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        # two passes: a row ending at i (state (i, m)) may start the next row at (i, 0)
        for j in [*range(m + 1), *range(m)]:
            cur = best[i][j]
            if cur <= _NEG / 2:
                continue
            if j == m:
                if i < n:  # a new row without a number
                    bonus = 4.0 if block[i].indented else -5.0
                    if cur + bonus > best[i][0]:
                        best[i][0], back[i][0] = cur + bonus, ("row", i, m)
                continue
            role = cols[j].role
            pen = skip_pen.get(role, -3.0)
            if cur + pen > best[i][j + 1]:
                best[i][j + 1], back[i][j + 1] = cur + pen, ("skip", i, j)
            s = cur
            for k in range(i, min(n, i + K)):
                ln = block[k]
                s += _fit(role, ln, k == i, block[k - 1] if k else None)
                if k > i and block[k].indented and role == "text":
                    s -= 2.0
                total = s + _boundary(block, i, k + 1)
                if total > best[k + 1][j + 1]:
                    best[k + 1][j + 1], back[k + 1][j + 1] = total, ("cell", i, j)
    # trailing columns may be missing: take the best end state
    j_end = max(range(m + 1), key=lambda j: best[n][j] + sum(skip_pen.get(c.role, -3.0) for c in cols[j:]))
    rows: list[list[list[_Line]]] = []
    cells: list[list[_Line]] = [[] for _ in range(m)]
    i, j = n, j_end
    while not (i == 0 and j == 0):
        step = back[i][j]
        if step is None:
            break
        kind, pi, pj = step
        if kind == "row":
            rows.append(cells)
            cells = [[] for _ in range(m)]
            i, j = pi, pj
        elif kind == "skip":
            i, j = pi, pj
        else:
            cells[pj] = block[pi:i]
            i, j = pi, pj
    rows.append(cells)
    rows.reverse()
    return rows


def _boundary(block: list[_Line], a: int, b: int) -> float:
    """Penalty for a cell [a, b) that cuts a list ("cụ thể:" + "- …" lines) in two."""
    pen = 0.0
    if a > 0:
        prev, first = block[a - 1].text, block[a].text
        if prev.endswith(":"):
            pen -= 3.0
        if prev.startswith("- ") and first.startswith("- "):
            pen -= 0.5
        elif first.startswith("- ") and not prev.endswith(":"):
            pen += 0.5  # a list that starts after plain text usually opens a new cell
    return pen


def _header_end(lines: list[_Line], i: int) -> int | None:
    """Index of the first body line after a header block starting at lines[i] ("TT"/"STT")."""
    j = i + 1
    while j < len(lines) and j - i <= 12:
        t = lines[j].text
        if is_row_number(t) or (is_group_marker(t) and j - i > 2):
            return j if j - i >= 3 else None
        if len(t) > 90 or t == "|":
            return None
        j += 1
    return None


# the signature block or the recipients list ends a table written one cell per line
_SIGNATURE = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?|^(?:TM|KT|T/M|TL|TUQ)\s*\.?\s+[A-ZĐÀ-Ỹ]{2,}")


def _parse_lines_layout(lines: list[_Line], i: int) -> tuple[Table | None, int]:
    body = _header_end(lines, i)
    if body is None:
        return None, i + 1
    columns = _columns([ln.text for ln in lines[i:body]])
    if not any(c.role == "text" for c in columns):
        return None, i + 1
    end = body
    while end < len(lines) and not _HEADING.match(lines[end].text) and not re.match(r"^s?tt$", fold(lines[end].text)) \
            and not _SIGNATURE.match(lines[end].text):
        end += 1
    table = Table("lines", columns, start=lines[i].start, end=lines[end - 1].end)
    num_col = 0 if columns[0].role == "num" else None
    cols = [c for k, c in enumerate(columns) if k != num_col]
    # anchors: row numbers and group markers (a marker and its one title line make a group row)
    k = body
    last_num = 0
    while k < end:
        t = lines[k].text
        if is_group_marker(t) and k + 1 < end:
            row = [Cell(t, lines[k].start, lines[k].end)] + [None] * (len(columns) - 1)
            ti = columns.index(next(c for c in columns if c.role == "text"))
            row[ti] = Cell(lines[k + 1].text, lines[k + 1].start, lines[k + 1].end)
            table.rows.append(TableRow(row, lines[k].start, lines[k + 1].end, group=True))
            k += 2
            last_num = 0
            continue
        number: _Line | None = None
        if is_row_number(t):
            number = lines[k]
            last_num = _int(t) or last_num
            k += 1
        nxt = k
        while nxt < end and not _is_anchor(lines, nxt, end, last_num):
            nxt += 1
        block = lines[k:nxt]
        if block:
            for r, cells in enumerate(_align(block, cols, number is not None)):
                full: list[Cell | None] = []
                it = iter(cells)
                for ci in range(len(columns)):
                    if ci == num_col:
                        full.append(Cell(number.text, number.start, number.end) if number and r == 0 else None)
                    else:
                        part = next(it)
                        full.append(Cell(" ".join(x.text for x in part), part[0].start, part[-1].end) if part else None)
                spans = [c for c in full if c]
                table.rows.append(TableRow(full, spans[0].start, spans[-1].end))
        k = max(nxt, k + 1) if not block else nxt
    return table, end


def _int(s: str) -> int | None:
    m = re.match(r"^(\d+)", s.strip())
    return int(m.group(1)) if m else None


def _is_anchor(lines: list[_Line], k: int, end: int, last_num: int) -> bool:
    t = lines[k].text
    if is_group_marker(t):
        return k + 1 < end and not is_row_number(lines[k + 1].text)
    if is_row_number(t):
        v = _int(t)
        # numbers rise (unnumbered rows may sit between two numbered ones); a repeat is a typo
        return v is not None and (v == 1 or last_num <= v <= last_num + 15)
    return False


# --- entry -----------------------------------------------------------------------------------


def find_tables(norm: NormalizedText) -> list[Table]:
    """All tables of a normalized document, in order, whatever their layout."""
    lines = _lines(norm)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        t = lines[i].text
        table: Table | None = None
        nxt = i + 1
        if _is_pipe_row(lines[i]):
            cont = _continue_rows_layout(tables[-1], lines, i) if tables else None
            if cont is not None:
                i = cont
                continue
            table, nxt = _parse_rows_layout(lines, i)
        elif re.match(r"^s?tt$", fold(t)):
            if i + 1 < len(lines) and lines[i + 1].text == "|":
                table, nxt = _parse_pipes_layout(lines, i)
            else:
                table, nxt = _parse_lines_layout(lines, i)
        if table is not None and (table.rows or table.header):  # a header alone: body on the next page
            table.title = [ln.text for ln in lines[max(0, i - 4) : i] if not _PIPE_ROW.match(ln.text)]
            tables.append(table)
            i = max(nxt, i + 1)
        else:
            i += 1
    return [t for t in tables if t.rows]
