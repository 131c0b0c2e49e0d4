"""Duties written directly under a heading that names an agency, in any part of a plan.

Plans close with one heading per agency ("8. Công an tỉnh") and that agency's duties; resolutions
and party plans assign work under bold unit headings ("a) Tổ đảng ở Thường trực Ủy ban …") or in
numbered paragraphs that open with the agencies they charge ("5. Bộ Tài chính chủ trì, phối hợp
với …"). A duty that points at other sections ("Chủ trì … nhiệm vụ tại điểm 5.1, mục 5, phần
III") is already an `Assignment` (ingest.assignments); every other sentence or bullet ("- Chủ
trì triển khai … Đề án 06", "Phối hợp với Sở Y tế …") becomes a prose `Task` here, section = the
heading's path. A heading nested in another agency heading keeps its own duties.

Roles: a duty that only helps ("Phối hợp với X …", "Thường xuyên phối hợp với X …") has the
heading's agencies as partners and X (if named) as lead; any other duty ("Chủ trì, phối hợp với
X …", "Tham mưu …", "Triển khai …") is the heading agencies' own: they lead, X are partners.
A sentence that opens with another agency as subject ("Các doanh nghiệp viễn thông phối hợp …")
is that agency's; one that says what someone else will do ("… Chủ tịch UBND tỉnh sẽ điều chỉnh …")
and the plan's closing lines ("Trên đây là …", "(Chi tiết theo Phụ lục …)") are no duties.
Timeframes as written ("trước ngày 15/12 hằng năm", "hằng năm", "năm 2025"), years when explicit.
"""
from __future__ import annotations

import re

from ingest import agencies as agencies_mod
from ingest.assignments import _RE_HEADING_VERB, _clauses, heading_agencies
from ingest.normalize import fold
from ingest.prose import _section_path, clean, part_role, timeframe
from ingest.records import Assignment, NormalizedText, Section, Task, content_id

# where the plan's closing matter begins: nothing after it is an agency's duty
_RE_CLOSING = re.compile(r"^\s*(?:\(?\s*Chi\s+tiết\s+(?:theo|tại)|Trên\s+đây|Nơi\s+nhận|(?:TM|KT)\.\s)", re.I)
_RE_SENTENCE = re.compile(r"\.\s+(?=[A-ZĐÀ-Ỹ])|\.$")
_ADVERBS = r"(?:chủ\s+động|thường\s+xuyên|tăng\s+cường|tích\s+cực|kịp\s+thời)"
# lead-in phrases before the main verb ("Trên cơ sở …;", "Căn cứ …,")
_RE_LEAD_IN = re.compile(r"^(?:(?:trên\s+cơ\s+sở|căn\s+cứ)[^;]*;\s*)?", re.I)
_RE_HELPS = re.compile(rf"^(?:{_ADVERBS}\s+)*phối\s+hợp\b", re.I)
_RE_PARTNERS = re.compile(r"phối\s+hợp(?:\s+chặt\s+chẽ)?\s+với\s+", re.I)
# where the list of agencies after "phối hợp với" ends: the verb of the duty
_RE_AFTER_PARTNERS = re.compile(
    r"[.;:(]|\b(?:để|nhằm|trong\s+việc|triển\s+khai|thực\s+hiện|tổ\s+chức\s+(?:thực|triển)|xây\s+dựng|"
    r"tham\s+mưu|bổ\s+sung|rà\s+soát|hướng\s+dẫn|tuyên\s+truyền|nghiên\s+cứu|lựa\s+chọn|thúc\s+đẩy|"
    r"đẩy\s+mạnh|lồng\s+ghép|cập\s+nhật|đôn\s+đốc)\b", re.I)
# the first verb of a sentence: what precedes it may be a subject ("Các doanh nghiệp … phối hợp")
_RE_FIRST_VERB = re.compile(
    rf"\s(?:{_ADVERBS}|phối\s+hợp|chủ\s+trì|căn\s+cứ|có\s+trách\s+nhiệm|thực\s+hiện|triển\s+khai|tham\s+mưu|"
    r"tổ\s+chức|sẽ)\b", re.I)
_RE_WILL = re.compile(r"(?:^|[;,]\s*)(?P<subj>[^;,]{3,80}?)\s+sẽ\s", re.I)

def _partners_named(text: str) -> list[str]:
    """Agencies after "phối hợp với", up to the duty's verb."""
    out: list[str] = []
    for m in _RE_PARTNERS.finditer(text):
        rest = text[m.end():]
        stop = _RE_AFTER_PARTNERS.search(rest)
        for a in agencies_mod.find_agencies(rest[:stop.start() if stop else 200]):
            if a not in out:
                out.append(a)
    return out


