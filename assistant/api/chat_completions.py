"""The OpenAI chat-completions protocol over the assistant, for clients that already speak it
(the openai SDKs, LangChain's ChatOpenAI, Open WebUI, LibreChat).

Pure translation, no answering here: `messages` become the question (the last user message) and
the history (the user messages before it; the assistant's own replies are not needed, follow-ups
are resolved from the questions). The reply text is the answer with its [n] markers and a
sources section; the structured citations ride along in an extra `citations` field.
"""
from __future__ import annotations

import json
import time
import uuid

from assistant.answer_types import Answer
from assistant.api.sse import split_pieces
from assistant.errors import AssistantError
from assistant.user_text import MAX_QUESTION, clean_text

MODEL_ID = "plan-assistant"


def message_text(content) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(part.get("text") or "" for part in content if isinstance(part, dict)
                     and part.get("type") == "text")


def question_and_history(messages: list[dict]) -> tuple[str, list[str]]:
    users = []
    for m in messages:
        if m.get("role") != "user":
            continue
        try:
            users.append(clean_text(message_text(m.get("content"))))
        except ValueError:
            continue  # an empty or invisible message asks nothing
    if not users:
        raise AssistantError("messages hold no user message with text; send the question as "
                             '{"role": "user", "content": "…"}', status=422, code="validation_error")
    if any(len(u) > MAX_QUESTION for u in users):
        raise AssistantError(f"a user message is longer than {MAX_QUESTION} characters; ask a shorter question",
                             status=422, code="validation_error")
    return users[-1], users[-21:-1]  # the history a follow-up needs, as /v1/ask allows (20)


def sources_section(answer: Answer) -> str:
    if not answer.citations:
        return ""
    heading = "Sources:" if answer.language == "en" else "Nguồn:"
    lines = [f"[{c.n}] {c.title}" + (f" › {c.section}" if c.section else "") for c in answer.citations]
    return "\n\n" + heading + "\n" + "\n".join(lines)


def reply_text(answer: Answer) -> str:
    return answer.answer + sources_section(answer)


def _usage(question: str, history: list[str], text: str) -> dict:
    # Words, not model tokens (no tokenizer is involved); clients only display it.
    prompt = sum(len(t.split()) for t in [question, *history])
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(payload: dict, answer: Answer, question: str, history: list[str], model: str) -> dict:
    """A `chat.completion` object; `payload` is the /v1/ask body of the same answer."""
    text = reply_text(answer)
    return {
        "id": "chatcmpl-" + (payload.get("id") or uuid.uuid4().hex),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": _usage(question, history, text),
        "citations": payload["citations"],
        "conversation_id": payload.get("conversation_id"),
        "abstained": answer.abstained,
    }


def completion_chunks(payload: dict, answer: Answer, model: str) -> list[str]:
    """`chat.completion.chunk` objects as JSON lines for SSE, role first, then the reply text in
    pieces, then a last chunk that ends the message and carries the citations."""
    pieces = split_pieces(reply_text(answer))
    base = {"id": "chatcmpl-" + (payload.get("id") or uuid.uuid4().hex), "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model}

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        return json.dumps(base | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish,
                                               "logprobs": None}]} | extra, ensure_ascii=False)

    out = [chunk({"role": "assistant", "content": ""})]
    out += [chunk({"content": piece}) for piece in pieces]
    out.append(chunk({}, "stop", citations=payload["citations"], conversation_id=payload.get("conversation_id")))
    return out


def models() -> dict:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0,
                                        "owned_by": "plan-assistant"}]}
