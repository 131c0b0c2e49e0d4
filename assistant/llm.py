"""Optional generative answers through a LangChain chat model, checked against the context.

`settings.llm`: None (deterministic answers only), "openai" (any OpenAI-compatible endpoint via
langchain_openai.ChatOpenAI) or "ollama" (langchain_ollama.ChatOllama). The model sees the
numbered passages the retriever found and the prompts in prompts/. Its output is accepted only
when every [n] points at a passage it was given and every number in it occurs in those
passages; otherwise the grounded deterministic answer is returned unchanged.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ingest.normalize import fold

from assistant.answer_types import Answer, AnswerCitation
from assistant.errors import AssistantError

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


def load_prompt(name: str) -> str:
    return (PROMPTS / name).read_text(encoding="utf-8")


def chat_model(settings):
    """The configured LangChain chat model, or None when generative mode is off."""
    kind = (settings.llm or "").strip().lower()
    if not kind:
        return None
    if kind == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url,
                          api_key=settings.llm_api_key or "not-needed", temperature=0, timeout=60)
    if kind == "ollama":
        from langchain_ollama import ChatOllama

        kwargs = {"base_url": settings.llm_base_url} if settings.llm_base_url else {}
        return ChatOllama(model=settings.llm_model, temperature=0, **kwargs)
    if kind == "fake":  # deterministic, for demos and tests without a model server
        from assistant.fakes import ExtractiveFakeChatModel

        return ExtractiveFakeChatModel()
    raise AssistantError(f"unknown llm '{settings.llm}': use openai, ollama or leave it unset",
                         code="bad_setting")


def format_context(passages: list[AnswerCitation]) -> str:
    blocks = []
    for p in passages:
        head = f"[{p.n}] {p.title}" + (f" — {p.section}" if p.section else "")
        blocks.append(f"{head}\n{p.quote}")
    return "\n\n".join(blocks)


_CITE = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"(?<![\w\[])(\d+(?:[.,]\d+)*)\s*(%?)")


def _numbers(text: str) -> list[str]:
    """Figures in a text (citation marks excluded), normalized: "50 %" -> "50%", "1.000" kept."""
    text = _CITE.sub(" ", text)
    return [m.group(1) + m.group(2) for m in _NUMBER.finditer(text)]


def check_output(text: str, passages: list[AnswerCitation], question: str = "") -> list[str]:
    """Problems of a generated answer; an empty list means it may be shown.

    Figures must come from the passages; plain numbers (years) may also restate the question.
    """
    problems: list[str] = []
    known = {p.n for p in passages}
    cited = [int(n) for n in _CITE.findall(text)]
    if not cited:
        problems.append("no citation")
    for n in cited:
        if n not in known:
            problems.append(f"citation [{n}] points at no retrieved passage")
    context = " ".join(fold(p.quote) for p in passages)
    context_nums = set(_numbers(context)) | {n for n in _numbers(fold(question)) if not n.endswith("%")}
    context_compact = re.sub(r"\s+", "", context)
    for num in _numbers(fold(text)):
        bare = num.rstrip("%")
        if num in context_nums or (num.endswith("%") and num in context_compact):
            continue
        if not num.endswith("%") and bare in {c.rstrip("%") for c in context_nums}:
            continue
        problems.append(f"figure {num} is not in the context")
    return problems


class GenerativeAnswerer:
    """Rewrites a grounded answer with a chat model; falls back to it when the output fails."""

    def __init__(self, model, system_prompt: str | None = None, user_prompt: str | None = None):
        self.model = model
        self.system_prompt = system_prompt or load_prompt("system_vi.txt")
        self.user_prompt = user_prompt or load_prompt("user_vi.txt")
        self.last_problems: list[str] = []

    def messages(self, question: str, passages: list[AnswerCitation], language: str) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        lang = "tiếng Anh (English)" if language == "en" else "tiếng Việt"
        return [
            SystemMessage(self.system_prompt.format(language_name=lang)),
            HumanMessage(self.user_prompt.format(context=format_context(passages), question=question)),
        ]

    def generate(self, question: str, passages: list[AnswerCitation], fallback: Answer) -> Answer:
        """The model's answer when it passes `check_output`, else `fallback`."""
        if fallback.abstained or not passages:
            return fallback
        try:
            out = self.model.invoke(self.messages(question, passages, fallback.language))
        except Exception as exc:  # an unreachable model must not break answering
            self.last_problems = [f"model error: {type(exc).__name__}"]
            return fallback
        text = out.content if isinstance(out.content, str) else str(out.content)
        text = text.strip()
        self.last_problems = check_output(text, passages, question)
        if self.last_problems:
            return fallback
        cited = sorted({int(n) for n in _CITE.findall(text)})
        by_n = {p.n: p for p in passages}
        return replace(fallback, answer=text, citations=[by_n[n] for n in cited])
