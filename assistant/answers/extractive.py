"""Answers in the plans' own words: the sentences of the retrieved passages that cover the question
best, each quoted with its citation."""
from __future__ import annotations

import re

from ingest.agencies import find_agencies
from ingest.normalize import fold

from assistant.answers.corpus import Corpus
from assistant.answers.drafting import Draft, Evidence
from assistant.answers.evidence import locate, split_sentences
from assistant.understanding import Question, find_known_agencies

FIGURE_SENTENCE_COVERAGE = 0.4  # a sentence quoted for a figure covers at least this much of the question
FIGURE_BONUS = 0.15  # a sentence with a percentage or a measured figure, when the question asks for a figure
_MEASURE = re.compile(r"(?<![\w./-])\d+(?:[.,]\d+)*\s*(?:GB|MB|TB|KB|Mbps|Gbps|tỷ|triệu|nghìn|ngàn|lần|ngày|giờ|phút"
                      r"|người|doanh nghiệp|trạm|xã|huyện|dịch vụ|thủ tục|hồ sơ|km)\b", re.I)
YEAR_BONUS = 0.1  # a sentence (or its heading) that names the asked year
NUMBER_BONUS = 0.4  # a sentence that names the number of a part the question names ("giai đoạn 3", "điểm 5.1")
NAMED_NUMBER_BONUS = 0.3  # more when it names it the same way ("giai đoạn 2 (2023-2025)" for "giai đoạn 2")
RANK_PENALTY = 0.03  # per rank of the passage the sentence comes from
KEEP_WITHIN = 0.75  # further sentences must score this close to the best
ROLE_BONUS = 0.15  # "who" asked: a sentence that says who leads; "when" asked: one that states a time
_OWNER_WORDS = re.compile(r"\b(chu tri|giao|phu trach|chiu trach nhiem|dam nhan)\b")
_TIME_WORDS = re.compile(r"\b(quy [ivx1-4]+|thang \d|truoc ngay|nam 20\d\d|giai doan 20\d\d|\d{1,2}/20\d\d|20\d\d\s*-\s*20\d\d)")


def extractive_draft(corpus: Corpus, q: Question, hits, max_lines: int = 3) -> Draft:
    wants_figure = q.intent == "target"
    wants_list = bool(_ASKS_LIST.search(fold(q.text)))
    numbers = [n for n in re.findall(r"(?<![\d.,])\d{1,2}(?:\.\d{1,2})?(?![\d%])", q.text) if not re.fullmatch(r"20\d\d", n)]
    named = [f"{w} {n}" for w, n in re.findall(r"([a-z]+) (\d{1,2}(?:\.\d{1,2})?)(?![\d%.,])", fold(q.text))]
    scored = []
    for rank, h in enumerate(hits[:6]):
        text = h.chunk.text
        topic = corpus.narrow(q.topic, h.chunk.doc_id, q.accented)  # the document's own name tells no sentence apart
        title = " ".join(fold(corpus.meta(h.chunk.doc_id).get("title") or "").split())
        for a, b in split_sentences(text):
            sent = text[a:b].strip()
            if " ".join(fold(sent).split()).strip(" .;:") == title:
                continue  # the document's own title answers nothing (labels name the document anyway)
            cov = corpus.vocab.coverage(topic, sent, q.accented, q.foreign, q.bridged)
            if cov <= 0 or (wants_figure and cov < FIGURE_SENTENCE_COVERAGE):
                continue  # a figure from a sentence about something else is no answer
            s = cov - RANK_PENALTY * rank
            if wants_figure and (re.search(r"\d+(?:[.,]\d+)?\s*%", sent) or _MEASURE.search(sent)):
                s += FIGURE_BONUS  # "80%", and figures with a unit: "02 GB", "3.000 tỷ đồng", "30 phút"
            if q.years and any(str(y) in f"{h.chunk.section} {sent}" for y in q.years):
                s += YEAR_BONUS
            elif q.years and q.intent == "target" and not any(
                    str(y) in (corpus.meta(h.chunk.doc_id).get("title") or "") for y in q.years):
                continue  # a figure for 2030 is not one for 2035: the sentence, its heading or its plan names the year
            if q.intent == "owner" and _OWNER_WORDS.search(fold(sent)):
                s += ROLE_BONUS
            if q.intent == "deadline" and _TIME_WORDS.search(fold(sent)):
                s += ROLE_BONUS
            if wants_list and sent.rstrip().endswith(":"):  # "… nêu rõ yêu cầu … như sau:" introduces the answer
                s += LIST_BONUS
            if numbers and any(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d%]|[.,]\d)", sent) for n in numbers):
                s += NUMBER_BONUS
                if any(re.search(rf"\b{re.escape(p)}(?![\d%]|[.,]\d)", fold(sent)) for p in named):
                    s += NAMED_NUMBER_BONUS
            scored.append((s, cov, rank, sent, h.chunk))
    scored.sort(key=lambda t: t[0], reverse=True)
    draft = Draft()
    used_chunks: set[str] = set()
    best = scored[0][0] if scored else 0
    for s, cov, rank, sent, chunk in scored:
        if len(draft.lines) >= max_lines or s < best * KEEP_WITHIN:
            break
        if chunk.id in used_chunks:
            continue
        used_chunks.add(chunk.id)
        src = corpus.source(chunk.doc_id)
        a, b = locate(src, chunk.start, chunk.end, sent)
        if sent.rstrip().endswith(":"):  # "… 04 loại hình doanh nghiệp, bao gồm:": the list is the answer
            items, b = list_after(src, b)
            sent = f"{sent.rstrip()} {'; '.join(items)}" if items else sent
        n = draft.cite(Evidence(chunk.doc_id, chunk.section, a, b))
        heading = f" › {chunk.section.split(' › ')[-1]}" if chunk.section and q.years else ""
        who = unit_in_charge(corpus, chunk, sent) if q.intent == "owner" else None
        if who:  # "2. Sở Khoa học và Công nghệ: … b) Tối ưu hóa …": the duty's agency heads its paragraph
            lead = "In charge" if q.language == "en" else "Đơn vị thực hiện"
            draft.lines.append(f"{lead}: {who} — {corpus.label(chunk.doc_id, q.language)}{heading}: “{sent}” [{n}]")
        else:
            draft.lines.append(f"{corpus.label(chunk.doc_id, q.language)}{heading}: “{sent}” [{n}]")
    return draft


