"""English -> Vietnamese domain terms and the list of Vietnamese provinces.

The plans are Vietnamese; English questions are searched with the Vietnamese terms the plans
use ("e-signature" -> "chữ ký số"). Province names are matched accent-insensitively so that
"Hai Duong", "hai duong" and "Hải Dương" are one province, and provinces the corpus does not
cover are still recognized (the assistant then says it has no plan for them).
"""
from __future__ import annotations

import re
from functools import lru_cache

import vocabulary
from ingest.normalize import fold, is_syllable
from vectorstore.aliases import TERM_ALIASES

# English phrase (lowercase) -> Vietnamese terms as plans write them (vocabulary/data/glossary_en_vi.json).
# Longest phrases match first. A help for the lexical leg, not the only bridge: the multilingual
# embedder carries English questions the glossary does not cover.
EN_VI: dict[str, list[str]] = vocabulary.glossary()

# Acronyms English questions use for Vietnamese terms (matched case-sensitively: "IT" is not "it").
EN_ACRONYMS: dict[str, list[str]] = vocabulary.acronyms()


# Abbreviations the plans themselves use beside the full term ("Ứng dụng CNTT" / "công nghệ thông
# tin"): evidence matching counts one for the other (folded keys, full terms as written).
VI_ABBREVIATIONS: dict[str, str] = TERM_ALIASES


def english_lemma(word: str) -> str | None:
    """The glossary key an inflected English word stands for ("deployed" -> "deploy",
    "restored" -> "restore", "schools" -> "schools"), or None when none fits. Not a stemmer
    library: a stemmer's stems ("restor") are not glossary keys; this only tries the keys."""
    w = word.lower()
    if w in EN_VI:
        return w
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: len(w) - len(suffix)] + repl
            if base in EN_VI:
                return base
    return None

_EN_PATTERN = re.compile(
    r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in sorted(EN_VI, key=len, reverse=True)) + r")(?![a-z0-9])"
)


def untranslated_words(text: str) -> list[str]:
    """Lower-case words of an English question that no glossary phrase covers (candidates for
    topic words the plans may not hold at all: "parking")."""
    low = text.lower()
    covered = _EN_PATTERN.sub(" ", low)
    for a in EN_ACRONYMS:  # "IT" is translated; "it" (the pronoun) is a filler anyway
        covered = re.sub(rf"(?<![a-z0-9]){a.lower()}(?![a-z0-9])", " ", covered) if re.search(
            rf"(?<![A-Za-z0-9]){a}(?![A-Za-z0-9])", text) else covered
    return [w for w in re.findall(r"[a-z][a-z'-]+", covered) if english_lemma(w.strip("'-")) is None]


def english_terms(text: str) -> list[str]:
    """Vietnamese terms for the English domain phrases in `text` (in order, no repeats)."""
    out: list[str] = []
    low = text.lower()
    found = [(m.start(), EN_VI[m.group(1)]) for m in _EN_PATTERN.finditer(low)]
    rest = _EN_PATTERN.sub(lambda m: " " * len(m.group(0)), low)
    for m in re.finditer(r"[a-z][a-z'-]+", rest):  # inflected forms: "deployed", "restored"
        key = english_lemma(m.group(0).strip("'-"))
        if key:
            found.append((m.start(), EN_VI[key]))
    for a, vi in EN_ACRONYMS.items():
        for m in re.finditer(rf"(?<![A-Za-z0-9]){a}(?![A-Za-z0-9])", text):
            found.append((m.start(), vi))
    for _, terms in sorted(found, key=lambda t: t[0]):
        for vi in terms:
            if vi not in out:
                out.append(vi)
    return out


# Provinces and centrally-run cities with the spellings people type (vocabulary/data/provinces.json).
# Corpus coverage is decided by the index, not here.
PROVINCES: list[str] = [p["name"] for p in vocabulary.provinces()]
_PROVINCE_VARIANTS: dict[str, str] = {v: p["name"] for p in vocabulary.provinces() for v in p["variants"]}


