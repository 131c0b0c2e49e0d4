"""The officials' task board on the sample corpus: filters, deadline status against a fixed date,
sorting, and exports that hold exactly the rows of the view."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.board import due_year, status
from tests.helpers import assert_error

AS_OF = "2025-06-01"
BD = "binh-dinh-59-kh-ubnd-2022"


@pytest.fixture(scope="module")
def client(built_index, plan_assistant, tmp_path_factory):
    settings, index = built_index
    app = create_app(settings.model_copy(update={"db_path": tmp_path_factory.mktemp("board") / "app.sqlite",
                                                 "rate_limit_per_minute": 1000}), assistant=plan_assistant, index=index)
    with TestClient(app) as c:
        yield c


def get(client, **params):
    resp = client.get("/v1/board", params={"as_of": AS_OF, **params})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_deadline_of_tasks_and_target_milestones():
    task = {"kind": "task", "start_year": 2022, "end_year": 2025}
    assert due_year(task, date(2024, 1, 1)) == 2025
    target = {"kind": "target", "values": {"2025": "80%", "2030": "100%"}}
    assert [due_year(target, date(y, 6, 1)) for y in (2024, 2025, 2026, 2031)] == [2025, 2025, 2030, 2030]
    assert [status(due_year(target, date(y, 6, 1)), date(y, 6, 1)) for y in (2024, 2025, 2026, 2031)] == [
        "later", "due_this_year", "later", "past_due"]
    assert due_year({"kind": "project"}, date(2025, 1, 1)) is None and status(None, date(2025, 1, 1)) == "unspecified"


def test_whole_board_and_status_counts(client):
    body = get(client)
    assert body["as_of"] == AS_OF and body["count"] == 684 == len(body["rows"])  # 684: + the DTI ranking target
    counts = {s: sum(r["status"] == s for r in body["rows"]) for s in ("past_due", "due_this_year", "later", "unspecified")}
    assert counts == {"past_due": 16, "due_this_year": 267, "later": 45, "unspecified": 356}
    assert get(client, due="due_this_year")["count"] == 267
    assert {r["kind"] for r in body["rows"]} == {"task", "target", "project"}


def test_an_agency_as_lead_or_partner(client):
    lead = get(client, agency="Sở Y tế", role="lead")
    assert lead["count"] == 49 and all("Sở Y tế" in r["lead"] for r in lead["rows"])
    first = lead["rows"][0]
    assert (first["doc_id"], first["document"], first["timeframe"], first["due_year"], first["status"]) == (
        BD, "Kế hoạch 59/KH-UBND, 25/04/2022", "năm 2023", 2023, "past_due")
    assert get(client, agency="Sở Y tế", role="partner")["count"] == 0  # it leads, never helps, in these plans
    partner = get(client, agency="Sở Tài chính", role="partner")
    assert partner["count"] == 2 and all("Sở Tài chính" in r["partners"] for r in partner["rows"])
    anyrole = get(client, agency="so y te")  # typed without accents
    assert anyrole["count"] >= lead["count"] and {r["id"] for r in lead["rows"]} <= {r["id"] for r in anyrole["rows"]}


def test_filters_combine_and_sorting(client):
    rows = get(client, province="Thanh Hóa", kind="target", year=2025)["rows"]
    assert rows and all(r["province"] == "Thanh Hóa" and r["kind"] == "target" and "2025" in r["timeframe"] for r in rows)
    due = [r["due_year"] for r in get(client, sort="due")["rows"]]
    known = [y for y in due if y is not None]
    assert known == sorted(known) and due[len(known):] == [None] * (len(due) - len(known))  # unspecified last
    desc = get(client, sort="due", order="desc")["rows"]
    assert desc[-1]["due_year"] == min(known)


def test_exports_hold_exactly_the_view(client):
    from openpyxl import load_workbook

    params = {"as_of": AS_OF, "agency": "Sở Y tế", "role": "lead", "sort": "due"}
    view = client.get("/v1/board", params=params).json()["rows"]
    resp = client.get("/v1/board.csv", params=params)
    assert resp.headers["content-disposition"] == 'attachment; filename="nhiem-vu-2025-06-01.csv"'
    assert resp.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Loại", "Văn bản", "Tỉnh/Cơ quan ban hành"] and len(table) == len(view) + 1
    assert [row[5] for row in table[1:]] == [r["title"] for r in view]  # same rows, same order
    assert {row[10] for row in table[1:]} <= {"Quá hạn", "Đến hạn trong năm", "Chưa đến hạn", "Không nêu thời hạn"}
    book = load_workbook(io.BytesIO(client.get("/v1/board.xlsx", params=params).content))
    sheet = [[("" if v is None else str(v)) for v in row] for row in book.active.iter_rows(values_only=True)]
    assert sheet == table


def test_each_row_links_to_its_passage(client, built_index):
    _, index = built_index
    row = get(client, agency="Sở Y tế", role="lead")["rows"][0]
    p = client.get(f"/v1/documents/{row['doc_id']}/passage", params={"start": row["start"], "end": row["end"]}).json()
    assert p["text"] == index.source_text(row["doc_id"])[row["start"]:row["end"]] and "bệnh án điện tử" in p["text"]
    assert_error(client.get(f"/v1/documents/{BD}/passage", params={"start": 10, "end": 5}), 422, "validation_error")
    assert_error(client.get("/v1/documents/nope/passage", params={"start": 0, "end": 5}), 404, "not_found")
    assert_error(client.get("/v1/board", params={"due": "soon"}), 422, "validation_error")
