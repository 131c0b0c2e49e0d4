"""Deterministic fake chat models (no LLM is reachable here) for tests and offline demos.

They are real LangChain chat models (langchain_core fakes or a BaseChatModel subclass), so the
generative path runs end to end: prompt building, invoke, output checking, fallback.
"""
from __future__ import annotations

import re

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult


class ExtractiveFakeChatModel(BaseChatModel):
    """Answers with the first sentence of the first context passage, cited as [n]."""

    @property
    def _llm_type(self) -> str:
        return "extractive-fake"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        prompt = messages[-1].content if messages else ""
        m = re.search(r"^\[(\d+)\][^\n]*\n([^\n]+)", prompt, re.M)
        if m:
            sentence = re.split(r"(?<=[.;])\s", m.group(2).strip())[0]
            text = f"{sentence} [{m.group(1)}]"
        else:
            text = "Không tìm thấy thông tin trong các kế hoạch hiện có."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def scripted(*responses: str) -> FakeListChatModel:
    """A model that returns the given responses in turn."""
    return FakeListChatModel(responses=list(responses))


def streaming(*responses: str) -> GenericFakeChatModel:
    """A streaming-capable model that returns the given responses in turn."""
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in responses]))
