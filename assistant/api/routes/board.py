"""The officials' task board: JSON, CSV and XLSX of the same filtered, sorted view, and the
passage each row cites."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from assistant.api.deps import IndexDep
from assistant.api.schemas import ERROR_RESPONSES
from assistant.board import STATUS_LABELS, board, to_csv, to_xlsx
from assistant.errors import AssistantError, NotFound

router = APIRouter(prefix="/v1", tags=["board"], responses=ERROR_RESPONSES)


class BoardQuery:
    """The filters, read the same way by the page's data and by its exports."""

    def __init__(
        self,
        province: Annotated[str | None, Query(max_length=100, description="Tỉnh / cơ quan ban hành", examples=["Hải Dương"])] = None,
        doc_id: Annotated[str | None, Query(max_length=200)] = None,
        agency: Annotated[str | None, Query(max_length=200, examples=["Sở Y tế"])] = None,
        role: Annotated[Literal["any", "lead", "partner"], Query(description="agency chủ trì hay phối hợp")] = "any",
        kind: Annotated[Literal["task", "target", "project"] | None, Query()] = None,
        year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
        due: Annotated[Literal["past_due", "due_this_year", "later", "unspecified"] | None, Query(
            description="Tình trạng thời hạn so với as_of: " + ", ".join(f"{k} ({v})" for k, v in STATUS_LABELS.items()))] = None,
        sort: Annotated[Literal["document", "due", "kind", "lead"], Query()] = "document",
        order: Annotated[Literal["asc", "desc"], Query()] = "asc",
        as_of: Annotated[date | None, Query(description="Ngày tính thời hạn (mặc định: hôm nay)")] = None,
    ):
        self.as_of = as_of or date.today()
        self.filters = dict(province=province, doc_id=doc_id, agency=agency, role=role, kind=kind, year=year,
                            due=due, sort=sort, descending=order == "desc")

    def rows(self, index):
        return board(index, self.as_of, **self.filters)


Filters = Annotated[BoardQuery, Depends()]


def _attachment(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@router.get("/board", summary="Bảng theo dõi nhiệm vụ, chỉ tiêu, dự án (lọc, sắp xếp, tình trạng thời hạn)")
async def board_rows(index: IndexDep, q: Filters) -> dict:
    rows = await run_in_threadpool(q.rows, index)
    return {"as_of": q.as_of.isoformat(), "count": len(rows), "rows": [r.to_dict() for r in rows]}


@router.get("/board.csv", summary="Xuất CSV đúng bảng đang lọc")
async def board_csv(index: IndexDep, q: Filters) -> Response:
    rows = await run_in_threadpool(q.rows, index)
    return _attachment(to_csv(rows), "text/csv; charset=utf-8", f"nhiem-vu-{q.as_of.isoformat()}.csv")


@router.get("/board.xlsx", summary="Xuất Excel (XLSX) đúng bảng đang lọc")
async def board_xlsx(index: IndexDep, q: Filters) -> Response:
    rows = await run_in_threadpool(q.rows, index)
    body = await run_in_threadpool(to_xlsx, rows, q.as_of)
    return _attachment(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       f"nhiem-vu-{q.as_of.isoformat()}.xlsx")


MAX_PASSAGE = 6000


@router.get("/documents/{doc_id}/passage", summary="Đoạn văn bản gốc mà một dòng hay trích dẫn trỏ tới")
def passage(doc_id: Annotated[str, Path(max_length=200)], index: IndexDep,
            start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(ge=0)]) -> dict:
    if end <= start or end - start > MAX_PASSAGE:
        raise AssistantError(f"give 0 <= start < end with at most {MAX_PASSAGE} characters", status=422,
                             code="validation_error")
    meta = {d["doc_id"]: d for d in index.documents()}.get(doc_id)
    if meta is None:
        raise NotFound(f"No document {doc_id!r}; GET /v1/documents lists them.")
    text = index.source_text(doc_id)
    if start >= len(text):
        raise AssistantError(f"start is past the end of the document ({len(text)} characters)", status=422,
                             code="validation_error")
    return {"doc_id": doc_id, "title": meta.get("title"), "number": meta.get("number"),
            "start": start, "end": min(end, len(text)), "text": text[start:end]}
