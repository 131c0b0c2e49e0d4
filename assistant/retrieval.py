"""Hybrid retrieval: lexical (BM25 over folded, segmented text) + dense (e5), fused.

`HybridRetriever` is a LangChain `BaseRetriever`, and the answer path calls it the LangChain way:
`invoke(text, question=<understood Question>, doc_ids=…, groups=…)` gives `Document`s whose ids
are chunk ids and whose metadata carry the fused and per-leg scores; `hits(documents)` turns them
back into the index's `Hit`s (the one hit type) for the composer. `retrieve` is the same ranking
without the LangChain run (benchmarks sweep fusion settings with it).

- Filters: the documents a question names (resolved by the composer's `Scope`) restrict the
  search to them; else a named province the corpus holds restricts it to that province (falling
  back to the unfiltered search when it leaves nothing).
- Query expansion: Vietnamese glossary terms for English words, agency abbreviations.
- Fusion: "weighted" (min-max normalized scores, dense weight `weight`) or "rrf" (reciprocal
  rank fusion). Weighted is the default: it scored better on the dev set (see bench/ask.py).
- Accentless questions: the dense leg (e5) finds little for them, so its weight drops to
  `unaccented_weight`; the lexical leg indexes folded tokens and carries them.
- A chunk that mentions the asked year gets a small boost (the year is a soft filter: tasks span
  years and prose states them in headings).
- Optional reranking with a local sentence-transformers CrossEncoder (`settings.reranker`).
"""
from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.index import Hit
from vectorstore.scoring import minmax

from assistant.errors import AssistantError
from assistant.glossary import province_key
from assistant.understanding import Question, understand


def fuse_weighted(dense: dict[str, float], lexical: dict[str, float], weight: float) -> dict[str, float]:
    d, l = minmax(dense), minmax(lexical)
    return {k: weight * d.get(k, 0.0) + (1 - weight) * l.get(k, 0.0) for k in set(d) | set(l)}


def fuse_rrf(dense: list[str], lexical: list[str], k0: int = 60) -> dict[str, float]:
    out: dict[str, float] = {}
    for ranking in (dense, lexical):
        for rank, cid in enumerate(ranking):
            out[cid] = out.get(cid, 0.0) + 1.0 / (k0 + rank + 1)
    return out


