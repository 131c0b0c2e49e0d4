"""Chroma behind a small store interface: add chunks with our vectors, search by vector.

Local mode: a PersistentClient in the index version folder. Server mode (settings.chroma_url):
an HttpClient, one collection per index version. We always pass embeddings (the collection has
no embedding function, so Chroma never loads its default model), use cosine space, and keep
telemetry off.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from vectorstore.errors import IndexNotReady
from vectorstore.chunks import Chunk

ADD_BATCH = 1000


def client_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def make_client(folder: str | Path | None, url: str | None = None):
    import chromadb

    if url:
        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                       ssl=u.scheme == "https", settings=client_settings())
        except Exception as exc:
            raise IndexNotReady(f"cannot reach the Chroma server at {url} ({exc}); start it or unset "
                                "ASSISTANT_CHROMA_URL") from exc
    Path(folder).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(folder), settings=client_settings())


def collection_name(version: str) -> str:
    """Chroma names allow [a-zA-Z0-9._-], 3-512 chars."""
    return f"plan-chunks-{version}"


def _metadata(c: Chunk) -> dict:
    return {"doc_id": c.doc_id, "province": c.province, "doc_kind": c.doc_kind, "kind": c.kind,
            "section": c.section, "start": c.start, "end": c.end,
            "record_id": c.record_id or "", "record_kind": c.record_kind or ""}


def chroma_where(where: dict | None) -> dict | None:
    """{"doc_id": …, "province": …} -> a Chroma where clause (None values ignored)."""
    clauses = [{k: v} for k, v in (where or {}).items() if v not in (None, "")]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    def __init__(self, client, name: str, create: bool = False):
        self.client = client
        self.name = name
        if create:
            self.col = client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine"})
        else:
            try:
                self.col = client.get_collection(name, embedding_function=None)
            except Exception as exc:
                raise IndexNotReady(f"the vector collection {name!r} is missing; run "
                                    "`python -m assistant ingest` to rebuild the index") from exc

    def add(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        for i in range(0, len(chunks), ADD_BATCH):
            part = chunks[i:i + ADD_BATCH]
            self.col.upsert(ids=[c.id for c in part], embeddings=vectors[i:i + ADD_BATCH],
                            documents=[c.text for c in part], metadatas=[_metadata(c) for c in part])

    def count(self) -> int:
        return self.col.count()

    def search(self, vector: list[float], k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first."""
        n = self.count()
        if n == 0:
            return []
        res = self.col.query(query_embeddings=[vector], n_results=min(k, n),
                             where=chroma_where(where), include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors by chunk id (to score candidates the dense leg did not return)."""
        if not ids:
            return {}
        res = self.col.get(ids=list(ids), include=["embeddings"])
        return {cid: list(v) for cid, v in zip(res["ids"], res["embeddings"])}

    def drop(self) -> None:
        try:
            self.client.delete_collection(self.name)
        except Exception:
            pass
