"""A cross-lingual bridge from English words to the corpus's own Vietnamese terms.

The glossary translates the English words someone wrote down; every other English word of a
question would otherwise count as a word the plans lack. The term bank holds the plans' own
vocabulary (compound words and frequent syllables of the indexed chunks), embedded with the
index's multilingual embedder, so an English word finds the Vietnamese terms nearest to it in the
same vector space ("investment" -> "đầu tư", "attached" -> "kèm theo").

Words are matched one by one, which e5 was not trained for: a few generic terms sit near every
word ("hubs"). Scores use CSLS (cross-domain similarity local scaling: cos twice, minus how close
the term is to English words in general, minus how close the word is to terms in general), and the
bridge returns a few candidates per word, which the composer treats as possible translations.
The hubness of each term is measured against the glossary's English phrases at build time.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

FILE = "termbank.npz"
NEIGHBOURS = 10  # k of CSLS


def corpus_terms(token_lists: list[list[str]], stop: set[str]) -> list[str]:
    """The plans' vocabulary from analyzed chunk tokens: accented compounds ("đầu_tư") and
    accented single words seen in at least two chunks, no numbers or codes, no stop words."""
    df: dict[str, int] = {}
    for toks in token_lists:
        for t in set(toks):
            df[t] = df.get(t, 0) + 1
    out = []
    for t, n in df.items():
        if not re.search(r"[^\x00-\x7f]", t) or re.search(r"[\d@&/.-]", t):
            continue
        term = t.replace("_", " ")
        if "_" in t or (n >= 2 and term not in stop and len(term) > 1):
            out.append(term)
    return sorted(out)


class TermBank:
    def __init__(self, terms: list[str], vectors: np.ndarray, hub: np.ndarray):
        self.terms = terms
        self.vectors = vectors.astype(np.float32)
        self.hub = hub.astype(np.float32)

    @classmethod
    def build(cls, terms: list[str], embedder, references: list[str]) -> "TermBank":
        vectors = np.asarray(embedder.embed_documents(terms), dtype=np.float32) if terms else np.zeros((0, embedder.dim))
        refs = embedder.embed_queries(references) if references else np.zeros((0, vectors.shape[1] if terms else 1))
        if len(terms) and len(refs):
            sims = refs @ vectors.T
            k = min(NEIGHBOURS, len(refs))
            hub = np.sort(sims, axis=0)[-k:, :].mean(axis=0)
        else:
            hub = np.zeros(len(terms), dtype=np.float32)
        return cls(terms, vectors, hub)

    def save(self, folder: Path) -> None:
        np.savez_compressed(Path(folder) / FILE, vectors=self.vectors.astype(np.float16), hub=self.hub,
                            terms=np.array(json.dumps(self.terms, ensure_ascii=False)))

    @classmethod
    def load(cls, folder: Path) -> "TermBank | None":
        path = Path(folder) / FILE
        if not path.exists():
            return None  # an index built before the bridge existed: English relies on the glossary
        data = np.load(path)
        return cls(json.loads(str(data["terms"])), data["vectors"], data["hub"])

    def translate(self, words: list[str], embedder, k: int = 3) -> dict[str, list[str]]:
        """Up to k Vietnamese terms for each English word, best first."""
        if not words or not self.terms:
            return {}
        q = embedder.embed_queries(words)
        sims = q @ self.vectors.T
        kk = min(NEIGHBOURS, sims.shape[1])
        own = np.sort(sims, axis=1)[:, -kk:].mean(axis=1, keepdims=True)
        csls = 2 * sims - self.hub[None, :] - own
        out: dict[str, list[str]] = {}
        for i, w in enumerate(words):
            order = np.argsort(-csls[i])[:k]
            out[w] = [self.terms[j] for j in order]
        return out
