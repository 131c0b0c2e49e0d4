"""Domain vocabulary, the one home for it: data files read by one small module.

Every stage (ingest, vectorstore, assistant) reads the same tables, so adding a province's agency
names or an English term is a data edit with a test, not a code change:

- data/agencies.json       canonical agency name -> aliases as plans write them
- data/abbreviations.json  folded abbreviation of plan vocabulary -> full term ("cds" -> "chuyển đổi số")
- data/provinces.json      provinces and centrally-run cities, with the spellings people type
- data/glossary_en_vi.json English phrases and acronyms -> the Vietnamese terms plans use
- data/stopwords.json      question words and fillers (Vietnamese, folded Vietnamese, English)
- data/language_cues.json  words that tell English from unaccented Vietnamese
- data/issuers.json        national issuing bodies and document types of administrative documents
- data/chat.json           how people wrap a question in chat (spellings, address forms, particles)

The tables are read once and cached; callers get copies they cannot corrupt.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def _read(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def agencies() -> dict[str, list[str]]:
    """Canonical agency name -> aliases."""
    return {k: list(v) for k, v in _read("agencies.json").items()}


def abbreviations() -> dict[str, str]:
    """Folded abbreviation -> full term."""
    return dict(_read("abbreviations.json")["terms"])


def typed_abbreviations() -> list[str]:
    """Abbreviations citizens type that questions read in full ("cds" -> "chuyển đổi số")."""
    return list(_read("abbreviations.json")["typed"])


def provinces() -> list[dict]:
    """[{"name", "kind" ("tỉnh" | "thành phố"), "variants": [folded spellings]}]."""
    return [dict(p) for p in _read("provinces.json")]


def glossary() -> dict[str, list[str]]:
    """English phrase (lower case) -> Vietnamese terms."""
    return {k: list(v) for k, v in _read("glossary_en_vi.json")["phrases"].items()}


def acronyms() -> dict[str, list[str]]:
    """English acronyms (case-sensitive: "IT" is not "it") -> Vietnamese terms."""
    return {k: list(v) for k, v in _read("glossary_en_vi.json")["acronyms"].items()}


def stopwords(kind: str) -> frozenset[str]:
    """Words that carry no topic: kind "vi" (accented Vietnamese), "en", "vi_fold_ambiguous" (folded
    forms of Vietnamese stop words that are topic words too: "trăm" -> "tram" = "trạm"), "domain",
    or "vi_table_titles" (fillers ignored when table row titles are compared)."""
    return frozenset(_read("stopwords.json")[kind])


def language_cues(kind: str) -> frozenset[str]:
    """Words that tell an unaccented question's language: kind "en" or "vi_unaccented"."""
    return frozenset(_read("language_cues.json")[kind])


def issuers() -> dict:
    """{"national": [body names], "document_types": {code: name}}."""
    return _read("issuers.json")


def data_files() -> list[Path]:
    """The data files (their content is part of the ingest fingerprint)."""
    return sorted(DATA.glob("*.json"))


def chat() -> dict:
    """How people wrap a question in chat: spellings, vocatives, greetings, frames, self words,
    self places and roles, final particles (data/chat.json)."""
    return json.loads(json.dumps(_read("chat.json")))