def _pkey(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(s)).split())


_PROVINCE_KEYS: dict[str, str] = {_pkey(p): p for p in PROVINCES}
_PROVINCE_KEYS.update(_PROVINCE_VARIANTS)
_PROVINCE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_PROVINCE_KEYS, key=len, reverse=True)) + r")\b"
)


def find_provinces(text: str) -> list[str]:
    """Canonical names of the provinces named in `text`, accent- and case-insensitive; a name typed
    with one letter wrong, missing or extra ("Hải Dươg") is still that province."""
    key = _pkey(text)
    out: list[str] = []
    for m in _PROVINCE_PATTERN.finditer(key):
        p = _PROVINCE_KEYS[m.group(1)]
        if p not in out:
            out.append(p)
    if not out:
        words = key.split()
        for i in range(len(words)):
            for n in (2, 3):
                cand = " ".join(words[i:i + n])
                if len(cand) < 7 or len(words[i:i + n]) < n or all(is_syllable(w) for w in words[i:i + n]):
                    continue  # only a typo ("dươg") makes a near name a province, not "lao động"
                p = next((_PROVINCE_KEYS[k] for k in _FUZZY_KEYS if abs(len(k) - len(cand)) <= 1
                          and k[0] == cand[0] and _one_edit(k, cand)), None)
                if p and p not in out:
                    out.append(p)
    return out


_FUZZY_KEYS = sorted(k for k in _PROVINCE_KEYS if len(k) >= 7 and " " in k)


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by at most one letter changed, added or removed."""
    if a == b:
        return True
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(a == b[:i] + b[i + 1:] for i in range(len(b)))


def province_key(name: str) -> str:
    """Comparison key of a province name ("Hải Dương" and "hai duong" share it)."""
    return _pkey(name)


# Initials people type for a province ("HD", "TH", "BD"): read only in capitals, never as a
# document code ("KH 59", "QĐ") or beside a number or code, and only when one province the
# index holds has them (the same letters stand for several provinces of the country).
_NOT_INITIALS = {"kh", "qd", "nq", "tb", "cv", "ct", "tt", "nd", "kl", "da", "ctr", "ubnd", "hdnd", "vp", "ca",
                 "cq", "bo", "so", "tw", "dx", "it", "ai", "ok", "sms", "ttg"}


def province_initials(name: str) -> str:
    """"Hải Dương" -> "HD", "Thành phố Hồ Chí Minh" -> "HCM" (the kind word is not typed)."""
    words = fold(name).split()
    if words[:2] == ["thanh", "pho"]:
        words = words[2:]
    return "".join(w[0] for w in words).upper()


@lru_cache(maxsize=8)
def _initials(held: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Initials -> province for the provinces one alone has, and their matcher (built once per index)."""
    by_initials: dict[str, list[str]] = {}
    for p in held:
        by_initials.setdefault(province_initials(p), []).append(p)
    usable = {k: v[0] for k, v in by_initials.items() if len(v) == 1 and len(k) >= 2 and k.lower() not in _NOT_INITIALS}
    if not usable:
        return None, {}
    # not before a code or a number ("KH 59", "QĐ-TTg"), but before a year ("Kế hoạch CĐS TH 2020")
    return re.compile(r"(?<![\w/&.-])(" + "|".join(map(re.escape, usable)) +
                      r")(?![\w/&-]|\s*[/-]|\s*(?!(?:19|20)\d\d\b)\d)"), usable


def expand_province_initials(text: str, held: list[str]) -> str:
    """`text` with a held province's initials written out ("Sở Nội vụ TH" -> "Sở Nội vụ Thanh Hóa")."""
    pattern, usable = _initials(tuple(sorted(set(held))))
    if pattern is None:
        return text
    plain = not re.search(r"[^\x00-\x7f]", text)  # an unaccented question stays unaccented
    return pattern.sub(lambda m: fold(usable[m.group(1)]) if plain else usable[m.group(1)], text)
