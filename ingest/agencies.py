"""Agency names: canonical full names, aliases, splitting of multi-agency cells, mentions in text.

Plans write the same body many ways ("Sở TT&TT", "STTTT", "Sở Thông tin và Truyền thông"); records
store one canonical name so that "what does Sở TT&TT lead?" finds every row. Names are compared
by a key (accents folded, "&" and "và" dropped, punctuation removed), so case and spelling
variants unify. Unknown names are kept as written (cleaned), never dropped.

Identity across provinces is not encoded in the name: "Sở Y tế" of Hải Dương and of Bình Định
share the canonical name; the record's document/province tells them apart.
"""
from __future__ import annotations

import re

import vocabulary
from ingest.normalize import fold


# canonical -> aliases (abbreviations and variants, as written in plans): vocabulary/data/agencies.json
_TABLE: dict[str, list[str]] = vocabulary.agencies()

# Prefix rules (on the key) for names that carry a branch or place: the branch stays out of the
# canonical name, the record's document says which province.
_PREFIX_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(ngan hang (nha nuoc|nnvn)|nhnn|chi nhanh (nhnn|ngan hang nha nuoc))\b"), "Ngân hàng Nhà nước"),
    (re.compile(r"^(cac )?dia phuong\b"), "Các địa phương"),
    (re.compile(r"^cac so,? (ban,? )?nganh\b"), "Các sở, ban, ngành"),
]

_AGENCY_HEADS = (
    "sở", "ubnd", "ủy ban", "uỷ ban", "văn phòng", "vp", "các sở", "trung tâm", "công an", "ngân hàng",
    "nhnn", "cục", "chi cục", "đài", "báo", "tiểu ban", "ban", "hội", "thanh tra", "mặt trận",
    "tỉnh đoàn", "bộ", "kho bạc", "bảo hiểm", "bhxh", "viện", "trường", "doanh nghiệp", "các doanh nghiệp",
    "dn", "các dn", "các địa phương", "địa phương", "các cơ quan", "cơ quan", "liên đoàn", "bưu điện",
    "chi nhánh", "stttt", "tp", "tx", "các trường", "hiệp hội", "các đơn vị", "đơn vị",
    "tổ đảng", "đảng ủy", "đảng uỷ", "đảng đoàn", "ban cán sự", "thường trực", "hội đồng", "tập đoàn",
    "tổng công ty", "các bộ", "các ban", "các tỉnh", "tỉnh ủy", "tỉnh uỷ", "thành ủy", "huyện ủy", "ủy ban",
    "chính phủ", "thủ tướng", "quốc hội", "kiểm toán", "tòa án", "viện kiểm sát", "ngân hàng",
)


# "TT&TT", "TT-TT", "LĐ-TB&XH", "PT-TH": one abbreviation however its letters are joined
_ABBR_JOINER = re.compile(r"(?<=[A-ZĐ])[&\-.](?=[A-ZĐ])")


def _key(name: str) -> str:
    """Comparison key: folded, "&"/"và" dropped, punctuation to spaces."""
    k = fold(_ABBR_JOINER.sub("", name)).replace("&", " ")
    k = re.sub(r"[^a-z0-9]+", " ", k)
    # "Ủy ban nhân dân" and "UBND" are the same word in every agency name
    k = re.sub(r"\buy ban nhan dan\b", "ubnd", k)
    return " ".join(w for w in k.split() if w != "va")


_BY_KEY: dict[str, str] = {}
for _canon, _aliases in _TABLE.items():
    for _a in [_canon, *_aliases]:
        _BY_KEY.setdefault(_key(_a), _canon)


def clean_name(name: str) -> str:
    """Trim bullets, trailing punctuation and extra spaces from a cell fragment."""
    s = re.sub(r"\s+", " ", name).strip()
    s = re.sub(r"^[-+•–*]\s*", "", s)
    s = s.strip(" .;,:")
    return s


