"""Read-only views of the index: search hits, records, documents."""
from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator

from assistant.api.deps import IndexDep, StateDep
from assistant.api.schemas import ERROR_RESPONSES
from assistant.user_text import VISIBLE, clean_text
from assistant.errors import NotFound

router = APIRouter(prefix="/v1", tags=["index"], responses=ERROR_RESPONSES)


def jsonable(obj):
    """Dataclasses (Hit, Chunk), pydantic models and plain containers as JSON-ready values."""
    for method in ("to_json", "to_dict"):
        if callable(getattr(obj, method, None)) and not isinstance(obj, dict):
            return jsonable(getattr(obj, method)())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    return obj


@router.get("/suggestions", summary="Câu hỏi gợi ý, tạo từ chính các văn bản đã có")
async def suggestions(state: StateDep, lang: Annotated[Literal["vi", "en"], Query()] = "vi") -> dict:
    composer = getattr(state.assistant, "composer", None)
    out = await run_in_threadpool(composer.corpus.suggestions, lang) if composer is not None else []
    return {"suggestions": out}


@router.get("/search", summary="Tìm đoạn văn bản liên quan (tìm kiếm lai)")
async def search(
    state: StateDep,
    q: Annotated[str, Query(min_length=1, max_length=500, examples=["chữ ký số 2025"],
                            json_schema_extra={"pattern": VISIBLE}), AfterValidator(clean_text)],
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict:
    hits = jsonable(await run_in_threadpool(state.assistant.search, q, k))
    for hit in hits:
        if isinstance(hit.get("chunk"), dict):
            hit["chunk"].pop("embed_text", None)  # the indexed form repeats text with prefixes
    return {"query": q, "hits": hits}


@router.get("/records", summary="Tra cứu nhiệm vụ, chỉ tiêu, dự án đã trích xuất")
async def records(
    index: IndexDep,
    kind: Annotated[Literal["task", "target", "project", "assignment"] | None, Query()] = None,
    agency: Annotated[str | None, Query(max_length=200, examples=["Sở Thông tin và Truyền thông"])] = None,
    province: Annotated[str | None, Query(max_length=100, examples=["Hải Dương"])] = None,
    doc_id: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, examples=[2025])] = None,
    q: Annotated[str | None, Query(max_length=500, examples=["chữ ký số"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict:
    rows = await run_in_threadpool(index.records.query, kind=kind, agency=agency, province=province,
                                   doc_id=doc_id, year=year, text=q, limit=limit)
    return {"count": len(rows), "records": jsonable(rows)}


@router.get("/documents", summary="Danh sách văn bản đã lập chỉ mục")
def documents(index: IndexDep) -> dict:
    docs = jsonable(index.documents())
    return {"documents": [{k: v for k, v in d.items() if k != "path"} for d in docs]}


@router.get("/documents/{doc_id}", summary="Thông tin và cây mục lục của một văn bản")
def document(doc_id: Annotated[str, Path(max_length=200)], index: IndexDep) -> dict:
    doc = index.document(doc_id)  # NotFound (404) for unknown ids
    if not doc:
        raise NotFound(f"No document {doc_id!r}; GET /v1/documents lists them.")
    # the server's file path is nobody's business
    return {k: v for k, v in jsonable(doc).items() if k != "path"}
