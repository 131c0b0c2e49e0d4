"""Zalo OA bot: signature, freshness, dedupe, durable delivery, token refresh, splitting, commands,
against a fake OA server on 127.0.0.1 and the real app on the real built index."""
from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.storage import AppStore
from assistant.zalo.client import ZaloClient, ZaloError, ZaloRetryable
from assistant.zalo.commands import HELP, run_command
from assistant.zalo.fake_oa import FakeOA
from assistant.zalo.signature import sign
from assistant.zalo.text import format_answer, source_lines, split_message
from tests.helpers import wait_until

OA_SECRET = "oa-secret-key"
MOOC_Q = "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"


@pytest.fixture()
def oa():
    with FakeOA(app_id="app-1", app_secret="app-secret", access_token="access-0",
                refresh_token="refresh-0") as server:
        yield server


def zalo_settings(base, tmp_path, oa, **extra):
    return base.model_copy(update={
        "db_path": tmp_path / "app.sqlite", "zalo_app_id": "app-1", "zalo_app_secret": "app-secret",
        "zalo_oa_secret": OA_SECRET, "zalo_access_token": "access-0", "zalo_refresh_token": "refresh-0",
        "zalo_api_base": oa.url, "zalo_oauth_base": oa.url, "zalo_token_file": tmp_path / "zalo-token.json",
        "zalo_backoff_seconds": 0.01, "zalo_backoff_max_seconds": 0.2, **extra})


@pytest.fixture()
def bot_app(built_index, plan_assistant, tmp_path, oa):
    settings, index = built_index
    app = create_app(zalo_settings(settings, tmp_path, oa), assistant=plan_assistant, index=index)
    with TestClient(app) as client:  # the lifespan runs the delivery queue
        yield client


def now_ms(offset_seconds: float = 0.0) -> str:
    return str(int((time.time() + offset_seconds) * 1000))


def event(text: str, msg_id: str = "msg-1", user: str = "user-42", name: str = "user_send_text",
          timestamp: str | None = None) -> dict:
    return {"event_name": name, "app_id": "app-1", "sender": {"id": user}, "recipient": {"id": "oa-1"},
            "message": {"text": text, "msg_id": msg_id}, "timestamp": timestamp or now_ms(),
            "user_id_by_app": "u-app-42"}


def post_event(client: TestClient, ev: dict, secret: str = OA_SECRET, tamper: bool = False,
               ensure_ascii: bool = False):
    raw = json.dumps(ev, ensure_ascii=ensure_ascii).encode()
    sig = sign(ev["app_id"], raw, ev["timestamp"], secret)
    if tamper:
        raw = raw.replace(b"user-42", b"user-43")
    return client.post("/zalo/webhook", content=raw,
                       headers={"X-ZEvent-Signature": sig, "Content-Type": "application/json"})


# -- webhook on the real app -----------------------------------------------------------------

def test_signed_event_is_answered_with_sources(bot_app, oa):
    resp = post_event(bot_app, event(MOOC_Q))
    assert resp.status_code == 200 and resp.json() == {"ok": True}
    assert wait_until(lambda: len(oa.messages) == 1)
    msg = oa.messages[0]
    assert msg["user_id"] == "user-42"
    assert "Sở Thông tin và Truyền thông" in msg["text"]
    assert "Nguồn:\n[1] Kế hoạch thực hiện Chiến lược phát triển kinh tế số" in msg["text"]


@pytest.mark.parametrize("kind", ["wrong_secret", "tampered_body", "missing"])
def test_bad_signature_is_rejected_with_401_shape(bot_app, oa, kind):
    ev = event(MOOC_Q)
    if kind == "missing":
        resp = bot_app.post("/zalo/webhook", json=ev)
    else:
        resp = post_event(bot_app, ev, secret="other" if kind == "wrong_secret" else OA_SECRET,
                          tamper=kind == "tampered_body")
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "bad_signature"
    assert set(resp.json()["error"]) == {"code", "message", "status"}
    assert oa.messages == []