def canonical_agency(name: str, province: str | None = None) -> str:
    """Canonical full name of an agency; unknown names come back cleaned, as written."""
    s = clean_name(name)
    if not s:
        return s
    k = _key(s)
    hit = _BY_KEY.get(k)
    if hit is None and province:
        pk = _key(province)
        if k.endswith(" " + pk):  # "Báo Hải Dương" stays; "Sở Y tế tỉnh Hải Dương" -> "Sở Y tế"
            base = k[: -len(pk)].strip()
            base = base[:-5] if base.endswith(" tinh") else base
            hit = _BY_KEY.get(base)
    if hit is None and k.endswith(" tinh"):
        hit = _BY_KEY.get(k[:-5])
    if hit is None:
        for pat, canon in _PREFIX_RULES:
            if pat.match(k):
                hit = canon
                break
    if hit is not None:
        return hit
    return s[0].upper() + s[1:] if s[0].islower() and _is_head(s) else s


def agency_aliases(canonical: str) -> list[str]:
    """Abbreviations and variants of a canonical name (for search)."""
    canon = canonical_agency(canonical)
    return list(_TABLE.get(canon, []))


def _is_head(s: str) -> bool:
    low = s.lower()
    return any(low.startswith(h) and not low[len(h):len(h) + 1].isalpha() for h in _AGENCY_HEADS)


def looks_like_agency(text: str) -> bool:
    """Does a (short) cell read like a list of agencies? Used to align flattened table cells."""
    s = clean_name(text)
    if not s or len(s) > 200:
        return False
    led = re.match(r"^(?:Lãnh đạo|Thường trực)\s+(?=\S)", s)  # "Lãnh đạo Ban Dân nguyện": that body
    if led and _is_head(s[led.end():]):
        return True
    if re.match(r"^Phòng\s+[A-ZĐÀ-Ỹ]", s):  # "Phòng Thương mại và Công nghiệp …" (not "phòng, chống")
        return True
    return _is_head(s) or _key(s) in _BY_KEY


# Phrases whose commas do not separate agencies (matched on folded text, so spelling
# variants such as "Văn hoá" / "Văn hóa" are covered).
_PROTECT = [
    re.compile(p)
    for p in (
        r"cac\s+so,\s*(?:ban,\s*)?nganh(?:\s+(?:cap tinh|cua tinh|lien quan))?",
        r"(?:cac\s+)?huyen,\s*(?:thi xa|tx),\s*(?:(?:va\s+)?thanh pho|tp)",
        r"(?:cac\s+)?xa,\s*phuong,\s*thi tran",
        r"so,\s*ban\s+nganh",
        r"\([^()]*\)",
    )
]
_PROTECT += [re.compile(re.escape(fold(a)).replace(r"\ ", r"\s+"))
             for c, al in _TABLE.items() for a in [c, *al] if "," in a]

_GLUE = "\x00"


def split_agencies(cell: str, glue_unknown: bool = False) -> list[str]:
    """Split a multi-agency cell on ";", "," and newlines, keeping groups whole.

    "Sở TT&TT; Sở Nội vụ" -> two; "Các sở, ban, ngành" and "UBND các huyện, thị xã, thành phố" stay
    one; "UBND cấp huyện, cấp xã" -> "UBND cấp huyện", "UBND cấp xã" (the head is repeated);
    two names run together without a separator ("Sở Công thương UBND cấp huyện") are cut apart.
    A comma inside an abbreviation ("Ủy ban KH,CN&MT") never splits; with `glue_unknown` (a
    heading's names) a piece that is no agency goes on the name before it ("Ủy ban Tài chính,
    Ngân sách").
    """
    text = re.sub(r"(?<=[A-ZĐ]),(?=[A-ZĐ])", _GLUE, cell.replace("\n", "; "))
    folded = fold(text)
    if len(folded) == len(text):
        chars = list(text)
        for pat in _PROTECT:
            for m in pat.finditer(folded):
                for i in range(m.start(), m.end()):
                    if chars[i] == ",":
                        chars[i] = _GLUE
        text = "".join(chars)
    out: list[str] = []
    for part in re.split(r";", text):
        if ":" in part:  # "UBND TP, TX: Quy Nhơn, An Nhơn" is one name with a list
            pieces = [part]
        else:
            pieces = re.split(r",", part)
        for piece in pieces:
            for sub in _split_and_group(piece.replace(_GLUE, ",")):
                s = clean_name(sub)
                if not s:
                    continue
                low = fold(s)
                if out and re.match(r"^cap (huyen|xa|tinh)\b", low):
                    head = re.match(r"^(.*?)\s+cấp\s", out[-1])
                    s = f"{head.group(1)} {s}" if head else s
                elif out and s[0].islower() and not re.match(r"^(cac|dia phuong)\b", low) and _key(s) not in _BY_KEY:
                    out[-1] = f"{out[-1]}, {s}"  # "các cơ quan thông tấn, báo chí"
                    continue
                elif out and glue_unknown and not looks_like_agency(s):
                    out[-1] = f"{out[-1]}, {s}"  # "Ủy ban Tài chính, Ngân sách"
                    continue
                out.append(s)
    return out