class HybridRetriever(BaseRetriever):
    """Lexical + dense search over a PlanIndex, fused; a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True, validate_assignment=True)

    index: Any
    k: int = 8
    candidates: int = 30
    fusion: Literal["weighted", "rrf"] = "weighted"  # anything else is refused, not read as "weighted"
    weight: float = 0.5  # dense share in weighted fusion
    unaccented_weight: float = 0.15  # dense share for accentless questions (e5 barely reads them)
    rrf_k: int = 60
    year_boost: float = 0.1
    reranker: Any = None  # a sentence_transformers CrossEncoder, or None

    def corpus_provinces(self) -> dict[str, str]:
        """province key -> province name as the corpus writes it."""
        cached = getattr(self, "_provinces_cache", None)
        if cached is None:
            cached = {province_key(d.get("province") or ""): d.get("province") or ""
                      for d in self.index.documents() if d.get("province")}
            object.__setattr__(self, "_provinces_cache", cached)
        return cached

    def filters(self, question: Question, doc_ids: list[str] | None = None) -> list[dict]:
        """Where-filters to try in order (most specific first, unfiltered last)."""
        if doc_ids:  # the documents the question names: never answer from others
            return [{"doc_ids": list(doc_ids)}]
        known = self.corpus_provinces()
        province = next((known[province_key(p)] for p in question.provinces if province_key(p) in known), None)
        return [{"province": province}, {}] if province else [{}]

    def _leg_scores(self, query: str, wheres: list[dict | None]) -> tuple[list, list]:
        """Per filter: the dense and the lexical (chunk id, score) candidates."""
        return (self.index.dense_scores(query, self.candidates, wheres),
                self.index.lexical_scores(query, self.candidates, wheres))

    @staticmethod
    def _merge(lists: list[list[tuple[str, float]]]) -> dict[str, float]:
        scores: dict[str, float] = {}
        for pairs in lists:
            for cid, s in pairs:
                if s > scores.get(cid, -1e9):
                    scores[cid] = s
        return scores

    def retrieve(self, question: Question, k: int | None = None, doc_ids: list[str] | None = None) -> list[Hit]:
        """Fused hits for an understood question, best first (within `doc_ids` when given)."""
        query = question.search_text()
        for where in self.filters(question, doc_ids):
            wheres = [{"doc_id": d} for d in where["doc_ids"]] if "doc_ids" in where else [where or None]
            dense_lists, lexical_lists = self._leg_scores(query, wheres)
            dense, lexical = self._merge(dense_lists), self._merge(lexical_lists)
            if dense or lexical:
                return self._fuse(question, dense, lexical, k or self.k)
        return []

    def retrieve_per_scope(self, question: Question, groups: list[list[str]], k: int | None = None) -> list[Hit]:
        """Best hits within each group of documents (one group per jurisdiction), merged: a topic
        whose figures or owners differ by plan is looked for in every plan. Every plan is
        searched in one pass per leg (hundreds of plans, one scoring of the query), then each
        group's candidates are fused on their own, as if the group were searched alone."""
        docs = [d for group in groups for d in group]
        dense_lists, lexical_lists = self._leg_scores(question.search_text(), [{"doc_id": d} for d in docs])
        per_doc = {d: (dl, ll) for d, dl, ll in zip(docs, dense_lists, lexical_lists)}
        out: list[Hit] = []
        for group in groups:
            dense = self._merge([per_doc[d][0] for d in group])
            lexical = self._merge([per_doc[d][1] for d in group])
            if dense or lexical:
                out += self._fuse(question, dense, lexical, k or self.k)
        out.sort(key=lambda h: (-h.score, h.chunk.id))
        return out

    def _fuse(self, question: Question, dense: dict[str, float], lexical: dict[str, float], k: int) -> list[Hit]:
        if self.fusion == "rrf":
            dense_rank = sorted(dense, key=dense.get, reverse=True)
            lex_rank = sorted(lexical, key=lexical.get, reverse=True)
            fused = fuse_rrf(dense_rank, lex_rank, self.rrf_k)
            scale = max(fused.values()) if fused else 1.0
        else:
            w = self.weight if question.accented else min(self.weight, self.unaccented_weight)
            fused = fuse_weighted(dense, lexical, w)
            scale = 1.0
        years = [str(y) for y in question.years]
        # the year boost reads every candidate's text; otherwise only the top k are read
        chunks = self.index.records.chunks_by_ids(list(fused)) if years else None
        for cid, c in (chunks or {}).items():
            if any(y in f"{c.section} {c.text}" for y in years):
                fused[cid] += self.year_boost * scale
        ranked = sorted(fused, key=lambda cid: (-fused[cid], cid))
        top = ranked[: max(k * 2, 10) if self.reranker is not None else k]
        if chunks is None:
            chunks = self.index.records.chunks_by_ids(top)
        out = [Hit(chunks[cid], fused[cid], "fused", {"dense": dense.get(cid, 0.0), "lexical": lexical.get(cid, 0.0)})
               for cid in top if cid in chunks]
        if self.reranker is not None and out:
            out = self.rerank(question.text, out)
        return out[:k]

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        scores = self.reranker.predict([(query, h.chunk.text) for h in hits])
        for h, s in zip(hits, scores):
            h.scores["rerank"] = float(s)
        return sorted(hits, key=lambda h: h.scores["rerank"], reverse=True)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                question: Question | None = None, doc_ids: list[str] | None = None,
                                groups: list[list[str]] | None = None, k: int | None = None) -> list[Document]:
        """`query` alone is read here; the assistant passes the `question` it already understood
        (with its history and the index's vocabulary), and the documents (`doc_ids`) or
        jurisdictions (`groups`, one search each) to search."""
        q = question if question is not None else understand(query)
        found = self.retrieve_per_scope(q, groups, k) if groups else self.retrieve(q, k, doc_ids=doc_ids)
        docs = []
        for h in found:
            meta = h.chunk.to_dict()
            meta.pop("text", None)
            meta.pop("embed_text", None)
            meta.update(score=h.score, **{f"score_{k}": v for k, v in h.scores.items()})
            docs.append(Document(page_content=h.chunk.text, metadata=meta, id=h.chunk.id))
        return docs

    def hits(self, documents: list[Document]) -> list[Hit]:
        """The index's hits behind documents this retriever returned, in their order."""
        chunks = self.index.records.chunks_by_ids([d.id for d in documents])
        out = []
        for d in documents:
            scores = {k[len("score_"):]: v for k, v in d.metadata.items() if k.startswith("score_")}
            out.append(Hit(chunks[d.id], d.metadata["score"], "fused", scores))
        return out


def load_reranker(name: str | None):
    """A local CrossEncoder (no downloads) or None."""
    if not name:
        return None
    from sentence_transformers import CrossEncoder

    try:
        return CrossEncoder(name, local_files_only=True, device="cpu")
    except Exception as exc:
        raise AssistantError(f"reranker '{name}' cannot be loaded locally ({type(exc).__name__}); "
                             "set ASSISTANT_RERANKER to a local model folder or leave it unset",
                             code="reranker_unavailable") from exc
