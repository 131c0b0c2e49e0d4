"""Exact dense search over a version's vectors, read-only.

A build writes every chunk vector to Chroma and, beside it, to `dense.npy` (float32, one row per
chunk, L2-normalized as e5 gives them) with `dense.json` (chunk id, doc id, province per row).
Serving reads only this snapshot, memory-mapped: a local Chroma client rewrites its files each
time it opens a collection, and replicas and worker processes sharing one version folder must
never write to it. Brute-force cosine over a few tens of thousands of rows takes milliseconds.
With a Chroma server (ASSISTANT_CHROMA_URL) serving reads Chroma itself.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from vectorstore.aliases import fold

MATRIX, META = "dense.npy", "dense.json"


def write_snapshot(folder: Path, chunks, vectors: list[list[float]]) -> None:
    folder = Path(folder)
    np.save(folder / MATRIX, np.asarray(vectors, dtype=np.float32).reshape(len(chunks), -1))
    meta = {"ids": [c.id for c in chunks], "doc_ids": [c.doc_id for c in chunks],
            "provinces": [fold(c.province or "") for c in chunks]}
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


class DenseSnapshot:
    def __init__(self, matrix: np.ndarray, ids: list[str], doc_ids: list[str], provinces: list[str]):
        self.matrix = matrix
        self.ids = ids
        self.doc_ids = np.asarray(doc_ids)
        self.provinces = np.asarray(provinces)
        self._row = {cid: i for i, cid in enumerate(ids)}

    @classmethod
    def load(cls, folder: Path) -> "DenseSnapshot | None":
        folder = Path(folder)
        if not (folder / MATRIX).exists() or not (folder / META).exists():
            return None  # a version built before snapshots: read through Chroma
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        return cls(np.load(folder / MATRIX, mmap_mode="r"), meta["ids"], meta["doc_ids"], meta["provinces"])

    def count(self) -> int:
        return len(self.ids)

    def _mask(self, where: dict | None) -> np.ndarray | None:
        if not where:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if where.get("doc_id"):
            mask &= self.doc_ids == where["doc_id"]
        if where.get("province"):
            mask &= self.provinces == fold(where["province"])
        return mask

    def search(self, vector: list[float], k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first, among the rows `where` allows."""
        if not self.ids:
            return []
        scores = np.asarray(self.matrix @ np.asarray(vector, dtype=np.float32))
        mask = self._mask(where)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if np.isfinite(scores[i])]

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        return {cid: self.matrix[self._row[cid]].tolist() for cid in ids if cid in self._row}
