"""Table rows -> typed records (Task, Target, Project), with agencies in canonical form.

The table kind comes from its columns: a "Tên dự án" column makes projects, indicator columns
("chỉ tiêu", "mục tiêu", year value columns) make targets, anything else tasks. Group rows ("A",
"I", "ĐẾN NĂM 2025") are not records: they extend the section path of the rows below and, for
targets without a year column, give the year of their values.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import vocabulary
from ingest.agencies import normalize_agencies
from ingest.normalize import fold
from ingest.records import NormalizedText, Project, Target, Task, content_id
from ingest.tables import Table, TableRow, find_tables, is_group_marker, is_row_number

SEP = " › "


def extract_table_records(
    doc_id: str,
    norm: NormalizedText,
    province: str,
    section_path_at: Callable[[int], str] | None = None,
) -> list[Task | Target | Project]:
    """Records from every table of a document. start/end are source offsets.

    section_path_at(norm_offset) gives the section path containing a table; without it the
    path comes from the table's own title lines ("PHỤ LỤC I", or the heading just above).
    """
    out: list[Task | Target | Project] = []
    for table in find_tables(norm):
        base = section_path_at(table.start) if section_path_at else _title_path(table)
        out.extend(table_records(doc_id, table, norm, province, base or ""))
    return out


def table_kind(table: Table) -> str:
    text_cols = [fold(c.name) for c in table.columns if c.role == "text"]
    if any("du an" in h for h in text_cols):
        return "project"
    if table.role_index("value", "baseline") or any(re.search(r"chi tieu|muc tieu", h) for h in text_cols):
        return "target"
    return "task"


def table_records(
    doc_id: str, table: Table, norm: NormalizedText, province: str, base: str
) -> list[Task | Target | Project]:
    kind = table_kind(table)
    groups: list[tuple[int, str, int | None, str]] = []  # (level, label, year, row number of a numbered parent)
    out: list[Task | Target | Project] = []
    rows: list[TableRow | None] = []  # the row of each record; None marks a group row between them
    for row in table.rows:
        label = _group_label(table, row)
        if label:
            marker, title = label
            level = _group_level(marker, title, groups)
            groups = [g for g in groups if g[0] < level]
            ym = re.search(r"(?:đến|năm)\s+(20\d\d)", title, re.I)
            numbered = marker.rstrip(".") if is_row_number(marker) else ""
            groups.append((level, f"{marker}. {title}" if marker else title, int(ym.group(1)) if ym else None,
                           numbered))
            rows.append(None)
            continue
        if not _cell(table, row, "text"):
            continue
        # a numbered parent row ("11. Chỉ tiêu về …" over 11.1, 11.2 …) heads only its own sub-rows
        num = _cell(table, row, "num").rstrip(".")
        groups = [g for g in groups if not (g[3] and g[0] >= 2 and num and not num.startswith(g[3] + "."))]
        section = SEP.join([p for p in [base, *(g[1] for g in groups)] if p])
        year = next((g[2] for g in reversed(groups) if g[2]), None)
        start, end = norm.to_source(row.start, row.end)
        rec = _record(kind, doc_id, table, row, province, section, year)
        rec.start, rec.end = start, end
        out.append(rec)
        rows.append(row)
    _share_merged_cells(table, rows, out)
    return out


# --- vertically merged cells -------------------------------------------------------------------

# Columns a merged cell may cover: everything but the row's own number, text and values.
_SHARED_ROLES = ("lead", "partner", "exec", "legal", "time", "source")
_STOP = vocabulary.stopwords("vi_table_titles")


def _share_merged_cells(table: Table, rows: list[TableRow | None], recs: list) -> None:
    """A row whose whole owner block is empty shares a vertically merged cell with a neighbour.

    A flattened table writes a merged cell once, in one of the rows it spans (the top one, or
    the one where its centred text fell), so the other row comes out with no owner and no legal
    basis. Such a row takes the owner block of the adjacent row (same group) whose text is closest
    to its own, and says so in its note.
    """
    shared = table.role_index(*_SHARED_ROLES)
    if not table.role_index("lead") or not recs:
        return
    seq: list[tuple[TableRow, object] | None] = []
    it = iter(recs)
    for r in rows:
        seq.append(None if r is None else (r, next(it)))
    for k, item in enumerate(seq):
        if item is None:
            continue
        row, rec = item
        if any(row.text(i) for i in shared):
            continue
        cands = []
        for d in (-1, 1):
            j = k + d
            if 0 <= j < len(seq) and seq[j] is not None and _owners(seq[j][1]):
                cands.append((_overlap(_cell(table, row, "text"), _cell(table, seq[j][0], "text")), -j, j))
        if not cands:
            continue
        j = max(cands)[2]  # the closest text; ties: the row above
        nrow, nrec = seq[j]
        _copy_owner_block(rec, nrec)
        num = _cell(table, nrow, "num")
        where = f"dòng {num}" if num else ("dòng trên" if j < k else "dòng dưới")
        msg = f"Cơ quan chủ trì và căn cứ lấy từ ô gộp chung với {where}"
        rec.note = f"{rec.note}; {msg}" if rec.note else msg


def _owners(rec) -> list[str]:
    return getattr(rec, "lead", None) or getattr(rec, "owners", None) or getattr(rec, "owner", None) or []


def _copy_owner_block(rec, src) -> None:
    for f in ("lead", "owners", "owner", "partners", "executors", "legal_basis", "timeframe",
              "start_year", "end_year", "baseline_source"):
        if hasattr(rec, f) and hasattr(src, f) and not getattr(rec, f):
            v = getattr(src, f)
            setattr(rec, f, list(v) if isinstance(v, list) else v)


def _overlap(a: str, b: str) -> int:
    """Shared word pairs of two row texts (diacritics folded, common words dropped)."""
    def pairs(t: str) -> set[tuple[str, str]]:
        ws = [w for w in re.findall(r"\w+", fold(t)) if w not in _STOP]
        return set(zip(ws, ws[1:])) | {(w, "") for w in ws}
    return len(pairs(a) & pairs(b))


# --- one row -----------------------------------------------------------------------------------


def _record(kind: str, doc_id: str, table: Table, row: TableRow, province: str, section: str, year: int | None):
    number = _cell(table, row, "num") or None
    text = _cell(table, row, "text")
    lead = normalize_agencies(_cell(table, row, "lead"), province)
    partners = normalize_agencies(_cell(table, row, "partner"), province)
    executors = normalize_agencies(_cell(table, row, "exec"), province)
    if not lead and partners:  # the lead cell slid into the partner column (merged/shifted cell)
        lead, partners = partners, []
    partners = [p for p in [*partners, *executors] if p not in lead]
    executors = [e for e in executors if e not in lead]
    legal = _cell(table, row, "legal") or None
    note = _cell(table, row, "note") or None
    if kind == "project":
        return Project(
            id=content_id(doc_id, "project", number, text), doc_id=doc_id, section=section, row=number,
            name=text, owner=lead, purpose=_cell(table, row, "purpose") or None,
            scope=_cell(table, row, "scope") or None, legal_basis=legal, note=note,
        )
    if kind == "target":
        values: dict[str, str] = {}
        for i in table.role_index("value"):
            v = row.text(i)
            # a value column without a year in its header speaks of the group row's year ("Đến năm
            # 2030"), else of the year the table's title names
            when = table.columns[i].year or year or title_year(table)
            if v and when:
                values[str(when)] = v
        if not table.role_index("value") and year:
            phrase = value_phrase(text)
            if phrase:
                values[str(year)] = phrase
        bi = table.role_index("baseline")
        baseline = row.text(bi[0]) if bi else ""
        return Target(
            id=content_id(doc_id, "target", number, text), doc_id=doc_id, section=section, row=number,
            indicator=text, baseline=baseline or None,
            baseline_year=table.columns[bi[0]].year if bi and baseline else None,
            baseline_source=_cell(table, row, "source") or None, values=values,
            unit=_cell(table, row, "unit") or None, owners=lead, partners=partners, legal_basis=legal,
            executors=executors, note=note,
        )
    timeframe = _cell(table, row, "time") or None
    start_year, end_year = years_of(timeframe)
    return Task(
        id=content_id(doc_id, "task", number, text), doc_id=doc_id, section=section, row=number,
        text=text, lead=lead, partners=partners, timeframe=timeframe, start_year=start_year,
        end_year=end_year, note=note, executors=executors,
    )


def title_year(table: Table) -> int | None:
    """The year a table's title lines name ("CÁC CHỈ TIÊU … NĂM 2025", "đến năm 2030"), if one."""
    m = re.search(r"(?:năm|NĂM|đến|ĐẾN)\s+(20\d\d)", " ".join(table.title))
    return int(m.group(1)) if m else None


