"""Officials' commands in the Zalo chat: help, tasks of an agency, targets of a year.

    help | trợ giúp | /help        what the bot understands
    /nhiemvu <cơ quan> [tỉnh] [năm]  tasks an agency leads (from the record store)
    /chitieu <năm> [tỉnh]            targets set for a year
    /denhan [cơ quan] [tỉnh]         tasks and targets due this year (the task board's filter)
    /quahan [cơ quan] [tỉnh]         tasks and targets past due

Anything else is a question for the assistant. `run_command(text, index)` returns the reply text,
or None when the text is not a command.
"""
from __future__ import annotations

import re
from datetime import date

from ingest.normalize import fold

MAX_LINES = 15

HELP = (
    "Trợ lý kế hoạch chuyển đổi số — hỏi bằng tiếng Việt hoặc tiếng Anh, ví dụ:\n"
    "• Ai chủ trì triển khai nền tảng chữ ký số?\n"
    "• Chỉ tiêu năm 2025 về dịch vụ công trực tuyến là bao nhiêu?\n"
    "• Sở Y tế phải làm gì trong kế hoạch chuyển đổi số?\n\n"
    "Lệnh tra cứu nhanh:\n"
    "/nhiemvu <cơ quan> [tỉnh] [năm] — nhiệm vụ do cơ quan chủ trì, ví dụ: /nhiemvu Sở TT&TT 2025\n"
    "/chitieu <năm> [tỉnh] — chỉ tiêu của một năm, ví dụ: /chitieu 2025\n"
    "/denhan [cơ quan] [tỉnh] — việc đến hạn trong năm nay; /quahan — việc đã quá hạn\n"
    "trợ giúp — xem hướng dẫn này\n\n"
    "Câu trả lời kèm nguồn [1], [2]… là văn bản và mục đã trích dẫn."
)


def _known_provinces(index) -> list[str]:
    """Province names a command may end with: the index's own, and every province people name."""
    from assistant.glossary import PROVINCES

    try:
        found = {d.get("province") for d in index.documents() if d.get("province")}
    except Exception:  # a listing failure must not break a command
        found = set()
    return sorted(found | set(PROVINCES), key=len, reverse=True)


def _split_province(arg: str, index) -> tuple[str, str | None]:
    """Peel a trailing province name ("Sở Y tế Quảng Ngãi", "… tỉnh Bắc Ninh") off an argument."""
    words = arg.split()
    for prov in _known_provinces(index):
        fp = fold(prov)
        for n in range(min(len(words), 4), 0, -1):
            tail = fold(" ".join(words[-n:]))
            if tail in (fp, f"tinh {fp}"):
                return " ".join(words[:-n]).strip(" ,-"), prov
    return arg.strip(), None


def _command(text: str) -> tuple[str, str] | None:
    t = text.strip()
    f = fold(t)
    if f in {"help", "/help", "tro giup", "/tro giup", "/trogiup", "huong dan", "?"}:
        return "help", ""
    if not t.startswith("/"):
        return None
    head, _, arg = t[1:].strip().partition(" ")
    name = re.sub(r"[\s\-_]", "", fold(head))
    if name in {"nhiemvu", "nv"}:
        return "tasks", arg.strip()
    if name in {"chitieu", "ct"}:
        return "targets", arg.strip()
    if name in {"denhan", "dh"}:
        return "due_this_year", arg.strip()
    if name in {"quahan", "qh"}:
        return "past_due", arg.strip()
    if name in {"help", "trogiup"}:
        return "help", ""
    return "unknown", name


def _where(rec: dict) -> str:
    bits = [rec.get("province")]
    tf = rec.get("timeframe")
    if tf:
        bits.append(tf)
    return ", ".join(b for b in bits if b)


