"""Questions: one-shot JSON and streamed server-sent events (FastAPI's own SSE support)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent

from assistant.api.deps import StateDep
from assistant.api.schemas import ERROR_RESPONSES, AskRequest, AskResponse
from assistant.api.sse import split_pieces
from assistant.service import AskResult

router = APIRouter(prefix="/v1", tags=["ask"])


async def answered(body: AskRequest, state: StateDep, response: Response) -> AskResult:
    """The answer, computed before any response starts: errors keep their status and JSON shape
    (a stream that had begun could only break off)."""
    result = await run_in_threadpool(state.ask, body.q, body.history, body.conversation_id)
    response.headers["X-Answer-Cache"] = "hit" if result.cached else "miss"
    return result


Answered = Annotated[AskResult, Depends(answered)]


@router.post("/ask", response_model=AskResponse, response_model_exclude_none=True,
             responses=ERROR_RESPONSES, summary="Hỏi trợ lý, nhận câu trả lời có trích dẫn")
async def ask(result: Answered) -> dict:
    return result.to_json()


@router.post("/ask/stream", response_class=EventSourceResponse, responses=ERROR_RESPONSES | {200: {
    "content": {"text/event-stream": {"example":
        'event: answer\ndata: {"text": "Theo Kế hoạch 5046/KH-UBND "}\n\n'
        'event: citations\ndata: {"citations": [...]}\n\nevent: done\ndata: {...}\n\n'}},
    "description": "Sự kiện SSE: answer (từng đoạn văn bản), citations, done (toàn bộ câu trả lời)"}},
    summary="Hỏi trợ lý, nhận câu trả lời dạng luồng (server-sent events)")
async def ask_stream(result: Answered) -> AsyncIterator[ServerSentEvent]:
    payload = result.to_json()
    for piece in split_pieces(payload["answer"]):
        yield ServerSentEvent(event="answer", data={"text": piece})
    yield ServerSentEvent(event="citations", data={"citations": payload["citations"]})
    yield ServerSentEvent(event="done", data=payload)
