"""Document metadata from the administrative header every Vietnamese document shares.

Nghị định 30/2020/NĐ-CP fixes the layout: the issuing body (under its parent) top left, the
national motto (or "ĐẢNG CỘNG SẢN VIỆT NAM") top right, "Số: 59/KH-UBND", "Place, ngày dd tháng
mm năm yyyy", the document type in capitals ("KẾ HOẠCH", "NGHỊ QUYẾT" …) and its title, then the
body ("Căn cứ …", "I. …"). Text exported from Word, PDF, HTML or Markdown keeps that order but
breaks lines anywhere, so the header is read from its words, not its line layout.

`read_header(text)` returns a `Header`: issuer (and parent), number, date, place, document
type, title, the document it is attached to ("Kèm theo …") and its scope (the issuer's
jurisdiction: a province or city, a district, or the whole country). Pure text work; the
catalog overrides whatever it states (ingest.catalog).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import vocabulary
from ingest.normalize import fold, is_syllable, normalize

HEAD_CHARS = 5000  # the header sits in the first lines; never read further for it
_MOTTOS = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap tu do hanh phuc",
           "dang cong san viet nam")
_TYPE_WORDS = ("KẾ HOẠCH", "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHƯƠNG TRÌNH", "ĐỀ ÁN",
               "CHỈ THỊ", "KẾT LUẬN", "THÔNG BÁO", "CHIẾN LƯỢC", "HƯỚNG DẪN", "BÁO CÁO", "CÔNG VĂN", "NGHỊ ĐỊNH",
               "THÔNG TƯ", "LUẬT", "QUY CHẾ", "CÔNG ĐIỆN", "TỜ TRÌNH")
_RE_TYPE_LINE = re.compile(
    r"^(" + "|".join(_TYPE_WORDS) + r")(?![A-ZĐÀ-Ỹa-zà-ỹđ])\s*[:.]?\s*(.*)$")
# body openings: the title ends where one of these starts a line
_RE_BODY = re.compile(
    r"^(?:Căn\s+cứ|Thực\s+hiện|Theo\s+đề\s+nghị|Trên\s+cơ\s+sở|Nhằm|Để\s|Kính\s+gửi|Ngày\s+\d|Trong\s+những|"
    r"Qua\s|Sau\s|Những\s+năm|Thời\s+gian\s+qua|Chuyển\s+đổi\s+số\s+là|QUYẾT\s+ĐỊNH\s*:|Điều\s+1|"
    r"(?:PHẦN|Phần)\s+[IVX\d]+|[IVX]+\s*[.:]\s|\d{1,2}\.\s|[a-z]\)\s|-\s|\+\s|Hà\s+Nội,\s+ngày)", re.I)
_RE_NUMBER = re.compile(
    r"\bSố\s*(?:hiệu)?\s*[:.|]?\s*((?:\d[\d.]*\s*)?(?:/\s*\d{4}\s*)?[/\-]\s*[A-ZĐ][A-Za-zĐđ0-9]*(?:\s*[-/&]\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*)")
_RE_DATE = re.compile(
    r"(?:^|[\s|,])([A-ZĐÀ-Ỹ][\wÀ-ỹ.\- ]{1,40}?)\s*,\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*((?:19|20)\d\d)")
_RE_PORTAL_DATE = re.compile(r"Ngày\s+ban\s+hành\s*[:|]?\s*(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)", re.I)
_RE_ATTACHED = re.compile(
    r"^\(?\s*(?:Ban\s+hành\s+)?[Kk]èm\s+theo\s+((?:Kế\s+hoạch|Nghị\s+quyết|Quyết\s+định|Chương\s+trình|Đề\s+án|"
    r"Chỉ\s+thị|Công\s+văn|Thông\s+tư|Nghị\s+định)\s+(?:số\s*:?\s*)?\d[\w./\-]*[^)\n]{0,60})")
# where one body ends and the next begins in a header block ("UBND TỈNH X" + "SỞ Y TẾ")
_RE_BODY_START = re.compile(
    r"\b(THỦ TƯỚNG CHÍNH PHỦ|VĂN PHÒNG CHÍNH PHỦ|CHÍNH PHỦ|QUỐC HỘI|ỦY BAN THƯỜNG VỤ QUỐC HỘI|BỘ CHÍNH TRỊ|"
    r"BAN CHẤP HÀNH TRUNG ƯƠNG|BAN BÍ THƯ|ĐẢNG BỘ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|"
    r"TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|HUYỆN ỦY|HUYỆN UỶ|QUẬN ỦY|THỊ ỦY|ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG ĐOÀN|BAN CHỈ ĐẠO|BAN CÁN SỰ ĐẢNG|BAN CÁN SỰ|"
    r"SỞ|BỘ|BAN|CỤC|CHI CỤC|TỔNG CỤC|VĂN PHÒNG|TRUNG TÂM|ỦY BAN|UỶ BAN|NGÂN HÀNG|KIỂM TOÁN|THANH TRA)\b")
_COMPLETE_BODIES = {"THỦ TƯỚNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ", "CHÍNH PHỦ", "QUỐC HỘI", "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
                     "BỘ CHÍNH TRỊ", "BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN BÍ THƯ"}
_RE_PLACE = re.compile(r"\b(TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)$", re.I)
_LOCAL_LEVELS = {"huyen", "quan", "thi xa", "xa", "phuong", "thi tran"}


@dataclass(frozen=True)
class Header:
    issuer: str = ""  # "Ủy ban nhân dân tỉnh Quảng Ngãi"
    parent: str = ""  # the body above the issuer, when the header names one
    number: str | None = None  # "38/KH-UBND"
    code: str = ""  # "KH-UBND": the type and issuer code, even when the number is left blank
    issued: str | None = None  # "2024-02-20", or "2020" when day and month are blank
    place: str = ""  # "Quảng Ngãi"
    doc_type: str = ""  # "Kế hoạch", "Nghị quyết", …
    title: str = ""  # "Kế hoạch triển khai thực hiện Nghị quyết số 13-NQ/TU …"
    attached_to: str | None = None  # "Kế hoạch số 59/KH-UBND ngày 25/4/2022" for an appendix file
    province: str = ""  # the province or centrally-run city of the scope ("" for national)
    district: str = ""  # "huyện Mộ Đức" for a district document
    level: str = ""  # "national" | "province" | "district" | ""
    scope: str = ""  # how answers name the jurisdiction: "tỉnh Quảng Ngãi", "toàn quốc", …
    signer: str = ""  # the person who signed ("Nguyễn Minh Hùng")
    signer_role: str = ""  # as the signature block writes it ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH")


# -- text helpers (pure) ------------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    """Header lines, table cells as lines of their own, rules and stars dropped."""
    out = []
    for raw in text.splitlines():
        for cell in raw.split("|"):
            s = " ".join(cell.split()).strip(" *_")
            if s and not re.fullmatch(r"[-–_=*.~ ]+", s):
                out.append(s)
    return out


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.85


_PROVINCES = {fold(p["name"]): p for p in vocabulary.provinces()}
_PROVINCE_VARIANTS = {v: p["name"] for p in vocabulary.provinces() for v in p["variants"]}


def province_named(text: str) -> str:
    """The province or centrally-run city a place phrase names ("QUẢNG NGÃI", "TP. Hồ Chí Minh"), or ""."""
    k = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
    k = re.sub(r"^(tinh|thanh pho|tp)\s+", "", k)
    if k in _PROVINCES:
        return _PROVINCES[k]["name"]
    return _PROVINCE_VARIANTS.get(k, "")


def _proper(words: str) -> str:
    """Place name in capitals -> "Quảng Ngãi" (the province list's spelling when it is one)."""
    named = province_named(words)
    if named:
        return named
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


_KNOWN_NAMES = sorted(((fold(n), n) for n in vocabulary.agencies()), key=lambda t: len(t[0]), reverse=True)


def display_name(caps: str) -> str:
    """An issuing body written in capitals as a name: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" ->
    "Ủy ban nhân dân tỉnh Quảng Ngãi", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG" -> "Bộ Thông tin và Truyền thông"."""
    s = " ".join(caps.split()).strip(" ,.-*")
    if not s or not _is_caps(s):
        return s
    key = fold(s)
    for k, name in _KNOWN_NAMES:  # a body the vocabulary knows, spelled as it does
        if key == k:
            return name
    party = re.match(r"^(TỈNH|THÀNH|HUYỆN|QUẬN|THỊ)\s+(?:ỦY|UỶ)\s+(.+)$", s)
    if party:  # "TỈNH ỦY QUẢNG NINH" -> "Tỉnh ủy Quảng Ninh"
        return f"{party.group(1).capitalize()} ủy {_proper(party.group(2))}"
    m = _RE_PLACE.search(s)
    head, place = (s[:m.start()].strip(), m) if m else (s, None)
    head = re.sub(r"^UBND\b", "ỦY BAN NHÂN DÂN", re.sub(r"^HĐND\b", "HỘI ĐỒNG NHÂN DÂN", head))
    out = sentence_case(head) if head else ""
    for k, name in _KNOWN_NAMES:
        if fold(out) == k:
            out = name
            break
    if place is not None:
        level = place.group(1).lower().rstrip(".")
        out = f"{out} {level} {_proper(place.group(2))}".strip()
        out = out[:1].upper() + out[1:]
    return out


_PROPER_WORDS = ("Việt Nam", "Chính phủ", "Thủ tướng", "Trung ương", "Bộ Chính trị", "Quốc hội", "Đảng",
                 "Nhà nước", "Tỉnh ủy", "Thành ủy", "Ban Thường vụ", "Ban Chấp hành", "Hội đồng nhân dân",
                 "Ủy ban nhân dân", "Mặt trận Tổ quốc")


def _is_abbreviation(word: str) -> bool:
    core = re.sub(r"[^\wÀ-ỹ]", "", word)
    if not core or re.search(r"\d|/", word):
        return bool(core)
    if any(ord(c) > 127 for c in core):  # a letter with a diacritic: a Vietnamese word
        return False
    if re.fullmatch(r"[IVX]{1,4}", core):  # "PHỤ LỤC II"
        return True
    # a capital word that is no syllable ("CNTT", "GRDP") is an abbreviation and keeps its capitals
    return core.isupper() and not is_syllable(core.lower())


def sentence_case(caps: str, capital: bool = True) -> str:
    """A title written in capitals, in sentence case: codes ("05-NQ/TU", "CNTT") and proper names
    (provinces, "Chính phủ", "Tỉnh ủy" …) keep their capitals."""
    text = " ".join(w if _is_abbreviation(w) else w.lower() for w in caps.split())
    folded = fold(text)
    for name in [*(p["name"] for p in vocabulary.provinces()), *_PROPER_WORDS]:
        for m in re.finditer(rf"(?<![a-z]){re.escape(fold(name))}(?![a-z])", folded):
            text = text[:m.start()] + name + text[m.end():]
    # a document cited by number is a name: "nghị quyết số 13-NQ/TU" -> "Nghị quyết số 13-NQ/TU"
    text = re.sub(r"\b(nghị quyết|quyết định|kế hoạch|chỉ thị|chương trình|đề án|nghị định|thông tư|kết luận)(?= số \d)",
                  lambda m: m.group(1).capitalize(), text)
    return text[:1].upper() + text[1:] if capital else text


# -- reading ---------------------------------------------------------------------------------------
def _in_motto(line: str) -> bool:
    """A line that is (part of) the national or Party motto, however the export broke it."""
    f = " ".join(re.sub(r"[^a-z ]+", " ", fold(line)).split())
    return len(f) >= 3 and any(f in " ".join(re.sub(r"[^a-z ]+", " ", m).split()) for m in _MOTTOS)


def _issuer_block(lines: list[str]) -> list[str]:
    """Capital lines at the top that name the issuing body (and its parent), motto left out."""
    block: list[str] = []
    for ln in lines[:16]:
        if (re.match(r"^so\s*(hieu)?\s*[:.]?\s*\d|^so\s*:|^phu luc\b", fold(ln)) or _RE_TYPE_LINE.match(ln)
                or _RE_DATE.search(ln)):
            break
        if _in_motto(ln):
            continue
        if not _is_caps(ln) or len(ln) > 120 or re.search(r"\d", ln):
            if block:
                break
            continue
        block.append(ln)
    return block


def _bodies(block: list[str]) -> list[str]:
    """A header block split into bodies: "UBND TỈNH X SỞ Y TẾ" -> ["UBND TỈNH X", "SỞ Y TẾ"]."""
    text = " ".join(block)
    for m in _MOTTOS:  # a motto run into the block by a two-column export
        text = re.sub(r"\s+".join(re.escape(w) for w in m.upper().split()), " ", text)
    text = re.sub(r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐỘC\s+LẬP\s*-\s*TỰ\s+DO\s*-\s*HẠNH\s+PHÚC"
                  r"|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", " ", text)
    text = " ".join(text.split()).strip(" *-")
    starts = [m.start() for m in _RE_BODY_START.finditer(text)]
    if not starts:
        return [text] if text else []
    # a start inside the first body's own name ("ỦY BAN NHÂN DÂN TỈNH" has no second start) is
    # impossible by construction; "BỘ" after "ĐẢNG" is one body ("ĐẢNG BỘ")
    cuts = [0] + [s for s in starts if s > 0]
    out: list[str] = []
    pending = ""
    for a, b in zip(cuts, cuts[1:] + [len(text)]):
        seg = f"{pending} {text[a:b]}".strip()
        head = _RE_BODY_START.match(seg)
        # "ĐẢNG ĐOÀN" + "QUỐC HỘI", "ỦY BAN NHÂN DÂN" + "TỈNH X": a head alone names no body yet
        if head and head.end() == len(seg) and seg not in _COMPLETE_BODIES:
            pending = seg
            continue
        pending = ""
        out.append(seg)
    if pending:
        out.append(pending)
    return [o for o in out if o]


_AUTHORITY_LINE = re.compile(r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|THỦ TƯỚNG|CHÍNH PHỦ|BỘ TRƯỞNG|CHỦ TỊCH|"
                             r"HỘI ĐỒNG NHÂN DÂN|BAN CHẤP HÀNH|BAN THƯỜNG VỤ|TỈNH ỦY|TỈNH UỶ)\b")


def _type_and_title(lines: list[str]) -> tuple[str, str, int]:
    """(document type, title, index of the type line) from the capital type line and what follows."""
    if lines and re.match(r"^PHỤ LỤC\b", lines[0]):  # an appendix filed on its own
        title = " ".join(sentence_case(ln, k == 0) for k, ln in enumerate(lines[:3]) if _is_caps(ln))
        return "Phụ lục", title, 0
    for i, ln in enumerate(lines[:60]):
        m = _RE_TYPE_LINE.match(ln)
        if not m or not _is_caps(m.group(1)):
            continue
        rest = [m.group(2)] if m.group(2) else []
        caps = _is_caps(rest[0]) if rest else None
        for nxt in lines[i + 1:i + 8]:
            structural = re.match(r"^(?:(?:PHẦN|Phần)\s+[IVX\d]+|[IVX]+\s*[.:]\s|\d{1,2}\.\s|Điều\s+\d|QUYẾT\s+ĐỊNH\s*:)", nxt)
            if structural or (not _is_caps(nxt) and _RE_BODY.match(nxt)) or _RE_ATTACHED.match(nxt) or nxt.startswith("("):
                break
            if rest and _is_caps(nxt) and _AUTHORITY_LINE.match(nxt):
                break  # "THỦ TƯỚNG CHÍNH PHỦ" / "ỦY BAN NHÂN DÂN TỈNH X" before "Căn cứ …"
            if rest and (nm := _RE_TYPE_LINE.match(nxt)) and not nm.group(2):
                break
            if caps is None:
                caps = _is_caps(nxt)
            elif caps and not _is_caps(nxt) and not re.match(r"^(về|Về|V/v)\s", nxt):
                break
            elif not caps and (_is_caps(nxt) or not nxt[:1].islower()):
                break  # a title in sentence case goes on only with wrapped (lower-case) lines
            elif caps and not _is_caps(nxt):
                caps = False  # "CỦA BỘ CHÍNH TRỊ" then "về đột phá …": the subject goes on
            rest.append(nxt)
            if sum(len(r) for r in rest) > 400:
                break
        title = " ".join(" ".join(sentence_case(r, k == 0) if _is_caps(r) else r for k, r in enumerate(rest)).split()).strip(" :;")
        name = "Chương trình hành động" if m.group(1) == "CHƯƠNG TRÌNH HÀNH ĐỘNG" else m.group(1).capitalize()
        if title and not title.startswith("V/v") and not province_named(title.split(" ")[0]):
            title = title[:1].lower() + title[1:]
        return name, (f"{name} {title}".strip() if title else name), i
    for i, ln in enumerate(lines[:30]):  # a letter: no type line, "V/v <subject>" under the number
        if ln.startswith("V/v"):
            return "Công văn", f"Công văn {ln}", i
    return "", "", -1


def _type_from_code(code: str) -> str:
    types = vocabulary.issuers()["document_types"]
    head = re.split(r"[-/]", code)[0] if code else ""
    return types.get(head, "")


def _is_national(bodies: list[str], code: str) -> bool:
    national = {fold(n) for n in vocabulary.issuers()["national"]}
    for b in bodies:
        f = fold(b)
        if f in national or re.match(r"^bo (?!chinh tri)", f) and not re.search(r"\b(tinh|thanh pho|huyen)\b", f):
            return True
        if f == "bo chinh tri" or f.startswith(("ban chap hanh trung uong", "thu tuong")):
            return True
        if re.search(r"\b(chinh phu|trung uong|quoc hoi)\b", f) and not re.search(r"\b(tinh|thanh pho|huyen)\b", f):
            return True  # "Văn phòng Đảng ủy Chính phủ", "Ban Chỉ đạo Trung ương": central bodies
    tail = re.split(r"[-/]", code)[-1] if code else ""
    return bool(tail) and tail in vocabulary.issuers()["national_codes"]


def _scope(bodies: list[str], place: str, title: str, text: str, code: str) -> tuple[str, str, str, str]:
    """(province, district, level, scope label) of a document."""
    district = ""
    province = ""
    for b in reversed(bodies):  # the issuer first, then its parent
        m = _RE_PLACE.search(b)
        if not m:
            m2 = re.search(r"\b(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ)\s+(?:ỦY|UỶ)\s+(.+)$", b)
            if m2 and province_named(m2.group(1)):
                province = province or province_named(m2.group(1))
            continue
        level = fold(m.group(1)).rstrip(".")
        named = province_named(m.group(2))
        if level in ("tinh", "thanh pho", "tp") and named:
            province = province or named
        elif level in _LOCAL_LEVELS or level in ("thanh pho", "tp"):
            district = district or f"{m.group(1).lower().rstrip('.')} {_proper(m.group(2))}"
    if _is_national(bodies, code) and not province:
        return "", "", "national", "toàn quốc"
    if not province:
        province = province_named(place)
    if not province:  # the title's own "tỉnh X" / "thành phố X"
        for m in re.finditer(r"\b(?:tỉnh|thành phố|TỈNH|THÀNH PHỐ)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s*){1,4})", title):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                named = province_named(" ".join(words[:n]))
                if named:
                    province = named
                    break
            if province:
                break
    if not province:  # the province the text names most often (only real provinces count)
        counts = Counter()
        for m in re.finditer(r"\b(?:tỉnh|thành phố)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,4})", text):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                named = province_named(" ".join(words[:n]))
                if named:
                    counts[named] += 1
                    break
        if counts:
            province = counts.most_common(1)[0][0]
    if not district and not any(_RE_PLACE.search(b) for b in bodies):  # the title's "huyện X"
        m = re.search(r"\b(huyện|quận|thị xã)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ’']*\s?){1,3})", title)
        if m and not province_named(m.group(2)):
            district = f"{m.group(1)} {m.group(2).strip()}"
    if district:
        label = f"{district}, {province_label(province)}" if province else district
        return province, district, "district", label
    if province:
        return province, "", "province", province_label(province)
    return "", "", "", ""


_CODE_ISSUERS = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "TU": "Tỉnh ủy"}


