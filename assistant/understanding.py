"""Question understanding: intent, slots (province, years, agencies, documents named), language.

Pure text work, no index access: `understand(question, known_agencies)` returns a `Question`
record that the retriever (filters, query expansion) and the composer (which answer shape) read.
Matching is done on folded text so unaccented questions ("ai chu tri ...") are understood like
accented ones. `known_agencies` are the agency names the index holds (any issuer's), so a
question about an agency no vocabulary lists is still read as one.

Intents: owner, target, deadline (who / what figure / when), list_agency (what an agency leads or
must do), list_year (what falls due in a year), count (how many tasks, targets, groups …),
summary (what a plan is about, its purpose, objectives, groups of tasks), document (which
documents exist, and a document's issuer, number, date or signer), general, greeting.
`yes_no` marks "… có … không?" questions, answered with the fact behind the yes.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import vocabulary
from ingest.agencies import agency_aliases, find_agencies
from ingest.normalize import fold, normalize
from vectorstore.aliases import TERM_ALIASES

from assistant.chat_wrapping import unwrap
from assistant.glossary import EN_ACRONYMS, EN_VI, english_terms, find_provinces, untranslated_words

MAX_QUESTION_CHARS = 600  # what is analysed of a question; the rest is never read
_EN_WORDS = vocabulary.language_cues("en")
_VI_ASCII_WORDS = vocabulary.language_cues("vi_unaccented")

# Patterns on folded text. Order matters only through the priority in `_intent`.
_P = {
    "greeting": re.compile(
        r"^\s*(xin chao|chao( ban| ad| admin)?|hello|hi|hey|alo|cam on|thanks?( you)?|help|tro giup|huong dan"
        r"|ban (la ai|lam duoc gi|co the lam gi|giup duoc gi)|what can you do|who are you)\b[\s!?.]*$"
        # what the assistant can look up: "bot này tra cứu được gì", "hỏi được những gì", "what can I ask"
        r"|^\s*((ban|bot|tro ly|admin|he thong|trang)( nay)? )?(co the )?(tra cuu|tra|hoi|tim|tra loi|giup|ho tro)"
        r" (duoc )?(nhung )?(gi|thong tin gi|van de gi|noi dung gi)\b[\s!?.]*$"
        r"|\bwhat (can|could) (i|you) (ask|look up|search|find|answer)\b|\bwhat do you know( about)?\b[\s!?.]*$"),
    "owner": re.compile(
        r"\b(ai|(nhung |cac )?(so|co quan|don vi|ben|to dang|ban|bo|uy ban|to chuc|nganh|cap|dia phuong|phong) nao)\b"
        r"|\bdo ai\b|\bgiao (cho )?(ai|so nao|co quan nao|don vi nao)\b|\bchu tri\b(?!.*\bnhung nhiem vu\b)"
        r"|\bwho\b|\bwhich ([\w']+ ){0,3}(agency|department|office|body|unit|agencies|departments|committee|committees|ministry"
        r"|ministries|organi[sz]ation|council|cell|authority|authorities|bodies|board|units|offices)\b|\bin charge\b"
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
        r"\b(ke hoach|de an|van ban|nghi quyet|quyet dinh|chuong trinh) so may\b|\bso may\b"
        r"|\b(ban|toi|he thong) (co|dang co|hien co|luu|nam) (nhung |cac )?(ke hoach|van ban|tai lieu|de an|nghi quyet)\b"
        r"|\b(ke hoach|van ban|tai lieu) (nao|gi) (hien co|dang co|ban co|duoc luu)\b|\bdanh sach (cac )?(ke hoach|van ban)\b"
        r"|\bban hanh (ngay|khi|nam|luc|vao) ?(nao)?\b|\bso hieu\b|\b(ai|nguoi nao) ky\b|\bnguoi ky\b|\bky (ngay|khi|vao)\b"
        r"|\b(co quan|don vi|ai) (nao )?ban hanh\b|\bdo (co quan|don vi|ai) (nao )?ban hanh\b"
        r"|\bco nhung (ke hoach|van ban|tai lieu|nghi quyet)\b|\bwhich (plans|documents)\b|\bwhat (plans|documents)\b"
        r"|\b(tinh|dia phuong|noi) nao co (ke hoach|van ban|de an)\b|\bco (ke hoach|van ban) (cua )?(tinh|dia phuong) nao\b"
        r"|\bcac (ke hoach|van ban|tai lieu) (nao|hien co)\b|\bissued\b|\bsigned\b|\bwho (signed|issued)\b"
        r"|\bwhich (provinces?|issuers?)\b|\b(document|plan|resolution|decision) numbers?\b"),
    "count": re.compile(
        r"\b(bao nhieu|may|so luong|tong so)\s+(nhiem vu|chi tieu|du an|muc tieu|nhom|giai doan|linh vuc|noi dung"
        r"|viec|dau viec|giai phap|chuong trinh|van ban|ke hoach|phu luc|phan(?! tram)|muc|tieu chi|de an|hang muc|cong viec)\b"
        r"|\bhow many (tasks|targets|indicators|projects|groups|phases|stages|documents|plans|goals|items|sub)"),
    "summary": re.compile(
        r"\btom tat\b|\bnoi dung (chinh|chu yeu|co ban)\b|\bnoi ve (cai )?gi\b|\bve (cai |van de )?gi( vay| the)?\s*\??$"
        r"|\bnham (muc dich )?gi\b|\bmuc dich\b|\bmuc tieu (chung|tong quat)\b|\bgom (nhung|cac) (phan|noi dung|nhom)\b"
        r"|\b(nhom|nhung nhom|cac nhom) nhiem vu\b|\btong quan\b|\boverview\b|\bsummar|\bwhat is .* about\b|\bpurpose\b"
        r"|\b(main|key|general|overall) (points|goals|objectives|aims|contents?)\b|\bde lam gi\b"
        r"|\b(so luoc|khai quat|diem chinh|net chinh|y chinh)\b|\brundown\b|\bat a glance\b|\bbig picture\b"
        r"|\bwhat .{0,40}\bplans? to do\b|\b(main|key) (things|highlights)\b|\bhighlights\b"),
}

# "X phải làm gì", "X được giao nhiệm vụ gì", "what does X do": an agency's duties
_DUTIES = re.compile(
    r"\b(phai|can|se|duoc giao|co nhiem vu|co trach nhiem) (lam )?(gi|nhung gi|nhung viec gi|viec gi)\b|\blam (nhung )?(gi|viec gi)\b"
    r"|\b(nhiem vu|viec|chi tieu|muc tieu|du an|trach nhiem|vai tro) (gi|nao)\b|\bduoc giao\b|\bphu trach (gi|nhung|cac)\b"
    r"|\bchu tri (nhung |cac )?(gi|viec gi|nhiem vu|du an|chi tieu)\b|\btrach nhiem cua\b|\bnhiem vu cua\b"
    r"|\b(duoc )?phan cong\b|\b(dam nhan|dam nhiem|tham gia|phoi hop)\b.{0,30}\b(gi|nao|nhung)\b"
    r"|\b(phai|can) hoan thanh\b|\bvai tro\b"
    r"|\bwhat (else )?(does|do|must|should|will|is) .*\b(do|lead|handle|responsible for|in charge of|assigned)\b"
    r"|\b(tasks|duties|responsibilities|role|assignments) of\b|\b(tasks|duties|responsibilities|role)\b.*\b(have|has)\b"
    r"|\bassigned\b|\b(support|supports|assist|assists|help|helps|cooperate|take part)\b.{0,30}\b(in|with|on)\b")
_HOW_TO = re.compile(r"\b(lam the nao|lam sao|lam nhu the nao|the nao de|bang cach nao|cach (nao|de|lam)|thu tuc"
                     r"|o dau (de|co the|thi)|dang ky (o dau|nhu the nao|the nao))\b"
                     r"|\bhow (do|can|to|should) (i|we|one|people|citizens|residents|a|my)\b|\bwhere (can|do|should) (i|we)\b")
_YES_NO = re.compile(r"\bco\b.*\bkhong\s*[?.!]*\s*($|\.|\?)|\b(co )?phai (khong|ko)\b|\bco phai\b|\bkhong a\b"
                     r"|^(is|are|does|do|did|will|has|have|can|was|were) (?!you\b)")  # "can you give me …" asks for
_BASIS = re.compile(
    r"\b(trien khai|thuc hien|can cu|dua (tren|vao|theo)|theo|cu the hoa|thay the|bai bo)\b.{0,30}"
    r"\b(van ban|nghi quyet|quyet dinh|chi thi|ke hoach|chien luoc|chuong trinh|de an|ket luan|luat)\s+(nao|gi|so may)\b"
    r"|\b(van ban|nghi quyet|quyet dinh|chi thi|ke hoach|chien luoc|de an) (nao|gi)\b.{0,30}\b(trien khai|thuc hien"
    r"|can cu|thay the|lam can cu|lam co so)\b|\bcan cu (vao )?(dau|gi)\b|\bthay the (cho )?(ke hoach|van ban|quyet dinh|nghi quyet)"
    r"|\b(which|what)\b.{0,60}\b(based on|implement(s|ing)?|pursuant to|replace(s|d)?|supersede(s|d)?|grounded in"
    r"|follow(s|ing)? up on|carr(y|ies) out)\b.{0,40}\b(decision|resolution|document|plan|strategy|directive|law|programme"
    r"|program)s?\b"
    r"|\b(which|what) (national |central |earlier |previous )?(decision|resolution|document|directive|strategy|law)s?\b"
    r".{0,60}\b(based on|implement|replace|supersede|follow|carry out|carries out)")
# what a document question asks of the document
_META = {
    "signer": re.compile(r"\b(ai|nguoi nao) ky\b|\bnguoi ky\b|\bky boi\b|\bwho signed\b|\bsigner\b|\bsigned by\b"),
    "issued": re.compile(r"\bban hanh (ngay|khi|nam|luc|vao)|\bngay (ban hanh|ky)\b|\bky (ngay|khi|vao)\b|\bwhen (was|were) .*(issued|signed|adopted)\b|\bdate\b"),
    "number": re.compile(r"\bso hieu\b|\bso may\b|\bso bao nhieu\b|\bnumber\b"),
    "issuer": re.compile(r"\b(co quan|don vi|ai) (nao )?ban hanh\b|\bwho issued\b|\bissued by\b|\bissuer\b"),
    # what a plan implements, is based on or replaces ("… để triển khai văn bản nào?", "based on")
    "basis": _BASIS,
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
    doc_hints: list[str] = field(default_factory=list)  # "38/kh-ubnd", "de an", "ke hoach 2020" …
    topic: list[str] = field(default_factory=list)  # folded content words
    expansions: list[str] = field(default_factory=list)  # Vietnamese terms for English words, aliases
    accented: bool = True  # topic words keep accents (False for unaccented questions: folded)
    titles: list[str] = field(default_factory=list)  # folded openings of named programmes/projects
    foreign: list[str] = field(default_factory=list)  # English topic words the glossary cannot translate
    doc_refs: list["DocRef"] = field(default_factory=list)  # documents named by type and number
    yes_no: bool = False  # "… có … không?": answered with the fact behind the yes, or not found
    how_to: bool = False  # "… làm thế nào?": what the plans say of it, and that they give no procedure
    meta: list[str] = field(default_factory=list)  # what a document question asks: issued, signer, number, issuer
    wants_time: bool = False  # an owner question that also asks "when"
    ref_words: list[str] = field(default_factory=list)  # topic words of the documents named
    bridged: dict[str, list[str]] = field(default_factory=dict)  # foreign word -> plan terms (term bank)
    repeats: dict[str, list[list[str]]] = field(default_factory=dict)  # see repeated_words

    def search_text(self) -> str:
        """The query sent to retrieval: the question plus Vietnamese expansions."""
        extra = [e for e in self.expansions if fold(e) not in fold(self.text)]
        return " ".join([self.text, *extra]).strip()


def detect_language(text: str) -> str:
    """"en" when the question reads as English, else "vi" (accented or not).

    Word lists, not a language-id library: py3langid (tried) calls short unaccented Vietnamese
    English ("muc tieu 2025", "ty le ho so ky so") and "What does Sở Y tế lead?" Vietnamese."""
    for p in find_provinces(text):  # "Quảng Ngãi's" inside an English follow-up is a name, not Vietnamese
        text = re.sub(re.escape(p), " ", text, flags=re.I)
    if re.search(r"[^\x00-\x7f]", text):  # so is "Sở Khoa học và Công nghệ" in "What else does … do?"
        for a in find_agencies(text):
            for name in (a, *agency_aliases(a)):
                text = re.sub(re.escape(name), " ", text, flags=re.I)
    if re.search(r"[^\x00-\x7f]", text):
        # Vietnamese letters; a quoted Vietnamese term inside English stays English
        words = re.findall(r"[a-zA-Z']+", text.lower())
        en = sum(w in _EN_WORDS for w in words)
        return "en" if en >= 3 and en * 3 >= len(words) else "vi"
    words = re.findall(r"[a-z']+", text.lower())
    en = sum(w in _EN_WORDS for w in words)
    vi = sum(w in _VI_ASCII_WORDS for w in words)
    return "en" if en > vi else "vi"


_EN_BODY = re.compile(r"\b((?:[a-z]+ ){0,3}[a-z]+) (department|ministry)\b|\b(department|ministry) (?:of|for) "
                      r"((?:[a-z]+ ){0,3}[a-z]+)")
_EN_BODY_HEAD = {"department": "Sở", "ministry": "Bộ"}


def english_bodies(text: str) -> list[str]:
    """Agencies an English question names in its own order: "the science and technology department",
    "the finance ministry", "department for home affairs": the Vietnamese body with the translated field."""
    out: list[str] = []
    for m in _EN_BODY.finditer(text.lower()):
        field, kind = (m.group(1), m.group(2)) if m.group(2) else (m.group(4), m.group(3))
        words = [w for w in field.split() if w not in {"the", "a", "an", "provincial", "province's", "city", "local"}]
        for n in range(len(words), 0, -1):  # "ninh binh science and technology": the field is the last words
            terms = english_terms(" ".join(words[-n:]))
            if terms:
                found = find_agencies(f"{_EN_BODY_HEAD[kind]} {terms[0]}")
                if found and found[0] not in out:
                    out.append(found[0])
                break
    return out


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


# "Đề án" names the scheme document when nothing, a place or the scheme's own subject follows it
# ("theo đề án,", "Đề án chuyển đổi số <tỉnh>", "đề án của tỉnh"); "Đề án lưu trữ tài liệu …" is a
# project inside a plan, a topic rather than a document.
_DE_AN_AS_DOC = re.compile(
    r"\s*($|[^\w\s]|(chuyen doi so|cds|cua|nay|do|tinh|ve|dat|neu|co|thi|de ra|noi|giai doan"
    r"|dang|du thao|moi|tren|trong|cho|duoc|la|nam)\b)")


def _names_scheme(rest: str) -> bool:
    """Does the text after "đề án" name the scheme as a document (see _DE_AN_AS_DOC)?"""
    head = " ".join(rest.split()[:3])
    return bool(_DE_AN_AS_DOC.match(rest)) or any(head.startswith(fold(p)) for p in find_provinces(head))


def _doc_hints(folded: str) -> list[str]:
    hints = [m.group(0) for m in re.finditer(r"\b\d{1,5}\s*/\s*(kh|qd|nq|tb|cv)[-\w]*", folded)]
    if re.search(r"\bscheme\b", folded) or any(
            _names_scheme(folded[m.end():]) for m in re.finditer(r"\bde an\b", folded)):
        hints.append("de an")
    m = re.search(r"\b(ke hoach|plan)( chuyen doi so| cds)?( (nam|of|from))? (20\d\d)\b", folded)
    if m:
        hints.append(f"ke hoach {m.group(5)}")
    else:  # "Quang Ngai's 2024 plan", "the 2020 digital transformation plan"
        m = re.search(r"\b(20\d\d) (digital transformation |dx )?plan\b", folded)
        if m:
            hints.append(f"ke hoach {m.group(1)}")
    return hints


@dataclass(frozen=True)
class DocRef:
    """A document a question names: "Nghị quyết 05-NQ/TU" -> kind "nghi quyet", number "5", code "nq/tu"."""

    kind: str  # folded document type ("ke hoach", "nghi quyet" …), "" when only the code says it
    number: str  # leading number without zeros ("5" for "05")
    code: str = ""  # folded code after the number ("kh-ubnd", "nq/tu", "qd-ttg"), "" when not given
    text: str = ""  # folded, as matched in the question
    label: str = ""  # as written in the question ("Quyết định 999/QĐ-TTg")


_DOC_KINDS = {
    "ke hoach": "ke hoach", "kh": "ke hoach", "nghi quyet": "nghi quyet", "nq": "nghi quyet",
    "quyet dinh": "quyet dinh", "qd": "quyet dinh", "chuong trinh": "chuong trinh", "ctr": "chuong trinh",
    "de an": "de an", "chi thi": "chi thi", "cong van": "cong van", "cv": "cong van", "thong bao": "thong bao",
    "ket luan": "ket luan", "nghi dinh": "nghi dinh", "thong tu": "thong tu", "resolution": "nghi quyet",
    "decision": "quyet dinh", "plan": "ke hoach", "directive": "chi thi", "programme": "chuong trinh",
    "program": "chuong trinh", "decree": "nghi dinh",
}
_CODE_KINDS = {"kh": "ke hoach", "nq": "nghi quyet", "qd": "quyet dinh", "ctr": "chuong trinh", "ct": "chi thi",
               "tb": "thong bao", "kl": "ket luan", "nd": "nghi dinh", "tt": "thong tu", "da": "de an", "cv": "cong van"}
_RE_REF = re.compile(
    r"\b(" + "|".join(sorted(_DOC_KINDS, key=len, reverse=True)) + r")\s*(?:so|no\.?|number)?\s*[:.]?\s*"
    r"(\d{1,5})(?![\d%]|[.,]\d)((?:\s*[-/]\s*(?:\d{4}\s*[-/]\s*)?[a-z][a-z0-9&]*(?:\s*[-/]\s*[a-z][a-z0-9&]*)*)?)")
_RE_CODE_REF = re.compile(r"(?<![\w/])(\d{1,5})\s*[-/]\s*(?:\d{4}\s*[-/]\s*)?((?:kh|nq|qd|ctr|ct|tb|kl|nd|tt|da|cv)"
                          r"(?:\s*[-/]\s*[a-z][a-z0-9&]*)+)")


def find_doc_refs(folded: str) -> list[DocRef]:
    """Documents a (folded) question names by number, in any spelling people use: "Kế hoạch 59",
    "KH 59/KH-UBND", "Nghị quyết 05-NQ/TU", "Quyết định 411/QĐ-TTg", "NQ 57", "59/KH-UBND".
    A year after a document type ("kế hoạch 2020") is not a number."""
    out: list[DocRef] = []
    taken: list[tuple[int, int]] = []
    for m in _RE_REF.finditer(folded):
        number, code = m.group(2), re.sub(r"\s+", "", m.group(3)).strip("-/")
        if re.fullmatch(r"(19|20)\d\d", number) and not code:
            continue
        out.append(DocRef(_DOC_KINDS[m.group(1)], str(int(number)), code, m.group(0).strip()))
        taken.append(m.span())
    for m in _RE_CODE_REF.finditer(folded):
        if any(a <= m.start() < b for a, b in taken):
            continue
        code = re.sub(r"\s+", "", m.group(2))
        out.append(DocRef(_CODE_KINDS.get(re.split(r"[-/]", code)[0], ""), str(int(m.group(1))), code, m.group(0)))
    return list(dict.fromkeys(out))


_RE_TAGS = re.compile(r"<[^<>\n]{0,300}>")
_RE_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_RE_MARKUP = re.compile(r"```|\*\*|__|`|^#+\s|\[\s*\]|\s#+\s", re.M)
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_RE_SYMBOLS = re.compile(r"[^\w\s%&/.,;:?!()\-–+'\"“”‘’<>=≥≤]")  # emoji, pictographs, stray symbols


def clean_question(text: str) -> str:
    """A question as people paste it, cleaned: HTML tags and entities, Markdown, links, emoji and
    control characters removed, lone surrogates dropped, spaces collapsed, length capped."""
    text = text.encode("utf-8", "ignore").decode("utf-8", "ignore") if text else ""
    text = html.unescape(text[: MAX_QUESTION_CHARS * 4])
    text = _RE_TAGS.sub(" ", text)
    text = _RE_URL.sub(" ", text)
    text = _RE_MARKUP.sub(" ", text)
    text = _RE_CONTROL.sub(" ", text)
    text = _RE_SYMBOLS.sub(" ", text)
    text = " ".join(text.split())
    return text[:MAX_QUESTION_CHARS].strip()


_TARGET_LIST = re.compile(r"\b(nhung|cac) (muc tieu|chi tieu)\b.*\bnao\b|\b(muc tieu|chi tieu) (gi|nao)\b"
                          r"|\b(which|what) (targets|goals|indicators)\b")


def _intent(folded: str, agencies: list[str]) -> str:
    if _P["greeting"].search(folded):
        return "greeting"
    owner = bool(_P["owner"].search(folded))
    target = bool(_P["target"].search(folded))
    deadline = bool(_P["deadline"].search(folded))
    listing = bool(_P["list"].search(folded))
    # "những mục tiêu nào do Thanh tra tỉnh chủ trì đôn đốc": an agency's targets, listed
    listing = listing or bool(agencies and _TARGET_LIST.search(folded))
    duty = bool(_DUTIES.search(folded) or re.search(
        r"\b(phai|can phai|se|duoc giao|co nhiem vu|co trach nhiem)\b.{0,40}\b(gi|nhung gi|nao)\b", folded))
    if agencies and (listing or duty) and not re.search(r"\b(ai|who)\b", folded):
        return "list_agency"
    if listing and re.search(r"\bdo\b.*\bchu tri\b|\bled by\b|\bdoes .* lead\b", folded):
        return "list_agency"
    if _P["count"].search(folded):
        return "count"
    # "bao nhiêu đô thị …, gồm những nơi nào": a figure is asked, the list comes with it
    figure = bool(re.search(r"\bbao nhieu\b|\bhow (many|much)\b", folded))
    if listing and find_years(folded) and not figure:
        return "list_year"
    if (_P["document"].search(folded) or _BASIS.search(folded)) and not (
            target and not any(p.search(folded) for p in _META.values())):
        return "document"
    if _P["summary"].search(folded) and not owner and not deadline:
        return "summary"
    if owner:
        # "who leads the target X …" is an owner question even though it names a target
        return "owner"
    # a figure the question names ("cáp quang đến 100% cấp xã … thời gian nào") is part of the task,
    # not a request for a figure; only "bao nhiêu %" / "how many" makes a "when" question a target one
    if deadline and not re.search(r"\bbao nhieu\b|(?<![\d.,])\s*%|\bhow (many|much)\b", folded):
        return "deadline"
    if target:
        return "target"
    if listing:
        return "list_agency" if agencies else "general"
    return "general"


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
    r"|(?<= )(từ )?(năm nào|nam nao) (đến|den) (năm nào|nam nao)(?= )|(?<= )(kéo dài|keo dai)(?= )"
    r"|(?<= )(chủ trì|chu tri) (theo dõi|theo doi|đôn đốc|don doc)(,? (và |va )?(đánh giá|danh gia))?(?= )"
    r"|(?<= )(do )?(chủ trì|chu tri)(?= )|(?<= )(được |duoc )?(giao|phân công|phan cong)(?= )"
    r"(?! (thông|thong|dịch|dich|diện|dien|tiếp|tiep|lưu|luu|nhận|nhan|ban|dục|duc|thoa|thoả|thỏa|hàng|hang)\b)"
    # unaccented "may do thi", "may xa": "mấy" (how many), not "máy" (a machine: máy tính, máy chủ …)
    r"|(?<= )may(?= (?!tinh|moc|chu|bay|anh|quay|in|lanh|phat|say|scan|thu|cay|gat|nong|vi|dieu)[a-z])"
    # and "cai he thong": the classifier "cái", not "cài đặt", "cải cách", "cải thiện", "cải tạo", "cải tiến"
    r"|(?<= )cai(?= (?!dat|thien|cach|tao|tien|trang|bien|nghien)[a-z])"
    r"|(?<= )(theo dõi|theo doi),? (và |va )?(đánh giá|danh gia)(?= )"
    r"|(?<= )(ở |o |tại |tai )?(những |nhung )?(đâu|dau)(?= )"
    r"|(?<= )(ban hành |ban hanh )?(kèm theo|kem theo)(?= )"
    r"|(?<= )(thì |thi )?(bắt đầu|bat dau)( triển khai| trien khai| thực hiện| thuc hien| làm| lam)?(?= )"
    r"|(?<= )(hiện nay|hiện giờ|hiện tại|bây giờ|hien nay|hien gio|hien tai|bay gio)(?= )|^ (thế|the)(?= (còn|con|hiện|hien|bây|bay|thì|thi)\b)")


# Abbreviations citizens type but the plans spell out: the question is read with the full term
# (the abbreviation stays in the expansions for the lexical leg). CNTT/CSDL are left alone: the
# plans use them as written.
_ABBREVIATIONS = {k: TERM_ALIASES[k] for k in vocabulary.typed_abbreviations()}
_ABBREV_PATTERN = re.compile(r"(?<![\w&-])(" + "|".join(_ABBREVIATIONS) + r")(?![\w&-])")


def expand_abbreviations(text: str) -> tuple[str, list[str]]:
    """Text with domain abbreviations written out ("CĐS" -> "chuyển đổi số"), and the abbreviations."""
    folded = fold(text)
    if len(folded) != len(text):
        return text, []
    out, found, last = [], [], 0
    plain = not re.search(r"[^\x00-\x7f]", text)  # an unaccented question stays unaccented
    for m in _ABBREV_PATTERN.finditer(folded):
        word = text[m.start():m.end()]
        out.append(text[last:m.start()])
        out.append(fold(_ABBREVIATIONS[m.group(1)]) if plain else _ABBREVIATIONS[m.group(1)])
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


def repeated_words(text: str, topic: list[str], accented: bool) -> dict[str, list[list[str]]]:
    """Topic words the question uses more than once, each use with the compounds it forms with
    the topic words beside it: "học phí đại học" -> {"học": [["học phí"], ["đại học"]]}. The topic
    keeps a word once, so without this a text about "học phí" alone covered "đại học" too."""
    seq: list[str] = []
    for part in re.split(r"[,.;:!?()\[\]]+", text):  # no compound across punctuation
        seq += [*_words(part, accented).split(), "|"]
    content = set(topic)
    out: dict[str, list[list[str]]] = {}
    for w in content:
        spots = [i for i, t in enumerate(seq) if t == w]
        if len(spots) < 2:
            continue
        uses = []
        for i in spots:
            pairs = [f"{seq[i - 1]} {w}"] if i > 0 and seq[i - 1] in content and seq[i - 1] != w else []
            pairs += [f"{w} {seq[i + 1]}"] if i + 1 < len(seq) and seq[i + 1] in content and seq[i + 1] != w else []
            uses.append(pairs)
        # part of different compounds ("học phí", "đại học"), not the same one said twice
        if sum(bool(u) for u in uses) >= 2 and not set.intersection(*(set(u) for u in uses)):
            out[w] = uses
    return out


def topic_words(text: str, provinces: list[str], agencies: list[str], language: str = "vi",
                accented: bool = False, forms: list[str] = ()) -> list[str]:
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
    for form in sorted(forms, key=len, reverse=True):  # "Sở Giáo dục" written for "Sở Giáo dục và Đào tạo"
        i = fold(f).find(f" {form} ")
        while i >= 0 and len(fold(f)) == len(f):
            f = f[:i] + " @ " + f[i + len(form) + 2:]
            i = fold(f).find(f" {form} ")
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


_BODY_HEAD = re.compile(r"^(uy ban|ubnd|ban|bo|so|van phong|hoi dong|cuc|tong cuc|trung tam|cong an|ngan hang|vien"
                        r"|dai|kho bac|thanh tra|bao hiem)\b")


_STAKEHOLDERS = re.compile(r"^(cac |nhung )?(doanh nghiep|nguoi dan|dia phuong|co quan|don vi|to chuc|ca nhan|hop tac xa"
                          r"|ho kinh doanh|nha dau tu|nguoi su dung|can bo)\b")


@lru_cache(maxsize=8)
def _agency_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A matcher for agency names the index holds (folded, longest first)."""
    lookup: dict[str, str] = {}
    # stakeholder groups the plans name as partners ("Doanh nghiệp", "Các địa phương") are topics in
    # a question ("doanh nghiệp công nghệ số"), not the agency it asks about
    keys = {n: k for n in names
            if not _STAKEHOLDERS.match(k := " ".join(re.sub(r"[^a-z0-9]+", " ", fold(n)).split()))}
    for n, k in keys.items():
        if len(k) >= 6 and len(k.split()) >= 2:
            lookup.setdefault(k, n)
    for n, k in keys.items():  # the body inside a longer name: "Ủy ban Tài chính, Ngân sách" of
        words = k.split()       # "Tổ đảng ở Thường trực Ủy ban Tài chính, Ngân sách"
        for i in range(1, len(words) - 1):
            if _BODY_HEAD.match(" ".join(words[i:i + 2])) and len(" ".join(words[i:])) >= 10:
                lookup.setdefault(" ".join(words[i:]), n)
                break
    # the head of a long name, as people shorten it: "Sở Giáo dục" for "Sở Giáo dục và Đào tạo",
    # "Sở Văn hóa" for "Sở Văn hóa, Thể thao và Du lịch"; only a head one agency has
    heads: dict[str, set[str]] = {}
    for n in keys:
        head = re.split(r"\s+(?:và|va)\s+|\s*[,;(]\s*|\s+-\s+", n.strip(), maxsplit=1)[0]
        k = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(head)).split())
        if k != keys[n] and len(k) >= 8 and len(k.split()) >= 3 and _BODY_HEAD.match(k):
            heads.setdefault(k, set()).add(n)
    for k, owners in heads.items():
        if len(owners) == 1:
            lookup.setdefault(k, next(iter(owners)))
    if not lookup:
        return None, {}
    alts = sorted(lookup, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\b"), lookup


def find_known_agencies(text: str, known: tuple[str, ...], forms: list[str] | None = None) -> list[str]:
    """Index agency names a question mentions, accent-insensitively ("ban dan nguyen" -> "Ban Dân nguyện").
    `forms`, when given, receives each name as the question writes it ("sở giáo dục" for "Sở Giáo dục
    và Đào tạo"), folded: the words of the name are no topic."""
    pat, lookup = _agency_pattern(known)
    if pat is None:
        return []
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
    out: list[str] = []
    for m in pat.finditer(key):
        if forms is not None:
            forms.append(m.group(0))
        if lookup[m.group(0)] not in out:
            out.append(lookup[m.group(0)])
    return out


def understand(question: str, known_agencies: tuple[str, ...] = ()) -> Question:
    """Read one (standalone) question. `known_agencies`: agency names the index holds."""
    cleaned = clean_question(question)
    # "ad ơi cho em hỏi … vậy ạ": the question inside the chat wrapping (assistant.chat_wrapping)
    text = normalize(unwrap(cleaned, detect_language(cleaned))).text  # NFC and modern tone placement, as the corpus
    text, abbreviations = expand_abbreviations(text)
    folded = fold(text)
    language = detect_language(text)
    provinces = find_provinces(text)
    agencies = find_agencies(text)
    forms: list[str] = []  # agencies as the question writes them (the head of a long name)
    for ag in find_known_agencies(text, known_agencies, forms):
        if ag not in agencies and not any(fold(ag) in fold(a) for a in agencies):
            agencies.append(ag)
    expansions = english_terms(text) if language == "en" else []
    if language == "en":  # "Department of Health" -> Sở Y tế: an agency the question names
        agencies += [a for a in find_agencies(" ".join(expansions)) if a not in agencies]
        agencies += [a for a in english_bodies(text) if a not in agencies]
    for ag in agencies:  # the abbreviation of a named agency helps the lexical leg, and vice versa
        for alias in agency_aliases(ag)[:2]:
            if alias not in expansions:
                expansions.append(alias)
        if ag not in expansions and fold(ag) not in folded:
            expansions.append(ag)
    expansions += [a for a in abbreviations if a not in expansions]
    intent = _intent(folded, agencies)
    wants_time = intent == "owner" and bool(_P["deadline"].search(folded))
    if intent == "general" and find_years(folded) and not hints_only_year(folded):
        intent = "target"  # "chữ ký số Quảng Ngãi 2030?": a topic and a year ask for the figure
    accented = language == "en" or bool(re.search(r"[^\x00-\x7f]", text))
    hints = _doc_hints(folded)
    refs = [replace(r, label=_as_written(text, folded, r.text)) for r in find_doc_refs(folded)]
    if language == "en":  # Vietnamese terms of the glossary plus names kept as written
        codes = " ".join(r.text for r in refs)  # "NQ-CP" of "Resolution 03/NQ-CP" names a document
        acronyms = [a for a in _ACRONYM.findall(text) if a not in EN_ACRONYMS and fold(a) not in codes]
        named = {w for a in agencies for w in fold(a).split()}  # "Sở Tài chính" inside English is a name, no topic
        plain = _without_refs(text, refs)  # "directive 24" names a document: its words are no topic
        base = " ".join([*english_terms(plain), *acronyms,
                         *(n for n in _names(plain) if fold(n) not in named and n not in EN_ACRONYMS)])
    else:
        base = text
    topic = topic_words(_without_refs(base, refs) if language != "en" else base, provinces, agencies, language, accented,
                        forms)
    # the words a named document took out of the topic ("đề án 06"): a topic again when the
    # document is not one the index holds (the scheme is then a subject, not a source)
    ref_words = [w for w in topic_words(base, provinces, agencies, language, accented, forms) if w not in topic]
    foreign: list[str] = []
    if language == "en":
        # English content words the glossary cannot translate stay in the topic: the plans cannot
        # match them, so a question about something the plans lack ("smart parking") abstains
        province_words = {w for p in provinces for w in fold(p).split()}
        province_words |= {w for r in refs for w in re.split(r"[\s/]+", r.text)}  # "nq-cp" names a document
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
        accented=accented, titles=named_titles(text),
        foreign=foreign, doc_refs=refs, yes_no=bool(_YES_NO.search(folded)), how_to=bool(_HOW_TO.search(folded)),
        meta=[k for k, p in _META.items() if p.search(folded)], wants_time=wants_time, ref_words=ref_words,
        repeats=repeated_words(base, topic, accented) if language != "en" else {},
    )


