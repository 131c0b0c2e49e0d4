"""Question understanding: intent, slots (province, years, agencies, document hints), language.

Pure text work, no index access: `understand(question)` returns a `Question` record that the
retriever (filters, query expansion) and the composer (which answer shape) read. Matching is
done on folded text so unaccented questions ("ai chu tri ...") are understood like accented ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import vocabulary
from ingest.agencies import agency_aliases, find_agencies
from ingest.normalize import fold, normalize
from vectorstore.aliases import TERM_ALIASES

from assistant.glossary import EN_ACRONYMS, EN_VI, english_terms, find_provinces, untranslated_words

INTENTS = ("owner", "target", "deadline", "list_agency", "list_year", "document", "general",
           "greeting", "out_of_scope")

_EN_WORDS = {
    "what", "who", "which", "when", "how", "is", "are", "the", "of", "in", "for", "does", "do",
    "should", "share", "target", "plan", "and", "by", "with", "list", "tasks", "leads", "lead",
    "many", "much", "percent", "percentage", "responsible", "deadline", "will", "have", "has",
    "there", "a", "an", "to", "province", "be", "their", "its", "what's", "whats", "year",
}
_VI_ASCII_WORDS = {
    "ai", "cua", "o", "nao", "bao", "nhieu", "chu", "tri", "nam", "muc", "tieu", "ty", "le",
    "so", "ke", "hoach", "thuc", "hien", "trien", "khai", "la", "gi", "khi", "cac", "nhung",
    "va", "co", "duoc", "den", "dan", "tinh", "xay", "dung", "phan", "mem", "quan", "ly", "tram",
}

# Patterns on folded text. Order matters only through the priority in `_intent`.
_P = {
    "greeting": re.compile(
        r"^\s*(xin chao|chao( ban| ad| admin)?|hello|hi|hey|alo|cam on|thanks?( you)?|help|tro giup|huong dan"
        r"|ban (la ai|lam duoc gi|co the lam gi|giup duoc gi)|what can you do|who are you)\b[\s!?.]*$"),
    "owner": re.compile(
        r"\b(ai|so nao|co quan nao|don vi nao|nhung don vi nao|nhung co quan nao|nhung so nao|ben nao)\b"
        r"|\bdo ai\b|\bgiao (cho )?(ai|so nao|co quan nao|don vi nao)\b|\bchu tri\b(?!.*\bnhung nhiem vu\b)"
        r"|\bwho\b|\bwhich (agency|department|office|body|unit|agencies|departments)\b|\bin charge\b"
        r"|\bresponsible\b|\bchiu trach nhiem\b|\bphu trach\b"),
    "target": re.compile(
        r"\bbao nhieu\b|\bmuc tieu\b|\bchi tieu\b|\bty le\b|\bty trong\b|\bphan tram\b|%|\bdat (muc )?bao\b"
        r"|\btarget|\bgoal|\bshare\b|\bpercent|\bhow (many|much)\b|\brate\b|\bproportion\b"),
    "deadline": re.compile(
        r"\bkhi nao\b|\bbao gio\b|\bthoi gian (nao|thuc hien|hoan thanh|trien khai)\b|\blo trinh\b|\bthoi han\b"
        r"|\bnam nao\b|\b(giai doan|thoi diem|luc) nao\b|\bbao lau\b|\bhan chot\b|\bwhen\b|\bdeadline\b"
        r"|\btimeline\b|\bby what year\b|\btimeframe\b|\bwhat (period|years?)\b|\b(implementation|time) period\b"
        r"|\bscheduled?\b|\bhow (soon|long|often|quickly)\b|\bwithin how\b"),
    "list": re.compile(
        r"\b(nhung|cac) (nhiem vu|du an|viec|chuong trinh|noi dung)\b.*\bnao\b|\bliet ke\b"
        r"|\b(nhiem vu|du an|viec) (gi|nao)\b|\bgom nhung\b|\bwhat (tasks|projects)\b|\blist\b|\bwhich (tasks|projects)\b"),
    "document": re.compile(
        r"\b(ke hoach|de an|van ban) (nao|so may|gi)\b|\bban hanh (ngay|khi|nam) ?(nao)?\b|\bso hieu\b"
        r"|\bco nhung (ke hoach|van ban|tai lieu)\b|\bwhich (plans|documents)\b|\bwhat (plans|documents)\b"
        r"|\bcac (ke hoach|van ban|tai lieu) (nao|hien co)\b|\bissued\b"),
}

# Words that carry no topic (question words, fillers, generic plan vocabulary): one accented list,
# folded for unaccented questions. "so" stays: it is "số" (digital) as often as "sở"; agencies are
# removed by name beforehand.
_STOP_VI_ACCENTED = vocabulary.stopwords("vi")
_STOP_VI = frozenset(fold(w) for w in _STOP_VI_ACCENTED) - vocabulary.stopwords("vi_fold_ambiguous")
# English question words and fillers (verbs and nouns of questions that carry no topic of their own)
_STOP_EN = vocabulary.stopwords("en")


@dataclass
class Question:
    text: str  # the (standalone) question as asked
    language: str  # "vi" | "en"
    intent: str
    provinces: list[str] = field(default_factory=list)  # every province named (canonical)
    years: list[int] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)  # canonical names mentioned
    doc_hints: list[str] = field(default_factory=list)  # "5046/KH-UBND", "de an", "2020" …
    topic: list[str] = field(default_factory=list)  # folded content words
    expansions: list[str] = field(default_factory=list)  # Vietnamese terms for English words, aliases
    wants_owner: bool = False  # also asked "who" next to another intent
    wants_time: bool = False  # also asked "when" next to another intent
    accented: bool = True  # topic words keep accents (False for unaccented questions: folded)
    titles: list[str] = field(default_factory=list)  # folded openings of named programmes/projects
    foreign: list[str] = field(default_factory=list)  # English topic words the glossary cannot translate

    @property
    def province(self) -> str | None:
        return self.provinces[0] if self.provinces else None

    @property
    def year(self) -> int | None:
        return self.years[-1] if self.years else None

    def search_text(self) -> str:
        """The query sent to retrieval: the question plus Vietnamese expansions."""
        extra = [e for e in self.expansions if fold(e) not in fold(self.text)]
        return " ".join([self.text, *extra]).strip()


def detect_language(text: str) -> str:
    """"en" when the question reads as English, else "vi" (accented or not)."""
    for p in find_provinces(text):  # "Hải Dương's" inside an English follow-up is a name, not Vietnamese
        text = re.sub(re.escape(p), " ", text, flags=re.I)
    if re.search(r"[^\x00-\x7f]", text):
        # Vietnamese letters; a quoted Vietnamese term inside English stays English
        words = re.findall(r"[a-zA-Z']+", text.lower())
        en = sum(w in _EN_WORDS for w in words)
        return "en" if en >= 3 and en * 3 >= len(words) else "vi"
    words = re.findall(r"[a-z']+", text.lower())
    en = sum(w in _EN_WORDS for w in words)
    vi = sum(w in _VI_ASCII_WORDS for w in words)
    return "en" if en > vi else "vi"


def find_years(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"(?<![\d.,])(20\d\d)(?![\d%]|[.,]\d)", text)]


def asked_years(folded: str, hints: list[str]) -> list[int]:
    """Years the question asks about: a year that only names a plan ("kế hoạch 2020") is a
    document hint, not a target year."""
    years = find_years(folded)
    for h in hints:
        if h.startswith("ke hoach ") and years.count(int(h[-4:])) == 1:
            years.remove(int(h[-4:]))
    return years


def hints_only_year(folded: str) -> bool:
    """True when every year in the question only names a plan ("kế hoạch 2020")."""
    return not asked_years(folded, _doc_hints(folded))


# "Đề án" names the scheme document when nothing or the scheme's own subject follows it ("theo đề
# án,", "Đề án chuyển đổi số Thanh Hóa", "đề án của tỉnh"); "Đề án lưu trữ tài liệu …" is a
# project inside a plan, a topic rather than a document.
_DE_AN_AS_DOC = re.compile(
    r"\s*($|[^\w\s]|(chuyen doi so|cds|cua|nay|do|tinh|ve|dat|neu|co|thi|de ra|noi|giai doan|thanh hoa"
    r"|hai duong|binh dinh|dang|du thao|moi|tren|trong|cho|duoc|la|nam)\b)")


def _doc_hints(folded: str) -> list[str]:
    hints = [m.group(0) for m in re.finditer(r"\b\d{1,5}\s*/\s*(kh|qd|nq|tb|cv)[-\w]*", folded)]
    if re.search(r"\bscheme\b", folded) or any(
            _DE_AN_AS_DOC.match(folded[m.end():]) for m in re.finditer(r"\bde an\b", folded)):
        hints.append("de an")
    m = re.search(r"\b(ke hoach|plan)( chuyen doi so| cds)?( (nam|of|from))? (20\d\d)\b", folded)
    if m:
        hints.append(f"ke hoach {m.group(5)}")
    return hints


_TARGET_LIST = re.compile(r"\b(nhung|cac) (muc tieu|chi tieu)\b.*\bnao\b|\b(muc tieu|chi tieu) (gi|nao)\b"
                          r"|\b(which|what) (targets|goals|indicators)\b")


def _intent(folded: str, agencies: list[str]) -> tuple[str, bool, bool]:
    if _P["greeting"].search(folded):
        return "greeting", False, False
    owner = bool(_P["owner"].search(folded))
    target = bool(_P["target"].search(folded))
    deadline = bool(_P["deadline"].search(folded))
    listing = bool(_P["list"].search(folded))
    # "những mục tiêu nào do Thanh tra tỉnh chủ trì đôn đốc": an agency's targets, listed
    listing = listing or bool(agencies and _TARGET_LIST.search(folded))
    if listing and (agencies or re.search(r"\bdo\b.*\bchu tri\b|\bled by\b|\bdoes .* lead\b", folded)):
        return "list_agency", False, False
    if listing and find_years(folded):
        return "list_year", False, False
    if _P["document"].search(folded) and not (owner or target):
        return "document", False, False
    if owner:
        # "who leads the target X …" is an owner question even though it names a target
        return "owner", False, deadline
    # a figure the question names ("cáp quang đến 100% cấp xã … thời gian nào") is part of the task,
    # not a request for a figure; only "bao nhiêu %" / "how many" makes a "when" question a target one
    if deadline and not re.search(r"\bbao nhieu\b|(?<![\d.,])\s*%|\bhow (many|much)\b", folded):
        return "deadline", owner, False
    if target:
        return "target", False, deadline
    if listing:
        return "list_agency" if agencies else "general", False, False
    return "general", False, False


_ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]+[A-Za-z]*\b")  # MOOC, IOC, VNeID, GRDP


# "giao sở nào", "cơ quan nào", "do ai": question phrases whose words are topic words elsewhere
_QUESTION_PHRASES = re.compile(
    r"(?<= )(giao (cho )?)?(những )?(sở|cơ quan|đơn vị|so|co quan|don vi|ai) nào(?= )|(?<= )giao (cho )?(ai|sở|so)(?= )"
    r"|(?<= )(giao (cho )?)?(nhung )?(so|co quan|don vi) nao(?= )"
    r"|(?<= )(phần trăm|phan tram)(?= )|(?<= )(trong )?(giai đoạn|thời gian|thời điểm|giai doan|thoi gian|thoi diem) nào(?= )"
    r"|(?<= )(trong )?(giai doan|thoi gian|thoi diem) nao(?= )"
    r"|(?<= )(chịu trách nhiệm|chiu trach nhiem|phụ trách|phu trach|đảm nhận|dam nhan)(?= )"
    r"|(?<= )(thời gian|thoi gian) (thực hiện|thuc hien|triển khai|trien khai|hoàn thành|hoan thanh)(?= )"
    r"|(?<= )(là )?(bao lâu|bao lau)(?= )|(?<= )(thì )?(thế nào|the nao|ra sao)(?= )|(?<= )thi (sao|the nao)(?= )"
    r"|(?<= )(từ )?(năm nào|nam nao) (đến|den) (năm nào|nam nao)(?= )|(?<= )(kéo dài|keo dai)(?= )")


# Abbreviations citizens type but the plans spell out: the question is read with the full term
# (the abbreviation stays in the expansions for the lexical leg). CNTT/CSDL are left alone: the
# plans use them as written.
_ABBREVIATIONS = {k: TERM_ALIASES[k] for k in (
    "cds", "dvc", "dvctt", "tmdt", "attt", "hssk", "tthc", "kts", "xhs", "cqs")}
_ABBREV_PATTERN = re.compile(r"(?<![\w&-])(" + "|".join(_ABBREVIATIONS) + r")(?![\w&-])")


def expand_abbreviations(text: str) -> tuple[str, list[str]]:
    """Text with domain abbreviations written out ("CĐS" -> "chuyển đổi số"), and the abbreviations."""
    folded = fold(text)
    if len(folded) != len(text):
        return text, []
    out, found, last = [], [], 0
    for m in _ABBREV_PATTERN.finditer(folded):
        word = text[m.start():m.end()]
        out.append(text[last:m.start()])
        out.append(_ABBREVIATIONS[m.group(1)])
        found.append(word)
        last = m.end()
    out.append(text[last:])
    return "".join(out), found


_GLOSSARY_WORDS = {w for phrase in EN_VI for w in re.findall(r"[a-z]+", phrase)}  # translated already


def _names(text: str) -> list[str]:
    """Capitalized words inside an English sentence ("Mini App", "Zalo"): names the glossary cannot
    translate, searched as written. Provinces and English question words are left out."""
    words = re.findall(r"(?<=[\w,'] )[A-Z][\w-]*", text)
    provinces = {w for p in find_provinces(text) for w in fold(p).split()}
    return [w for w in words if w.lower() not in _EN_WORDS and w.lower() not in _STOP_EN
            and w.lower() not in _GLOSSARY_WORDS and fold(w) not in provinces]


def _words(text: str, accented: bool) -> str:
    t = text.lower() if accented else fold(text)
    return " " + " ".join(re.findall(r"[\w%]+", t)) + " "


def topic_words(text: str, provinces: list[str], agencies: list[str], language: str = "vi",
                accented: bool = False) -> list[str]:
    """Content words of a question: minus question words, provinces, agencies and years.

    Accented questions keep their accents (so "vé" is not "về"); unaccented ones are folded.
    """
    stop = _STOP_VI_ACCENTED if accented else (_STOP_VI | _STOP_EN if language == "en" else _STOP_VI)
    f = _words(text, accented)
    # names first: "giao Sở Y tế …" must not lose "Sở" to the question phrase "giao sở" and leave "y tế"
    names = [*provinces, *agencies, *(a for ag in agencies for a in agency_aliases(ag))]
    for name in sorted(names, key=len, reverse=True):
        k = _words(name, accented).strip()
        if k:
            f = f.replace(f" {k} ", " @ ")
    f = re.sub(r"(?<= )(giao|giao cho|do) @(?= )", " ", f)  # "giao Sở Y tế": the verb goes with the name
    f = _QUESTION_PHRASES.sub(" ", f)
    out: list[str] = []
    for w in f.split():
        if w in stop or re.fullmatch(r"\d+|20\d\d", w) or len(w) < 2 and w != "%":
            continue
        if w not in out:
            out.append(w)
    return out


# A programme, scheme or project named by its capitalized title ("Chương trình “Học từ làm việc
# thực tế”", "Đề án Lưu trữ …"): its first words must appear in the evidence, or another plan's
# programme would answer for it.
_TITLE = re.compile(r"\b(?:[Cc]hương trình|[Đđ]ề án|[Dd]ự án|[Nn]ền tảng|[Pp]hong trào)\s+[\"“”']?"
                    r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ](?![A-Z])[\w-]*)(?:\s+[\w-]+){2})", re.U)  # not an acronym (LGSP, SMEdx)


def named_titles(text: str) -> list[str]:
    """Folded first three words of the capitalized titles a question names."""
    return [fold(m.group(1)) for m in _TITLE.finditer(text)]


def understand(question: str) -> Question:
    """Read one (standalone) question."""
    text = normalize(" ".join(question.split())).text  # NFC and modern tone placement, as the corpus
    text, abbreviations = expand_abbreviations(text)
    folded = fold(text)
    language = detect_language(text)
    provinces = find_provinces(text)
    agencies = find_agencies(text)
    expansions = english_terms(text) if language == "en" else []
    if language == "en":  # "Department of Health" -> Sở Y tế: an agency the question names
        agencies += [a for a in find_agencies(" ".join(expansions)) if a not in agencies]
    for ag in agencies:  # the abbreviation of a named agency helps the lexical leg, and vice versa
        for alias in agency_aliases(ag)[:2]:
            if alias not in expansions:
                expansions.append(alias)
        if ag not in expansions and fold(ag) not in folded:
            expansions.append(ag)
    expansions += [a for a in abbreviations if a not in expansions]
    intent, wants_owner, wants_time = _intent(folded, agencies)
    if intent == "general" and find_years(folded) and not hints_only_year(folded):
        intent = "target"  # "chữ ký số Hải Dương 2030?": a topic and a year ask for the figure
    accented = language == "en" or bool(re.search(r"[^\x00-\x7f]", text))
    if language == "en":  # Vietnamese terms of the glossary plus names kept as written
        acronyms = [a for a in _ACRONYM.findall(text) if a not in EN_ACRONYMS]  # "IT" is translated
        base = " ".join([*english_terms(text), *acronyms, *_names(text)])
    else:
        base = text
    hints = _doc_hints(folded)
    topic = topic_words(base, provinces, agencies, language, accented)
    foreign: list[str] = []
    if language == "en":
        # English content words the glossary cannot translate stay in the topic: the plans cannot
        # match them, so a question about something the plans lack ("smart parking") abstains
        province_words = {w for p in provinces for w in fold(p).split()}
        for w in untranslated_words(text):
            w = w.strip("'-").removesuffix("'s")
            if (len(w) > 3 and w not in _EN_WORDS and w not in _STOP_EN
                    and w not in province_words and w not in topic and w.lower() not in {fold(x) for x in topic}):
                topic.append(w)
                foreign.append(w)
    return Question(
        text=text, language=language, intent=intent, provinces=provinces, years=asked_years(folded, hints),
        agencies=agencies, doc_hints=hints,
        topic=topic, expansions=expansions,
        accented=accented,
        wants_owner=wants_owner, wants_time=wants_time, titles=named_titles(text),
        foreign=foreign,
    )