def _cell(table: Table, row: TableRow, role: str) -> str:
    """Text of the row's cells with this role, joined (tables rarely repeat a role)."""
    return "; ".join(t for t in (row.text(i) for i in table.role_index(role)) if t)


def _is_group(table: Table, row: TableRow) -> bool:
    if row.group:
        return True
    if table.layout == "lines":
        return False
    others = [i for i, c in enumerate(table.columns) if c.role not in ("num", "text")]
    return bool(_cell(table, row, "text")) and not any(row.text(i) for i in others)


_MARKED = re.compile(r"^([A-Z]|[IVXLC]{1,6})[.)]\s+(\S.*)$")


def _group_label(table: Table, row: TableRow) -> tuple[str, str] | None:
    """(marker, title) of a group row, else None. A native table may merge a group row over all
    its columns ("| A. PHÁT TRIỂN … |  |  |"), or write the marker inside the title cell: the
    marker is split off its title so every layout gives the same label."""
    marker, title = _cell(table, row, "num"), _cell(table, row, "text")
    if not _is_group(table, row):
        num = table.role_index("num")
        if table.layout == "lines" or not num or title or not marker or is_row_number(marker):
            return None
        if any(row.text(i) for i in range(len(row.cells)) if i not in num):
            return None
        marker, title = "", marker  # the whole row is one merged cell
    m = None if marker else _MARKED.match(title)
    if m and is_group_marker(m.group(1)):
        marker, title = m.group(1), m.group(2)
    return marker, title


