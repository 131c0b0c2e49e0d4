"""Evidence: how much of a question's topic a text covers, and the text helpers quotes need.

`Vocabulary.coverage(topic, text)` is the IDF-weighted share of the question's topic words found
in a text (accented or folded, spelling variants and plan abbreviations counted as the same word).
It decides which record answers and whether the plans hold the answer at all (abstention).
"""
from __future__ import annotations

import math
import re
from collections import Counter

from ingest.normalize import fold

import vocabulary
from assistant.glossary import VI_ABBREVIATIONS

# words of the domain every plan is about ("chuyển đổi số"): optional in a question's topic
_DOMAIN = {w for phrase in vocabulary.stopwords("domain") for w in phrase.lower().split()}
_DOMAIN |= {fold(w) for w in _DOMAIN}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", fold(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences/lines/table cells in `text` (bullets and rows end at newlines)."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        # a "." between digits is a thousands separator ("3.000 tỷ"), not a sentence end
        for s in re.finditer(r"(?:[^.;|]|(?<=\d)\.(?=\d))+(?:[.;](?!\d)|$|\|)?", m.group(0)):
            seg = s.group(0)
            if len(seg.strip(" |-+.;")) >= 3:
                a = line_start + s.start() + (len(seg) - len(seg.lstrip(" |-+")))
                b = line_start + s.end()
                spans.append((a, b))
    return spans


def locate(source: str, start: int, end: int, snippet: str) -> tuple[int, int]:
    """Source span of `snippet` inside source[start:end] (accents and spacing may differ)."""
    ws = snippet.split()
    if not ws:
        return start, end
    region = source[start:end]
    pat = r"\s+".join(re.escape(fold(w)) for w in ws)
    folded = fold(region)
    if len(folded) == len(region):
        m = re.search(pat, folded)
        if m:
            return start + m.start(), start + m.end()
    return start, end


def accented_words(text: str) -> list[str]:
    return re.findall(r"[\w%]+", text.lower())


# Spellings Vietnamese writes both ways ("hằng năm" / "hàng năm", "kỹ" / "kĩ"): one counts for the other.
_VARIANT_GROUPS = (("hằng", "hàng"), ("kỹ", "kĩ"), ("lý", "lí"), ("sỹ", "sĩ"), ("mỹ", "mĩ"))
VARIANTS: dict[str, tuple[str, ...]] = {w: g for g in _VARIANT_GROUPS for w in g}
_ABBREV_FORMS = [(k, v.lower().split(), fold(v).split()) for k, v in VI_ABBREVIATIONS.items()]
_EXPANSIONS = {True: {k: acc for k, acc, _ in _ABBREV_FORMS}, False: {k: flat for k, _, flat in _ABBREV_FORMS}}


def _by_first_word(accented: bool) -> dict[str, list[tuple[str, list[str]]]]:
    index: dict[str, list[tuple[str, list[str]]]] = {}
    for key, full in _EXPANSIONS[accented].items():
        index.setdefault(full[0] if full else "", []).append((key, full))
    return index


# full term -> abbreviation, looked up by the term's first word: every record's coverage is
# computed for a corpus-wide list, so this must not walk the whole abbreviation table per text
_FULL_TERMS = {True: _by_first_word(True), False: _by_first_word(False)}


def with_abbreviations(present: set[str], accented: bool) -> set[str]:
    """`present` plus the words an abbreviation stands for and the abbreviation of a full term
    ("CNTT" in a text covers "công nghệ thông tin" in a question, and the other way round)."""
    extra: set[str] = set()
    short = {fold(w) for w in present if len(w) <= 6} if accented else present  # "tmđt" -> "tmdt"
    expansions = _EXPANSIONS[accented]
    for key in short & expansions.keys():
        extra.update(expansions[key])
    terms = _FULL_TERMS[accented]
    for first in (present & terms.keys()) | ({""} & terms.keys()):
        for key, full in terms[first]:
            if key not in short and all(w in present for w in full):
                extra.add(key)
    return present | extra if extra else present