def _subject(text: str, heading: list[str]) -> tuple[list[str] | None, int]:
    """(agencies a sentence names as its own subject before its first verb, if not the heading's;
    where the rest of the sentence begins)."""
    m = _RE_FIRST_VERB.search(text)
    if not m or m.start() == 0:
        return None, 0
    prefix = text[:m.start()].strip(" ,")
    # a known agency, not merely a word that starts like one ("Báo cáo kết quả, …")
    named = agencies_mod.find_agencies(prefix) if agencies_mod.looks_like_agency(prefix) else []
    return (named, m.start() + 1) if named and not set(named) <= set(heading) else (None, 0)


def _others_will(text: str, heading: list[str]) -> bool:
    """"… Chủ tịch UBND tỉnh sẽ điều chỉnh …": a statement about another actor, not a duty."""
    for m in _RE_WILL.finditer(text):
        named = agencies_mod.find_agencies(m.group("subj"))
        if named and not set(named) <= set(heading):
            return True
    return False


def is_agency_heading(names: list[str]) -> bool:
    """Does a heading name agencies ("Sở Nội vụ", "Bộ Tài chính, Bộ KH&ĐT"), not a topic ("Trách
    nhiệm của cộng đồng", "Bổ sung các chính sách … trình Quốc hội")? Names come first in a heading."""
    first = names[0] if names else ""
    return agencies_mod.looks_like_agency(first) or agencies_mod.find_agencies(first)[:1] == [
        agencies_mod.canonical_agency(first)]


def _body_start(head: Section, norm: NormalizedText) -> int:
    """Where a heading's duties begin; a first sentence glued to the heading line starts at its verb."""
    line = norm.text[head.norm_start:head.norm_body_start]
    m = _RE_HEADING_VERB.search(line)
    return head.norm_start + m.end() if m else head.norm_body_start


def _duty(doc_id: str, norm: NormalizedText, head: Section, by_id: dict[str, Section], a: int, b: int,
          heading: list[str]) -> Task | None:
    text = clean(norm.text[a:b]).strip(" ;")
    if len(text) < 15 or _others_will(text, heading):
        return None
    subject, rest = _subject(text, heading)
    actor = subject or heading
    main = text[rest:]
    main = main[_RE_LEAD_IN.match(main).end():]
    partners = _partners_named(text)
    if "chu tri" not in fold(text) and _RE_HELPS.match(main):  # the agency only helps X
        lead = [p for p in partners if p not in actor]
        partners = list(actor)
    else:
        lead = list(actor)
        partners = [p for p in partners if p not in lead]
    node = _node_at(head, by_id, a)
    s0, s1 = norm.to_source(a, b)
    tf, y0, y1 = timeframe(text)
    return Task(
        id=content_id(doc_id, "duty", s0, text), doc_id=doc_id, section=_section_path(node, by_id),
        row=None, text=text, lead=lead, partners=partners, timeframe=tf, start_year=y0, end_year=y1,
        start=s0, end=s1, source="prose",
    )


def _node_at(head: Section, by_id: dict[str, Section], pos: int) -> Section:
    """The deepest section under a heading that holds a normalized offset."""
    node = head
    while True:
        inner = next((by_id[c] for c in node.children
                      if by_id[c].norm_start <= pos < by_id[c].norm_end), None)
        if inner is None:
            return node
        node = inner


