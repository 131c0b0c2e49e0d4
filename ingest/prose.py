"""Records stated in running text: prose Targets under MỤC TIÊU, prose Tasks under NHIỆM VỤ/GIẢI PHÁP.

Targets: every leaf item or bullet of a goals part whose clauses carry a figure ("80%", "trên 50%",
"tối thiểu 10%"). The year of a figure is the one its clause names ("đến hết năm 2025 …"), else
the nearest heading that names one ("2.1. Mục tiêu đến năm 2025", "- Đến hết năm 2022:"), else the
plan's own year (its title, e.g. "Kế hoạch chuyển đổi số năm 2025"). Repeating a year starts a new
target, so "60% …; tối thiểu 90% …" under one year gives two.

Tasks: every leaf letter item or bullet (or a numbered item without children) of a tasks part,
text as written, section = its path. An owner written inline ("Sở Y tế chủ trì …", "giao Sở X chủ
trì") becomes the lead; the "Tổ chức thực hiện" part fills the others later (ingest.assignments).
"""
from __future__ import annotations

import re

from ingest.records import NormalizedText, Section, Target, Task, content_id
from ingest import agencies
from ingest.normalize import fold

_RE_MARKER = re.compile(r"^\s*(?:[-–•+*]\s*|[a-zđ]\)\s*|\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)")
_RE_TABLE_START = re.compile(r"(?m)^\s*(?:\|.*|S?TT|STT|Số TT)\s*$")
_RE_YEAR = re.compile(r"\bnăm\s+(20\d\d)\b", re.IGNORECASE)
_QUAL = r"(?:tối thiểu|ít nhất|trên|dưới|hơn|từ|khoảng|>=|≥|>|<=|≤|<)"
_NUM = r"\d+(?:[.,]\d+)?"
# A range is one figure: "15% đến 20%", "từ 15 đến 20%", "15 - 20%". A first bound without "%"
# has at most three digits, so "năm 2025 - 30%" is not read as a range from 2025.
_RE_PERCENT = re.compile(
    rf"(?:{_QUAL}\s*)?(?:(?:{_NUM}\s*%|(?<![\d.,])\d{{1,3}}(?:[.,]\d+)?)\s*(?:đến|tới|-|–)\s*{_NUM}\s*%"
    rf"|{_NUM}\s*%)",
    re.IGNORECASE)
_RE_COUNT = re.compile(rf"{_QUAL}\s+\d+(?:[.,]\d+)?\s+[^\s,;.]+(?:/[^\s,;.]+)?", re.IGNORECASE)
# absolute figures: "1,5 triệu người", "600.000 người dân", "3.000 tỷ đồng"
_RE_AMOUNT = re.compile(rf"(?:{_QUAL}\s+)?(?:\d+(?:[.,]\d+)?\s*(?:triệu|nghìn|ngàn|tỷ)\s+[^\s,;.]+"
                        rf"|(?<![\d.,/])\d{{1,3}}(?:\.\d{{3}})+(?![\d/])\s+[^\s,;.]+)", re.IGNORECASE)
# rankings: "thuộc nhóm 15 tỉnh dẫn đầu cả nước", "xếp hạng thứ 10", "dẫn đầu khu vực"
_RE_RANKING = re.compile(
    r"(?:thuộc\s+)?(?:nhóm|top)\s+\d+\s+[^;.\n]{0,40}?\b(?:dẫn\s+đầu|đứng\s+đầu|cao\s+nhất|tốt\s+nhất)"
    r"(?:\s+(?:cả\s+nước|toàn\s+quốc|khu\s+vực|vùng)[^;.\n(]{0,40})?"
    r"|xếp\s+(?:hạng\s+)?thứ\s+\d+[^;.\n]{0,30}|đứng\s+thứ\s+\d+[^;.\n]{0,30}"
    r"|(?:thuộc\s+nhóm\s+)?dẫn\s+đầu\s+(?:cả\s+nước|toàn\s+quốc|khu\s+vực|vùng)[^;.\n(]{0,40}", re.IGNORECASE)
# a period a figure is set for: "Giai đoạn 2026-2027: đạt 12%" (its last year keys the value)
_RE_PERIOD = re.compile(r"\bgiai\s+đoạn\s+20\d\d\s*[-–]\s*(20\d\d)\b", re.IGNORECASE)

