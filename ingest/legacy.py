"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI): detection and repair to Unicode.

Documents typed with .VnTime (TCVN3) or VNI-Times fonts store Vietnamese letters in the
Latin-1 range; read as cp1252 they show as "Kinh tÕ sè" (TCVN3) or "Vieät Nam" (VNI).
`detect(text)` tells whether a text is such mojibake, `repair(text, encoding)` converts it,
`encode(text, encoding)` goes the other way (used to build test inputs).

Tables: TCVN3 is one byte per letter (lowercase accented letters, plus the uppercase base
letters Ă Â Ê Ô Ơ Ư Đ); uppercase accented letters only exist through the "H" fonts, which draw
lowercase codes as capitals, so `repair` restores case from the surrounding word. VNI is a base
letter followed by one mark character; đ ư ơ and the i-family are single characters.
The PyPI package viparse has similar tables, but its VNI table is corpus-derived and
deliberately incomplete (no ẳ/Ẳ) and it restores no TCVN3 capitals, so the full tables are here.
"""
from __future__ import annotations

import re
import unicodedata

TCVN3 = "TCVN3"
VNI = "VNI"

# --- TCVN3 -----------------------------------------------------------------------------------

_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
# Keys are the characters the bytes show as in cp1252 (== Latin-1 in this range).
_TCVN3_DECODE = {chr(b): u for b, u in _TCVN3_BYTES.items()}
_TCVN3_ENCODE = {u: chr(b) for b, u in _TCVN3_BYTES.items()}
# Accented vowels have no capital code (ă â ê ô ơ ư đ do, at 0xA1-0xA7).
_TCVN3_CASELESS = frozenset(chr(b) for b in _TCVN3_BYTES if b >= 0xB5)

# --- VNI -------------------------------------------------------------------------------------

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
# Mark characters (lowercase form; the uppercase form is .upper()) for each tone, by vowel kind.
_VNI_TONE_PLAIN = {_ACUTE: "ù", _GRAVE: "ø", _HOOK: "û", _TILDE: "õ", _DOT: "ï", "": ""}
_VNI_TONE_CIRC = {_ACUTE: "á", _GRAVE: "à", _HOOK: "å", _TILDE: "ã", _DOT: "ä", "": "â"}
_VNI_TONE_BREVE = {_ACUTE: "é", _GRAVE: "è", _HOOK: "ú", _TILDE: "ü", _DOT: "ë", "": "ê"}
_VNI_I = {_GRAVE: "ì", _ACUTE: "í", _HOOK: "æ", _TILDE: "ó", _DOT: "ò"}


def _vni_pairs() -> dict[str, str]:
    """Unicode letter -> VNI surface sequence, for every Vietnamese letter."""
    table: dict[str, str] = {"đ": "ñ", "Đ": "Ñ", "ư": "ö", "Ư": "Ö", "ơ": "ô", "Ơ": "Ô"}
    for tone in _VNI_TONE_PLAIN:
        for base in "aeouy":
            table[_nfc(base + tone)] = base + _VNI_TONE_PLAIN[tone] if tone else base
        for base, mark in (("a", "\u0302"), ("e", "\u0302"), ("o", "\u0302")):
            table[_nfc(base + mark + tone)] = base + _VNI_TONE_CIRC[tone]
        table[_nfc("a\u0306" + tone)] = "a" + _VNI_TONE_BREVE[tone]
        if tone:
            table[_nfc("u\u031b" + tone)] = "ö" + _VNI_TONE_PLAIN[tone]
            table[_nfc("o\u031b" + tone)] = "ô" + _VNI_TONE_PLAIN[tone]
            table[_nfc("i" + tone)] = _VNI_I[tone]
    for u, seq in list(table.items()):
        table.setdefault(u.upper(), seq.upper())
    return {u: s for u, s in table.items() if u != s}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


_VNI_ENCODE = _vni_pairs()
_VNI_DECODE: dict[str, str] = {}
for _u, _s in _VNI_ENCODE.items():
    _VNI_DECODE[_s] = _u
    if len(_s) == 2:  # marks come in either case after either-case bases in mixed text
        _VNI_DECODE.setdefault(_s[0] + _s[1].swapcase(), _u)
# "iø"/"iù" also occur for ì/í (a plain i plus a tone mark).
for _t, _m in ((_GRAVE, "ø"), (_ACUTE, "ù"), (_HOOK, "û"), (_TILDE, "õ"), (_DOT, "ï")):
    _VNI_DECODE.setdefault("i" + _m, _nfc("i" + _t))
    _VNI_DECODE.setdefault("I" + _m.upper(), _nfc("I" + _t))

# --- conversion ------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
# A word in TCVN3 mojibake: letters plus the symbols that TCVN3 letters show as (¸ · ­ …).
_TCVN3_WORD = re.compile(r"(?:[^\W\d_]|[\xa1-\xbf\xd7\xf7])+")


def _repair_tcvn3(text: str) -> str:
    # TCVN3 has no accented capitals: restore case from context (all-caps words and lines,
    # sentence starts), as the .VnTimeH fonts and the typist intended.
    out = []
    for line in text.split("\n"):
        words = [w for w in _TCVN3_WORD.findall(line) if any(c in _TCVN3_DECODE for c in w)]
        cased = [_cased(w) for w in words]
        cased = [ls for ls in cased if len(ls) >= 2]
        line_upper = bool(cased) and sum(all(c.isupper() for c in ls) for ls in cased) > len(cased) / 2

        def word(m: re.Match[str]) -> str:
            w = m.group(0)
            conv = "".join(_TCVN3_DECODE.get(c, c) for c in w)
            if conv == w:
                return w
            letters = _cased(w)
            if len(letters) >= 2 and all(c.isupper() for c in letters) or len(letters) < 2 and line_upper:
                return conv.upper()  # "VIÖT" -> "VIỆT"
            if w[0] in _TCVN3_CASELESS and _SENTENCE_START.search(line[: m.start()]):
                return conv[0].upper() + conv[1:]  # "øng dông" at a line start -> "Ứng dụng"
            return conv

        out.append(_TCVN3_WORD.sub(word, line))
    return "\n".join(out)


def _cased(word: str) -> list[str]:
    """The letters of a TCVN3 word whose case is known: ASCII and ă â ê ô ơ ư đ (as Unicode)."""
    return [
        _TCVN3_DECODE.get(c, c)
        for c in word
        if (c.isascii() and c.isalpha()) or (c in _TCVN3_DECODE and c not in _TCVN3_CASELESS)
    ]


_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|^\s*(?:[-+•]|\d+(?:\.\d+)*\.|[a-z]\))\s*)[\"“(]?$")


def _repair_vni(text: str) -> str:
    out = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            i += 2
        else:
            out.append(_VNI_DECODE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def repair(text: str, encoding: str) -> str:
    """Convert legacy-font mojibake in `text` (as decoded with cp1252) to NFC Unicode."""
    if encoding == TCVN3:
        return _nfc(_repair_tcvn3(text))
    if encoding == VNI:
        return _nfc(_repair_vni(text))
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected {TCVN3!r} or {VNI!r}")


def encode(text: str, encoding: str) -> str:
    """Unicode -> the legacy surface text (cp1252 characters). Inverse of `repair`.

    TCVN3 has no capital accented letters: they are written with the lowercase code.
    """
    text = _nfc(text)
    if encoding == TCVN3:
        return "".join(_TCVN3_ENCODE.get(c) or _TCVN3_ENCODE.get(c.lower(), c) for c in text)
    if encoding == VNI:
        return "".join(_VNI_ENCODE.get(c, c) for c in text)
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected {TCVN3!r} or {VNI!r}")


# --- detection -------------------------------------------------------------------------------

_ONSET = r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui "
    "uô uơ ươ ưa ưi ưu uy yê iêu oai oao oay oeo uây uôi ươi ươu uya uyê yêu uyu"
).split()
_SYLLABLE = re.compile(
    rf"^{_ONSET}(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})(?:ch|ng|nh|[cmnpt])?$"
)
_TONE_MARKS = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}


def _is_syllable(word: str) -> bool:
    """A plausible Vietnamese syllable: onset, nucleus, coda and at most one tone mark."""
    d = unicodedata.normalize("NFD", word.lower())
    tones = sum(c in _TONE_MARKS for c in d)
    if tones > 1:
        return False
    bare = _nfc("".join(c for c in d if c not in _TONE_MARKS))
    return bool(_SYLLABLE.match(bare))


def vietnamese_score(text: str) -> int:
    """Accented words that are valid syllables minus words that cannot be Vietnamese.

    Mojibake scores low (µ, ¸, ö, ñ, "tÕ": a capital after a lowercase letter), proper text high.
    """
    score = 0
    for w in _WORD.findall(text):
        if w.isascii():
            continue
        if any(c.islower() for c in w[:-1]) and any(
            c.isupper() and not c.isascii() for c in w[1:]
        ):
            score -= 1  # "tÕ", "ViÖt": mojibake case pattern
        elif _is_syllable(w):
            score += 1
        else:
            score -= 1
    # Symbols inside words (µ ¸ « ® …) are not letters: each run breaks words; count them too.
    score -= len(re.findall(r"(?<=\w)[\xa1-\xbf\xd7\xf7]|[\xa1-\xbf](?=\w)", text))
    return score


# Latin-1 characters that are not Vietnamese letters; both encodings produce many of them.
_MOJIBAKE_HINT = re.compile(r"[\xa1-\xbf\xc4-\xc7\xcb\xce\xcf\xd1\xd6-\xd8\xdb\xdc\xde\xdf\xe4-\xe7\xeb\xee\xef\xf1\xf6-\xf8\xfb\xfc\xfe\xff]")


def detect(text: str) -> str | None:
    """TCVN3, VNI or None: the legacy encoding whose repair reads most like Vietnamese."""
    sample = text[:200_000]
    if len(_MOJIBAKE_HINT.findall(sample)) < 3:
        return None  # fast path: no character that Unicode Vietnamese would not use
    base = vietnamese_score(sample)
    best, best_score = None, base
    for enc in (TCVN3, VNI):
        s = vietnamese_score(repair(sample, enc))
        if s > best_score:
            best, best_score = enc, s
    # Demand a clear gain: a few stray symbols in a Unicode text must not trigger a repair.
    words = max(1, len(_WORD.findall(sample)))
    if best is None or best_score - base < max(5, 0.05 * words):
        return None
    return best