def _as_written(text: str, folded: str, needle: str) -> str:
    """The span of `text` whose folded form is `needle` (fold keeps lengths), else the needle."""
    i = folded.find(needle)
    return text[i:i + len(needle)] if i >= 0 and len(folded) == len(text) else needle


def _without_refs(text: str, refs: list[DocRef]) -> str:
    """The question without the document numbers it names ("Kế hoạch 59/KH-UBND" is no topic)."""
    if not refs:
        return text
    folded = fold(text)
    if len(folded) != len(text):
        return text
    for r in refs:
        i = folded.find(r.text)
        if i >= 0:
            text = text[:i] + " " * len(r.text) + text[i + len(r.text):]
            folded = folded[:i] + " " * len(r.text) + folded[i + len(r.text):]
    return text


# A question word of its own: a clause that carries one asks its own question.
_ASKS = re.compile(r"\b(ai|nao|gi|bao nhieu|khi nao|bao gio|may|ra sao|the nao|khong|who|what|which|when|how|where)\b")
_GOES_ON = re.compile(r"(bao gom|gom|trong do|cu the|la|do|tai|o|including|which is)\b")  # one question goes on
_JOINS = re.compile(r"\s*(?:[?;]+|,|\bva\b|\band\b|\bcon\b)\s*")


