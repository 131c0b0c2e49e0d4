"""Follow-up questions: rewrite "Còn năm 2030 thì sao?" into a standalone question.

Only earlier *user* turns are used (the assistant's answers are not needed to resolve a follow-up
in this domain). The rewrite is rule-based: a follow-up that names only a year, a province or a
new intent ("Ai chủ trì việc đó?") borrows the rest from the latest full question.

History comes from the caller or from a `ConversationStore` by conversation id; the in-memory
store here is bounded, the API persists conversations through the same protocol.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Protocol

from ingest.normalize import fold

from assistant.glossary import find_provinces
from assistant.understanding import find_years, understand


class ConversationStore(Protocol):
    def get(self, conversation_id: str) -> list[str]: ...

    def append(self, conversation_id: str, question: str) -> None: ...


class InMemoryConversationStore:
    """Earlier user turns per conversation; least recently used conversations are dropped."""

    def __init__(self, max_conversations: int = 1000, max_turns: int = 20):
        self.max_conversations = max_conversations
        self.max_turns = max_turns
        self._data: OrderedDict[str, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conversation_id: str) -> list[str]:
        with self._lock:
            turns = self._data.get(conversation_id)
            if turns is None:
                return []
            self._data.move_to_end(conversation_id)
            return list(turns)

    def append(self, conversation_id: str, question: str) -> None:
        with self._lock:
            turns = self._data.setdefault(conversation_id, [])
            turns.append(question)
            del turns[:-self.max_turns]
            self._data.move_to_end(conversation_id)
            while len(self._data) > self.max_conversations:
                self._data.popitem(last=False)


_FOLLOW_START = re.compile(
    r"^(con|the con|vay con|va|vay|con lai|con neu|and|what about|how about|and what about|also)\b"
    r"|\b(thi sao|thi the nao|the nao|ra sao)\s*\??$")
_ANAPHOR = re.compile(
    r"\b(viec (do|nay)|nhiem vu (do|nay)|chi tieu (do|nay)|muc tieu (do|nay)|du an (do|nay)|no|cai do"
    r"|dieu do|van de (do|nay)|(it|that|this|them|those)(?![a-z]))\b")
# Question phrases removed from the earlier question before it lends its topic to a new intent.
_QUESTION_BITS = re.compile(
    r"\b(ai chu tri|do ai chu tri|do ai|giao cho ai|ai|la bao nhieu|bao nhieu phan tram|bao nhieu"
    r"|(thuc hien |trien khai )?(trong |vao )?(thoi gian|giai doan|thoi diem) nao|(la )?(thuc hien |trien khai )?khi nao"
    r"|bao gio|la gi|do (so|co quan|don vi) nao( chu tri| trien khai)?"
    r"|(so|co quan|don vi) nao|who leads|who is responsible for|who|what is|what are|what|when|how many"
    r"|how much)\b", re.I)


_VI_PREFIX = {"target": "Mục tiêu", "owner": "Ai chủ trì", "deadline": "Thời gian thực hiện"}
_EN_PREFIX = {"target": "What is the target for", "owner": "Who leads", "deadline": "When is"}


def _strip_by_fold(text: str, pattern: re.Pattern[str]) -> str:
    """Remove the spans `pattern` finds in fold(text) from text (fold keeps lengths)."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    out, last = [], 0
    for m in pattern.finditer(folded):
        out.append(text[last:m.start()])
        last = m.end()
    out.append(text[last:])
    return " ".join("".join(out).split()).strip(" ,?:")


_PLAN_YEAR = re.compile(r"\b(ke hoach|plan)( chuyen doi so| cds)?( (nam|of|from))? 20\d\d\b|\b20\d\d (digital transformation )?plan\b")


def _replace_years(text: str, years: list[int]) -> str:
    """The earlier question with the new years in place of the years it asked about; a year that
    names a plan ("Kế hoạch 2020 của …") names the same plan still."""
    folded = fold(text)
    keep = [m.span() for m in _PLAN_YEAR.finditer(folded)] if len(folded) == len(text) else []
    # a period ("giai đoạn 2028-2030") is one span: "còn năm 2027?" asks for that year instead
    spans = [m for m in re.finditer(r"(?<![\d.,])20\d\d(?:\s*[-–]\s*20\d\d)?(?![\d%]|[.,]\d)", text)
             if not any(a <= m.start() < b for a, b in keep)]
    if not spans:
        sep = " in " if understand(text).language == "en" else " năm "
        return text.rstrip(" ?") + sep + " ".join(map(str, years)) + "?"
    new = iter(years)
    last_year = years[-1]
    out, pos = [], 0
    for m in spans:
        out += [text[pos:m.start()], str(next(new, last_year))]
        pos = m.end()
    return "".join(out) + text[pos:]


def _is_full(question: str) -> bool:
    q = understand(question)
    return bool(q.topic) and q.intent not in ("greeting",)