def _sentences(text: str, base: int) -> list[tuple[int, int]]:
    """Sentence spans (normalized offsets) of a heading's body, line by line, until closing matter."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        if _RE_CLOSING.match(line) or line.rstrip().endswith("./.") or line.lstrip().startswith("|"):
            break
        pos = 0
        for sm in _RE_SENTENCE.finditer(line):
            out.append((base + m.start() + pos, base + m.start() + sm.start() + 1))
            pos = sm.end()
        if pos < len(line):
            out.append((base + m.start() + pos, base + m.start() + len(line)))
    return out


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(r0 < span[1] and span[0] < r1 for r0, r1 in spans)


def agency_headings(sections: list[Section], province: str = "") -> list[tuple[Section, list[str]]]:
    """Headings (items, sub-items, letters) outside appendices whose title names agencies."""
    by_id = {s.id: s for s in sections}
    out = []
    for head in sections:
        if head.kind not in {"article", "item", "subitem", "clause", "letter"}:
            continue
        top = head
        while top.parent_id and by_id[top.parent_id].kind != "root":
            top = by_id[top.parent_id]
        if top.kind == "appendix" or part_role(top) == "target":
            continue
        heading = heading_agencies(head.title, province)
        if heading and is_agency_heading(heading):
            out.append((head, heading))
    return out


def extract_duties(doc_id: str, norm: NormalizedText, sections: list[Section], assignments: list[Assignment],
                   province: str = "") -> list[Task]:
    """Task records of the duties written under the agency headings of a plan."""
    by_id = {s.id: s for s in sections}
    refs = [(a.start, a.end) for a in assignments if a.doc_id == doc_id]
    heads = agency_headings(sections, province)
    inner = {h.id: [(o.norm_start, o.norm_end) for o, _ in heads
                    if o.id != h.id and h.norm_start < o.norm_start < h.norm_end] for h, _ in heads}
    out: list[Task] = []
    for head, heading in heads:
        start = _body_start(head, norm)
        for a, b in _sentences(norm.text[start:head.norm_end], start):
            if _overlaps((a, b), inner[head.id]):
                continue  # a nested agency heading's own duty
            # a clause that names sections is an Assignment already: keep the rest of the sentence
            pieces = [(p0, p1) for p0, p1 in _clauses(norm.text[a:b], a)
                      if not _overlaps(norm.to_source(p0, p1), refs)]
            if not pieces:
                continue
            task = _duty(doc_id, norm, head, by_id, pieces[0][0], pieces[-1][1], heading)
            if task is not None:
                out.append(task)
    return out


# -- unstructured text: who is charged with what, sentence by sentence --------------------------
# In text without parts (a news report of a meeting, a conclusion, a letter) assignments are
# sentences whose subject is an agency or its head: "Bộ trưởng Bộ Tài chính chỉ đạo bố trí …".
_RE_CHARGE = re.compile(
    r"^(?P<subj>[^.;:!?\n]{3,120}?)\s+(?=(?:chủ\s+trì|chỉ\s+đạo|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|tham\s+mưu|"
    r"phối\s+hợp|được\s+giao|xây\s+dựng|triển\s+khai|bố\s+trí|hoàn\s+thành|nghiên\s+cứu|rà\s+soát|trình|ban\s+hành|"
    r"tổ\s+chức\s+thực\s+hiện|khẩn\s+trương|tập\s+trung)\b)")
_RE_HEAD_OF = re.compile(r"^(?:(?:đồng\s+chí|ông|bà)\s+)?(?:Phó\s+)?(?:Bộ\s+trưởng|Thủ\s+trưởng|Chủ\s+tịch|Giám\s+đốc|Trưởng|"
                         r"Chánh\s+Văn\s+phòng|Thống\s+đốc|Tổng\s+Giám\s+đốc|Bí\s+thư)\s+", re.I)


def sentence_duties(doc_id: str, norm: NormalizedText, sections: list[Section], taken: list[tuple[int, int]],
                    province: str = "") -> list[Task]:
    """Tasks from sentences of a document's unstructured text (outside every part) whose subject
    is an agency or the head of one; sentences inside other records are left alone."""
    root_end = min((s.norm_start for s in sections if s.kind in {"part", "appendix"}), default=len(norm.text))
    out: list[Task] = []
    for a, b in _sentences(norm.text[:root_end], 0):
        s0, s1 = norm.to_source(a, b)
        if _overlaps((s0, s1), taken):
            continue
        text = re.sub(r"^Điều\s+\d+\.\s*", "", clean(norm.text[a:b])).strip(" ;")
        m = _RE_CHARGE.match(text)
        if not m or len(text) < 30 or re.match(r"(?i)ban\s+hành\b", text):
            continue
        head = _RE_HEAD_OF.match(m.group("subj"))
        subject = m.group("subj")[head.end():].strip(" ,") if head else m.group("subj").strip(" ,")
        if head and re.search(r"Bộ\s+trưởng\s*$", head.group(0), re.I) and not subject.startswith("Bộ "):
            subject = f"Bộ {subject}"  # "Bộ trưởng Công an" heads the Bộ Công an
        if len(subject.split()) < 2:
            continue
        named = agencies_mod.find_agencies(subject)
        if not named and agencies_mod.looks_like_agency(subject) and len(subject) <= 80:
            named = [agencies_mod.canonical_agency(subject, province or None)]
        if not named or not agencies_mod.looks_like_agency(subject):
            continue
        tf, y0, y1 = timeframe(text)
        out.append(Task(
            id=content_id(doc_id, "charge", s0, text), doc_id=doc_id, section="", row=None, text=text,
            lead=named[:3], partners=[p for p in _partners_named(text) if p not in named], timeframe=tf,
            start_year=y0, end_year=y1, start=s0, end=s1, source="prose"))
    return out
