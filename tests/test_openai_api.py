"""The OpenAI-compatible API, driven by the clients people already use: the openai package and
LangChain's ChatOpenAI, each talking over HTTP to a running server (uvicorn on 127.0.0.1, the real
app, assistant and index)."""
from __future__ import annotations

import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI

from assistant.api import create_app
from tests.helpers import assert_error, serving

MOOC_Q = "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"
HD = "hai-duong-5046-kh-ubnd-2023"
SIC = "Sở Thông tin và Truyền thông"


KEY = "sk-test-plan-assistant"


@pytest.fixture(scope="module")
def server(built_index, plan_assistant, tmp_path_factory):
    settings, index = built_index
    app = create_app(settings.model_copy(update={
        "db_path": tmp_path_factory.mktemp("openai") / "app.sqlite", "rate_limit_per_minute": 1000,
        "openai_api_key": KEY}), assistant=plan_assistant, index=index)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server + "/v1", api_key=KEY, max_retries=0)


def test_models_lists_the_assistant(client):
    assert [m.id for m in client.models.list()] == ["plan-assistant"]


def test_completion_carries_markers_sources_and_structured_citations(client, http):
    done = client.chat.completions.create(model="plan-assistant", messages=[{"role": "user", "content": MOOC_Q}])
    text = done.choices[0].message.content
    asked = http.post("/v1/ask", json={"q": MOOC_Q}).json()
    assert done.choices[0].finish_reason == "stop" and done.object == "chat.completion"
    assert text.startswith(asked["answer"]) and SIC in text and "[1]" in text
    sources = text[len(asked["answer"]):]
    assert sources.startswith("\n\nNguồn:\n[1] ")
    assert sources.count("\n[") == len(asked["citations"])  # one line per citation
    citations = done.model_extra["citations"]
    assert citations == asked["citations"] and HD in [c["doc_id"] for c in citations]
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens > 0


def test_earlier_user_messages_are_the_history(client, http):
    messages = [{"role": "system", "content": "Bạn là trợ lý."},
                {"role": "user", "content": [{"type": "text", "text": MOOC_Q}]},
                {"role": "assistant", "content": "…"},
                {"role": "user", "content": "Thời gian thực hiện?"}]
    done = client.chat.completions.create(model="plan-assistant", messages=messages)
    asked = http.post("/v1/ask", json={"q": "Thời gian thực hiện?", "history": [MOOC_Q]}).json()
    assert done.choices[0].message.content.startswith(asked["answer"])
    assert done.model_extra["citations"] == asked["citations"]


def test_streamed_chunks_add_up_to_the_completion(client):
    messages = [{"role": "user", "content": MOOC_Q}]
    whole = client.chat.completions.create(model="plan-assistant", messages=messages).choices[0].message.content
    chunks = list(client.chat.completions.create(model="plan-assistant", messages=messages, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == whole
    assert len(chunks) > 3 and [c.choices[0].finish_reason for c in chunks].count("stop") == 1
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].model_extra["citations"]


def test_a_request_without_a_question_is_a_clear_4xx(client):
    with pytest.raises(openai.UnprocessableEntityError, match="no user message with text"):
        client.chat.completions.create(model="plan-assistant", messages=[{"role": "system", "content": "x"}])
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="plan-assistant", messages=[])


def test_a_configured_api_key_is_required_and_errors_have_openai_shape(server, http):
    with pytest.raises(openai.AuthenticationError, match="Wrong API key"):
        openai.OpenAI(base_url=server + "/v1", api_key="sk-wrong", max_retries=0).models.list()
    err = assert_error(http.get("/v1/models"), 401, "invalid_api_key", openai=True)
    assert err["type"] == "authentication_error" and err["param"] is None
    assert_error(http.post("/v1/ask", json={}), 422, "validation_error")  # other routes: the plain shape
    bad = http.post("/v1/chat/completions", json={"messages": "hi"}, headers={"Authorization": f"Bearer {KEY}"})
    assert assert_error(bad, 422, "validation_error", openai=True)["type"] == "invalid_request_error"


def test_langchain_chat_openai_invokes_and_streams(server):
    llm = ChatOpenAI(base_url=server + "/v1", api_key=KEY, model="plan-assistant", max_retries=0)
    reply = llm.invoke(MOOC_Q)
    assert SIC in reply.content and "Nguồn:" in reply.content
    streamed = "".join(chunk.content for chunk in llm.stream(MOOC_Q))
    assert streamed == reply.content
