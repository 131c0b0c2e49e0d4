"""Accent folding and alias expansion shared by the lexical index and the record store.

Uses `ingest.normalize.fold` and `ingest.agencies` when those modules are present; a small
local fallback keeps the index usable (and testable) on its own. Alias tables here are general
Vietnamese administrative abbreviations, not facts about any one document.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

try:  # owned by the loaders/normalize area
    from ingest.normalize import fold as _ingest_fold
except Exception:  # pragma: no cover - depends on parallel work
    _ingest_fold = None

try:  # owned by the tables area
    from ingest import agencies as _agencies
except Exception:  # pragma: no cover - depends on parallel work
    _agencies = None


def _local_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", text.replace("đ", "d"))


def fold(text: str) -> str:
    """Lowercase, diacritics removed, đ -> d: "Chữ ký số" -> "chu ky so"."""
    if _ingest_fold is not None:
        try:
            return _ingest_fold(text)
        except Exception:
            pass
    return _local_fold(text)


def squash(text: str) -> str:
    """Folded text with abbreviation punctuation removed, for alias matching:
    "Sở TT&TT" -> "so tttt", "Sở LĐ-TB&XH" -> "so ldtbxh"."""
    t = fold(text)
    t = re.sub(r"(?<=\w)[&\-./](?=\w)", "", t)
    t = re.sub(r"[^\w]+", " ", t)
    return " ".join(t.split())


# Canonical agency -> written variants. Used only as a fallback next to ingest.agencies.
AGENCY_ALIASES: dict[str, list[str]] = {
    "Sở Thông tin và Truyền thông": ["Sở TT&TT", "Sở TTTT", "STTTT", "Sở TT-TT"],
    "Sở Kế hoạch và Đầu tư": ["Sở KH&ĐT", "Sở KHĐT", "SKHĐT"],
    "Sở Giáo dục và Đào tạo": ["Sở GD&ĐT", "Sở GDĐT", "SGDĐT"],
    "Sở Nông nghiệp và Phát triển nông thôn": ["Sở NN&PTNT", "Sở NNPTNT"],
    "Sở Lao động - Thương binh và Xã hội": ["Sở LĐ-TB&XH", "Sở LĐTBXH", "Sở Lao động Thương binh và Xã hội"],
    "Sở Tài nguyên và Môi trường": ["Sở TN&MT", "Sở TNMT"],
    "Sở Giao thông vận tải": ["Sở GTVT"],
    "Sở Khoa học và Công nghệ": ["Sở KH&CN", "Sở KHCN"],
    "Sở Văn hóa, Thể thao và Du lịch": ["Sở VH-TT&DL", "Sở VHTTDL"],
    "Ngân hàng Nhà nước": ["NHNN", "Ngân hàng NNVN"],
    "Văn phòng UBND tỉnh": ["VP UBND tỉnh", "VPUBND", "Văn phòng Ủy ban nhân dân tỉnh"],
    "Trung tâm Phục vụ hành chính công": ["Trung tâm Phục vụ HCC", "TTPVHCC"],
    "Đài Phát thanh và Truyền hình": ["Đài PTTH", "Đài PT-TH"],
}

# Common abbreviations of plan vocabulary: folded form -> expansion.
TERM_ALIASES: dict[str, str] = {
    "cds": "chuyển đổi số",
    "cntt": "công nghệ thông tin",
    "dvc": "dịch vụ công",
    "dvctt": "dịch vụ công trực tuyến",
    "cqdt": "chính quyền điện tử",
    "cqs": "chính quyền số",
    "ktxh": "kinh tế - xã hội",
    "ktxs": "kinh tế số",
    "xhs": "xã hội số",
    "tmdt": "thương mại điện tử",
    "hcc": "hành chính công",
    "tthc": "thủ tục hành chính",
    "csdl": "cơ sở dữ liệu",
    "attt": "an toàn thông tin",
    "cks": "chữ ký số",
}


@lru_cache(maxsize=1)
def _alias_patterns() -> list[tuple[re.Pattern, str]]:
    """(regex over squashed text, canonical) for every known variant, longest first."""
    variants: dict[str, str] = {}
    for canonical, aliases in AGENCY_ALIASES.items():
        names = [canonical, *aliases]
        if _agencies is not None:
            try:
                names += list(_agencies.agency_aliases(canonical))
            except Exception:
                pass
        for name in names:
            key = squash(name)
            if key:
                variants.setdefault(key, canonical)
    ordered = sorted(variants.items(), key=lambda kv: -len(kv[0]))
    return [(re.compile(r"(?<!\w)" + re.escape(k) + r"(?!\w)"), c) for k, c in ordered]


def find_agencies(text: str) -> list[str]:
    """Canonical names of agencies mentioned in text (accent-insensitive, abbreviations too)."""
    found: list[str] = []
    if _agencies is not None:
        try:
            found += list(_agencies.find_agencies(text))
        except Exception:
            pass
    s = squash(text)
    for pat, canonical in _alias_patterns():
        if pat.search(s):
            s = pat.sub(" ", s)  # longest match wins; "Sở TT&TT" must not also count as "UBND"
            found.append(canonical)
    out: list[str] = []
    for name in found:
        if name not in out:
            out.append(name)
    return out


def canonical_agency(name: str, province: str | None = None) -> str:
    """Canonical full name of an agency as written ("Sở TT&TT" -> "Sở Thông tin và Truyền thông")."""
    if _agencies is not None:
        try:
            return _agencies.canonical_agency(name, province)
        except Exception:
            pass
    key = squash(name)
    for pat, canonical in _alias_patterns():
        if pat.fullmatch(key):
            return canonical
    return " ".join(name.split())


def agency_token(canonical: str) -> str:
    """One lexical token standing for an agency, whatever way it was written."""
    return "@" + squash(canonical).replace(" ", "_")


def expand_terms(text: str) -> list[str]:
    """Expansions of abbreviations found in text ("CĐS" -> "chuyển đổi số")."""
    words = set(squash(text).split())
    return [exp for abbr, exp in TERM_ALIASES.items() if abbr in words]