def _issuer_from_code(code: str, scope: str) -> str:
    """"KH-UBND" in a document of tỉnh X -> "Ủy ban nhân dân tỉnh X" (only for local bodies)."""
    tail = re.split(r"[-/]", code)[-1] if code else ""
    body = _CODE_ISSUERS.get(tail)
    if not body or not scope:
        return ""
    if tail == "TU":
        return f"Tỉnh ủy {scope.split(' ', 1)[-1]}" if scope.startswith("tỉnh ") else ""
    return f"{body} {scope}"


def province_label(name: str) -> str:
    """"Quảng Ngãi" -> "tỉnh Quảng Ngãi", "Hà Nội" -> "thành phố Hà Nội"."""
    kind = next((p["kind"] for p in vocabulary.provinces() if p["name"] == name), "tỉnh")
    return name if name.lower().startswith(kind) else f"{kind} {name}"


# The signature block: a capitalized role ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "TM. CHÍNH PHỦ / THỦ TƯỚNG",
# "T/M ĐẢNG ĐOÀN / BÍ THƯ"), maybe "(Đã ký)", then the signer's name in title case.
_ROLES = (r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|TỔNG\s+BÍ\s+THƯ|BÍ\s+THƯ|GIÁM\s+ĐỐC|"
          r"TRƯỞNG\s+BAN|CHỦ\s+NHIỆM|CHÁNH\s+VĂN\s+PHÒNG|TỔNG\s+GIÁM\s+ĐỐC|THỐNG\s+ĐỐC|CHÁNH\s+ÁN|VIỆN\s+TRƯỞNG)")
