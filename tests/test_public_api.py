"""Each package's face: the names a caller imports from it, pinned (as httpx pins its __all__)."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

FACES = {
    "assistant": {
        "Answer": "assistant.answer_types", "AnswerCitation": "assistant.answer_types",
        "AssistantError": "ingest.errors", "PlanAssistant": "assistant.assistant",
        "Settings": "assistant.settings", "create_app": "assistant.api.app",
    },
    "vectorstore": {
        "Hit": "vectorstore.index", "IngestSummary": "vectorstore.build", "PlanIndex": "vectorstore.index",
        "build_index": "vectorstore.build", "current_version": "vectorstore.versions",
        "make_embedder": "vectorstore.embedders",
    },
    "ingest": {
        "AssistantError": "ingest.errors", "Assignment": "ingest.records", "DocumentMeta": "ingest.records",
        "IngestError": "ingest.errors", "ParsedDocument": "ingest.records", "Project": "ingest.records",
        "Section": "ingest.records", "Target": "ingest.records", "Task": "ingest.records",
        "parse_corpus": "ingest.pipeline", "parse_file": "ingest.pipeline", "parse_text": "ingest.pipeline",
    },
}


@pytest.mark.parametrize("package", sorted(FACES))
def test_package_exports_exactly_its_public_api(package):
    module = importlib.import_module(package)
    assert module.__all__ == sorted(FACES[package])
    for name, home in FACES[package].items():
        obj = getattr(module, name)
        assert obj.__module__ == home, name  # the object itself, not a copy or a wrapper
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        module.nope  # noqa: B018


def test_the_one_error_type_is_the_same_class_everywhere():
    import assistant
    import ingest
    from assistant.errors import AssistantError

    assert assistant.AssistantError is ingest.AssistantError is AssistantError


def test_importing_a_package_loads_no_heavy_stage():
    code = ("import sys, assistant, vectorstore, ingest; "
            "print(sorted(m for m in ('fastapi', 'chromadb', 'numpy', 'underthesea', 'langchain_core') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_face_is_enough_to_answer(built_index):
    from assistant import PlanAssistant, Settings
    from vectorstore import PlanIndex

    settings, index = built_index
    assert isinstance(settings, Settings) and isinstance(index, PlanIndex)
    answer = PlanAssistant(settings, index).answer("Ai chủ trì Nền tảng học trực tuyến mở MOOC ở Hải Dương?")
    assert answer.citations and not answer.abstained
