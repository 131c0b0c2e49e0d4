"""Thumbs up/down on an answer."""
from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import StoreDep
from assistant.api.schemas import ERROR_RESPONSES, FeedbackRequest, FeedbackResponse

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", status_code=201, response_model=FeedbackResponse,
             responses=ERROR_RESPONSES, summary="Đánh giá câu trả lời (hữu ích / chưa hữu ích)")
def feedback(body: FeedbackRequest, store: StoreDep) -> FeedbackResponse:
    row_id = store.add_feedback(body.rating, answer_id=body.answer_id,
                                conversation_id=body.conversation_id, comment=body.comment)
    return FeedbackResponse(id=row_id)