def _group_level(marker: str, title: str, groups: list[tuple[int, str, int | None]]) -> int:
    """Nesting level of a group row: upper-case titles, then letters, roman numerals, numbers.

    "I", "V", "X" are roman unless they continue a letter sequence ("B" then "C")."""
    letters = [c for c in title if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return 0  # "ĐẾN NĂM 2025", "PHÁT TRIỂN NỀN MÓNG …"
    m = (marker or "").rstrip(".")
    if re.fullmatch(r"[A-Z]", m):
        if m not in "IVXLC":
            return 1
        prev_letter = chr(ord(m) - 1)
        if any(g[0] == 1 and g[1].startswith(prev_letter + ".") for g in groups):
            return 1
        return 2
    if is_group_marker(m):
        return 2
    return 3


def years_of(timeframe: str | None) -> tuple[int | None, int | None]:
    """"2023-2025" -> (2023, 2025); "2023" -> (2023, 2023); "Khi có hướng dẫn" -> (None, None)."""
    ys = [int(y) for y in re.findall(r"\b(20\d\d)\b", timeframe or "")]
    return (min(ys), max(ys)) if ys else (None, None)


_PHRASE = re.compile(
    r"(?:(?:trên|dưới|tối thiểu|ít nhất|khoảng|đạt|hơn|từ)\s+)?\d+(?:[.,]\d+)?\s*%"
    r"(?:\s*(?:đến|-)\s*\d+(?:[.,]\d+)?\s*%)?",
    re.I,
)


def value_phrase(text: str) -> str | None:
    """The percentage phrases of a target sentence ("… trên 80%." -> "trên 80%"; "90% … cấp tỉnh;
    80% … cấp huyện" -> "90%; 80%"), in order, or None when it states none. Several figures are
    kept together: the row still belongs to its year, and the quoted row says which is which."""
    found = [m.group(0).strip() for m in _PHRASE.finditer(text)]
    return "; ".join(found) or None


def _title_path(table: Table) -> str:
    """Section path from the lines above the header: "PHỤ LỤC I", else the nearest heading."""
    for ln in table.title:
        m = re.match(r"^(PHỤ LỤC|Phụ lục)(\s+[\dIVXLC]+)?\s*:?\s*$", ln)
        if m:
            return ln.rstrip(" :")
    for ln in reversed(table.title):
        if re.match(r"^(\d{1,2}(\.\d{1,2})*\.|[IVX]{1,5}\.)\s+\S", ln):
            return ln
    return ""