LIST_ITEMS = 8  # items of a list a quoted sentence introduces
ITEM_HEAD = 200  # an item longer than this is shown by its opening sentence
LIST_BONUS = 0.15  # a sentence that introduces a list, when the question asks for one
_ASKS_LIST = re.compile(r"\b(nhung|cac) \w+( \w+)? (gi|nao)\b|\bgom (nhung )?(gi|nhung|cac)\b|\bbao gom\b"
                        r"|\bwhat are\b|\bwhich (are|ones)\b|\blist\b")
_ITEM = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)]|\(\d{1,2}\))\s*(\S.*)$")


def item_head(text: str) -> str:
    """A list item as an answer shows it: a long item by its opening sentence, which names it
    ("Lấy người dân làm trung tâm. Mọi dịch vụ số …" -> "Lấy người dân làm trung tâm")."""
    head = re.match(r"(.{20,200}?[.;:])\s+[A-ZĐÀ-Ỹ]", text)
    return head.group(1).rstrip(".;:") if len(text) > ITEM_HEAD and head else text


def list_after(source: str, end: int) -> tuple[list[str], int]:
    """The items of the list a sentence ending in ":" introduces (bullets, "a)", "1." lines right
    after it), and where they end in the source."""
    items: list[str] = []
    pos = end
    for m in re.finditer(r"[^\n]*\n?", source[end:end + 2000]):
        line = m.group(0).strip()
        if not line:  # blank lines between items (text exported from Word) do not end the list
            continue
        item = _ITEM.match(line)
        if item is None or len(items) >= LIST_ITEMS:
            break
        items.append(item_head(item.group(1).strip(" ;.,")))
        pos = end + m.start() + len(m.group(0).rstrip())
    return items, pos


_UNIT_LEAD = re.compile(r"(?:^|\n)\s*(?:\(?\d{1,2}[.)]|[a-zđ]\))?\s*([^:\n]{3,90}?)\s*:", re.I)
_NUMBERING = re.compile(r"^\s*(?:[IVX]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s*|^\s*\(\d{1,2}\)\s*", re.I)


def _agency_of(corpus: Corpus, label: str) -> str | None:
    """The agency a heading or a paragraph's lead ("(1) Bộ Công an", "2. Sở Khoa học và Công nghệ")
    names, when the label is that agency (not a topic that mentions one)."""
    label = _NUMBERING.sub("", label).strip(" .:")
    if not label or len(label) > 90:
        return None
    names = find_agencies(label) or find_known_agencies(label, corpus.agencies)
    if names and fold(label).startswith(fold(names[0])[:6]):
        return names[0]
    return None


def unit_in_charge(corpus: Corpus, chunk, sent: str) -> str | None:
    """The agency a quoted duty belongs to in plans that state duties per unit in numbered
    paragraphs: the agency of the paragraph's lead before the sentence, else of its heading."""
    i = chunk.text.find(sent)
    before = chunk.text[:i] if i > 0 else ""
    for m in reversed(list(_UNIT_LEAD.finditer(before))):
        found = _agency_of(corpus, m.group(1))
        if found:
            return found
    for part in reversed(chunk.section.split(" › ") if chunk.section else []):
        found = _agency_of(corpus, part)
        if found:
            return found
    return None
