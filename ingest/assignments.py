"""Ownership by cross-reference from the "Tổ chức thực hiện" part.

Plans name owners in a closing part: an agency heading ("5. Sở Y tế") followed by sentences such
as "Chủ trì … các nhiệm vụ, giải pháp được nêu tại điểm 5.1, mục 5, phần III". This module
parses those references, resolves them to section nodes and turns them into `Assignment`
records; `apply_assignments` then gives every prose Task under a referenced section that has no
inline owner the agency as lead, with the sentence as `assigned_by`.

Reference words: điểm = a point ("5.1", "c"), khoản / mục + number = a numbered item, phần /
Mục + Roman = a part. A reference without a part takes the part named later in the same
sentence ("điểm c, điểm d, mục 4; điểm 5.2, mục 5 phần III"), else the plan's tasks part.
Roles: a clause with "chủ trì" leads; one with only "phối hợp" partners; "thực hiện các nhiệm vụ
tại …" without either performs (used for tasks nobody leads).
"""
from __future__ import annotations

import re

from ingest import agencies as agencies_mod
from ingest.normalize import fold
from ingest.prose import part_role
from ingest.records import Assignment, Citation, NormalizedText, Section, Task, content_id
from ingest.sections import roman_to_int

_VALUE = r"(?:\d{1,2}(?:\.\d{1,2})*(?![\d/])|[IVX]+\b|[a-zđ]\b)"
_RE_REF = re.compile(
    rf"(?i:\b(?P<kw>điểm|tiểu\s+mục|khoản|mục|phần))\s+(?P<vals>{_VALUE}(?:\s*(?:,|và)\s*{_VALUE})*)")
_RE_VAL = re.compile(_VALUE)
_RE_CONTINUES = re.compile(r"^\s*(?i:điểm|tiểu\s+mục|khoản|mục|phần|các\s+khoản|các\s+điểm)\s")
# a heading that dewrapping glued to its first sentence, or a numbered paragraph that opens with
# the agencies it charges ("5. Bộ Tài chính chủ trì, phối hợp với …"): cut the names before the
# verb. Lower-case verbs only in lower case, so "Sở Xây dựng" keeps its name.
_RE_HEADING_VERB = re.compile(
    r"\s*[:.]?\s+(?=(?:Chủ trì|Thực hiện|Triển khai|Phối hợp|Tham mưu|Là cơ quan|Có trách nhiệm|Căn cứ|Chịu trách nhiệm)\b"
    r"|(?:chủ trì|thực hiện|triển khai|phối hợp|tham mưu|là cơ quan|có trách nhiệm|chịu trách nhiệm|căn cứ|theo dõi"
    r"|hướng dẫn|bố trí|bảo đảm|đảm bảo|chỉ đạo|tập trung|chủ động|tăng cường|phổ biến|theo chức năng|trong phạm vi"
    r"|được giao|tiếp tục|khẩn trương)\b)")


_RE_DUTY_LABEL = re.compile(r"^(?:(?:trách nhiệm|nhiệm vụ|quyền hạn|quyền)(?:,?\s*(?:và\s+)?(?:trách nhiệm|nhiệm vụ|quyền hạn"
                            r"|quyền))*(?:\s+thi hành)?\s+(?:của\s+)?)", re.I)


# what a regulation's clause says and a list of names never does: counts, days, references
_RE_CLAUSE_WORDS = re.compile(r"\d{2,}|\b(?:Điều|khoản|điểm|ngày làm việc|thời hạn|không quy định)\b")


def _known_opening(name: str) -> str | None:
    """The known agency a longer text opens with, when words follow it ("Sở Y tế quyết định …")."""
    key = fold(name)
    for a in agencies_mod.find_agencies(name)[:1]:
        for form in (a, *agencies_mod.agency_aliases(a)):
            f = fold(form)
            if key.startswith(f + " ") and len(key.split()) >= len(f.split()) + 2:
                return a
    return None


def heading_agencies(title: str, province: str = "") -> list[str]:
    """Canonical agencies named by a "Tổ chức thực hiện" heading ("Sở Tài chính, Sở KH&ĐT")."""
    name = _RE_HEADING_VERB.split(title, maxsplit=1)[0].strip(" .:;")
    name = _RE_DUTY_LABEL.sub("", name)  # "Trách nhiệm của Sở Khoa học và Công nghệ" names the agency
    if len(name) > 250 or _RE_CLAUSE_WORDS.search(name):
        return []  # a sentence ("Cơ quan … gửi ít nhất 03 ngày làm việc trước …"), not a list of names
    if re.fullmatch(r"(cac )?(don vi|co quan|bo phan|to chuc)( (thuc hien|lien quan))?", fold(name).strip()):
        return []  # a field label of a task card ("2. Đơn vị chủ trì: Sở Y tế"), not a name
    whole = agencies_mod.canonical_agency(name, province or None)
    if not re.search(r"[,;]", name) and fold(whole) != fold(agencies_mod.clean_name(name)):
        return [whole]  # a known name as a whole ("Văn phòng UBND tỉnh") is one agency
    opening = None if re.search(r"[,;]", name) else _known_opening(name)
    if opening:  # "Sở Khoa học và Công nghệ quyết định dung lượng …": the agency, then what it does
        return [opening]
    out: list[str] = []
    for piece in agencies_mod.split_agencies(name, glue_unknown=True):
        canon = agencies_mod.canonical_agency(piece, province or None)
        if canon and canon not in out:
            out.append(canon)
    return out


