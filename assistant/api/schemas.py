"""Request and response models of the API, with Vietnamese examples for the OpenAPI docs."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, model_validator

from assistant.user_text import MAX_QUESTION, VISIBLE, clean_text

CONVERSATION_ID = r"^[0-9a-f]{32}$"  # ids the API issues (uuid4 hex); Zalo ids never match
Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION,
                                json_schema_extra={"pattern": VISIBLE}), AfterValidator(clean_text)]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"q": "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"},
        {"q": "Còn Thanh Hóa thì sao?", "conversation_id": "3f2a9c0e5b6d4e7f8a9b0c1d2e3f4a5b"},
        {"q": "Còn năm 2030?", "history": ["Tỷ lệ hồ sơ ký số năm 2025 của Hải Dương là bao nhiêu?"]},
    ]})

    # "question" too: the name the answer itself uses, and what a newcomer sends first
    q: Question = Field(validation_alias=AliasChoices("q", "question"),
                        description="Câu hỏi (tiếng Việt hoặc tiếng Anh); `question` cũng được nhận.")
    history: list[Question] | None = Field(
        default=None, max_length=20,
        description="Các câu hỏi trước của người dùng, cũ nhất trước. Bỏ trống để dùng lịch sử "
                    "của conversation_id trên máy chủ.")
    conversation_id: str | None = Field(
        default=None, pattern=CONVERSATION_ID,
        description="Mã hội thoại do API cấp ở câu trả lời trước; dùng cho câu hỏi nối tiếp.")


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    section: str
    quote: str
    start: int
    end: int


class AskResponse(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "id": "9b1f0c2e4d6a48b3a1c5e7f9d2b4c6e8",
        "conversation_id": "3f2a9c0e5b6d4e7f8a9b0c1d2e3f4a5b",
        "question": "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?",
        "answer": "Theo Kế hoạch 5046/KH-UBND của UBND tỉnh Hải Dương, Sở Thông tin và Truyền "
                  "thông chủ trì triển khai Nền tảng học trực tuyến mở (MOOC) về kỹ năng số, "
                  "thời gian 2023-2025 [1].",
        "abstained": False, "language": "vi", "intent": "owner",
        "citations": [{"n": 1, "doc_id": "hai-duong-5046-kh-ubnd-2023",
                       "title": "Kế hoạch thực hiện Chiến lược phát triển kinh tế số và xã hội số …",
                       "section": "PHỤ LỤC › VII. Phát triển kỹ năng số, công dân số, văn hóa số",
                       "quote": "Triển khai Nền tảng học trực tuyến mở (MOOC) về kỹ năng số — "
                                "Sở Thông tin và Truyền thông — 2023-2025",
                       "start": 51234, "end": 51300}],
        "records": [],
    }]})

    id: str | None
    conversation_id: str
    question: str
    answer: str
    abstained: bool
    language: str
    intent: str
    citations: list[Citation]
    records: list[dict]
    standalone_question: str | None = None
    suggestions: list[str] | None = None


FEEDBACK_EXAMPLES = [
    {"answer_id": "9b1f0c2e4d6a48b3a1c5e7f9d2b4c6e8", "rating": "up",
     "comment": "Trả lời đúng, có trích dẫn rõ ràng."},
    {"conversation_id": "3f2a9c0e5b6d4e7f8a9b0c1d2e3f4a5b", "rating": "down",
     "comment": "Thiếu số liệu năm 2030."},
]


def _feedback_schema(schema: dict) -> None:
    # In the schema too, so clients (and fuzzers) know a rating needs something to rate.
    schema["examples"] = FEEDBACK_EXAMPLES
    schema["anyOf"] = [{"required": [name], "properties": {name: {"type": "string"}}}
                       for name in ("answer_id", "conversation_id")]


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_feedback_schema)

    answer_id: str | None = Field(default=None, min_length=1, max_length=64)
    conversation_id: str | None = Field(default=None, min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _has_target(self):
        if not self.answer_id and not self.conversation_id:
            raise ValueError("give answer_id or conversation_id of the answer you rate")
        return self


class FeedbackResponse(BaseModel):
    ok: bool = True
    id: int


class ErrorBody(BaseModel):
    code: str
    message: str
    status: int


class ErrorResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"error": {"code": "not_found", "message": "No document 'abc'.", "status": 404}}]})

    error: ErrorBody


ERROR_RESPONSES = {s: {"model": ErrorResponse} for s in (400, 404, 413, 422, 429, 503)}


class ChatMessage(BaseModel):
    """One OpenAI-style message; content is text or a list of content parts ({"type": "text", …})."""
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict] | None = None


class ChatCompletionRequest(BaseModel):
    """The OpenAI chat-completions request; sampling options (temperature, max_tokens …) are
    accepted and ignored: the answer is grounded, not sampled."""
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"model": "plan-assistant", "messages": [
            {"role": "user", "content": "Ai chủ trì Nền tảng học trực tuyến mở MOOC ở Hải Dương?"}]},
        {"model": "plan-assistant", "stream": True, "messages": [
            {"role": "user", "content": "Mục tiêu kinh tế số năm 2025 của Thanh Hóa?"},
            {"role": "assistant", "content": "…"}, {"role": "user", "content": "Còn năm 2030?"}]},
    ]})

    model: str = "plan-assistant"
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