TARGET_PART_KEYS = ("muc tieu",)
TASK_PART_KEYS = ("nhiem vu", "giai phap")
NOT_TASK_PART_KEYS = ("to chuc thuc hien", "kinh phi", "muc tieu", "muc dich")


def part_role(part: Section) -> str | None:
    """"target", "task" or None for a top-level part, from its title."""
    t = fold(part.title)
    if any(k in t for k in TARGET_PART_KEYS):
        return "target"
    if any(k in t for k in TASK_PART_KEYS) and not any(k in t for k in NOT_TASK_PART_KEYS):
        return "task"
    return None


_RE_DEADLINE = re.compile(
    r"\b(?:trước|chậm\s+nhất|trong|đến|từ)\s+(?:ngày\s+)?(?:\d{1,2}/\d{1,2}(?:/(?:19|20)\d\d)?|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+(?:19|20)\d\d)?)"
    r"(?:\s+và\s+(?:ngày\s+)?\d{1,2}/\d{1,2}(?:/(?:19|20)\d\d)?)*(?:\s+(?:hằng|hàng)\s+năm)?", re.I)
_RE_QUARTER = re.compile(
    r"\b(?:(?:trước|trong|đến\s+hết|đến|cuối)\s+)?quý\s+(?:[IVX]{1,3}|[1-4])\s*(?:/|năm)\s*(?:19|20)\d\d", re.I)
_RE_YEARS = re.compile(
    r"\b(?:(?:giai\s+đoạn|từ\s+năm)\s+(?:19|20)\d\d\s*(?:-|–|đến)\s*(?:năm\s+)?(?:19|20)\d\d"
    r"|(?:(?:trong|đến|đến\s+hết|trước|từ|cuối)\s+)?năm\s+(?:19|20)\d\d)", re.I)
_RE_PERIODIC = re.compile(r"\b(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần)\b", re.I)


def timeframe(text: str) -> tuple[str | None, int | None, int | None]:
    """(timeframe as written, start year, end year) of a duty: a dated deadline first, then a
    year or span of years, then a period ("hằng năm")."""
    for pat in (_RE_DEADLINE, _RE_QUARTER, _RE_YEARS, _RE_PERIODIC):
        m = pat.search(text)
        if m:
            raw = " ".join(m.group(0).split())
            ys = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", raw)]
            return raw, (min(ys) if ys else None), (max(ys) if ys else None)
    return None, None, None


def find_agencies(text: str) -> list[str]:
    return agencies.find_agencies(text)


def own_span(node: Section, by_id: dict[str, Section], norm: NormalizedText) -> tuple[int, int]:
    """Normalized span of a node's own text: heading and body before its first child or table."""
    end = node.norm_end
    if node.children:
        end = min(end, by_id[node.children[0]].norm_start)
    m = _RE_TABLE_START.search(norm.text, node.norm_body_start, end)
    if m:
        end = m.start()
    while end > node.norm_start and norm.text[end - 1].isspace():
        end -= 1
    return node.norm_start, end


def clean(text: str) -> str:
    """Marker removed ("a) ", "- ", "1.2. "), whitespace collapsed."""
    return " ".join(_RE_MARKER.sub("", text, count=1).split())


def _context_year(node: Section, by_id: dict[str, Section]) -> str | None:
    """The year the nearest heading names: the node's own when it is a heading ("2. Tầm nhìn đến năm
    2045" with its text), else its parents'."""
    cur = node if node.kind in {"item", "subitem", "letter"} else (by_id.get(node.parent_id) if node.parent_id else None)
    while cur is not None and cur.kind != "root":
        m = _RE_YEAR.search(cur.title)
        if m:
            return m.group(1)
        cur = by_id.get(cur.parent_id) if cur.parent_id else None
    return None


def plan_year(title: str) -> str | None:
    """The year a plan is for, from its title ("… năm 2025 …"; first one named)."""
    m = _RE_YEAR.search(title or "")
    return m.group(1) if m else None


def figure(clause: str) -> str | None:
    """The first figure a clause states, qualifier and range kept ("chiếm 15% đến 20% GRDP" -> "15% đến 20%");
    a share stated inside it follows ("đạt 30% …, trong đó X chiếm hơn 40%" -> "30%; trong đó X chiếm hơn 40%")."""
    m = (_RE_PERCENT.search(clause) or _RE_COUNT.search(clause) or _RE_AMOUNT.search(clause)
         or _RE_RANKING.search(clause))
    if not m:
        return None
    out = " ".join(m.group(0).split())
    part = re.search(r"\btrong\s+đó\b", clause[m.end():], re.I)
    if part:
        rest = clause[m.end() + part.start():]
        sub = _RE_PERCENT.search(rest)
        if sub and sub.start() < 120:
            out += "; " + " ".join(rest[:sub.end()].split())
    return out