def _split_and_group(piece: str) -> list[str]:
    """"Đài PTTH và các cơ quan báo chí" -> the agency and the group: "và các" starts a group of
    its own (a name never goes on with "và các"), then names run together are cut apart."""
    out: list[str] = []
    for part in re.split(r"\s+và\s+(?=các\s)", piece):
        out.extend(_split_run_together(part))
    return out


_RUN_TOGETHER = re.compile(
    r"\s+(?=(?:Sở|UBND|Ủy ban|Cục|Công an|Ngân hàng|Trung tâm|các doanh nghiệp|các DN)\s)")
_NO_CUT_BEFORE = {"của", "và", "với", "thuộc", "tại", "cho", "các", "là", "phòng", "tịch", "nhánh", "đạo", "trực", "ở",
                  "quan"}  # "Tổ đảng ở Thường trực Ủy ban …", "Đảng ủy cơ quan Văn phòng …"


def _split_run_together(piece: str) -> list[str]:
    """Cut "Sở Giáo dục và Đào tạo Sở Lao động TB và XH" before the second agency head; also
    "A và UBND …" when both sides are agencies."""
    if _key(piece) in _BY_KEY:
        return [piece]
    parts: list[str] = []
    last = 0
    for m in _RUN_TOGETHER.finditer(piece):
        before = piece[last:m.start()].split()
        lower_head = piece[m.end():m.end() + 1].islower()  # "các doanh nghiệp" only after "và"
        if len(before) >= 2 and before[-1].lower() not in _NO_CUT_BEFORE and not lower_head:
            parts.append(piece[last:m.start()])
            last = m.end()
        elif before and before[-1].lower() == "và" and len(before) >= 3 and _is_head(" ".join(before[:-1])):
            parts.append(" ".join(before[:-1]))
            last = m.end()
    parts.append(piece[last:])
    return parts


def normalize_agencies(cell: str | None, province: str | None = None) -> list[str]:
    """Split a cell and map each name to its canonical form (order kept, duplicates removed)."""
    if not cell:
        return []
    seen: list[str] = []
    for name in split_agencies(cell):
        c = canonical_agency(name, province)
        if c and c not in seen:
            seen.append(c)
    return seen


def _text_key(text: str) -> str:
    k = fold(_ABBR_JOINER.sub("", text)).replace("&", " va ")
    k = " ".join(re.sub(r"[^a-z0-9]+", " ", k).split())
    return re.sub(r"\buy ban nhan dan\b", "ubnd", k)


def _alias_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for canon, aliases in _TABLE.items():
        for a in [canon, *aliases]:
            k = _text_key(a)
            if len(k) >= 4 and k not in ("dia phuong",):
                lookup.setdefault(k, canon)
    alts = sorted(lookup, key=len, reverse=True)  # longest first
    pat = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\b")
    return pat, lookup


_MENTION, _MENTION_LOOKUP = _alias_pattern()


def find_agencies(text: str) -> list[str]:
    """Canonical names of agencies mentioned in free text, in order of first mention.

    Accent- and case-insensitive ("so y te" finds Sở Y tế); longest alias wins, so "Sở Thông
    tin và Truyền thông" is not also reported as something shorter.
    """
    found: list[str] = []
    for m in _MENTION.finditer(_text_key(text)):
        canon = _MENTION_LOOKUP[m.group(0)]
        if canon not in found:
            found.append(canon)
    return found
