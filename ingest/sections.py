"""Section tree of a plan: Roman parts, numbered items, letters, bullets and appendices.

`parse_sections(norm, doc_id)` reads the normalized text line by line and returns a flat list of
`Section` nodes (root first, then document order) linked by parent/children ids. Each node spans
its heading and its body (children included), in normalized and source offsets.

Rules that keep the tree honest on real documents:
- a heading needs its punctuation ("III.", "1.2.", "a)", "- "): a bare "1" or "I" line is a table
  cell in the one-cell-per-line layout, never a section;
- inside a table (after a "TT"/"STT" header line) only a heading that continues an open section's
  numbering ("2." after "1.", "IV." after "III.", a new PHỤ LỤC) ends the table;
- "Nơi nhận:" closes the body: the recipients list and the signature belong to the root;
- in hard-wrapped documents a heading's title continues on the next line(s).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.records import NormalizedText, Section, content_id

PATH_SEP = " › "

_ROMAN = r"(?:X{0,3}(?:IX|IV|V?I{1,3})|X{1,3}|V)"
# "III. NHIỆM VỤ", and in Party documents "III- NHIỆM VỤ"
_RE_PART = re.compile(rf"^(?:(?:PHẦN|Phần)\s+)?({_ROMAN})\s*(?:[.:]|[-–](?=\s*[A-ZĐÀ-Ỹ]))\s*(\S.*)?$")
_RE_PART_WORD = re.compile(rf"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+({_ROMAN}|\d{{1,2}})\b\s*[.:\-–]?\s*(.*)$")
# the articles of a decision or a regulation ("Điều 14. Trách nhiệm của Sở Khoa học và Công nghệ"):
# between a chapter and its numbered clauses
_RE_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})\s*[.:]\s*(\S.*)?$")
# "(1) Bộ Công an:", "(2) Bộ Tài chính:": numbered paragraphs in parentheses
_RE_PAREN = re.compile(r"^\((\d{1,2})\)\s*([A-ZĐÀ-Ỹ]\S*.*)$")
# "--------", "____", "=====": the rule under an issuer's name, not a bullet
_RE_RULE = re.compile(r"^[-–_=.*•~]{3,}$")
_RE_APPENDIX = re.compile(r"^PHỤ LỤC(?:\s+(?:SỐ\s+)?([IVX]+|\d{1,2}|[A-Z]))?\s*[:.\-–]?\s*(.*)$")
_RE_APPENDIX_TITLECASE = re.compile(r"^Phụ lục(?:\s+(?:số\s+)?([IVX]+|\d{1,2}))?\s*[:.]?\s*$")
_RE_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.(?:\s+|(?=[^\W\d_]))(\S.*)$")
_RE_NUMBER_NODOT = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s+([A-ZĐÀ-Ỹ].*)$")
_RE_LETTER = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
_RE_BULLET = re.compile(r"^([-–•+*])\s*(\S.*)$")
_RE_TABLE_HEADER = re.compile(r"^\|?\s*(?:S?TT|Số TT|STT)\s*(?:\||$)", re.IGNORECASE)
# the end of the body: the recipients list, or the signature block ("TM. ỦY BAN NHÂN DÂN", "T/M BAN
# THƯỜNG VỤ", "KT. CHỦ TỊCH"): what follows until the next part or appendix is no section's text
_RE_CLOSING = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?|^(?:TM|KT|T/M|TL|TUQ)\s*\.?\s+[A-ZĐÀ-Ỹ]{2,}")

# Rank decides nesting: a heading closes every open node of equal or deeper rank.
RANK = {"root": 0, "appendix": 1, "part": 1, "article": 1.5, "item": 2, "subitem": 3, "clause": 5.5, "letter": 6,
        "bullet": 7, "plus": 8}


@dataclass
class _Line:
    start: int
    end: int
    text: str  # stripped


@dataclass
class _Heading:
    kind: str  # part | appendix | item | subitem | letter | bullet | plus
    number: str
    title: str
    rank: float  # RANK: an article sits between a part and its numbered clauses


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return out


def is_hard_wrapped(lines: list[_Line]) -> bool:
    """True when many lines continue a sentence (start lowercase): the text was wrapped by width."""
    nonblank = [ln.text for ln in lines if ln.text and ln.text != "|"]
    if len(nonblank) < 20:
        return False
    lower = sum(1 for t in nonblank if t[0].islower())
    return lower / len(nonblank) > 0.12


def roman_to_int(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(s):
        v = vals.get(ch, 0)
        total += -v if i + 1 < len(s) and vals.get(s[i + 1], 0) > v else v
    return total


def classify(text: str) -> _Heading | None:
    """The heading a line starts, or None for body text (pure; exported for tests)."""
    if not text or _RE_RULE.match(text):
        return None
    m = _RE_APPENDIX.match(text) or _RE_APPENDIX_TITLECASE.match(text)
    if m:
        num = m.group(1)
        return _Heading("appendix", f"PHỤ LỤC {num}" if num else "PHỤ LỤC",
                        (m.group(2) or "").strip() if m.lastindex and m.lastindex >= 2 else "", 1)
    m = _RE_PART_WORD.match(text)
    if m:
        return _Heading("part", m.group(1), m.group(2).strip(), RANK["part"])
    m = _RE_PART.match(text)
    if m and m.group(2):
        return _Heading("part", m.group(1), m.group(2).strip(), RANK["part"])
    m = _RE_ARTICLE.match(text)
    if m:
        return _Heading("article", m.group(1), (m.group(2) or "").strip(), RANK["article"])
    m = _RE_PAREN.match(text)
    if m:
        return _Heading("clause", f"({m.group(1)})", m.group(2).strip(), RANK["clause"])
    m = _RE_NUMBER.match(text) or _RE_NUMBER_NODOT.match(text)
    if m:
        number = m.group(1)
        depth = number.count(".")
        kind = "item" if depth == 0 else "subitem"
        return _Heading(kind, number, m.group(2).strip(), RANK["item"] + depth)
    m = _RE_LETTER.match(text)
    if m:
        return _Heading("letter", m.group(1), m.group(2).strip(), RANK["letter"])
    m = _RE_BULLET.match(text)
    if m:
        rest = m.group(2)
        # "- xã hội và …" continues a wrapped sentence; a real bullet starts a new one.
        if rest[0].islower():
            return None
        if m.group(1) == "+":
            return _Heading("bullet", "+", rest.strip(), RANK["plus"])
        return _Heading("bullet", "-", rest.strip(), RANK["bullet"])
    return None


def _successor(h: _Heading, open_node: Section) -> bool:
    """Does heading h continue the numbering of an open node (same kind, next number)?"""
    if h.kind == "appendix" and open_node.kind == "appendix":
        return True
    if h.kind != open_node.kind or h.kind not in {"part", "item", "subitem"}:
        return False
    if h.kind == "part":
        try:
            return roman_to_int(h.number) == roman_to_int(open_node.number) + 1
        except Exception:
            return False
    a, b = h.number.split("."), open_node.number.split(".")
    return len(a) == len(b) and a[:-1] == b[:-1] and int(a[-1]) == int(b[-1]) + 1


# A footnote reference glued to a word ("Phát triển kinh tế số[1]"); a bracket after a space is
# left alone, it may be a real "[1]" in the heading's wording.
_RE_FOOTNOTE_MARK = re.compile(r"(?<=[^\s\[\]])\[\d{1,3}\](?=[\s.,;:)]|$)")


def strip_footnote_marks(title: str) -> str:
    """Heading title without footnote markers: "Phát triển kinh tế số[1]" -> "Phát triển kinh tế số"."""
    return _RE_FOOTNOTE_MARK.sub("", title)


def _label(kind: str, number: str, title: str) -> str:
    """Path segment of a node: "III. NHIỆM VỤ", "1.3. Nền tảng số", "a)", "-"."""
    if kind == "letter":
        return f"{number})"
    if kind == "bullet":
        return number
    short = title if len(title) <= 60 else title[:60].rsplit(" ", 1)[0] + "…"
    short = short.rstrip(" :;,.")
    if kind == "appendix":
        return f"{number}. {short}" if short else number
    if kind == "article":
        return f"Điều {number}. {short}" if short else f"Điều {number}."
    if kind == "clause":
        return f"{number} {short}" if short else number
    return f"{number}. {short}" if short else f"{number}."


def _is_body_line(text: str) -> bool:
    return bool(text) and text != "|" and classify(text) is None and not _RE_TABLE_HEADER.match(text)


def _heading_goes_on(lines: list[_Line], j: int) -> bool:
    """In a hard-wrapped text, is line j the rest of the heading above it?

    A wrapped paragraph starts with a short line and goes on with long ones, each continuation
    starting lowercase. Line j finishes the heading when it is not itself the first line of a
    paragraph that goes on: the line after it is a heading, a blank, or a short new sentence.
    """
    if not _is_body_line(lines[j].text):
        return False
    prev = lines[j - 1].text
    if re.search(r"[.:;!?]$", prev):
        return False
    nxt = lines[j + 1].text if j + 1 < len(lines) else ""
    if not _is_body_line(nxt):
        return True
    return not nxt[0].islower() and len(nxt) < 60 and len(lines[j].text) < 60


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def parse_sections(norm: NormalizedText, doc_id: str) -> list[Section]:
    """Section tree of a normalized document: root first, then nodes in document order."""
    text = norm.text
    lines = _lines(text)
    wrapped = is_hard_wrapped(lines)
    root = Section(id=content_id(doc_id, "root"), doc_id=doc_id, number="", title="", kind="root",
                   level=0, path="", parent_id=None, start=0, end=0, norm_start=0, norm_end=len(text))
    nodes: list[Section] = [root]
    stack: list[tuple[Section, int]] = [(root, 0)]
    in_table = False
    closed = False  # after "Nơi nhận:" until the next part/appendix
    i = 0

    def close_to(rank: int, at: int) -> None:
        while len(stack) > 1 and stack[-1][1] >= rank:
            node, _ = stack.pop()
            node.norm_end = _trim_end(text, node.norm_start, at)

    while i < len(lines):
        ln = lines[i]
        if not ln.text:
            i += 1
            continue
        if _RE_CLOSING.match(ln.text):
            close_to(1, ln.start)
            closed, in_table = True, False
            i += 1
            continue
        if _RE_TABLE_HEADER.match(ln.text):
            in_table = True
            i += 1
            continue
        h = classify(ln.text)
        if h is None:
            i += 1
            continue
        if closed and h.kind not in {"part", "appendix"}:
            i += 1
            continue
        if in_table:
            if not any(_successor(h, n) for n, _ in stack[1:]) and not (
                    h.kind == "appendix" or (h.kind == "part" and not any(n.kind == "appendix" for n, _ in stack))):
                i += 1
                continue
            in_table = False
        closed = False
        # Title continuation: appendix/part titles go on in capitals; wrapped headings go on.
        end_line = i
        title = h.title
        if h.kind in {"appendix", "part"}:
            j = i + 1
            while j < len(lines) and j <= i + 3:
                nxt = lines[j].text
                if not nxt:
                    if title:  # an untitled "Chương I" or "PHỤ LỤC" has its title after a blank line
                        break
                    j += 1
                    continue
                if classify(nxt) or _RE_TABLE_HEADER.match(nxt) or not _is_caps(nxt) or nxt.startswith("("):
                    break
                title = f"{title} {nxt}".strip()
                end_line = j
                j += 1
        elif h.kind in {"item", "subitem"} and not re.search(r"[.:;!?]$", ln.text) \
                and (wrapped or len(ln.text) <= 40):
            j = i + 1
            while j < len(lines) and _heading_goes_on(lines, j) and (
                    wrapped or (len(lines[j].text) < 60 and not re.search(r"[.:;!?]$", lines[j].text))):
                title = f"{title} {lines[j].text}"
                end_line = j
                j += 1
        title = strip_footnote_marks(title)
        close_to(h.rank, ln.start)
        parent = stack[-1][0]
        level = parent.level + 1
        label = _label(h.kind, h.number, title)
        path = f"{parent.path}{PATH_SEP}{label}" if parent.path else label
        node = Section(
            id=content_id(doc_id, ln.start, h.kind, h.number, title),
            doc_id=doc_id, number=h.number, title=title, kind=h.kind, level=level, path=path,
            parent_id=parent.id, start=0, end=0, norm_start=ln.start, norm_end=len(text),
            norm_body_start=lines[end_line].end,
        )
        parent.children.append(node.id)
        nodes.append(node)
        stack.append((node, h.rank))
        i = end_line + 1
    close_to(1, len(text))
    for node in nodes:
        node.norm_end = max(node.norm_end, node.norm_body_start)
        node.start, node.end = norm.to_source(node.norm_start, node.norm_end)
    root.norm_end = len(text)
    root.start, root.end = norm.to_source(0, len(text))
    return nodes


def _trim_end(text: str, start: int, at: int) -> int:
    while at > start and text[at - 1].isspace():
        at -= 1
    return at


def section_path_at(sections: list[Section]):
    """A function: normalized offset -> path of the deepest non-bullet section containing it."""
    ordered = [s for s in sections if s.kind not in {"root", "bullet"}]

    def path_at(offset: int) -> str:
        best = None
        for s in ordered:
            if s.norm_start <= offset < max(s.norm_end, s.norm_start + 1):
                if best is None or s.level > best.level:
                    best = s
        return best.path if best else ""

    return path_at
