"""Conversational wrapping off a question: what people type around it when they chat.

"ad ơi cho em hỏi Sở Xây dựng bên em phải làm những gì vậy ạ?" asks what "Sở Xây dựng phải làm
những gì?" asks; "mk o binh dinh, tinh co ke hoach j cho nong dan ko ad" is "ở binh dinh, tinh co
ke hoach gi cho nong dan khong". Left in, the address forms, particles and first-person words
become topic words no passage holds, and the reader abstains on a question it can answer.

Pure text work over data (vocabulary/data/chat.json): chat spellings are written out (in the
question's own register: an unaccented question stays unaccented), then address forms, asking
formulas, first-person context and sentence-final particles are cut. Matching is on folded text,
which keeps lengths, so every cut is a span of the text as typed. A question that is nothing but
wrapping ("xin chào ad") is returned as it came: it is a greeting.
"""
from __future__ import annotations

import re
from functools import lru_cache

import vocabulary
from ingest.normalize import fold

_WORD_EDGE_BEFORE = r"(?<![\w/&.\-])"  # "KH-UBND", "TT&TT", "v/v", "e.g." are not chat words
_WORD_EDGE_AFTER = r"(?![\w/&\-]|\.\w)"


def _alternation(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns():
    data = vocabulary.chat()
    spellings = data["spellings"]
    letters = {k: v for k, v in spellings.items() if len(k) == 1}  # "k", "j", "e": lower case only
    words = {k: v for k, v in spellings.items() if len(k) > 1}
    spell_letters = re.compile(_WORD_EDGE_BEFORE + "(" + _alternation(letters) + ")" + _WORD_EDGE_AFTER)
    spell_words = re.compile(_WORD_EDGE_BEFORE + "(" + _alternation(words) + ")" + _WORD_EDGE_AFTER, re.I)
    self_words = _alternation(data["self"])
    end = r"(?=\s*(?:[?!.;,:]|$))"
    greeting = re.compile(r"^\s*(?:" + _alternation(data["greetings"]) + r")\b[\s,!.]*")
    cuts = [
        # "ad ơi", "bạn ơi" anywhere; a bare "ad" only where a clause starts or ends
        re.compile(r"\b(?:" + _alternation(w for w in data["vocatives"] if " " in w) + r")\b"),
        re.compile(r"(?:^|(?<=[?!.;,:]))\s*(?:" + _alternation(w for w in data["vocatives"] if " " not in w) + r")\b"),
        re.compile(r"\s*\b(?:" + _alternation(w for w in data["vocatives"] if " " not in w) + r")\b" + end),
        greeting,
        re.compile(r"\b(?:" + _alternation(data["frames"]) + r")\b"),
        # "bên em": context, not topic; "tỉnh mình", "sở em": the place or body stays
        re.compile(r"\bben (?:" + self_words + r")\b"),
        re.compile(r"\b(?:" + _alternation(data["self_places"]) + r") (?P<cut>" + self_words + r")\b"),
        # "em là cán bộ …", "mình ở Hải Dương": who is asking and where, not what
        re.compile(r"\b(?:" + self_words + r") (?:la|lam) (?:" + _alternation(data["self_roles"]) + r")\b"),
        re.compile(r"\b(?:" + self_words + r")(?= (?:o|tai|song o|dang o|song tai|dang song o|que o|que)\b)"),
    ]
    # sentence-final particles ("hả"/"ha" is not one: "100 ha" is a measure)
    particles = re.compile(r"\s+(?:" + _alternation(data["final_particles"]) + r")\b" + end)
    return spell_letters, spell_words, cuts, particles, greeting


@lru_cache(maxsize=2)
def _everyday(cost: bool):
    data = vocabulary.chat()
    words = {**data["everyday"], **(data["cost"] if cost else {})}
    return re.compile(r"(?<![\w/&-])(" + _alternation(words) + r")(?![\w/&-])"), words


@lru_cache(maxsize=1)
def _cost_context() -> re.Pattern[str]:
    return re.compile(r"\b(" + _alternation(vocabulary.chat()["cost_context"]) + r")\b")


def plan_words(text: str) -> str:
    """Everyday phrases written as the plans' own terms ("bán hàng online" -> "thương mại điện tử"),
    in the question's register; matched on folded text, which keeps lengths. "Bao nhiêu tiền" is the
    budget ("kinh phí") of a scheme or plan, but the price of a thing is no budget: only a question
    about an undertaking reads it so."""
    folded = fold(text)
    pattern, words = _everyday(bool(_cost_context().search(folded)))
    if len(folded) != len(text):
        return text
    plain = not re.search(r"[^\x00-\x7f]", text)
    out, last = [], 0
    for m in pattern.finditer(folded):
        out += [text[last:m.start()], fold(words[m.group(1)]) if plain else words[m.group(1)]]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _spell_out(text: str) -> str:
    spell_letters, spell_words, _, _, _ = _patterns()
    spellings = vocabulary.chat()["spellings"]
    plain = not re.search(r"[^\x00-\x7f]", text)  # an unaccented question stays unaccented

    def sub(m: re.Match[str]) -> str:
        word = spellings[m.group(1).lower()]
        return fold(word) if plain else word

    text = spell_letters.sub(sub, text)
    return spell_words.sub(sub, text)


def _cut(text: str, pattern: re.Pattern[str]) -> str:
    """`text` without the spans `pattern` finds in its folded form (fold keeps lengths)."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    out, last = [], 0
    group = "cut" if "cut" in pattern.groupindex else 0  # a pattern may cut a part of what it matches
    for m in pattern.finditer(folded):
        start, stop = m.span(group)
        out.append(text[last:start])
        out.append(" ")
        last = stop
    out.append(text[last:])
    return "".join(out)


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([?!.,;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    return text.strip(" ,;:")


def unwrap(text: str, language: str = "vi") -> str:
    """The question inside its conversational wrapping. English keeps its words but loses a
    greeting ("Hi, who leads …"); Vietnamese also loses chat spellings, address forms, asking
    formulas, first-person context and final particles."""
    _, _, cuts, particles, greeting = _patterns()
    if language == "en":
        out = _tidy(_cut(text, greeting))
    else:
        out = plan_words(_spell_out(text))
        for pattern in cuts:
            out = _cut(out, pattern)
        for _ in range(3):  # "vậy ạ", "với ạ nhé": particles come in chains
            cut = _cut(out, particles)
            if cut == out:
                break
            out = cut
        out = _tidy(out)
    # nothing but wrapping ("xin chào ad", "cảm ơn nhé") is a greeting: keep it as typed
    return out if re.search(r"\w{2,}", out) and len(out.split()) >= 2 else text
