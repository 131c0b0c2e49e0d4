"""Hybrid retrieval: lexical (BM25 over folded, segmented text) + dense (e5), fused.

`HybridRetriever` is a LangChain `BaseRetriever`; the assistant calls `.retrieve(question)` with an
understood `Question` to get scored `Hit`s, LangChain callers get `Document`s.

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

import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from ingest.normalize import fold
from vectorstore.scoring import minmax

from assistant.glossary import province_key
from assistant.understanding import Question, understand

FUSIONS = ("weighted", "rrf")


@dataclass
class Scored:
    """A fused hit: the chunk, its fused score and the per-leg scores."""

    chunk: Any
    score: float
    scores: dict[str, float] = field(default_factory=dict)


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

    index: Any
    k: int = 8
    candidates: int = 30
    fusion: str = "weighted"
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

    def _legs(self, query: str, where: dict) -> tuple[dict[str, Any], dict[str, float], dict[str, float], list[str], list[str]]:
        chunks: dict[str, Any] = {}
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        wheres = [{"doc_id": d} for d in where["doc_ids"]] if "doc_ids" in where else [where or None]
        for w in wheres:
            for h in self.index.search_dense(query, k=self.candidates, where=w):
                chunks[h.chunk.id] = h.chunk
                dense[h.chunk.id] = max(dense.get(h.chunk.id, -1e9), h.score)
            for h in self.index.search_lexical(query, k=self.candidates, where=w):
                chunks[h.chunk.id] = h.chunk
                lexical[h.chunk.id] = max(lexical.get(h.chunk.id, -1e9), h.score)
        dense_rank = sorted(dense, key=dense.get, reverse=True)
        lex_rank = sorted(lexical, key=lexical.get, reverse=True)
        return chunks, dense, lexical, dense_rank, lex_rank

    def retrieve(self, question: Question, k: int | None = None, doc_ids: list[str] | None = None) -> list[Scored]:
        """Fused hits for an understood question, best first (within `doc_ids` when given)."""
        k = k or self.k
        query = question.search_text()
        for where in self.filters(question, doc_ids):
            chunks, dense, lexical, dense_rank, lex_rank = self._legs(query, where)
            if chunks:
                break
        else:
            return []
        if self.fusion == "rrf":
            fused = fuse_rrf(dense_rank, lex_rank, self.rrf_k)
            scale = max(fused.values()) if fused else 1.0
        else:
            w = self.weight if question.accented else min(self.weight, self.unaccented_weight)
            fused = fuse_weighted(dense, lexical, w)
            scale = 1.0
        years = [str(y) for y in question.years]
        out: list[Scored] = []
        for cid, s in fused.items():
            c = chunks[cid]
            if years and any(y in f"{c.section} {c.text}" for y in years):
                s += self.year_boost * scale
            out.append(Scored(c, s, {"dense": dense.get(cid, 0.0), "lexical": lexical.get(cid, 0.0)}))
        out.sort(key=lambda h: (-h.score, h.chunk.id))
        if self.reranker is not None and out:
            out = self.rerank(question.text, out[: max(k * 2, 10)])
        return out[:k]

    def retrieve_per_scope(self, question: Question, groups: list[list[str]], k: int | None = None) -> list[Scored]:
        """Best hits within each group of documents (one group per jurisdiction), merged: a topic
        whose figures or owners differ by plan is looked for in every plan."""
        out: list[Scored] = []
        for doc_ids in groups:
            out += self.retrieve(question, k, doc_ids=doc_ids)
        out.sort(key=lambda h: (-h.score, h.chunk.id))
        return out

    def rerank(self, query: str, hits: list[Scored]) -> list[Scored]:
        scores = self.reranker.predict([(query, h.chunk.text) for h in hits])
        for h, s in zip(hits, scores):
            h.scores["rerank"] = float(s)
        return sorted(hits, key=lambda h: h.scores["rerank"], reverse=True)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retrieve(understand(query))
        docs = []
        for h in hits:
            meta = h.chunk.to_dict() if hasattr(h.chunk, "to_dict") else dict(vars(h.chunk))
            meta.pop("text", None)
            meta.pop("embed_text", None)
            meta.update(score=h.score, **{f"score_{k}": v for k, v in h.scores.items()})
            docs.append(Document(page_content=h.chunk.text, metadata=meta, id=h.chunk.id))
        return docs


def load_reranker(name: str | None):
    """A local CrossEncoder (no downloads) or None."""
    if not name:
        return None
    from sentence_transformers import CrossEncoder

    from assistant.errors import AssistantError

    try:
        return CrossEncoder(name, local_files_only=True, device="cpu")
    except Exception as exc:
        raise AssistantError(f"reranker '{name}' cannot be loaded locally ({type(exc).__name__}); "
                             "set ASSISTANT_RERANKER to a local model folder or leave it unset",
                             code="reranker_unavailable") from exc
