"""Accent folding and alias expansion shared by the lexical index and the record store.

Agency names come from `ingest.agencies` (the one alias table); the term table here holds
general abbreviations of plan vocabulary, not facts about any one document.
"""
from __future__ import annotations

import re

import vocabulary
from ingest import agencies as _agencies
from ingest.normalize import fold


def squash(text: str) -> str:
    """Folded text with abbreviation punctuation removed, for alias matching:
    "Sở TT&TT" -> "so tttt", "Sở LĐ-TB&XH" -> "so ldtbxh"."""
    t = fold(text)
    t = re.sub(r"(?<=\w)[&\-./](?=\w)", "", t)
    t = re.sub(r"[^\w]+", " ", t)
    return " ".join(t.split())


# Abbreviations of plan vocabulary, folded form -> full term (vocabulary/data/abbreviations.json):
# the one table for the lexical index, evidence matching and question reading.
TERM_ALIASES: dict[str, str] = vocabulary.abbreviations()


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
