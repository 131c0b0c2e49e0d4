"""The read API over one index version: dense and lexical search, chunks, documents.

The assistant fuses the two legs (assistant/retrieval.py); building lives in vectorstore/build.py
and the version folders, lock and leases in vectorstore/versions.py.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import AssistantError, NotFound
from vectorstore.chroma_store import ChromaStore, make_client
from vectorstore.chunks import Chunk
from vectorstore.dense import DenseSnapshot
from vectorstore.embedders import Embedder, make_embedder
from vectorstore.errors import EmbedderMismatch, IndexNotReady
from vectorstore.lexical import LexicalIndex
from vectorstore.recordstore import RecordStore
from vectorstore.termbank import TermBank
from vectorstore.versions import FORMAT_VERSION, Lease, current_version, read_manifest, versions_dir


@dataclass
class Hit:
    chunk: Chunk
    score: float
    leg: str  # "dense" | "lexical" | "fused"
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"chunk": self.chunk.to_dict(), "score": self.score, "leg": self.leg, "scores": self.scores}


# -- read API -----------------------------------------------------------------------------
class PlanIndex:
    """A read-only view of one index version."""

    def __init__(self, settings, version: str, embedder: Embedder):
        self.settings = settings
        self.version = version
        self.dir = versions_dir(Path(settings.index_dir)) / version
        self.manifest: dict = read_manifest(self.dir)
        self.lease = Lease(self.dir)
        self.embedder = embedder
        self.records = None
        try:
            self.records = RecordStore(self.dir / "store.sqlite", readonly=True)
            self.lexical = LexicalIndex.load(self.dir / "lexical")
            self.termbank = TermBank.load(self.dir)
            # the dense leg reads the read-only snapshot; a Chroma server is read directly
            self.dense = None if settings.chroma_url else DenseSnapshot.load(self.dir)
            self._chroma = None
            if self.dense is None:
                self.dense = self.chroma
        except BaseException:
            self.close()
            raise
        self._qcache: dict[str, list[float]] = {}
        self._scope_rows: dict[tuple[str, str], object] = {}  # (doc_id, province) -> lexical rows
        self._provinces: dict[str, str] | None = None  # folded -> as the documents write it
        self._doc_rows: dict | None = None  # doc_id -> lexical rows

    @classmethod
    def open(cls, settings, embedder: Embedder | None = None, _retry_open: int = 3) -> "PlanIndex":
        index_dir = Path(settings.index_dir)
        version = current_version(index_dir)
        if version is None:
            raise IndexNotReady(f"no index has been built in {index_dir}; run "
                                "`python -m assistant ingest` first")
        try:
            manifest = read_manifest(versions_dir(index_dir) / version)
        except (OSError, ValueError):
            if _retry_open > 0:  # replaced and removed between reading CURRENT and now
                return cls.open(settings, embedder, _retry_open - 1)
            raise IndexNotReady(f"index version {version} has no readable manifest") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise IndexNotReady(f"the index in {index_dir} was built by an older version of the assistant "
                                f"(format {manifest.get('format')}, now {FORMAT_VERSION}); run "
                                "`python -m assistant ingest` to rebuild it (vectors are reused)")
        built = manifest.get("embedder") or {}
        if embedder is None:
            try:
                embedder = make_embedder(settings, prefer=built.get("backend"))
            except AssistantError as exc:
                raise EmbedderMismatch(
                    f"the index was built with {built.get('id')} but that embedder cannot be loaded "
                    f"here ({exc.message})") from exc
        if embedder.model_id != built.get("id") or embedder.dim != built.get("dim"):
            raise EmbedderMismatch(
                f"the index in {index_dir} was built with {built.get('id')} ({built.get('dim')} dims) "
                f"but the configured embedder is {embedder.model_id} ({embedder.dim} dims); configure "
                f"the same embedder (ASSISTANT_EMBEDDER / ASSISTANT_ST_MODEL) or run "
                "`python -m assistant ingest` to re-embed the corpus with the new one")
        try:
            return cls(settings, version, embedder)
        except (OSError, sqlite3.Error, ValueError, KeyError) as exc:
            if _retry_open > 0 and current_version(index_dir) != version:
                # a newer build replaced and removed this version while it was being opened
                return cls.open(settings, embedder, _retry_open - 1)
            raise IndexNotReady(f"index version {version} could not be opened: {exc}") from exc

    @property
    def chroma(self) -> ChromaStore:
        """The version's Chroma collection (opened on first use: a local client writes to its files)."""
        if self._chroma is None:
            client = make_client(self.dir / "chroma", self.settings.chroma_url)
            self._chroma = ChromaStore(client, self.manifest["chroma"]["collection"])
        return self._chroma

    # -- search --
    def _query_vector(self, query: str) -> list[float]:
        vec = self._qcache.get(query)
        if vec is None:
            vec = self.embedder.embed_query(query)
            if len(self._qcache) > 512:
                self._qcache.clear()
            self._qcache[query] = vec
        return vec

    def _hits(self, pairs: list[tuple[str, float]], leg: str) -> list[Hit]:
        chunks = self.records.chunks_by_ids([cid for cid, _ in pairs])
        return [Hit(chunks[cid], s, leg, {leg: s}) for cid, s in pairs if cid in chunks]

    def _where(self, where: dict | None) -> dict | None:
        """Drop empty filters; spell the province as the catalog does (Chroma compares exactly)."""
        where = {k: v for k, v in (where or {}).items() if v not in (None, "")}
        if "province" in where:
            from vectorstore.aliases import fold

            if self._provinces is None:
                self._provinces = {}
                for d in self.documents():
                    self._provinces.setdefault(fold(d.get("province") or ""), d.get("province"))
            where["province"] = self._provinces.get(fold(where["province"]).strip()) or where["province"]
        return where or None

    def search_dense(self, query: str, k: int = 10, where: dict | None = None) -> list[Hit]:
        return self._hits(self.dense_scores(query, k, [where])[0], "dense")

    def search_lexical(self, query: str, k: int = 10, where: dict | None = None) -> list[Hit]:
        return self._hits(self.lexical_scores(query, k, [where])[0], "lexical")

    def dense_scores(self, query: str, k: int, wheres: list[dict | None]) -> list[list[tuple[str, float]]]:
        """Top-k (chunk id, cosine) within each filter; the snapshot scores the query once."""
        vector = self._query_vector(query)
        wheres = [self._where(w) for w in wheres]
        if isinstance(self.dense, DenseSnapshot):
            return self.dense.search_many(vector, k, wheres)
        return [self.dense.search(vector, k, w) for w in wheres]  # a Chroma server: one query per filter

    def lexical_scores(self, query: str, k: int, wheres: list[dict | None]) -> list[list[tuple[str, float]]]:
        """Top-k (chunk id, BM25) within each filter; the query's scores are computed once."""
        return [self.lexical.search(query, k, self._lexical_rows(w)) for w in wheres]

    def _lexical_rows(self, where: dict | None):
        if not where or not (where.get("doc_id") or where.get("province")):
            return None
        key = (where.get("doc_id") or "", where.get("province") or "")
        if not key[1]:  # one document: every document's rows are found in one pass, once
            if self._doc_rows is None:
                by_doc: dict[str, list[str]] = {}
                for doc_id, cid in self.records.db.execute("SELECT doc_id, id FROM chunks"):
                    by_doc.setdefault(doc_id, []).append(cid)
                self._doc_rows = {d: self.lexical.positions(ids) for d, ids in by_doc.items()}
            return self._doc_rows.get(key[0], self.lexical.positions([]))
        rows = self._scope_rows.get(key)
        if rows is None:  # a version never changes: each scope's rows are looked up once
            rows = self.lexical.positions(self.records.chunk_ids(*key))
            if len(self._scope_rows) > 4096:
                self._scope_rows.clear()
            self._scope_rows[key] = rows
        return rows

    # -- lookups --
    def chunk(self, chunk_id: str) -> Chunk:
        c = self.records.chunk(chunk_id)
        if c is None:
            raise NotFound(f"no chunk {chunk_id!r} in the index")
        return c

    def chunks_for_record(self, record_id: str) -> list[Chunk]:
        return self.records.chunks_for_record(record_id)

    def documents(self) -> list[dict]:
        return self.records.documents()

    def document(self, doc_id: str) -> dict:
        row = self.records.document_row(doc_id)
        if row is None:
            raise NotFound(f"no document {doc_id!r} in the index; see `python -m assistant inspect`")
        meta = json.loads(row["meta"])
        return {**meta, "path": row["path"], "content_hash": row["content_hash"],
                "sections": self.records.sections(doc_id)}

    def source_text(self, doc_id: str) -> str:
        row = self.records.document_row(doc_id)
        if row is None:
            raise NotFound(f"no document {doc_id!r} in the index")
        return row["source_text"]

    def close(self) -> None:
        """Let go of the version: its store, its vectors and its lease."""
        if self.records is not None:
            self.records.close()
        self.dense = None
        self.lease.release()
