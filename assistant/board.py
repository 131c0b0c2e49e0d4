"""The officials' task board: the plans' tasks, targets and projects as rows of one table, with
the deadline status of each relative to a date, filtered and sorted the same way for the page,
the JSON API and the CSV/XLSX exports (an export is exactly the view on screen).

Deadline of a row: a task's end year (its time frame "2022-2025" ends in 2025); a target's
milestone year, the first stated year not before the reference year, else its last one (a target
for 2025 and 2030 falls due this year in 2025, later until then, past due after 2030); projects
and ongoing tasks state none ("unspecified").
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date

from ingest.normalize import fold
from vectorstore.aliases import canonical_agency

STATUSES = ("past_due", "due_this_year", "later", "unspecified")
STATUS_LABELS = {"past_due": "Quá hạn", "due_this_year": "Đến hạn trong năm", "later": "Chưa đến hạn",
                 "unspecified": "Không nêu thời hạn"}
KIND_LABELS = {"task": "Nhiệm vụ", "target": "Chỉ tiêu", "project": "Dự án"}
SORTS = ("document", "due", "kind", "lead")


@dataclass
class BoardRow:
    id: str
    kind: str
    doc_id: str
    document: str  # short label: type, number and date
    province: str
    section: str
    row: str
    title: str  # the task, the indicator with its values, or the project's name
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    timeframe: str = ""
    due_year: int | None = None
    status: str = "unspecified"
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def document_label(doc: dict) -> str:
    """"Kế hoạch 5046/KH-UBND, 29/12/2023" (the widget writes the same)."""
    issued = doc.get("issued") or ""
    when = "/".join(reversed(issued.split("-"))) if len(issued) == 10 else ""
    head = f"{doc.get('doc_type') or ''} {doc['number']}".strip() if doc.get("number") else (doc.get("title") or doc["doc_id"])[:60]
    return head + (f", {when}" if when else "")


def _years(values: dict) -> list[int]:
    return sorted(int(y) for y in values if str(y).isdigit())


def due_year(record: dict, as_of: date) -> int | None:
    if record["kind"] == "task":
        return record.get("end_year") or record.get("start_year")
    if record["kind"] == "target":
        years = _years(record.get("values") or {})
        return next((y for y in years if y >= as_of.year), years[-1] if years else None)
    return None


def status(year: int | None, as_of: date) -> str:
    if year is None:
        return "unspecified"
    return "past_due" if year < as_of.year else "due_this_year" if year == as_of.year else "later"


def to_row(record: dict, labels: dict[str, str], as_of: date) -> BoardRow:
    kind = record["kind"]
    if kind == "task":
        title, lead, partners = record.get("text") or "", record.get("lead") or [], record.get("partners") or []
        timeframe = record.get("timeframe") or ""
    elif kind == "target":
        values = "; ".join(f"{y}: {v}" for y, v in sorted((record.get("values") or {}).items()))
        title = (record.get("indicator") or "") + (f" ({values})" if values else "")
        lead, partners, timeframe = record.get("owners") or [], record.get("partners") or [], ", ".join(
            str(y) for y in _years(record.get("values") or {}))
    else:
        title, lead, partners, timeframe = record.get("name") or "", record.get("owner") or [], [], ""
    year = due_year(record, as_of)
    return BoardRow(id=record["id"], kind=kind, doc_id=record["doc_id"],
                    document=labels.get(record["doc_id"], record["doc_id"]), province=record.get("province") or "",
                    section=record.get("section") or "", row=str(record.get("row") or ""), title=title,
                    lead=list(lead), partners=list(partners), timeframe=timeframe, due_year=year,
                    status=status(year, as_of), start=record.get("start") or 0, end=record.get("end") or 0)


def _holds(names: list[str], want: set[str]) -> bool:
    """Does one of `names` contain one of the folded agency spellings `want`?"""
    return any(w and w in fold(n) for n in names for w in want)


def board(index, as_of: date, province: str | None = None, doc_id: str | None = None,
          agency: str | None = None, role: str = "any", kind: str | None = None, year: int | None = None,
          due: str | None = None, sort: str = "document", descending: bool = False) -> list[BoardRow]:
    """The rows for these filters, sorted. `agency` matches a lead or a partner (`role` "lead" or
    "partner" narrows it); `due` is one of STATUSES."""
    labels = {d["doc_id"]: document_label(d) for d in index.documents()}
    want = {fold(agency).strip(), fold(canonical_agency(agency)).strip()} if agency else set()
    kinds = [kind] if kind else ["task", "target", "project"]
    rows = []
    for k in kinds:
        for record in index.records.query(kind=k, agency=agency, province=province, doc_id=doc_id,
                                          year=year, limit=100_000):
            row = to_row(record, labels, as_of)
            if agency and role == "lead" and not _holds(row.lead, want):
                continue
            if agency and role == "partner" and not _holds(row.partners, want):
                continue
            if due and row.status != due:
                continue
            rows.append(row)
    order = {"document": lambda r: (r.doc_id, r.start),
             "due": lambda r: (r.due_year is None, r.due_year or 0, r.doc_id, r.start),
             "kind": lambda r: (r.kind, r.doc_id, r.start),
             "lead": lambda r: (fold(r.lead[0]) if r.lead else "\uffff", r.doc_id, r.start)}[sort]
    rows.sort(key=order, reverse=descending)
    return rows


COLUMNS = [("Loại", lambda r: KIND_LABELS.get(r.kind, r.kind)), ("Văn bản", lambda r: r.document),
           ("Tỉnh/Cơ quan ban hành", lambda r: r.province), ("Mục", lambda r: r.section), ("STT", lambda r: r.row),
           ("Nội dung", lambda r: r.title), ("Chủ trì", lambda r: "; ".join(r.lead)),
           ("Phối hợp", lambda r: "; ".join(r.partners)), ("Thời gian", lambda r: r.timeframe),
           ("Hạn (năm)", lambda r: r.due_year if r.due_year is not None else ""),
           ("Tình trạng", lambda r: STATUS_LABELS[r.status])]


def to_csv(rows: list[BoardRow]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese text right."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([name for name, _ in COLUMNS])
    for r in rows:
        writer.writerow([get(r) for _, get in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[BoardRow], as_of: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append([name for name, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([get(r) for _, get in COLUMNS])
    for letter, width in zip("ABCDEFGHIJK", (10, 28, 16, 40, 6, 70, 30, 30, 12, 9, 18)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.properties.title = f"Nhiệm vụ, chỉ tiêu, dự án — tình trạng tại {as_of.strftime('%d/%m/%Y')}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
