"""Questions: one-shot JSON and streamed server-sent events."""
from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.api.deps import StateDep
from assistant.api.schemas import ERROR_RESPONSES, AskRequest, AskResponse
from assistant.api.sse import answer_events

router = APIRouter(prefix="/v1", tags=["ask"])


@router.post("/ask", response_model=AskResponse, response_model_exclude_none=True,
             responses=ERROR_RESPONSES, summary="Hỏi trợ lý, nhận câu trả lời có trích dẫn")
async def ask(body: AskRequest, state: StateDep, response: Response) -> dict:
    result = await run_in_threadpool(state.ask, body.q, body.history, body.conversation_id)
    response.headers["X-Answer-Cache"] = "hit" if result.cached else "miss"
    return result.to_json()


@router.post("/ask/stream", responses=ERROR_RESPONSES | {200: {
    "content": {"text/event-stream": {"example":
        'event: answer\ndata: {"text": "Theo Kế hoạch 5046/KH-UBND "}\n\n'
        'event: citations\ndata: {"citations": [...]}\n\nevent: done\ndata: {...}\n\n'}},
    "description": "Sự kiện SSE: answer (từng đoạn văn bản), citations, done (toàn bộ câu trả lời)"}},
    summary="Hỏi trợ lý, nhận câu trả lời dạng luồng (server-sent events)")
async def ask_stream(body: AskRequest, state: StateDep) -> StreamingResponse:
    # Answer before the stream starts so errors keep their status and JSON shape.
    result = await run_in_threadpool(state.ask, body.q, body.history, body.conversation_id)
    return StreamingResponse(answer_events(result.to_json()), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no",
                                      "X-Answer-Cache": "hit" if result.cached else "miss"})