MAX_PARTS = 3


def split_compound(question: str) -> list[str]:
    """A question that asks two things ("kinh tế số chiếm bao nhiêu % GRDP, DVC mức độ 4 đạt bao
    nhiêu") as its parts; one part when it asks one thing. A part keeps its own words; the places
    and years it lacks are filled in by the caller from the whole question."""
    text = " ".join(question.split())
    folded = fold(text)
    if len(folded) != len(text) or len(_ASKS.findall(folded)) < 2:
        return [text]
    cuts = [m for m in _JOINS.finditer(folded) if m.start() > 0]
    parts, last = [], 0
    for m in cuts:
        left, right = folded[last:m.start()], folded[m.end():]
        if (_ASKS.search(left) and _ASKS.search(right) and _content(left, text[last:m.start()]) >= 2
                and _content(right, text[m.end():]) >= 2 and not _GOES_ON.match(right)):
            parts.append(text[last:m.start()].strip(" ,;?") + "?")
            last = m.end()
    if not parts:
        return [text]
    parts.append(text[last:].strip(" ,;?") + "?")
    unique = list(dict.fromkeys(p for p in parts if p != "?"))
    # A person asks two or three things at once; dozens of "questions" are pasted or generated
    # text, and each part costs a retrieval: the first MAX_PARTS distinct ones are answered.
    return unique[:MAX_PARTS] or [text]