class Vocabulary:
    """Document frequencies of words (accented and folded) over all chunks, for IDF-weighted coverage."""

    def __init__(self, texts: list[str]):
        self.n = max(1, len(texts))
        self.df: Counter[str] = Counter()  # accented words and folded words share the counter:
        for t in texts:                     # folded keys are prefixed so "ve" != "vé"/"về" folded
            acc = set(accented_words(t))
            self.df.update(acc)
            self.df.update({"~" + w for w in words(t)})

    def idf(self, word: str, accented: bool = True) -> float:
        forms = VARIANTS.get(word, (word,)) if accented else (word,)
        df = sum(self.df.get(f if accented else "~" + f, 0) for f in forms)
        return math.log((self.n + 1) / (df + 0.5))

    def coverage(self, topic: list[str], text: str, accented: bool = True, foreign: list[str] = (),
                 bridged: dict[str, list[str]] | None = None, repeats: dict[str, list[list[str]]] | None = None) -> float:
        """IDF-weighted share of the topic words found in `text`. `foreign`: English words the
        glossary does not translate; `bridged`: the plan terms the term bank found for them (a
        foreign word counts as present, weighing like an average word, when one of its terms is)."""
        if not topic:
            return 0.0
        present = set(accented_words(text)) if accented else set(words(text))
        if accented:
            present |= {v for w in present for v in VARIANTS.get(w, ())}
        present = with_abbreviations(present, accented)
        if "%" in text:  # "10%" is one token of the text; a question's "%" asks for it
            present = present | {"%"}
        # a word typed with a wrong or missing accent ("sô", "Dươg"-style slips) that no text holds
        # as written counts in its folded form
        slipped = {w for w in topic if accented and w not in foreign and not self.df.get(w) and len(w) > 1
                   and not any(self.df.get(v) for v in VARIANTS.get(w, ())) and self.df.get("~" + fold(w))}
        if len(slipped) < 2:
            slipped = set()  # one unknown word is a word the plans lack ("lương"); several are sloppy typing
        folded_present = set(words(text)) if slipped else set()
        weight = {w: self.idf(fold(w), False) if w in slipped else self.idf(w, accented) for w in topic}
        if slipped:
            present = present | {w for w in slipped if fold(w) in folded_present}
        for w in topic:  # the domain's own words count when present and cost nothing when absent
            if w in _DOMAIN and w not in present and len(topic) > 3:
                weight[w] = 0.0
        known = [w for w in topic if w not in foreign]
        if bridged and known:
            mean = sum(weight[w] for w in known) / len(known)
            for w in foreign:  # a word the bridge finds in the text counts like an average word; one it
                terms = bridged.get(w) or []  # cannot find keeps its weight: the plans may lack it
                if any(all(x in present for x in t.lower().split()) for t in terms):
                    weight[w] = mean
                    present = present | {w}
        if foreign and len(known) >= 6 and 5 * len(foreign) <= len(known) and all(w in present for w in known):
            # English words the glossary cannot translate weigh as much as the rarest corpus word, so
            # one everyday word ("bringing") sank an exact match of everything translated. When the
            # translated words are many, all present and far outnumber it, weigh it like an average
            # topic word; a short translated part ("smart" + "stadium") still abstains.
            mean = sum(weight[w] for w in known) / len(known)
            weight.update({w: mean for w in foreign})
        uses = {w: 1.0 for w in topic if w in present}
        if repeats:  # a word used in several compounds counts once per use, each use by its compound
            seq = " " + " ".join(accented_words(text) if accented else words(text)) + " "
            for w, spots in repeats.items():
                if w in weight:
                    found = sum(any(f" {c} " in seq for c in pairs) if pairs else w in present for pairs in spots)
                    weight[w] *= len(spots)
                    uses[w] = found / len(spots)
        total = sum(weight.values())
        return sum(weight[w] * uses.get(w, 0.0) for w in topic) / total if total else 0.0


def find_phrase(source: str, phrase: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Source span of a phrase, however its accents, case and spacing are written there."""
    words = re.findall(r"\w+", fold(phrase))
    if not words:
        return None
    region = source[start:end]
    folded = fold(region)
    if len(folded) != len(region):
        return None
    m = re.search(r"\W+".join(re.escape(w) for w in words), folded)
    return (start + m.start(), start + m.end()) if m else None