def test_duplicate_delivery_is_processed_once(bot_app, oa):
    for _ in range(3):
        assert post_event(bot_app, event("trợ giúp", msg_id="dup-7")).status_code == 200
    store = bot_app.app.state.assistant_state.store
    assert wait_until(lambda: store.zalo_counts()["done"] == 1)
    assert [m["text"] for m in oa.messages] == [HELP] and store.zalo_counts()["pending"] == 0


def test_other_events_are_acknowledged_and_ignored(bot_app, oa):
    assert post_event(bot_app, event("", name="user_seen_message")).status_code == 200
    assert post_event(bot_app, event("x", name="follow", msg_id="f1")).status_code == 200
    assert oa.messages == [] and sum(bot_app.app.state.assistant_state.store.zalo_counts().values()) == 0


def test_follow_ups_are_kept_per_zalo_user(bot_app, oa):
    post_event(bot_app, event(MOOC_Q, msg_id="a1"))
    post_event(bot_app, event("Thời gian thực hiện?", msg_id="a2"))
    assert wait_until(lambda: len(oa.messages) == 2)  # in the order they were sent
    store = bot_app.app.state.assistant_state.store
    assert store.history("zalo:user-42") == [MOOC_Q, "Thời gian thực hiện?"]
    assert "2023-2025" in oa.messages[1]["text"]


def test_expired_token_is_refreshed_through_the_webhook(bot_app, oa, tmp_path):
    oa.expire()  # "access-0" stops working; "refresh-0" is still valid
    post_event(bot_app, event("help", msg_id="e1"))
    assert wait_until(lambda: len(oa.messages) == 1)
    assert [m["token"] for m in oa.messages] == ["access-1"]
    saved = bot_app.app.state.assistant_state.store.zalo_token()
    assert (saved["access_token"], saved["refresh_token"]) == ("access-1", "refresh-1")


@pytest.mark.parametrize("timestamp", [now_ms(-86400), now_ms(-30 * 86400), now_ms(-365 * 86400),
                                       now_ms(86400), "not-a-time", "-5", "NaN"])
def test_replayed_or_future_events_are_refused(bot_app, oa, timestamp):
    resp = post_event(bot_app, event(MOOC_Q, msg_id="old-1", timestamp=timestamp))
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "stale_event"
    assert oa.messages == [] and bot_app.app.state.assistant_state.store.zalo_counts()["pending"] == 0


def test_an_event_inside_the_window_is_answered(bot_app, oa):
    resp = post_event(bot_app, event("trợ giúp", msg_id="w1", timestamp=now_ms(-200)))
    assert resp.status_code == 200 and wait_until(lambda: len(oa.messages) == 1)
    assert [m["text"] for m in oa.messages] == [HELP]


@pytest.mark.parametrize("raw", [b"[" * 30_000 + b"]" * 30_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
                                 b"\xff\xfe\x00", b"", b"null", b'{"app_id": {"x": 1}, "timestamp": 1}',
                                 b'{"app_id": "\\ud800", "timestamp": "1"}',
                                 b'{"app_id": "app-1", "timestamp": "\\udfff"}'])
def test_hostile_webhook_bodies_get_401_without_a_traceback(bot_app, oa, caplog, raw):
    caplog.set_level(logging.DEBUG)
    resp = bot_app.post("/zalo/webhook", content=raw, headers={"X-ZEvent-Signature": "mac=" + "0" * 64})
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "bad_signature"
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_signed_message_with_a_lone_surrogate_is_answered(bot_app, oa):
    resp = post_event(bot_app, event(MOOC_Q + "\ud800", msg_id="s1"), ensure_ascii=True)
    assert resp.status_code == 200 and wait_until(lambda: len(oa.messages) == 1)
    assert "Sở Thông tin và Truyền thông" in oa.messages[0]["text"]


