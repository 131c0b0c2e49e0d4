"""OpenAI-compatible endpoints: POST /v1/chat/completions (with `stream`) and GET /v1/models."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, format_sse_event

from assistant.api.chat_completions import completion, completion_chunks, models, question_and_history
from assistant.api.deps import StateDep, require_api_key
from assistant.api.schemas import ERROR_RESPONSES, ChatCompletionRequest

router = APIRouter(prefix="/v1", tags=["openai"], dependencies=[Depends(require_api_key)])


@router.get("/models", summary="Mô hình (giao thức OpenAI): một mô hình, plan-assistant")
def list_models() -> dict:
    return models()


@router.post("/chat/completions", responses=ERROR_RESPONSES,
             summary="Hỏi theo giao thức OpenAI chat completions (messages, stream)")
async def chat_completions(body: ChatCompletionRequest, state: StateDep):
    question, history = question_and_history([m.model_dump() for m in body.messages])
    result = await run_in_threadpool(state.ask, question, history, None, "api")
    payload = result.to_json()
    if not body.stream:
        return completion(payload, result.answer, question, history, body.model)
    lines = completion_chunks(payload, result.answer, body.model)
    events = [format_sse_event(data_str=line) for line in lines] + [format_sse_event(data_str="[DONE]")]
    return EventSourceResponse(iter(events), headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
