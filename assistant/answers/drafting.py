"""Drafts of answers: lines plus the evidence each cites, numbered into citations at the end;
how answers name documents and jurisdictions.

A citation's quote is the source text slice at its start/end offsets (whitespace normalized), so
every [n] can be checked by slicing the source file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer_types import AnswerCitation


@dataclass
class Evidence:
    """A statement to cite: doc, section and a source span."""

    doc_id: str
    section: str
    start: int
    end: int


@dataclass
class Draft:
    """Answer lines plus the evidence each cites; numbering happens at the end."""

    lines: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)

    _numbers: dict = field(default_factory=dict, repr=False, compare=False)  # (doc, start, end) -> n

    def cite(self, ev: Evidence) -> int:
        if len(self._numbers) != len(self.evidence):  # evidence given or changed directly
            self._numbers = {}
            for i, e in enumerate(self.evidence):
                self._numbers.setdefault((e.doc_id, e.start, e.end), i + 1)
        key = (ev.doc_id, ev.start, ev.end)
        n = self._numbers.get(key)
        if n is None:
            self.evidence.append(ev)
            n = self._numbers[key] = len(self.evidence)
        return n

    def merge(self, other: "Draft") -> None:
        """Append another draft's lines, renumbering its citations into this one."""
        numbers = {i + 1: self.cite(ev) for i, ev in enumerate(other.evidence)}
        for line in other.lines:
            self.lines.append(re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m.group(1)), m.group(1))}]", line))
        self.records += [r for r in other.records if r not in self.records]


def build_citations(evidence: list[Evidence], docs: dict[str, dict], source_of) -> list[AnswerCitation]:
    out = []
    for n, ev in enumerate(evidence, 1):
        src = source_of(ev.doc_id)
        quote = " ".join(src[ev.start:ev.end].split())
        out.append(AnswerCitation(n=n, doc_id=ev.doc_id, title=docs.get(ev.doc_id, {}).get("title", ""),
                                  section=ev.section, quote=quote, start=ev.start, end=ev.end))
    return out


def clip(text: str, limit: int = 220) -> str:
    """A long text cut at a word boundary (the citation keeps the whole source)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


# -- naming documents ---------------------------------------------------------------------------
def issued_date(meta: dict) -> str:
    """"2022-04-25" -> "25/04/2022"; a bare year stays."""
    issued = str(meta.get("issued") or "")
    if re.fullmatch(r"\d{4}-\d\d-\d\d", issued):
        return "/".join(reversed(issued.split("-")))
    return issued[:4]


_TYPE_EN = {"Kế hoạch": "Plan", "Nghị quyết": "Resolution", "Quyết định": "Decision", "Chương trình": "Programme",
            "Chương trình hành động": "Action programme", "Đề án": "Scheme", "Chỉ thị": "Directive",
            "Công văn": "Letter", "Kết luận": "Conclusion", "Thông báo": "Notice", "Phụ lục": "Appendix"}


def short_title(meta: dict, language: str) -> str:
    """A document in a few words: "Kế hoạch số 38/KH-UBND (20/02/2024)", else its title up to the
    scope phrase ("trên địa bàn …", ", định hướng …") plus the year. Citations keep the full title."""
    number, date = meta.get("number"), issued_date(meta)
    when = f" ({date})" if date else ""
    doc_type = meta.get("doc_type") or ("Kế hoạch" if (meta.get("kind") or "plan") == "plan" else "Văn bản")
    if number:
        if language == "en":
            return f"{_TYPE_EN.get(doc_type, 'Document')} No. {number}{when}"
        return f"{doc_type} số {number}{when}"
    title = meta.get("title") or meta.get("doc_id", "")
    head = re.split(r"\s+trên địa bàn\b|,\s*định hướng\b|\s+đến năm\b", title)[0].strip(" ,")
    return f"{head}{when}"


def kind_note(meta: dict, language: str) -> str:
    """What kind of source a document is, when it is not an adopted document (a news report …)."""
    kind = meta.get("kind") or "plan"
    if kind == "plan":
        return ""
    if kind == "news":
        return (" — a news report, not an issued document" if language == "en"
                else " — đây là bản tin báo chí, không phải văn bản ban hành")
    return f" — {kind}" if language == "en" else f" — văn bản loại {kind}"


def doc_label(meta: dict, language: str, short: bool = False) -> str:
    """How an answer names a document: title (or its short form), number, and its kind when it is
    not an adopted document."""
    if short:
        title, number = short_title(meta, language), None
    else:
        title, number = meta.get("title") or meta.get("doc_id", ""), meta.get("number")
    if language == "en":
        label = f"{title}" + (f" (No. {number})" if number else "")
    else:
        label = f"{title}" + (f" (số {number})" if number else "")
    return label + kind_note(meta, language)


def jurisdiction(meta: dict) -> str:
    """Who a document speaks for, in a few words: its province or city, its district, or for national
    documents its issuer ("Quảng Ngãi", "huyện Nghi Lộc, tỉnh Nghệ An", "Chính phủ")."""
    if meta.get("district"):
        return meta.get("scope") or meta["district"]
    if meta.get("province"):
        return meta["province"]
    return short_issuer(meta.get("issuer") or "") or meta.get("scope") or ""


def short_issuer(issuer: str) -> str:
    """"Ủy ban nhân dân tỉnh X" -> "UBND tỉnh X"; other bodies as written."""
    return re.sub(r"^Ủy ban nhân dân\b", "UBND", issuer)


def scope_key(meta: dict) -> str:
    """One key per jurisdiction, for "one line per province or issuer" answers."""
    from assistant.glossary import province_key

    if meta.get("province"):
        return province_key(meta["province"]) + ("|" + meta["district"] if meta.get("district") else "")
    return "@" + (meta.get("issuer") or meta.get("doc_id", ""))