def _section_path(node: Section, by_id: dict[str, Section]) -> str:
    """Path of the node, or of its nearest non-bullet ancestor for bullets."""
    cur = node
    while cur.kind == "bullet" and cur.parent_id and by_id[cur.parent_id].kind != "root":
        cur = by_id[cur.parent_id]
    return cur.path


def _under(sections: list[Section], by_id: dict[str, Section], part: Section) -> list[Section]:
    out = []
    for s in sections:
        cur = s
        while cur.parent_id and cur.id != part.id:
            cur = by_id[cur.parent_id]
        if cur.id == part.id and s.id != part.id:
            out.append(s)
    return out


def _lead_in(node: Section, by_id: dict[str, Section], norm: NormalizedText) -> str:
    """The indicator a sub-bullet's figure belongs to: its parent's own text when that ends in ":"
    and states no figure itself ("- Tỷ trọng kinh tế số trong GRDP của tỉnh:")."""
    parent = by_id.get(node.parent_id) if node.parent_id else None
    if node.kind != "bullet" or parent is None or parent.kind not in {"bullet", "letter", "item", "subitem"}:
        return ""
    a, b = own_span(parent, by_id, norm)
    own = clean(norm.text[a:b]).strip()
    return own if own.endswith(":") and len(own) < 200 and not figure(own) else ""


def targets_from_node(doc_id: str, norm: NormalizedText, node: Section, by_id: dict[str, Section],
                      default_year: str | None) -> list[Target]:
    start, end = own_span(node, by_id, norm)
    raw = norm.text[start:end]
    ctx = _context_year(node, by_id) or default_year or "unknown"
    # clause boundaries: ";" and sentence ends
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r";|\.\s+(?=[A-ZĐÀ-Ỹ])", raw):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(raw)))
    groups: list[dict] = []
    cur: dict | None = None
    for a, b in pieces:
        clause = raw[a:b]
        fig = figure(clause)
        if not fig:
            if cur is not None:
                cur["end"] = b
            continue
        ym = _RE_YEAR.search(clause) or _RE_PERIOD.search(clause)
        year = ym.group(1) if ym else ctx
        if cur is None or year in cur["values"]:
            cur = {"start": a, "end": b, "values": {}}
            groups.append(cur)
        cur["values"][year] = fig
        cur["end"] = b
    lead_in = _lead_in(node, by_id, norm)
    out = []
    for g in groups:
        text = clean(raw[g["start"]:g["end"]]).strip(" ;.,")
        if len(text) < 8:
            continue
        if lead_in:  # "- Tỷ trọng kinh tế số trong GRDP: + Giai đoạn 2026-2027: đạt 12%": what the figure is of
            text = f"{lead_in} {text}"
        s0, s1 = norm.to_source(start + g["start"], start + g["end"])
        unit = "%" if all("%" in v for v in g["values"].values()) else None
        out.append(Target(
            id=content_id(doc_id, "prose-target", s0, text),
            doc_id=doc_id, section=_section_path(node, by_id), row=None, indicator=text,
            values=dict(g["values"]), unit=unit, start=s0, end=s1, source="prose",
        ))
    return out


_RE_CHU_TRI = re.compile(r"chủ\s+trì", re.IGNORECASE)
_RE_PHOI_HOP = re.compile(r"phối\s+hợp(?:\s+với)?", re.IGNORECASE)


def inline_owners(text: str) -> tuple[list[str], list[str]]:
    """(lead, partners) stated inline: "<agency> chủ trì", "giao <agency> chủ trì", "phối hợp với <agency>"."""
    lead: list[str] = []
    partners: list[str] = []
    for m in _RE_CHU_TRI.finditer(text):
        before = text[:m.start()]
        cut = max(before.rfind(c) for c in ".;:(")
        window = before[cut + 1:]
        g = re.search(r"\bgiao\b", window, re.IGNORECASE)
        if g:
            window = window[g.end():]
        window = re.split(r"\bphối\s+hợp\b", window, flags=re.IGNORECASE)[0]
        for a in find_agencies(window[-120:]):
            if a not in lead:
                lead.append(a)
    for m in _RE_PHOI_HOP.finditer(text):
        after = re.split(r"[.;:]|\b(?:triển khai|thực hiện|tổ chức|xây dựng)\b", text[m.end():], maxsplit=1)[0]
        for a in find_agencies(after[:200]):
            if a not in partners and a not in lead:
                partners.append(a)
    return lead, partners


