"""Shared fixtures: the real sample corpus under data/plans."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def plans_dir() -> Path:
    return PLANS


@pytest.fixture(scope="session")
def parsed_corpus(plans_dir):
    """(documents by doc_id, ingest errors) of the sample corpus, parsed once per session."""
    from ingest.pipeline import parse_corpus

    docs, errors = parse_corpus(plans_dir)
    return {d.doc_id: d for d in docs}, errors


@pytest.fixture(scope="session")
def parsed_docs(parsed_corpus):
    """ParsedDocument by doc_id for the sample corpus."""
    return parsed_corpus[0]
