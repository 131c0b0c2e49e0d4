"""What the answer builders know about the indexed corpus, loaded once per index version.

Documents with their metadata, every chunk (for evidence statistics), records as typed `Rec`s per
document, source texts for quotes, the agency names the records use, and the resolution of the
documents a question names ("Nghị quyết 03/NQ-CP", "KH 186") to the documents the index holds.
Nothing here is about one particular document: it is all read from the index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize import fold

from assistant.answers.drafting import doc_label, jurisdiction, scope_key, short_title
from assistant.answers.evidence import Vocabulary, accented_words, words
from assistant.answers.records import Rec
from assistant.glossary import province_key
from assistant.understanding import DocRef, Question

_KIND_OF_TYPE = {"ke hoach": "ke hoach", "nghi quyet": "nghi quyet", "quyet dinh": "quyet dinh",
                 "chuong trinh": "chuong trinh", "chuong trinh hanh dong": "chuong trinh", "de an": "de an",
                 "chi thi": "chi thi", "cong van": "cong van", "ket luan": "ket luan", "thong bao": "thong bao"}


@dataclass
class Scope:
    """The documents a question is about: those it names (or its province's), and what it names
    that the index does not hold."""

    doc_ids: list[str] = field(default_factory=list)  # empty: every document
    missing: list[DocRef] = field(default_factory=list)
    named: bool = False  # the question named the documents (by number or "kế hoạch 2020")


class Corpus:
    def __init__(self, index):
        self.index = index
        self.docs: dict[str, dict] = {d["doc_id"]: d for d in index.documents()}
        self.chunks = [c for c, _ in index.records.chunks()]
        self.vocab = Vocabulary([f"{c.section} {c.text}" for c in self.chunks])
        self._records: dict[str, list[Rec]] = {}
        self._by_id: dict[str, Rec] = {}
        self._sources: dict[str, str] = {}
        self._sections: dict[str, list[dict]] = {}
        for doc_id in self.docs:  # warm the caches once: answering then stays in memory
            self.records(doc_id)
            self.source(doc_id)
        names: dict[str, int] = {}
        for recs in self._records.values():
            for r in recs:
                for a in (*r.leads, *r.partners):
                    names[a] = names.get(a, 0) + 1
        self.agencies: tuple[str, ...] = tuple(sorted(names))

    # -- lookups --
    def source(self, doc_id: str) -> str:
        if doc_id not in self._sources:
            self._sources[doc_id] = self.index.source_text(doc_id)
        return self._sources[doc_id]

    def records(self, doc_id: str) -> list[Rec]:
        if doc_id not in self._records:
            recs = [Rec.of(d) for d in self.index.records.query(doc_id=doc_id, limit=100000)]
            self._records[doc_id] = recs
            self._by_id.update({r.id: r for r in recs})
        return self._records[doc_id]

    def record(self, record_id: str) -> Rec | None:
        return self._by_id.get(record_id)

    def sections(self, doc_id: str) -> list[dict]:
        if doc_id not in self._sections:
            self._sections[doc_id] = self.index.records.sections(doc_id)
        return self._sections[doc_id]

    def records_for_chunk(self, chunk) -> list[Rec]:
        if chunk.record_id:
            rec = self.record(chunk.record_id)
            if rec:
                return [rec]
        return [r for r in self.records(chunk.doc_id)
                if r.kind != "assignment" and r.start < chunk.end and r.end > chunk.start]

    def meta(self, doc_id: str) -> dict:
        return self.docs.get(doc_id, {})

    def label(self, doc_id: str, language: str) -> str:
        """"Quảng Ngãi, Kế hoạch số 38/KH-UBND (20/02/2024)": who and which document, briefly."""
        meta = self.meta(doc_id)
        where = jurisdiction(meta)
        short = doc_label(meta, language, short=True)
        return f"{where}, {short}" if where and where not in short else short

    def scope_of(self, doc_id: str) -> str:
        return scope_key(self.meta(doc_id))

    def scope_groups(self) -> list[list[str]]:
        """doc_ids grouped by jurisdiction (a province's plans together, each national issuer apart)."""
        groups: dict[str, list[str]] = {}
        for doc_id in sorted(self.docs):
            groups.setdefault(self.scope_of(doc_id), []).append(doc_id)
        return list(groups.values())

    def provinces(self) -> dict[str, str]:
        """province key -> province name as the corpus writes it."""
        return {province_key(d["province"]): d["province"] for d in self.docs.values() if d.get("province")}

    def in_provinces(self, doc_id: str, provinces: list[str]) -> bool:
        keys = {province_key(p) for p in provinces}
        return province_key(self.meta(doc_id).get("province") or "") in keys

    # -- documents a question names --
    def resolve(self, ref: DocRef, provinces: list[str] = ()) -> list[str]:
        """doc_ids of the held documents a reference names (number, then code and type to choose)."""
        found = []
        for d in self.docs.values():
            number = d.get("number") or ""
            m = re.match(r"\d+", number)
            if not m or str(int(m.group(0))) != ref.number:
                continue
            code = re.sub(r"[^a-z0-9]", "", fold(number[m.end():]))
            want = re.sub(r"[^a-z0-9]", "", ref.code)
            if want and code and not (code.startswith(want) or want.startswith(code) or code.endswith(want)):
                continue
            kind = _KIND_OF_TYPE.get(fold(d.get("doc_type") or ""), "")
            if ref.kind and kind and ref.kind != kind and not want:
                continue
            found.append(d["doc_id"])
        if provinces and len(found) > 1:
            mine = [i for i in found if self.in_provinces(i, provinces)]
            found = mine or found
        return found

    def scope(self, q: Question) -> Scope:
        """The documents a question restricts the answer to."""
        out = Scope()
        for ref in q.doc_refs:
            ids = self.resolve(ref, q.provinces)
            if ids:
                out.doc_ids += [i for i in ids if i not in out.doc_ids]
                out.named = True
            else:
                out.missing.append(ref)
        for hint in q.doc_hints:  # "kế hoạch 2020": a plan by its year; "đề án": the scheme document
            ids = []
            for d in self.docs.values():
                title, issued = fold(d.get("title") or ""), str(d.get("issued") or "")
                if hint == "de an" and "de an" in title and d.get("kind") != "plan":
                    ids.append(d["doc_id"])
                elif hint.startswith("ke hoach ") and (d.get("kind") or "plan") == "plan" and (
                        issued.startswith(hint[-4:]) or re.search(rf"(?<!den )\bnam {hint[-4:]}\b", title)):
                    ids.append(d["doc_id"])  # issued that year, or the plan for that year ("… năm 2025")
            if q.provinces:
                ids = [i for i in ids if self.in_provinces(i, q.provinces)]
            if ids:
                out.doc_ids += [i for i in ids if i not in out.doc_ids]
                out.named = True
        return out

    def mentioned(self, ref: DocRef) -> bool:
        """Does any held text cite this document ("… theo Quyết định số 411/QĐ-TTg …")? Then it is
        a subject the plans speak of, not a source the index lacks."""
        pat = re.compile(rf"(?<!\d)0*{ref.number}\s*[-/]\s*{re.escape(ref.code[:2])}" if ref.code
                         else rf"\b{ref.kind}\s+(?:so\s+)?0*{ref.number}(?!\d)")
        return any(pat.search(fold(c.text)) for c in self.chunks)

    def years_span(self) -> tuple[int, int] | None:
        if not hasattr(self, "_span"):
            texts = [f"{d.get('title')} {d.get('issued')}" for d in self.docs.values()]
            texts += [" ".join(r.values) for recs in self._records.values() for r in recs]
            texts += [s.get("title") or "" for d in self.docs for s in self.sections(d)]
            years = [int(y) for t in texts for y in re.findall(r"(?<!\d)20\d\d(?!\d)", t)]
            self._span = (min(years), max(years)) if years else None
        return self._span

    def place(self, doc_id: str) -> str:
        """Where a document applies, for evidence: a question that names a district or city the
        province list lacks ("ở Kim Sơn") is answered by that district's plan."""
        meta = self.meta(doc_id)
        return " ".join(x for x in (meta.get("scope"), meta.get("district")) if x)

    def title_words(self, doc_id: str, accented: bool) -> set[str]:
        """Words of a document's title (accented or folded)."""
        text = self.meta(doc_id).get("title") or ""
        return set(accented_words(text)) if accented else set(words(text))

    def narrow(self, topic: list[str], doc_id: str, accented: bool) -> list[str]:
        """The topic without the words that name the document itself: inside one document they tell
        nothing apart ("Chương trình hành động của Chính phủ" in its own appendix rows)."""
        named = self.title_words(doc_id, accented)
        rest = [w for w in topic if w not in named]
        return rest or topic

    def suggestions(self, language: str = "vi") -> list[str]:
        """Starter questions built from the index's own records: a figure, an owner, an agency's duties."""
        out = [self.example(language)] if self.example(language) else []
        counts: dict[tuple[str, str], int] = {}
        owner_q = ""
        for doc_id in sorted(self.docs):
            where = jurisdiction(self.meta(doc_id))
            for r in self.records(doc_id):
                if r.kind == "task" and r.leads and not owner_q and 20 < len(r.text) < 80:
                    topic = r.text[0].lower() + r.text[1:].rstrip(" .;")
                    owner_q = (f"Who leads “{r.text.rstrip(' .;')}”" + (f" in {where}?" if where else "?")
                               if language == "en" else f"Ai chủ trì {topic}" + (f" ở {where}?" if where else "?"))
                for a in r.leads:
                    counts[(a, where)] = counts.get((a, where), 0) + 1
        if owner_q:
            out.append(owner_q)
        if counts:
            (agency, where), _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if not agency.lower().startswith(("các ", "ủy ban nhân dân")):
                out.append(f"What must {agency} do" + (f" in {where}?" if where else "?") if language == "en"
                           else f"{agency}" + (f" {where}" if where else "") + " phải làm gì?")
        return out

    def example(self, language: str) -> str:
        """An example question built from the index's own records (a target with a 2025 figure)."""
        for doc_id in sorted(self.docs):
            meta = self.meta(doc_id)
            for r in self.records(doc_id):
                if r.kind == "target" and r.values and len(r.text) < 90:
                    year = next(iter(r.values))
                    where = jurisdiction(meta) or short_title(meta, language)
                    if language == "en":
                        return f"What is the {year} target of {where} for “{r.text}”?"
                    return f"Mục tiêu năm {year} của {where} về “{r.text}” là bao nhiêu?"
        return ""
