"""Accent folding and alias expansion shared by the lexical index and the record store.

Agency names come from `ingest.agencies` (the one alias table); the term table here holds
general abbreviations of plan vocabulary, not facts about any one document.
"""
from __future__ import annotations

import re

from ingest import agencies as _agencies
from ingest.normalize import fold


def squash(text: str) -> str:
    """Folded text with abbreviation punctuation removed, for alias matching:
    "Sở TT&TT" -> "so tttt", "Sở LĐ-TB&XH" -> "so ldtbxh"."""
    t = fold(text)
    t = re.sub(r"(?<=\w)[&\-./](?=\w)", "", t)
    t = re.sub(r"[^\w]+", " ", t)
    return " ".join(t.split())


# Abbreviations of plan vocabulary, folded form -> full term: the one table for the lexical
# index, evidence matching and question reading.
TERM_ALIASES: dict[str, str] = {
    "cds": "chuyển đổi số", "cntt": "công nghệ thông tin", "csdl": "cơ sở dữ liệu",
    "dvc": "dịch vụ công", "dvctt": "dịch vụ công trực tuyến", "cqdt": "chính quyền điện tử",
    "cqs": "chính quyền số", "cqnn": "cơ quan nhà nước", "ktxh": "kinh tế - xã hội",
    "kts": "kinh tế số", "ktxs": "kinh tế số", "xhs": "xã hội số", "tmdt": "thương mại điện tử",
    "hcc": "hành chính công", "tthc": "thủ tục hành chính", "attt": "an toàn thông tin",
    "cks": "chữ ký số", "hssk": "hồ sơ sức khỏe", "bhyt": "bảo hiểm y tế", "bhxh": "bảo hiểm xã hội",
    "tslcd": "truyền số liệu chuyên dùng", "khcn": "khoa học và công nghệ",
}


def find_agencies(text: str) -> list[str]:
    """Canonical names of agencies mentioned in text (accent-insensitive, abbreviations too)."""
    return _agencies.find_agencies(text)


def canonical_agency(name: str, province: str | None = None) -> str:
    """Canonical full name of an agency as written ("Sở TT&TT" -> "Sở Thông tin và Truyền thông")."""
    return _agencies.canonical_agency(name, province)


def agency_token(canonical: str) -> str:
    """One lexical token standing for an agency, whatever way it was written."""
    return "@" + squash(canonical).replace(" ", "_")


def expand_terms(text: str) -> list[str]:
    """Expansions of abbreviations found in text ("CĐS" -> "chuyển đổi số")."""
    words = set(squash(text).split())
    return [exp for abbr, exp in TERM_ALIASES.items() if abbr in words]
