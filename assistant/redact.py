"""Redact personal numbers from free text before it is stored or logged.

Citizens sometimes type their phone or ID card number into a question ("gọi lại cho tôi số
0912 345 678"). Those numbers are replaced by placeholders before a conversation is written to
SQLite or a log line. Pure function: `redact(text) -> str`.

Covered forms:
- Vietnamese phone numbers, mobile (10 digits, 0xxx xxx xxx) and landline (11 digits,
  02xx xxxx xxxx), written with or without spaces, dots or dashes, with 0 or +84 / (+84) / 0084;
- ID numbers: CCCD (12 digits) and CMND (9 digits), contiguous or in groups of three.
Numbers glued to letters or underscores ("so0912345678", "CCCD001203004567", "id_001203004567")
and written in full-width digits ("０９１２３４５６７８") are found too. Years, plan numbers
("5046/KH-UBND"), percentages and money amounts with thousand separators ("1.000.000") are left
alone: they never start with a trunk prefix and are not 9/12 digits long.
"""
from __future__ import annotations

import re
import unicodedata

PHONE_MASK = "[số điện thoại]"
ID_MASK = "[số giấy tờ]"

_SEP = r"[ .\-]?"
# Trunk prefix then 9 (mobile, or +84 landline without the 0) or 10 (landline) more digits. A
# number may be glued to letters or "_" ("so0912345678", "ma_0912345678_x"), not to other digits.
_PHONE = re.compile(
    rf"(?<![\d+])(?:\(\+?84\)|\+84|0084|0){_SEP}[1-9](?:{_SEP}\d){{8,9}}(?!\d)"
)
# CCCD in space-separated groups of three ("001 203 004 567"; dotted groups are money amounts)
# or contiguous 12 digits; CMND contiguous 9 digits.
_ID = re.compile(r"(?<![\d.,/])(?:\d{3} \d{3} \d{3} \d{3}|\d{12}|\d{9})(?!\d|[.,/]\d)")
# full-width and other Unicode decimal digits read as ASCII digits before matching
_WIDE_DIGIT = re.compile(r"(?![0-9])\d")
_DIGITS = {c: str(unicodedata.digit(chr(c))) for c in range(0x80, 0x10000)
           if chr(c).isdecimal() and unicodedata.digit(chr(c), None) is not None}


def redact(text: str) -> str:
    """Replace phone numbers and ID numbers in `text` with placeholders."""
    if not text:
        return text
    if _WIDE_DIGIT.search(text):
        text = text.translate(_DIGITS)
    text = _PHONE.sub(PHONE_MASK, text)
    return _ID.sub(ID_MASK, text)