def _clauses(text: str, base: int) -> list[tuple[int, int]]:
    """Clause spans (normalized offsets) of a region: lines and sentences, then ";" splits,
    re-joining a piece that only continues the reference list of the one before."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        line = m.group(0)
        sent_start = 0
        for sm in re.finditer(r"\.\s+(?=[A-ZĐÀ-Ỹ])|\.$", line):
            spans.append((line_start + sent_start, line_start + sm.start() + 1))
            sent_start = sm.end()
        if sent_start < len(line):
            spans.append((line_start + sent_start, line_start + len(line)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        pieces = []
        pos = a
        for sm in re.finditer(";", text[a:b]):
            pieces.append((pos, a + sm.start()))
            pos = a + sm.end()
        pieces.append((pos, b))
        merged: list[tuple[int, int]] = []
        for p in pieces:
            if merged and _RE_CONTINUES.match(text[p[0]:p[1]]):
                merged[-1] = (merged[-1][0], p[1])
            else:
                merged.append(p)
        out.extend(merged)
    trimmed = []
    for a, b in out:
        while a < b and (text[a].isspace() or text[a] in "-+•"):
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((base + a, base + b))
    return trimmed


def _role(clause: str) -> str:
    f = fold(clause)
    if "chu tri" in f:
        return "lead"
    if "phoi hop" in f:
        return "partner"
    return "perform"


def _children(node: Section, by_id: dict[str, Section]) -> list[Section]:
    return [by_id[c] for c in node.children]


def _descendants(node: Section, by_id: dict[str, Section]) -> list[Section]:
    out: list[Section] = []
    for c in _children(node, by_id):
        out.append(c)
        out.extend(_descendants(c, by_id))
    return out


def _pick(cands: list[Section], norm: NormalizedText, agencies: list[str]) -> list[Section]:
    """One node among same-numbered candidates: the one that mentions the agency, else the first."""
    if len(cands) <= 1:
        return cands
    for c in cands:
        text = norm.text[c.norm_start:c.norm_end]
        found = agencies_mod.find_agencies(text)
        if any(a in found for a in agencies) or any(fold(a) in fold(text) for a in agencies):
            return [c]
    return cands[:1]


def resolve_group(group: list[tuple[str, list[str]]], parts: dict[int, Section], default_part: Section | None,
                  clause_part: Section | None, by_id: dict[str, Section], norm: NormalizedText,
                  agencies: list[str]) -> list[Section]:
    """Section nodes named by one reference group, e.g. [("điểm", ["5.1"]), ("mục", ["5"]), ("phần", ["III"])]."""
    points: list[str] = []
    items: list[str] = []
    part: Section | None = None
    for kw, vals in group:
        kw = fold(kw)
        for v in vals:
            if re.fullmatch(r"[IVX]+", v) and kw in {"muc", "phan", "khoan"}:
                part = parts.get(roman_to_int(v), part)
            elif kw in {"diem", "tieu muc"}:
                points.append(v)
            elif kw in {"khoan", "muc"} and v.isdigit():
                items.append(v)
            elif kw in {"khoan", "muc"}:
                points.append(v)
    part = part or clause_part or default_part
    if part is None:
        return []
    item_nodes = [c for c in _children(part, by_id) if c.kind == "item" and c.number in items]
    if not points:
        return item_nodes if items else [part]
    out: list[Section] = []
    scopes = item_nodes or [part]
    for p in points:
        if "." in p:
            cands = [d for s in scopes for d in _descendants(s, by_id) if d.number == p]
            if not cands:  # "điểm 5.7, phần III" with a wrong or missing item: search the part
                cands = [d for d in _descendants(part, by_id) if d.number == p]
        else:
            cands = [c for s in scopes for c in _children(s, by_id) if c.kind == "letter" and c.number == p]
            if not cands:
                cands = [d for s in scopes for d in _descendants(s, by_id) if d.kind == "letter" and d.number == p]
        out.extend(c for c in _pick(cands, norm, agencies) if c not in out)
    return out


def reference_groups(clause: str) -> list[list[tuple[str, list[str]]]]:
    """Reference groups of a clause: split at ";", each a list of (keyword, values)."""
    groups = []
    for piece in clause.split(";"):
        refs = [(m.group("kw"), _RE_VAL.findall(m.group("vals"))) for m in _RE_REF.finditer(piece)]
        if refs:
            groups.append(refs)
    return groups


def extract_assignments(doc_id: str, norm: NormalizedText, sections: list[Section],
                        province: str = "") -> list[Assignment]:
    """Assignment records of the "Tổ chức thực hiện" part(s) of one document."""
    by_id = {s.id: s for s in sections}
    top = [s for s in sections if s.kind == "part"]
    parts = {}
    for p in top:
        try:
            parts.setdefault(roman_to_int(p.number), p)
        except ValueError:
            continue
    task_parts = [p for p in top if part_role(p) == "task"]
    default_part = next((p for p in task_parts if "nhiem vu" in fold(p.title)), task_parts[0] if task_parts else None)
    out: list[Assignment] = []
    for org_part in (p for p in top if "to chuc thuc hien" in fold(p.title)):
        for head in _children(org_part, by_id):
            if head.kind not in {"item", "subitem"}:
                continue
            agencies = heading_agencies(head.title, province)
            if not agencies:
                continue
            region = norm.text[head.norm_start:head.norm_end]
            for a, b in _clauses(region, head.norm_start):
                clause = norm.text[a:b]
                groups = reference_groups(clause)
                if not groups:
                    continue
                clause_part = None
                for g in groups:
                    for kw, vals in g:
                        for v in vals:
                            if re.fullmatch(r"[IVX]+", v) and fold(kw) in {"muc", "phan", "khoan"}:
                                clause_part = parts.get(roman_to_int(v), clause_part)
                nodes: list[Section] = []
                for g in groups:
                    for n in resolve_group(g, parts, default_part, clause_part, by_id, norm, agencies):
                        if n not in nodes:
                            nodes.append(n)
                if not nodes:
                    continue
                role = _role(clause)
                s0, s1 = norm.to_source(a, b)
                sentence = " ".join(clause.split()).lstrip("-+• ").strip()
                for agency in agencies:
                    out.append(Assignment(
                        id=content_id(doc_id, "assignment", agency, role, s0, *[n.id for n in nodes]),
                        doc_id=doc_id, agency=agency, role=role,
                        section_ids=[n.id for n in nodes], section_paths=[n.path for n in nodes],
                        sentence=sentence, start=s0, end=s1,
                    ))
    return out


def is_group(agency: str) -> bool:
    """"Các sở, ban, ngành", "UBND các huyện, …": a collective, less specific than a named body."""
    f = fold(agency)
    return f.startswith("cac ") or " cac " in f or bool(re.search(r"\bcap (?:huyen|xa)\b", f))


def apply_assignments(records: list, assignments: list[Assignment], sections: list[Section]) -> list:
    """Give prose Tasks without an inline lead the agency of the most specific assignment
    whose section contains them (lead roles first, then "perform"). Mutates and returns records."""
    by_id = {s.id: s for s in sections}
    for role in ("lead", "perform"):
        covers: list[tuple[int, Section, Assignment]] = []
        for asg in assignments:
            if asg.role != role:
                continue
            for sid in asg.section_ids:
                node = by_id.get(sid)
                if node is not None:
                    # smaller section first; among equals, a named agency before a group
                    covers.append(((node.end - node.start, is_group(asg.agency)), node, asg))
        if not covers:
            continue
        for rec in records:
            if not isinstance(rec, Task) or rec.source != "prose" or rec.lead:
                continue
            hits = [(size, node, asg) for size, node, asg in covers
                    if node.start <= rec.start and rec.end <= node.end]
            if not hits:
                continue
            best = min(size for size, _, _ in hits)
            chosen = [asg for size, _, asg in hits if size == best]
            rec.lead = list(dict.fromkeys(a.agency for a in chosen))
            rec.source = "assignment"
            first = chosen[0]
            rec.assigned_by = Citation(quote=first.sentence, start=first.start, end=first.end)
    for asg in assignments:  # partners named by reference join the tasks they cover
        if asg.role != "partner":
            continue
        nodes = [by_id[s] for s in asg.section_ids if s in by_id]
        for rec in records:
            if isinstance(rec, Task) and rec.source in {"prose", "assignment"} and any(
                    n.start <= rec.start and rec.end <= n.end for n in nodes):
                if asg.agency not in rec.partners and asg.agency not in rec.lead:
                    rec.partners.append(asg.agency)
    return records