def tasks_reply(index, arg: str) -> str:
    if not arg:
        return "Cú pháp: /nhiemvu <cơ quan> [tỉnh], ví dụ: /nhiemvu Sở Y tế"
    from ingest.agencies import canonical_agency

    year_match = re.search(r"\s+(\d{4})\s*$", arg)
    year = int(year_match.group(1)) if year_match else None
    agency, province = _split_province(arg[:year_match.start()] if year_match else arg, index)
    name = canonical_agency(agency, province)
    rows = index.records.query(kind="task", agency=name, province=province, year=year, limit=200)
    if not rows and name != agency:
        rows = index.records.query(kind="task", agency=agency, province=province, year=year, limit=200)
    where = f" ({province})" if province else ""
    in_year = f" trong năm {year}" if year else ""
    if not rows:
        return f"Không tìm thấy nhiệm vụ do {name}{where} chủ trì{in_year} trong các kế hoạch đã có."
    lines = [f"Nhiệm vụ do {name}{where} chủ trì{in_year}: {len(rows)}"]
    for i, r in enumerate(rows[:MAX_LINES], 1):
        extra = _where(r)
        lines.append(f"{i}. {' '.join(str(r.get('text', '')).split())}" + (f" ({extra})" if extra else ""))
    if len(rows) > MAX_LINES:
        lines.append(f"… và {len(rows) - MAX_LINES} nhiệm vụ khác. Hỏi cụ thể hơn để xem chi tiết.")
    return "\n".join(lines)


def targets_reply(index, arg: str) -> str:
    m = re.match(r"^\s*(\d{4})\b(.*)$", arg or "")
    if not m:
        return "Cú pháp: /chitieu <năm> [tỉnh], ví dụ: /chitieu 2025"
    year = m.group(1)
    _, province = _split_province(m.group(2).strip(), index) if m.group(2).strip() else ("", None)
    rows = index.records.query(kind="target", year=int(year), province=province, limit=200)
    where = f" của {province}" if province else ""
    if not rows:
        return f"Không tìm thấy chỉ tiêu năm {year}{where} trong các kế hoạch đã có."
    lines = [f"Chỉ tiêu năm {year}{where}: {len(rows)}"]
    for i, r in enumerate(rows[:MAX_LINES], 1):
        value = (r.get("values") or {}).get(year)
        text = " ".join(str(r.get("indicator", "")).split())
        line = f"{i}. {text}" + (f": {value}" if value else "")
        if r.get("province") and not province:
            line += f" ({r['province']})"
        lines.append(line)
    if len(rows) > MAX_LINES:
        lines.append(f"… và {len(rows) - MAX_LINES} chỉ tiêu khác. Thêm tên tỉnh để thu hẹp.")
    return "\n".join(lines)


def due_reply(index, arg: str, due: str, today: date | None = None) -> str:
    """Tasks and targets due this year or past due (the task board's rows), optionally of one
    agency (lead or partner) and province."""
    from assistant.board import board

    today = today or date.today()
    agency, province = _split_province(arg, index) if arg else ("", None)
    rows = board(index, today, province=province, agency=agency or None, due=due, sort="due")
    rows = [r for r in rows if r.kind in ("task", "target")]
    what = {"due_this_year": f"đến hạn trong năm {today.year}", "past_due": f"đã quá hạn (tính đến {today:%d/%m/%Y})"}[due]
    who = (f" của {agency}" if agency else "") + (f" ({province})" if province else "")
    if not rows:
        return f"Không có nhiệm vụ, chỉ tiêu nào{who} {what} trong các kế hoạch đã có."
    lines = [f"Nhiệm vụ, chỉ tiêu{who} {what}: {len(rows)}"]
    for i, r in enumerate(rows[:MAX_LINES], 1):
        owner = f" — {'; '.join(r.lead)}" if r.lead and not agency else ""
        lines.append(f"{i}. {' '.join(r.title.split())}{owner} ({r.document}, hạn {r.due_year})")
    if len(rows) > MAX_LINES:
        lines.append(f"… và {len(rows) - MAX_LINES} mục khác: xem đủ và tải Excel ở trang /board.")
    return "\n".join(lines)


def run_command(text: str, index_provider) -> str | None:
    """Reply text for a command, None for a question. `index_provider()` returns the index
    (called only for commands that need it)."""
    cmd = _command(text)
    if cmd is None:
        return None
    name, arg = cmd
    if name == "help":
        return HELP
    if name == "tasks":
        return tasks_reply(index_provider(), arg)
    if name == "targets":
        return targets_reply(index_provider(), arg)
    if name in ("due_this_year", "past_due"):
        return due_reply(index_provider(), arg, name)
    return f"Không có lệnh /{arg}.\n\n" + HELP