def test_no_reply_is_lost_while_the_oa_rate_limits_a_burst(bot_app, oa):
    oa.rate_limit_for(1.5)
    for i in range(20):
        assert post_event(bot_app, event("trợ giúp", msg_id=f"b{i}", user=f"u{i}")).status_code == 200
    assert wait_until(lambda: len(oa.messages) == 20)
    assert sorted(m["user_id"] for m in oa.messages) == sorted(f"u{i}" for i in range(20))
    assert oa.errors.count(-32) >= 1  # the burst did meet the rate limit
    state = bot_app.app.state.assistant_state
    assert wait_until(lambda: state.store.zalo_counts()["done"] == 20)
    assert bot_app.get("/readyz").json()["zalo_outbox"] == {"pending": 0, "failed": 0}


def test_a_refused_token_keeps_the_message_until_an_operator_retries(built_index, plan_assistant, tmp_path, oa):
    settings, index = built_index
    app = create_app(zalo_settings(settings, tmp_path, oa, zalo_refresh_token="spent", admin_key="k" * 24,
                                   zalo_delivery_hours=0.5 / 3600),
                     assistant=plan_assistant, index=index)
    oa.expire()  # the token is rejected and its refresh is refused: nothing can be sent
    with TestClient(app) as client:
        assert post_event(client, event("trợ giúp", msg_id="t1")).status_code == 200
        admin = {"X-Admin-Key": "k" * 24}
        assert wait_until(lambda: client.get("/v1/admin/zalo/outbox", headers=admin).json()["counts"]["failed"] == 1)
        (failed,) = client.get("/v1/admin/zalo/outbox", params={"status": "failed"}, headers=admin).json()["messages"]
        assert failed["msg_id"] == "t1" and "refresh refused" in failed["last_error"]
        assert client.get("/readyz").json()["zalo_outbox"] == {"pending": 0, "failed": 1}
        assert oa.messages == []
        assert client.post("/v1/admin/zalo/outbox/retry").status_code == 401
        oa.valid_access.add("access-0")  # the operator put a working token in place
        assert client.post("/v1/admin/zalo/outbox/retry", headers=admin).json() == {"requeued": 1}
        assert wait_until(lambda: len(oa.messages) == 1)
        assert oa.messages[0]["text"] == HELP


