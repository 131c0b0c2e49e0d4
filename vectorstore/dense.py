"""Exact dense search over a version's vectors, read-only.

A build writes every chunk vector to Chroma and, beside it, to `dense.npy` (float32, one row per
chunk, L2-normalized as e5 gives them) with `dense.json` (chunk id, doc id, province per row).
Serving reads only this snapshot, memory-mapped: a local Chroma client rewrites its files each
time it opens a collection, and replicas and worker processes sharing one version folder must
never write to it. Brute-force cosine over a few tens of thousands of rows takes milliseconds;
a filtered search scores only the rows of its documents.
With a Chroma server (ASSISTANT_CHROMA_URL) serving reads Chroma itself.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from vectorstore.aliases import fold

MATRIX, META = "dense.npy", "dense.json"
_NONE = np.zeros(0, dtype=np.int64)


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
        self._rows: dict[tuple[str, str], np.ndarray] = {}  # (doc_id, province) -> row numbers
        self._by_doc: dict[str, np.ndarray] | None = None  # doc_id -> row numbers (ascending)

    @classmethod
    def load(cls, folder: Path) -> "DenseSnapshot | None":
        folder = Path(folder)
        if not (folder / MATRIX).exists() or not (folder / META).exists():
            return None  # a version built before snapshots: read through Chroma
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        return cls(np.load(folder / MATRIX, mmap_mode="r"), meta["ids"], meta["doc_ids"], meta["provinces"])

    def count(self) -> int:
        return len(self.ids)

    def rows(self, where: dict | None) -> np.ndarray | None:
        """Row numbers `where` allows (None: all rows), remembered per filter: a question searches
        document by document, and scoring only a document's rows keeps that cheap however many
        other documents the index holds."""
        if not where or not (where.get("doc_id") or where.get("province")):
            return None
        key = (where.get("doc_id") or "", fold(where.get("province") or ""))
        if not key[1]:  # one document: its rows, all documents' found in one pass
            return self._doc_rows().get(key[0], _NONE)
        rows = self._rows.get(key)
        if rows is None:
            mask = np.ones(len(self.ids), dtype=bool)
            if key[0]:
                mask &= self.doc_ids == key[0]
            if key[1]:
                mask &= self.provinces == key[1]
            rows = self._rows[key] = np.flatnonzero(mask)
        return rows

    def _doc_rows(self) -> dict[str, np.ndarray]:
        if self._by_doc is None:
            order = np.argsort(self.doc_ids, kind="stable")
            names, starts = np.unique(self.doc_ids[order], return_index=True)
            ends = [*starts[1:], len(order)]
            self._by_doc = {str(n): order[a:b] for n, a, b in zip(names, starts, ends)}
        return self._by_doc

    def search(self, vector: list[float], k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first, among the rows `where` allows."""
        return self.search_many(vector, k, [where])[0]

    def search_many(self, vector: list[float], k: int, wheres: list[dict | None]) -> list[list[tuple[str, float]]]:
        """`search` for each filter, the vector scored once: a question searched plan by plan
        over hundreds of plans costs one pass over the matrix, not one call per plan."""
        v = np.asarray(vector, dtype=np.float32)
        scopes = [self.rows(w) for w in wheres]
        covered = sum(len(self.ids) if r is None else len(r) for r in scopes)
        full = np.asarray(self.matrix @ v) if covered * 4 > len(self.ids) else None
        out = []
        for rows in scopes:
            n = len(self.ids) if rows is None else len(rows)
            if not n:
                out.append([])
                continue
            if rows is None:
                scores = full if full is not None else np.asarray(self.matrix @ v)
            else:
                scores = full[rows] if full is not None else np.asarray(self.matrix[rows] @ v)
            kk = min(k, n)
            top = np.argpartition(-scores, kk - 1)[:kk]
            top = top[np.argsort(-scores[top], kind="stable")]
            chosen = top if rows is None else rows[top]
            out.append([(self.ids[r], float(scores[i])) for r, i in zip(chosen, top)])
        return out

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        return {cid: self.matrix[self._row[cid]].tolist() for cid in ids if cid in self._row}
