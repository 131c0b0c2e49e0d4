"""Generative mode: LangChain fake chat models, output checking, fallback to the grounded answer."""
from __future__ import annotations

import pytest

from assistant.answer_types import Answer, AnswerCitation
from assistant.errors import AssistantError
from assistant.fakes import ExtractiveFakeChatModel, scripted, streaming
from assistant.llm import GenerativeAnswerer, chat_model, check_output, format_context
from assistant.settings import Settings

PASSAGES = [
    AnswerCitation(1, "hai-duong-5046-kh-ubnd-2023", "Kế hoạch 5046/KH-UBND", "2. Phát triển xã hội số",
                   "Tỷ lệ dân số trưởng thành có điện thoại thông minh | 72,32% | 80% | 95%", 10, 80),
    AnswerCitation(2, "thanh-hoa-258-kh-ubnd-2024", "Kế hoạch 258/KH-UBND", "I. MỤC TIÊU",
                   "- 80% dân số trưởng thành có điện thoại thông minh;", 100, 150),
]
FALLBACK = Answer(question="q", answer="Hải Dương: 80% (2025), 95% (2030) [1]", abstained=False,
                  language="vi", intent="target", citations=[PASSAGES[0]])


def test_grounded_output_is_accepted_with_its_citations():
    gen = GenerativeAnswerer(scripted("Hải Dương đặt mục tiêu 95% vào năm 2030 [1]; Thanh Hóa 80% [2]."))
    ans = gen.generate("điện thoại thông minh năm 2030?", PASSAGES, FALLBACK)
    assert ans.answer == "Hải Dương đặt mục tiêu 95% vào năm 2030 [1]; Thanh Hóa 80% [2]."
    assert [c.n for c in ans.citations] == [1, 2]
    assert gen.last_problems == []


def test_hallucinated_citation_falls_back():
    gen = GenerativeAnswerer(scripted("Mục tiêu là 95% [7]."))
    ans = gen.generate("q", PASSAGES, FALLBACK)
    assert ans is FALLBACK
    assert gen.last_problems == ["citation [7] points at no retrieved passage"]


def test_invented_figure_falls_back():
    gen = GenerativeAnswerer(streaming("Mục tiêu là 99% [1]."))
    ans = gen.generate("q", PASSAGES, FALLBACK)
    assert ans is FALLBACK
    assert gen.last_problems == ["figure 99% is not in the context"]


def test_answer_without_citation_falls_back():
    gen = GenerativeAnswerer(scripted("Khoảng 80%."))
    assert gen.generate("q", PASSAGES, FALLBACK) is FALLBACK
    assert gen.last_problems == ["no citation"]


def test_check_output_accepts_decimal_comma_and_years():
    assert check_output("Năm 2022 đạt 72,32% [1].", PASSAGES) == ["figure 2022 is not in the context"]
    assert check_output("Hiện trạng 72,32% [1].", PASSAGES) == []


def test_abstained_fallback_is_never_rewritten():
    abstained = Answer(question="q", answer="Không tìm thấy.", abstained=True, language="vi", intent="general")
    gen = GenerativeAnswerer(scripted("Chắc là 50% [1]."))
    assert gen.generate("q", PASSAGES, abstained) is abstained


def test_prompt_holds_numbered_context_and_language():
    gen = GenerativeAnswerer(ExtractiveFakeChatModel())
    system, user = gen.messages("What is the target?", PASSAGES, "en")
    assert "tiếng Anh" in system.content and "[n]" not in system.content.replace("[1]", "")
    assert "[1] Kế hoạch 5046/KH-UBND — 2. Phát triển xã hội số" in user.content
    assert "CÂU HỎI: What is the target?" in user.content
    assert format_context(PASSAGES[:1]).startswith("[1] ")


def test_extractive_fake_passes_the_checks():
    gen = GenerativeAnswerer(ExtractiveFakeChatModel())
    ans = gen.generate("q", PASSAGES, FALLBACK)
    assert ans.answer.endswith("[1]") and "72,32%" in ans.answer
    assert [c.n for c in ans.citations] == [1]


def test_chat_model_from_settings():
    assert chat_model(Settings(llm=None)) is None
    from langchain_openai import ChatOpenAI
    from langchain_ollama import ChatOllama

    m = chat_model(Settings(llm="openai", llm_model="gpt-x", llm_base_url="http://127.0.0.1:9/v1"))
    assert isinstance(m, ChatOpenAI) and m.model_name == "gpt-x"
    assert isinstance(chat_model(Settings(llm="ollama")), ChatOllama)
    with pytest.raises(AssistantError, match="unknown llm 'claude'"):
        chat_model(Settings(llm="claude"))


def test_unreachable_model_falls_back():
    settings = Settings(llm="openai", llm_model="m", llm_base_url="http://127.0.0.1:9/v1", llm_api_key="k")
    model = chat_model(settings)
    model.max_retries = 0
    model.request_timeout = 2
    gen = GenerativeAnswerer(model)
    assert gen.generate("q", PASSAGES, FALLBACK) is FALLBACK
    assert gen.last_problems[0].startswith("model error")