class FlakyAssistant:
    """Raises on its first answer (a bug, a locked file), answers normally afterwards."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def answer(self, question, history=()):
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("answerer crashed")
        return self.inner.answer(question, history)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_failing_answer_is_retried_not_dropped(built_index, plan_assistant, tmp_path, oa):
    settings, index = built_index
    flaky = FlakyAssistant(plan_assistant)
    app = create_app(zalo_settings(settings, tmp_path, oa), assistant=flaky, index=index)
    with TestClient(app) as client:
        assert post_event(client, event(MOOC_Q, msg_id="f1")).status_code == 200
        assert wait_until(lambda: len(oa.messages) == 1)
    assert flaky.calls == 2 and "Sở Thông tin và Truyền thông" in oa.messages[0]["text"]


def test_messages_stored_before_a_restart_are_delivered_after_it(built_index, plan_assistant, tmp_path, oa):
    settings, index = built_index
    store = AppStore(tmp_path / "app.sqlite")
    store.enqueue_zalo("r1", "user-7", "trợ giúp")  # stored by a process that died before replying
    store.close()
    app = create_app(zalo_settings(settings, tmp_path, oa), assistant=plan_assistant, index=index)
    with TestClient(app):
        assert wait_until(lambda: len(oa.messages) == 1)
    assert oa.messages[0]["user_id"] == "user-7" and oa.messages[0]["text"] == HELP


def test_commands_read_the_record_store(built_index):
    _, index = built_index
    tasks = run_command("/nhiemvu Sở TT&TT Hải Dương", lambda: index)
    assert tasks.startswith("Nhiệm vụ do Sở Thông tin và Truyền thông (Hải Dương) chủ trì: ")
    assert "Triển khai Nền tảng học trực tuyến mở (MOOC) về kỹ năng số" in tasks
    targets = run_command("/chitieu 2025 Hải Dương", lambda: index)
    assert targets.startswith("Chỉ tiêu năm 2025 của Hải Dương: ")
    assert run_command("Trợ giúp", lambda: index) == HELP
    assert run_command("/chitieu", lambda: index).startswith("Cú pháp: /chitieu <năm>")
    assert run_command("Ai chủ trì MOOC?", lambda: index) is None


def test_commands_with_a_year_and_the_boards_deadline_filters(built_index):
    from datetime import date

    from assistant.board import board
    from assistant.zalo.commands import due_reply

    _, index = built_index
    in_2023 = run_command("/nhiemvu Sở Y tế 2023", lambda: index)
    assert in_2023.startswith("Nhiệm vụ do Sở Y tế chủ trì trong năm 2023: 14\n")
    due = due_reply(index, "Sở Y tế", "due_this_year", date(2025, 6, 1))
    expected = [r for r in board(index, date(2025, 6, 1), agency="Sở Y tế", due="due_this_year", sort="due")
                if r.kind in ("task", "target")]
    assert due.startswith(f"Nhiệm vụ, chỉ tiêu của Sở Y tế đến hạn trong năm 2025: {len(expected)}\n")
    assert "(Kế hoạch 59/KH-UBND, 25/04/2022, hạn 2025)" in due and len(due.splitlines()) == 1 + 15 + 1
    late = due_reply(index, "Sở Y tế Bình Định", "past_due", date(2025, 6, 1))
    assert late.startswith("Nhiệm vụ, chỉ tiêu của Sở Y tế (Bình Định) đã quá hạn (tính đến 01/06/2025): ")
    assert "hạn 2023" in late and "hạn 2025" not in late
    assert f"đến hạn trong năm {date.today().year}" in run_command("/denhan", lambda: index)  # today's year


# -- OA client against the fake server ---------------------------------------------------------

def make_client(base, tmp_path, oa, **extra) -> ZaloClient:
    return ZaloClient(zalo_settings(base, tmp_path, oa, **extra), AppStore(tmp_path / "app.sqlite"))


def test_refresh_stores_new_pair_before_retry_in_a_0600_store(built_index, tmp_path, oa, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(built_index[0], tmp_path, oa)
    oa.expire()
    client.send_text("user-1", "Xin chào")
    assert oa.refreshes == [{"refresh_token": "refresh-0", "app_id": "app-1", "grant_type": "refresh_token"}]
    assert oa.messages == [{"user_id": "user-1", "text": "Xin chào", "token": "access-1"}]
    assert stat.S_IMODE(os.stat(tmp_path / "app.sqlite").st_mode) == 0o600
    assert client.token()["refresh_token"] == "refresh-1"
    # a new process starts from the stored pair, not the spent one in the environment
    assert make_client(built_index[0], tmp_path, oa).token()["refresh_token"] == "refresh-1"
    logged = caplog.text
    assert all(secret not in logged for secret in ("access-0", "access-1", "refresh-0", "refresh-1",
                                                   "app-secret", OA_SECRET))


def test_one_refresh_for_concurrent_senders(built_index, tmp_path, oa):
    client = make_client(built_index[0], tmp_path, oa)
    oa.expire()
    threads = [threading.Thread(target=client.send_text, args=(f"u{i}", "hi")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(oa.refreshes) == 1  # the refresh token is single-use: a second refresh would fail
    assert sorted(m["user_id"] for m in oa.messages) == ["u0", "u1", "u2", "u3"]


def test_refused_refresh_is_an_error(built_index, tmp_path, oa):
    client = make_client(built_index[0], tmp_path, oa, zalo_refresh_token="spent")
    oa.expire()
    with pytest.raises(ZaloError, match="refresh refused: error -14014"):
        client.send_text("u", "hi")
    assert client.token()["refresh_token"] == "spent"  # nothing stored from a refused refresh


def test_a_pair_saved_by_an_earlier_version_is_taken_over(built_index, tmp_path, oa):
    (tmp_path / "zalo-token.json").write_text(json.dumps({"access_token": "access-0", "refresh_token": "refresh-0"}))
    client = make_client(built_index[0], tmp_path, oa, zalo_access_token="stale", zalo_refresh_token="stale")
    assert (client.token()["access_token"], client.token()["refresh_token"]) == ("access-0", "refresh-0")
    client.send_text("u", "hi")
    assert oa.messages[0]["token"] == "access-0"


def test_a_send_is_one_attempt_and_a_rate_limit_is_retryable(built_index, tmp_path, oa):
    client = make_client(built_index[0], tmp_path, oa)
    oa.rate_limited = 1
    with pytest.raises(ZaloRetryable, match="error -32") as err:
        client.send_text("u", "hi")  # no sleeping inside: the delivery queue decides when to retry
    assert err.value.zalo_code == -32 and oa.errors == [-32] and oa.messages == []
    client.send_text("u", "hi")
    assert oa.messages == [{"user_id": "u", "text": "hi", "token": "access-0"}]


def test_an_unreachable_oa_is_retryable(built_index, tmp_path, oa):
    client = make_client(built_index[0], tmp_path, oa, zalo_api_base="http://127.0.0.1:9")
    with pytest.raises(ZaloRetryable, match="unreachable"):
        client.send_text("u", "hi")


def test_send_reply_resumes_after_the_parts_already_sent(built_index, tmp_path, oa):
    client = make_client(built_index[0], tmp_path, oa)
    text = "\n\n".join(c * 1500 for c in "ABC")
    seen: list[int] = []
    assert client.send_reply("u", text, skip=1, progress=seen.append) == 3
    assert [m["text"][0] for m in oa.messages] == ["B", "C"] and seen == [2, 3]


def test_long_reply_is_split_into_parts_of_at_most_2000(built_index, tmp_path, oa):
    client = make_client(built_index[0], tmp_path, oa)
    paragraph = " ".join(f"Câu số {i} nói về chuyển đổi số của tỉnh." for i in range(40))
    text = "\n\n".join([paragraph] * 4) + "\n\nNguồn:\n" + "\n".join(f"[{i}] Kế hoạch — mục {i}" for i in range(1, 6))
    client.send_reply("u", text)
    parts = [m["text"] for m in oa.messages]
    assert len(parts) >= 3 and all(len(p) <= 2000 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert all(p.endswith(".") or p.endswith("5") for p in parts)  # cut on sentence/paragraph ends


# -- pure text functions ----------------------------------------------------------------------

def test_split_message_prefers_paragraphs_then_sentences():
    a, b = "A" * 1500 + ".", "B" * 1500 + "."
    assert split_message(f"{a}\n\n{b}") == [a, b]
    long = " ".join(["Một câu khá dài về kế hoạch."] * 150)  # one 4,349-char paragraph
    parts = split_message(long)
    assert [len(p) for p in parts] == [2000, 2000, 347]  # 69 + 69 + 12 sentences of 28 chars
    assert all(p.endswith("kế hoạch.") for p in parts)
    assert split_message("x" * 4100) == ["x" * 2000, "x" * 2000, "x" * 100]
    assert split_message("  ") == []


def test_source_lines_are_short():
    cites = [{"n": 1, "doc_id": "d", "title": "Kế hoạch " + "rất dài " * 30, "section": "PHỤ LỤC › VII. " + "x" * 100}]
    (line,) = source_lines(cites)
    assert line.startswith("[1] Kế hoạch rất dài") and " — PHỤ LỤC › VII. " in line
    assert len(line) <= 4 + 70 + 3 + 60
    payload = {"answer": "Trả lời [1].", "citations": cites, "suggestions": ["Còn năm 2030?"]}
    assert format_answer(payload).endswith("Bạn có thể hỏi tiếp:\n1. Còn năm 2030?")