def tasks_from_node(doc_id: str, norm: NormalizedText, node: Section, by_id: dict[str, Section]) -> list[Task]:
    start, end = own_span(node, by_id, norm)
    text = clean(norm.text[start:end])
    if len(text) < 15:
        return []
    s0, s1 = norm.to_source(start, end)
    lead, partners = inline_owners(text)
    tf, y0, y1 = timeframe(text)  # "…, hoàn thành trong năm 2024", "trước quý IV năm 2025"
    return [Task(
        id=content_id(doc_id, "prose-task", s0, text),
        doc_id=doc_id, section=_section_path(node, by_id), row=None, text=text,
        lead=lead, partners=partners, timeframe=tf, start_year=y0, end_year=y1, start=s0, end=s1, source="prose",
    )]


# "2. Đơn vị chủ trì:  Sở Y tế": a field of a task card, not a task of its own
_RE_CARD_FIELD = re.compile(
    r"^(?:Đơn vị (?P<lead>chủ trì)|Đơn vị (?P<partner>phối hợp)|Cơ quan (?P<lead2>chủ trì)|Căn cứ|Sự cần thiết"
    r"|Quy mô|(?P<time>Lộ trình|Thời gian)|Mục tiêu|Kinh phí|Nhiệm vụ)[^:]{0,30}:\s*(?P<value>.*)$", re.IGNORECASE)


def _card_timeframe(parent: Section, by_id: dict[str, Section]) -> str | None:
    """"10. Lộ trình thực hiện: trong năm 2025." -> "trong năm 2025" (the card's timeframe)."""
    for cid in parent.children:
        m = _RE_CARD_FIELD.match(by_id[cid].title)
        if m and m.group("time") and re.search(r"\b20\d\d\b", m.group("value") or ""):
            return m.group("value").strip(" .;")
    return None


def _card_owners(parent: Section, by_id: dict[str, Section]) -> tuple[list[str], list[str]]:
    """Lead and partners named by "Đơn vị chủ trì: …" / "Đơn vị phối hợp: …" children of a node."""
    lead: list[str] = []
    partners: list[str] = []
    for cid in parent.children:
        m = _RE_CARD_FIELD.match(by_id[cid].title)
        if not m or not m.group("value"):
            continue
        names = agencies.normalize_agencies(m.group("value"))
        if m.group("lead") or m.group("lead2"):
            lead += [n for n in names if n not in lead]
        elif m.group("partner"):
            partners += [n for n in names if n not in partners]
    return lead, partners


def extract_prose_records(doc_id: str, norm: NormalizedText, sections: list[Section],
                          title: str = "", province: str = "") -> list[Task | Target]:
    """Prose Targets and Tasks of one document, in document order."""
    by_id = {s.id: s for s in sections}
    default_year = plan_year(title)
    out: list[Task | Target] = []
    for part in sections:
        if part.kind != "part":
            continue
        role = part_role(part)
        if role is None:
            continue
        for node in _under(sections, by_id, part):
            if node.children or node.kind not in {"item", "subitem", "letter", "bullet"}:
                continue
            if role == "target":
                out.extend(targets_from_node(doc_id, norm, node, by_id, default_year))
                continue
            if node.kind in {"item", "subitem"} and _RE_CARD_FIELD.match(node.title) \
                    and not node.title.lower().startswith("nhiệm vụ"):
                continue
            tasks = tasks_from_node(doc_id, norm, node, by_id)
            card_lead, card_partners = _card_owners(part, by_id)
            card_time = _card_timeframe(part, by_id)
            for t in tasks:
                if not t.lead and card_lead:
                    t.lead = list(card_lead)
                t.partners += [p for p in card_partners if p not in t.partners and p not in t.lead]
                if card_time and not t.timeframe:
                    ys = [int(y) for y in re.findall(r"\b(20\d\d)\b", card_time)]
                    t.timeframe, t.start_year, t.end_year = card_time, min(ys), max(ys)
            out.extend(tasks)
    return out