def is_follow_up(question: str) -> bool:
    f = fold(question).strip()
    q = understand(question)
    if _FOLLOW_START.search(f) and (len(q.topic) <= 4 or q.intent == "general"):
        return True  # "Còn Nền tảng hóa đơn điện tử thì sao?": a new topic, the earlier question's intent
    if _FOLLOW_START.match(f) and not _FOLLOW_START.match(f).group(2) and not q.provinces:
        return True  # "Còn Kho dữ liệu … thì ai chủ trì?": opens on "còn", so the province is the earlier one
    if _ANAPHOR.search(f) and len(q.topic) <= 4:
        return True
    if len(q.topic) <= 2 and not q.provinces and not q.agencies and q.intent != "greeting":
        return True  # "Khi nào hoàn thành?": too little to stand alone
    if not q.topic and q.intent != "greeting" and (q.provinces or q.years):
        return True  # "Thanh Hóa thì thế nào?", "And Hai Duong?": only a new province or year
    return False


def rewrite(question: str, history: list[str] | None) -> str:
    """A standalone version of `question` given the earlier user turns (latest last)."""
    question = " ".join(question.split())
    if not history or not is_follow_up(question):
        return question
    base = next((h for h in reversed(history) if _is_full(h)), None)
    if base is None:
        return question
    base = " ".join(base.split())
    q = understand(question)
    years = find_years(question)
    provinces = find_provinces(question)
    out = base
    if provinces:
        for old in find_provinces(base):
            out = _replace_name(out, old, provinces[0])
        if not find_provinces(base):
            out = out.rstrip(" ?") + f" ở {provinces[0]}?"
    if years:
        out = _replace_years(out, years)
    elif _NOW.search(fold(question)):  # "thế hiện giờ được bao nhiêu rồi?": the figure as it stands, every year
        out = _without_years(out)
    new_intent = q.intent in ("owner", "deadline") and q.intent != understand(base).intent
    if new_intent:
        # "Ai chủ trì việc đó?" -> "Ai chủ trì <topic of the earlier question>?"
        head = _strip_by_fold(question, _ANAPHOR).rstrip(" ?")
        core = _strip_by_fold(out, _QUESTION_BITS)
        out = f"{head} {core}?"
    elif q.topic and not (years or provinces):
        # "Còn chữ ký số thì sao?" -> the earlier question with the new topic
        head = _strip_by_fold(question, re.compile(r"^(con|the con|vay con|and|what about|how about)\b|\bthi sao\b"))
        b = understand(base)
        prefix = (_EN_PREFIX if b.language == "en" else _VI_PREFIX).get(b.intent, "")
        extra = [p for p in find_provinces(base)] + [str(y) for y in find_years(base)]
        out = " ".join(x for x in [prefix, head.rstrip(" ?"), *extra] if x) + "?"
    return out


# "sở đó", "cơ quan này", "that department": an agency only the previous answer names
_AGENCY_ANAPHOR = re.compile(
    r"\b(so|co quan|don vi|bo|ban|phong|nganh|cuc|uy ban|ben) (do|nay|ay|kia|vua roi|vua neu|tren|noi tren)\b"
    r"|\b(that|this|the same|the above) (department|agency|office|body|ministry|unit|committee|organi[sz]ation)\b")


def agency_reference(question: str) -> tuple[int, int] | None:
    """The span of a phrase that points at an agency named earlier ("Sở đó còn chủ trì gì?")."""
    folded = fold(question)
    m = _AGENCY_ANAPHOR.search(folded)
    return m.span() if m and len(folded) == len(question) else None


def with_agency(question: str, span: tuple[int, int], agency: str, earlier: str) -> str:
    """The question with the agency in place of the phrase that pointed at it, and the places and
    documents of the earlier question it leaned on ("… ở Hải Dương", "… kế hoạch 5046")."""
    en = understand(question).language == "en"
    plain = not en and not re.search(r"[^\x00-\x7f]", question)  # unaccented Vietnamese stays unaccented
    out = question[:span[0]] + (fold(agency) if plain else agency) + question[span[1]:]
    extra = [p for p in find_provinces(earlier) if p not in find_provinces(out)]
    refs = [r.label or r.text for r in understand(earlier).doc_refs]
    refs = [r for r in refs if fold(r) not in fold(out)]
    if extra or refs:
        at, by = ("in", "under") if en else ("ở", "theo")
        tail = " ".join([*(f"{at} {p}" for p in extra[:1]), *(f"{by} {r}" for r in refs[:1])])
        out = out.rstrip(" ?") + f" {tail}?"
    return out


def latest_full(history: list[str]) -> int | None:
    """Index of the latest earlier question that stands on its own or was rewritten into one."""
    for i in range(len(history) - 1, -1, -1):
        if _is_full(rewrite(history[i], history[:i])):
            return i
    return None


_NOW = re.compile(r"\b(hien nay|hien gio|hien tai|bay gio|hien trang|now|currently|so far|at present|today)\b")


def _without_years(text: str) -> str:
    """The earlier question without the years it asked about ("… năm 2025" -> "…")."""
    out = re.sub(r"(?i)\s*,?\s*\b(?:năm|nam|đến năm|den nam|by|in)?\s*(?<![\d.,])20\d\d(?![\d%]|[.,]\d)", "", text)
    return " ".join(out.split())


def _replace_name(text: str, old: str, new: str) -> str:
    folded = fold(text)
    key = fold(old)
    i = folded.find(key)
    if i < 0 or len(folded) != len(text):
        return text
    return text[:i] + new + text[i + len(key):]