_RE_SIGNATURE = re.compile(
    rf"((?:(?:TM|KT|TL|TUQ|Q|T/M)\.?\s+[^\n]{{0,60}}\n\s*)*{_ROLES})\s*[*_|]*\s*"
    r"(?:[\[(]?\s*(?:Đã\s+ký|đã\s+ký|Ký|ký)[^\]\)\n]{0,20}[\])]?\s*)?[*_|]*\s*"
    r"([A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:[ \t]+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})(?=\s*$|\s*[|*\n])", re.M)


def read_signer(text: str) -> tuple[str, str]:
    """(signer, role) from the first signature block of a document ("", "" when there is none)."""
    norm = normalize(text).text
    m = _RE_SIGNATURE.search(norm)
    if not m:  # a portal's attribute table: "Người ký | Mai Sơn"
        p = re.search(r"Người\s+ký\s*[:|]\s*([A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:[ \t]+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})", norm[:HEAD_CHARS])
        return (p.group(1), "") if p else ("", "")
    role = " ".join(re.sub(r"[*_|]", " ", m.group(1)).split())
    return m.group(2), role


def read_header(text: str) -> Header:
    """Metadata of a document from its header (see the module docstring); empty fields when absent."""
    head = normalize(text[:HEAD_CHARS]).text
    lines = _lines(head)
    bodies = _bodies(_issuer_block(lines))
    if len(bodies) > 1 and (h := _RE_BODY_START.match(bodies[-1])) and h.end() == len(bodies[-1]):
        bodies[-1] = f"{bodies[-1]} {bodies[-2]}"  # "ĐẢNG ỦY CHÍNH PHỦ" over "VĂN PHÒNG": its office
    issuer = display_name(bodies[-1]) if bodies else ""
    parent = display_name(bodies[-2]) if len(bodies) > 1 else ""
    number, code = None, ""
    m = _RE_NUMBER.search(head)
    if m:
        raw = re.sub(r"\s+", "", m.group(1))
        num = re.match(r"^\d[\d.]*", raw)
        code = re.sub(r"^[\d./]*[/\-]", "", raw) if num else raw.lstrip("/-")
        number = raw if num else None
    issued, place = None, ""
    d = _RE_DATE.search(head)
    if d:
        place = " ".join(d.group(1).split())
        day, month, year = d.group(2), d.group(3), d.group(4)
        issued = f"{year}-{int(month):02d}-{int(day):02d}" if day and month else year
    else:
        p = _RE_PORTAL_DATE.search(head)
        if p:
            issued = f"{p.group(3)}-{int(p.group(2)):02d}-{int(p.group(1)):02d}"
    doc_type, title, type_at = _type_and_title(lines)
    if not doc_type:
        doc_type = _type_from_code(code)
    attached = next((" ".join(a.group(1).split()).rstrip(" )") for ln in lines[:max(type_at, 0) + 12]
                     if (a := _RE_ATTACHED.match(ln))), None)
    province, district, level, scope = _scope(bodies, place, title, head, code)
    if not issuer and province:  # no issuer lines: the number's code names the body ("KH-UBND")
        issuer = _issuer_from_code(code, scope)
    elif issuer in ("Ủy ban nhân dân", "Hội đồng nhân dân") and scope:  # the place line was lost
        issuer = f"{issuer} {scope.split(', ')[0]}"
    signer, role = read_signer(text)
    return Header(issuer=issuer, parent=parent, number=number, code=code, issued=issued, place=place,
                  doc_type=doc_type, title=title, attached_to=attached, province=province, district=district,
                  level=level, scope=scope, signer=signer, signer_role=role)


_RE_HEADLINE_CODE = re.compile(r"(?<![\w/])(\d{1,5}(?:/\d{4})?/([A-ZĐ]{2,}(?:-[A-ZĐ][A-Za-zĐđ&]*)+))(?![\w/])")


def headline(text: str) -> tuple[str, str | None, str]:
    """For a text without an administrative header (a press article, a transcription): its headline
    (the first line of 15 to 200 characters that is no bracketed note or link), the number of the
    document that headline names ("(Kế hoạch 10345/KH-UBND)") and that document's type."""
    for line in text.splitlines()[:40]:
        line = line.strip(" #*|")
        if not (15 <= len(line) <= 200) or line.startswith(("[", "(", "http", "www.")):
            continue
        m = _RE_HEADLINE_CODE.search(line)
        return line, (m.group(1) if m else None), (_type_from_code(m.group(2)) if m else "")
    return "", None, ""

