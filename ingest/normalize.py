"""Text normalization with an offset map back to the source, and accent folding.

`normalize(text)` cleans a loaded document for parsing: line endings, NFC, one tone-mark
placement ("hoá" -> "hóa"), zero-width characters, spaces, blank-line runs, and joins
hard-wrapped lines. Every output character remembers its offset in the input
(`NormalizedText.offsets`), so spans found in the normalized text map back to the source.

`fold(text)` lowercases and strips diacritics (đ -> d) for accent-insensitive matching.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ingest.records import NormalizedText

# --- offset-preserving rewriting -------------------------------------------------------------


class _Buf:
    """Characters with their source offsets; rewritten pass by pass."""

    def __init__(self, text: str):
        self.text = text
        self.offs = list(range(len(text)))

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> None:
        """Regex substitution that keeps the offset map.

        A replacement of the same length maps char by char (tone moves, case); any other
        replacement maps all its characters to the source offset of the match start.
        """
        out: list[str] = []
        offs: list[int] = []
        pos = 0
        changed = False
        for m in pattern.finditer(self.text):
            r = repl(m)
            if r == m.group(0):
                continue
            changed = True
            a, b = m.span()
            out.append(self.text[pos:a])
            offs.extend(self.offs[pos:a])
            out.append(r)
            if len(r) == b - a:
                offs.extend(self.offs[a:b])
            elif r:
                offs.extend([self.offs[a]] * len(r))
            pos = b
        if not changed:
            return
        out.append(self.text[pos:])
        offs.extend(self.offs[pos:])
        self.text = "".join(out)
        self.offs = offs


# --- character-level steps -------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
_COMBINING_CLUSTER = re.compile(r"[^\u0300-\u036f\n]?[\u0300-\u036f]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_EDGE_SPACES = re.compile(r"(?m)^ +| +$")
_BLANK_RUNS = re.compile(r"\n{3,}")
_WORD = re.compile(r"[^\W\d_]+")

# Markdown transcriptions (and HTML line breaks in them) carry markup that is not text: table
# separator rows ("| --- | :---: |"), emphasis ("**I**", "*(Kèm theo …)*"), backslash escapes
# ("38/KH\\-UBND"), heading hashes, quote marks before words, links and images. A "* " bullet,
# a lone "*" under an issuer and ">50%" are text and stay.
_MD_SEPARATOR_ROW = re.compile(
    r"(?m)^[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$\n?|^[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$\n?")
_MD_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|>~<&=])")
_MD_STRONG = re.compile(r"\*\*+|(?<![\w_])__(?=\S)|(?<=\S)__(?![\w_])")
_MD_EM = re.compile(r"(?<![^\s(\[,;:])\*(?=[^\s*])|(?<=[^\s*\\])\*(?=[\s.,;:!?)\]]|$)")
_MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
_MD_QUOTE = re.compile(r"(?m)^[ \t]*>[ \t]+(?=[^\W\d_])")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|/|#)[^)\n]*\)")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
# Rhymes whose tone goes on the first vowel in the catalog's ("old") style when nothing follows.
_OLD_STYLE_RHYMES = ("oa", "oe", "uy")


def _nfc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(0))


def _base_letters(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if c not in _TONES)


def _retone(m: re.Match[str]) -> str:
    """"hoá" -> "hóa", "thuỷ" -> "thủy", "khoẻ" -> "khỏe"; "quý", "hoàn", "thuyền" unchanged."""
    word = m.group(0)
    if len(word) < 2 or len(word) > 7:
        return word
    last, prev = word[-1], word[-2]
    dl = unicodedata.normalize("NFD", last)
    tone = next((c for c in dl if c in _TONES), None)
    if tone is None:
        return word
    base = _base_letters(word)
    if base[-2:] not in _OLD_STYLE_RHYMES or len(base) != len(word):
        return word  # the rhyme carries other marks (oă, uê, ...) or is not a plain vowel pair
    if base[-3:-2] in ("a", "e", "i", "o", "u", "y", "ư", "ơ", "ô", "â", "ê", "ă"):
        return word  # part of a longer vowel cluster: not one of the three rhymes
    if base[-2:] == "uy" and base[-3:-2] == "q":
        return word  # "qu" is the onset: the tone belongs on y ("quý")
    if base[-2:] == "oa" and base[-3:-2] == "g" and base[-4:-3] == "i":
        return word
    if any(c in _TONES for c in unicodedata.normalize("NFD", word[:-1])):
        return word
    new_last = unicodedata.normalize("NFC", "".join(c for c in dl if c != tone))
    new_prev = unicodedata.normalize("NFC", unicodedata.normalize("NFD", prev) + tone)
    if len(new_last) != 1 or len(new_prev) != 1:
        return word
    return word[:-2] + new_prev + new_last


# --- dewrapping ------------------------------------------------------------------------------

_TERMINAL = re.compile(r"[.;:!?…]$|[.;:!?…][)”\"'»]$")
_PIPE_LINE = re.compile(r"^\|?$|^\|")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[A-ZĐ]\.?)$")
_STRUCTURAL = re.compile(
    r"^(?:"
    r"[IVXLC]{1,6}\.\s"  # Roman part "II. "
    r"|\d{1,2}(?:\.\d{1,2})*\.(?:\s|$)"  # "1. ", "1.1. "
    r"|[a-zđ]\)\s"  # "a) "
    r"|PHỤ LỤC\b|Phụ lục\s+\S+\s*$"
    r"|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+[.:]?\s"
    r")"
)


def _is_table_line(line: str) -> bool:
    return bool(_PIPE_LINE.match(line)) or bool(_ROW_NUMBER.match(line))


# "1.1 Text" (no dot after the number) and bullets "- Text": structural unless the text goes on
# in lowercase, as in a wrapped "kinh tế\n- xã hội".
_NUMBER_OR_BULLET = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+\s+|[-+•–*]\s*)(\S?)")


def _starts_structure(line: str) -> bool:
    if _STRUCTURAL.match(line) or _is_table_line(line):
        return True
    m = _NUMBER_OR_BULLET.match(line)
    return bool(m) and not m.group(1).islower()


def _is_upper_word(w: str) -> bool:
    letters = [c for c in w if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_title_word(w: str) -> bool:
    w = w.strip("(“\"'")
    return len(w) > 0 and w[0].isupper() and not _is_upper_word(w)


def is_hard_wrapped(lines: list[str]) -> bool:
    """True when the document wraps prose lines at a fixed width (as text exported from PDF).

    Wrapped documents have bounded line lengths and many lines that continue on the next line
    with a lowercase word; unwrapped ones hold a whole paragraph or table cell per line.
    """
    ne = [ln for ln in lines if ln.strip()]
    if len(ne) < 20:
        return False
    lengths = sorted(len(ln) for ln in ne)
    p99 = lengths[int(0.99 * (len(lengths) - 1))]
    pairs = cont = 0
    for a, b in zip(lines, lines[1:]):
        if a and b:
            pairs += 1
            if b[0].islower() and not _TERMINAL.search(a):
                cont += 1
    return p99 <= 160 and pairs > 0 and cont / pairs >= 0.15


class _Widths:
    """Wrap widths of a hard-wrapped document: full lines and (shorter, indented) first lines."""

    def __init__(self, lines: list[str]):
        lengths = sorted(len(ln) for ln in lines if ln)
        self.full = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80
        # First lines of paragraphs that go on in lowercase: after a finished line.
        firsts = sorted(
            len(b)
            for a, b, c in zip(lines, lines[1:], lines[2:])
            if a and b and c and _TERMINAL.search(a) and c[0].islower() and not _is_table_line(b)
        )
        self.first = firsts[len(firsts) // 2] if len(firsts) >= 5 else self.full


_OPEN_END = re.compile(r"[-–&/,(“]$")
# Words that cannot end a heading or a sentence (folded): the line goes on.
_FUNCTION_WORDS = frozenset(
    "va cua cac voi cho trong tai ve theo de den tu hoac la nhung co duoc nham bang tren "
    "duoi giua mot nhu thi ma hay tinh so phong ban".split()
)
# Folded words above that also fold from words which can end a heading ("vận tải" = "tai",
# "UBND tỉnh" = "tinh"): they join only when the next line is not a paragraph's first line.
_AMBIGUOUS_ENDS = frozenset("tải tỉnh tinh tính số".split())
_NUMBERED = re.compile(r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\))\s")


def _opens_paragraph(line: str, nxt: str | None, w: _Widths) -> bool:
    """`line` is a paragraph's first (indented, shorter) line: it is cut near the first-line
    width and the paragraph goes on in a full-width line ("Chủ trì tổ chức thực hiện triển khai"
    + "nhiệm vụ, giải pháp được nêu tại …")."""
    return (
        nxt is not None
        and abs(len(line) - w.first) <= 8
        and len(nxt) >= 0.75 * w.full
        and not _TERMINAL.search(line)
        and not _starts_structure(nxt)
    )


def _joins_wrapped(logical: str, prev: str, line: str, w: _Widths, nxt: str | None = None) -> bool:
    """In a hard-wrapped document: does `line` continue the logical line ending with `prev`?

    `prev` is the previous physical line, `logical` the line built so far (prev included), `nxt`
    the physical line after `line`.
    """
    if _starts_structure(line) or _is_table_line(prev) or _is_table_line(logical):
        return False
    if line[0].islower():
        # "quát", "thành phố …" after "gồm:"; only a full stop ends the sentence
        return not re.search(r"[.!?…][)”\"']?$", prev)
    if _TERMINAL.search(prev):
        return False
    if not line[0].isalpha():
        return True  # "03/6/2020 của …", "(khóa XX) …"
    if len(prev) >= 0.75 * w.full:
        return True  # prev was cut at the wrap width, the sentence goes on
    words = logical.split()
    if len(words) == 1 or (len(words) == 2 and _NUMBERED.match(logical)):
        return True  # a single word ends no heading or paragraph: "Văn", "Bình", "13. Sở"
    paragraph = _opens_paragraph(line, nxt, w)
    if _OPEN_END.search(prev) or (
        fold(words[-1]) in _FUNCTION_WORDS and not (paragraph and words[-1].lower() in _AMBIGUOUS_ENDS)
    ):
        return True  # "8. Sở Giáo dục và" + "Đào tạo", "9. Sở Lao động -" + "Thương binh …"
    if paragraph and _NUMBERED.match(logical):
        return False  # a wrapped heading ends where its body's first line begins
    if _is_upper_word(words[-1]) and _is_upper_word(line.split()[0]):
        # A wrapped all-caps heading: "III. NHIỆM VỤ, GIẢI" + "PHÁP CHỦ YẾU …"
        return logical == prev and (bool(_NUMBERED.match(logical)) or len(logical) >= 0.5 * w.full)
    if logical == prev and not _NUMBERED.match(prev) and len(prev) >= w.first - 6:
        return True  # a paragraph's first (indented) line cut at its width
    # A name cut in two in a short (table cell) line: "13. Sở Công" + "Thương".
    return (
        logical == prev
        and _is_title_word(words[-1])
        and _is_title_word(line.split()[0])
        and len(line) < 0.5 * w.full
    )


def _joins_anywhere(prev: str, line: str) -> bool:
    """In any document: a lowercase start after an unfinished long line is a continuation.

    Short lines are left alone: in one-cell-per-line tables a cell may start in lowercase.
    """
    return (
        len(prev) >= 50
        and line[0].islower()
        and not _TERMINAL.search(prev)
        and not _starts_structure(line)
        and not _is_table_line(prev)
    )


def _dewrap(buf: _Buf) -> None:
    lines = buf.text.split("\n")
    wrapped = is_hard_wrapped(lines)
    widths = _Widths(lines) if wrapped else None
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    joins: dict[int, int] = {}  # newline run start -> end, to become one space
    prev_i: int | None = None  # the last non-blank line
    logical = ""
    for i, ln in enumerate(lines):
        if not ln:
            continue
        ok = False
        if prev_i is not None:
            prev = lines[prev_i]
            gap = i - prev_i - 1  # blank lines between
            if gap == 0 and widths is not None:
                nxt = next((x for x in lines[i + 1 : i + 2] if x), None)
                ok = _joins_wrapped(logical, prev, ln, widths, nxt)
            elif gap <= 1:
                ok = _joins_anywhere(prev, ln)
            if ok:
                joins[starts[prev_i] + len(prev)] = starts[i]
        logical = f"{logical} {ln}" if ok else ln
        prev_i = i
    if joins:
        buf.sub(re.compile(r"\n+"), lambda m: " " if joins.get(m.start()) == m.end() else m.group(0))


def _demarkdown(buf: _Buf) -> None:
    """Remove Markdown markup, keeping the text and its offsets (see _MD_*)."""
    if not re.search(r"\*|\\|#|\[|<br|\|\s*:?---|^>|__", buf.text, re.M):
        return
    buf.sub(_MD_SEPARATOR_ROW, lambda m: "")
    buf.sub(_MD_IMAGE, lambda m: "")
    buf.sub(_MD_LINK, lambda m: m.group(1))
    buf.sub(_HTML_BREAK, lambda m: " ")
    buf.sub(_MD_STRONG, lambda m: "")
    buf.sub(_MD_EM, lambda m: "")
    buf.sub(_MD_ESCAPE, lambda m: "")
    buf.sub(_MD_HEADING, lambda m: "")
    buf.sub(_MD_QUOTE, lambda m: "")


# --- public API ------------------------------------------------------------------------------


def normalize(text: str, dewrap: bool = True) -> NormalizedText:
    """Normalize `text`; the result maps every character back to its offset in `text`."""
    buf = _Buf(text)
    buf.sub(_NEWLINES, lambda m: "\n")
    buf.sub(_COMBINING_CLUSTER, _nfc)
    if any(unicodedata.normalize("NFC", c) != c for c in set(buf.text)):
        buf.sub(re.compile(r"."), _nfc)  # singleton decompositions (rare)
    buf.sub(_ZERO_WIDTH, lambda m: "")
    _demarkdown(buf)
    buf.sub(_WORD, _retone)
    buf.sub(_SPACES, lambda m: " ")
    buf.sub(_LINE_EDGE_SPACES, lambda m: "")
    buf.sub(_BLANK_RUNS, lambda m: "\n\n")
    if dewrap:
        _dewrap(buf)
    buf.sub(re.compile(r"^\n+|\n+$"), lambda m: "")
    return NormalizedText(text=buf.text, offsets=buf.offs + [len(text)])


# a Vietnamese syllable, folded: onset, vowel nucleus, coda
_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$")


def is_syllable(word: str) -> bool:
    """Could this (folded, lower-case) word be a Vietnamese syllable? "duong" yes, "duog" no,
    "cntt" no: a typo or an abbreviation."""
    return bool(_SYLLABLE.match(word))


def _fold_char(c: str) -> str | None:
    if c.isascii():
        return c.lower()
    if c in "đĐ":
        return "d"
    base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
    if not base:
        return None  # a stray combining mark
    low = base.lower()
    if len(low) != 1:  # keep the length: fall back to the plain lowercase char
        low = c.lower() if len(c.lower()) == 1 else c
    return low


class _FoldTable(dict):
    """str.translate table filled on first sight of each character: folding runs in C, which
    matters because retrieval and evidence scoring fold tens of thousands of strings a question."""

    def __missing__(self, code: int) -> str | None:
        value = self[code] = _fold_char(chr(code))
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase, strip diacritics, đ -> d: "Chữ ký số Hải Dương" -> "chu ky so hai duong".

    Length-preserving for NFC input (each precomposed letter folds to one letter), so spans in
    the folded text are spans in the input.
    """
    return text.translate(_FOLD_TABLE)
