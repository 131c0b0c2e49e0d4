"""Typed records passed between pipeline stages.

Offsets: every `start`/`end` is a character offset into `LoadedDocument.text`, the decoded source
text exactly as loaded (before normalization), so a citation can always be checked by slicing the
source. Work happens on the normalized text; `NormalizedText.to_source` maps spans back.

Ids are content hashes (`content_id`): the same record from the same document always gets the
same id, so re-ingesting upserts instead of duplicating.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Literal


def content_id(*parts: object) -> str:
    """Stable id from content: sha1 over the parts, 16 hex chars."""
    h = hashlib.sha1()
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class DocumentMeta:
    """Catalog facts about a document. doc_id is the file name stem."""

    doc_id: str
    title: str = ""
    province: str = ""  # province or centrally-run city of the scope; "" for national documents
    kind: str = "plan"  # "plan" (any adopted document) | "news" | "draft" ...
    issuer: str = ""
    number: str | None = None
    issued: str | None = None
    status: str | None = None
    file: str = ""
    doc_type: str = ""  # "Kế hoạch", "Nghị quyết", "Quyết định", "Chương trình", "Đề án", "Chỉ thị" …
    scope: str = ""  # the issuer's jurisdiction as answers name it: "tỉnh Quảng Ngãi", "toàn quốc"
    level: str = ""  # "national" | "province" | "district" | ""
    district: str = ""
    attached_to: str | None = None  # the document an appendix file belongs to ("Kế hoạch số 59/KH-UBND …")
    signer: str = ""  # who signed it, from the signature block
    signer_role: str = ""  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"


@dataclass
class NativeTable:
    """A table as a loader found it (DOCX/PDF/HTML): rows of cell strings, with its span."""

    rows: list[list[str]]
    start: int = 0
    end: int = 0


@dataclass
class LoadedDocument:
    """What a loader returns: the decoded text (native tables rendered into it) and metadata."""

    path: str
    text: str
    encoding: str = "utf-8"
    repaired_from: str | None = None  # legacy font encoding repaired, e.g. "TCVN3" or "VNI"
    tables: list[NativeTable] = field(default_factory=list)


@dataclass
class NormalizedText:
    """Normalized text plus, for each normalized character, its offset in the source text.

    `offsets` has len(text) + 1 entries; the last maps the end of text.
    """

    text: str
    offsets: list[int]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text to the source text."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end == start:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1


SectionKind = Literal["part", "article", "item", "subitem", "clause", "letter", "bullet", "appendix", "root"]


@dataclass
class Section:
    """A node of the section tree.

    number: as written ("III", "1", "1.3", "a", "-", "PHỤ LỤC I"); title: heading text;
    path: "III. NHIỆM VỤ › 1.3. Nền tảng số › a)"; start/end: source span of the whole node
    (heading and body, children included); norm_start/norm_end: the same in the normalized text.
    """

    id: str
    doc_id: str
    number: str
    title: str
    kind: str
    level: int
    path: str
    parent_id: str | None
    start: int
    end: int
    norm_start: int = 0
    norm_end: int = 0
    children: list[str] = field(default_factory=list)
    norm_body_start: int = 0  # normalized offset where the heading line(s) end and the body begins


@dataclass
class Citation:
    """Where a fact was stated: a quote of the source and its source span."""

    quote: str
    start: int
    end: int


@dataclass
class Task:
    id: str
    doc_id: str
    section: str  # section path (appendix path plus group rows for table rows)
    row: str | None  # row number as written in the table ("1", "1.2"), None for prose
    text: str
    lead: list[str] = field(default_factory=list)  # canonical agency names (cơ quan chủ trì)
    partners: list[str] = field(default_factory=list)  # phối hợp (and executors, below)
    timeframe: str | None = None  # raw, e.g. "2023-2025", "Năm 2023", "Hằng năm"
    start_year: int | None = None
    end_year: int | None = None
    note: str | None = None
    start: int = 0
    end: int = 0
    source: str = "table"  # "table" | "prose" | "assignment"
    assigned_by: Citation | None = None  # the "Tổ chức thực hiện" sentence that gave the owner
    # "Cơ quan thực hiện" column, apart from the phối hợp column (also listed in partners)
    executors: list[str] = field(default_factory=list)
    kind: str = "task"


@dataclass
class Target:
    id: str
    doc_id: str
    section: str
    row: str | None
    indicator: str
    baseline: str | None = None
    baseline_year: int | None = None
    baseline_source: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # {"2025": ">50%", "2030": ">70%"}
    unit: str | None = None
    owners: list[str] = field(default_factory=list)  # lead agencies (chủ trì / giao đơn vị)
    partners: list[str] = field(default_factory=list)
    legal_basis: str | None = None
    start: int = 0
    end: int = 0
    source: str = "table"  # "table" | "prose"
    assigned_by: Citation | None = None
    executors: list[str] = field(default_factory=list)  # "Cơ quan thực hiện" (also in partners)
    note: str | None = None  # e.g. owner taken from a merged cell shared with a neighbouring row
    kind: str = "target"


@dataclass
class Project:
    id: str
    doc_id: str
    section: str
    row: str | None
    name: str
    owner: list[str] = field(default_factory=list)
    purpose: str | None = None
    scope: str | None = None
    legal_basis: str | None = None
    note: str | None = None
    start: int = 0
    end: int = 0
    kind: str = "project"


@dataclass
class Assignment:
    """An ownership statement from "Tổ chức thực hiện": agency leads the tasks under sections."""

    id: str
    doc_id: str
    agency: str  # canonical
    role: str  # "lead" | "partner"
    section_ids: list[str]
    section_paths: list[str]
    sentence: str
    start: int
    end: int
    kind: str = "assignment"


Record = Task | Target | Project | Assignment


def record_to_dict(rec) -> dict:
    """JSON-ready dict of any record (dataclass)."""
    return asdict(rec)


@dataclass
class ParsedDocument:
    """Everything ingest knows about one document; the input of the index stage."""

    meta: DocumentMeta
    source_text: str  # LoadedDocument.text
    normalized: NormalizedText
    sections: list[Section]
    records: list[Task | Target | Project | Assignment]
    content_hash: str  # sha256 of the file bytes

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def tasks(self) -> list[Task]:
        return [r for r in self.records if isinstance(r, Task)]

    def targets(self) -> list[Target]:
        return [r for r in self.records if isinstance(r, Target)]

    def projects(self) -> list[Project]:
        return [r for r in self.records if isinstance(r, Project)]

    def assignments(self) -> list[Assignment]:
        return [r for r in self.records if isinstance(r, Assignment)]
