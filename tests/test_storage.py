"""Conversation/feedback store: redaction before storage, retention, dedupe; the redact function."""
from __future__ import annotations

import sqlite3

import pytest

from assistant.errors import AssistantError, NotFound
from assistant.redact import ID_MASK, PHONE_MASK, redact
from assistant.storage import AppStore


@pytest.mark.parametrize("text", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678",
    "+84912345678", "(+84) 912 345 678", "0084 912 345 678", "024 3825 1234", "02438251234",
])
def test_redacts_vietnamese_phone_numbers(text):
    assert redact(f"Gọi cho tôi số {text} nhé.") == f"Gọi cho tôi số {PHONE_MASK} nhé."


@pytest.mark.parametrize("text", ["001203004567", "001 203 004 567", "123456789"])
def test_redacts_id_numbers(text):
    assert redact(f"CCCD/CMND của tôi là {text}.") == f"CCCD/CMND của tôi là {ID_MASK}."


@pytest.mark.parametrize("text", [
    "Kế hoạch 5046/KH-UBND ngày 29/12/2023",
    "Tỷ lệ hồ sơ ký số năm 2025 đạt trên 50%, giai đoạn 2021-2025",
    "Tổng kinh phí 1.000.000.000 đồng, tức 123.456.789.012 đồng",
    "Quyết định số 411/QĐ-TTg; 12345678 người dùng",
    "",
])
def test_leaves_plan_numbers_years_and_amounts_alone(text):
    assert redact(text) == text


def test_add_turn_redacts_and_serves_history(tmp_path):
    store = AppStore(tmp_path / "app.sqlite", retention_days=30)
    cid = store.new_conversation_id()
    store.add_turn(cid, "a1", "Tôi là 0912 345 678, CCCD 001203004567: ai chủ trì MOOC?", "Sở TT&TT [1].",
                   citations=[{"n": 1, "doc_id": "hai-duong-5046-kh-ubnd-2023", "section": "VII", "quote": "x"}])
    store.add_turn(cid, "a2", "Còn thời gian?", "2023-2025.")
    assert store.history(cid) == [f"Tôi là {PHONE_MASK}, CCCD {ID_MASK}: ai chủ trì MOOC?", "Còn thời gian?"]
    raw = sqlite3.connect(tmp_path / "app.sqlite").execute("SELECT group_concat(question, ' ') FROM turns").fetchone()[0]
    assert "0912" not in raw and "001203004567" not in raw
    turns = store.turns(cid)
    assert turns[0]["citations"] == [{"n": 1, "doc_id": "hai-duong-5046-kh-ubnd-2023", "section": "VII"}]


def test_retention_deletes_old_rows_on_write(tmp_path):
    now = [1_000_000.0]
    store = AppStore(tmp_path / "app.sqlite", retention_days=1, clock=lambda: now[0])
    store.add_turn("old", "a-old", "Câu hỏi cũ", "Trả lời")
    store.add_feedback("up", answer_id="a-old", comment="gọi 0987654321")
    assert store.feedback()[0]["comment"] == f"gọi {PHONE_MASK}"
    now[0] += 2 * 86400
    store.add_turn("new", "a-new", "Câu hỏi mới", "Trả lời")
    assert not store.exists("old") and store.turns("old") == [] and store.feedback() == []
    assert store.history("new") == ["Câu hỏi mới"]


def test_feedback_targets_must_exist(tmp_path):
    store = AppStore(tmp_path / "app.sqlite")
    store.add_turn("c1", "a1", "q", "a")
    assert store.add_feedback("down", conversation_id="c1") == 1
    with pytest.raises(NotFound):
        store.add_feedback("up", answer_id="nope")
    with pytest.raises(AssistantError, match="Give answer_id or conversation_id"):
        store.add_feedback("up")
    with pytest.raises(AssistantError, match="rating must be"):
        store.add_feedback("meh", answer_id="a1")


def test_first_seen_deduplicates_and_persists(tmp_path):
    store = AppStore(tmp_path / "app.sqlite")
    assert store.first_seen("m1") is True
    assert store.first_seen("m1") is False
    store.close()
    assert AppStore(tmp_path / "app.sqlite").first_seen("m1") is False  # survives a restart


def test_retention_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="retention_days must be at least 1"):
        AppStore(tmp_path / "app.sqlite", retention_days=0)
