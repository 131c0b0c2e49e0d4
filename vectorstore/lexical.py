"""Vietnamese lexical index: BM25 (bm25s) over underthesea word segments.

The analyzer turns text into tokens so that accentless and abbreviated queries still match:
- each segmented word in accented lowercase ("chữ_ký") and folded ("chu_ky"),
- the syllables of compounds too ("chữ", "ký", "chu", "ky"), since queries segment differently,
- one token per agency mentioned, however written ("Sở TT&TT", "STTTT", "so tttt" and
  "Sở Thông tin và Truyền thông" all give "@so_thong_tin_va_truyen_thong"),
- expansions of common abbreviations ("CĐS" -> "chuyển đổi số").
Documents and queries go through the same analyzer.
"""
from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

from vectorstore.aliases import agency_token, expand_terms, find_agencies, fold

_WORDISH = re.compile(r"\w", re.UNICODE)
_EDGE_PUNCT = re.compile(r"^[^\w&]+|[^\w&%]+$")


def _segment(text: str) -> list[str]:
    from underthesea import word_tokenize

    try:
        return word_tokenize(text)
    except Exception:  # underthesea chokes on rare inputs; whitespace split is a fine fallback
        return text.split()


def _word_tokens(text: str) -> list[str]:
    out: list[str] = []
    for word in _segment(text):
        w = _EDGE_PUNCT.sub("", word.lower())
        if not w or not _WORDISH.search(w):
            continue
        syllables = [s for s in (_EDGE_PUNCT.sub("", x) for x in w.split()) if s and _WORDISH.search(s)]
        if len(syllables) > 1:
            joined = "_".join(syllables)
            out.append(joined)
            f = fold(joined)
            if f != joined:
                out.append(f)
        for s in syllables:
            out.append(s)
            f = fold(s)
            if f != s:
                out.append(f)
    return out


_ALNUM = re.compile(r"\b(?=\w*\d)(?=\w*[^\W\d_])\w+\b")  # "5G", "IPv6", "4.0" parts: one token however segmented


def analyze(text: str) -> list[str]:
    """Tokens of a document or query (see module docstring)."""
    tokens = _word_tokens(text)
    tokens += [fold(t) for t in _ALNUM.findall(text)]
    for exp in expand_terms(text):
        tokens += _word_tokens(exp)
    for canonical in find_agencies(text):
        tokens.append(agency_token(canonical))
    return tokens


@lru_cache(maxsize=4096)
def _query_tokens(query: str) -> tuple[str, ...]:
    """analyze() for queries, remembered: one question searches the same text several times
    (per document, per scope) and word segmentation is the costly part."""
    return tuple(analyze(query))


class LexicalIndex:
    """BM25 over analyzed chunk texts; scores can be restricted to a subset of chunk ids."""

    def __init__(self, ids: list[str], retriever):
        self.ids = ids
        self._pos = {cid: i for i, cid in enumerate(ids)}
        self._bm25 = retriever
        # the last queries' scores: a question searches the same text document by document
        self._scores: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def positions(self, ids) -> np.ndarray:
        """Row numbers of chunk ids (unknown ids left out), for `search(rows=…)`."""
        return np.asarray(sorted(self._pos[cid] for cid in ids if cid in self._pos), dtype=np.int64)

    @classmethod
    def build(cls, ids: list[str], token_lists: list[list[str]]) -> "LexicalIndex":
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        retriever = bm25s.BM25()
        # bm25s cannot index an empty corpus or an empty document; a placeholder token keeps rows aligned.
        retriever.index([toks or ["\x00"] for toks in token_lists] or [["\x00"]], show_progress=False)
        return cls(list(ids), retriever)

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path) -> "LexicalIndex":
        import bm25s

        folder = Path(folder)
        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        return cls(ids, retriever)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (read-only; shared by the searches of one question)."""
        with self._lock:
            cached = self._scores.get(query)
            if cached is not None:
                self._scores.move_to_end(query)
                return cached
        vocab = self._bm25.vocab_dict
        tokens = [t for t in _query_tokens(query) if t in vocab]
        if not tokens or not self.ids:
            s = np.zeros(len(self.ids), dtype=np.float32)
        else:
            s = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)[: len(self.ids)]
        s.setflags(write=False)
        with self._lock:
            self._scores[query] = s
            if len(self._scores) > 16:
                self._scores.popitem(last=False)
        return s

    def search(self, query: str, k: int = 10, rows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk id, BM25 score) with a positive score, optionally among `rows` (see
        `positions`)."""
        s = self.scores(query)
        if rows is not None:
            s = s[rows]
        order = np.argsort(-s, kind="stable")[:k]
        chosen = order if rows is None else rows[order]
        return [(self.ids[r], float(s[i])) for r, i in zip(chosen, order) if s[i] > 0]