def _content(folded: str, text: str = "") -> int:
    """Content words of a clause (no question or stop words, no numbers). An accented clause is read
    with the accented stop words ("năm 2022 mới đạt bao nhiêu" has no topic of its own: "đạt" is
    not "đất")."""
    if text and re.search(r"[^\x00-\x7f]", text):
        return sum(1 for w in re.findall(r"[^\W\d_]+", text.lower()) if w not in _STOP_VI_ACCENTED
                   and w not in _STOP_EN and not _ASKS.fullmatch(fold(w)) and w not in _STATUS_WORDS)
    return sum(1 for w in re.findall(r"[a-z]+", folded) if w not in _STOP_VI and w not in _STOP_EN
               and not _ASKS.fullmatch(w))


_STATUS_WORDS = {"mới", "hiện", "đã", "còn", "giờ"}  # "năm 2022 mới đạt …": when, not what


@lru_cache(maxsize=512)
def verb_words(text: str) -> frozenset[str]:
    """Lower-case words the question uses as verbs (underthesea's tagger): "Sở Công Thương gánh
    những nhiệm vụ nào" asks what the agency must do; "gánh" says how it is asked, not about what."""
    from underthesea import pos_tag  # imported late: it loads its model on first use

    try:
        tagged = pos_tag(text)
    except Exception:  # the tagger chokes on rare inputs; then nothing is read as a verb
        return frozenset()
    return frozenset(w.lower() for token, tag in tagged if tag == "V" for w in token.split())

