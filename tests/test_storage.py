"""The app store on SQLite and on a real PostgreSQL server (one code path): redaction before
storage, retention, feedback, the Zalo inbox (dedupe, claims, order, retries) and the Zalo token
(single-flight refresh across stores, as across replicas); the redact function."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from assistant.errors import AssistantError, NotFound
from assistant.redact import ID_MASK, PHONE_MASK, redact
from assistant.storage import AppStore


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Where a store lives: a SQLite file, or a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "app.sqlite"
    return request.getfixturevalue("postgres_server").new_database()


@pytest.mark.parametrize("text", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678",
    "+84912345678", "(+84) 912 345 678", "0084 912 345 678", "024 3825 1234", "02438251234",
])
def test_redacts_vietnamese_phone_numbers(text):
    assert redact(f"Gọi cho tôi số {text} nhé.") == f"Gọi cho tôi số {PHONE_MASK} nhé."


@pytest.mark.parametrize("text", ["001203004567", "001 203 004 567", "123456789"])
def test_redacts_id_numbers(text):
    assert redact(f"CCCD/CMND của tôi là {text}.") == f"CCCD/CMND của tôi là {ID_MASK}."


@pytest.mark.parametrize("text,expected", [
    ("so0912345678", f"so{PHONE_MASK}"),
    ("CCCD001203004567", f"CCCD{ID_MASK}"),
    ("ma_0912345678_x", f"ma_{PHONE_MASK}_x"),
    ("id_001203004567", f"id_{ID_MASK}"),
    ("０９１２３４５６７８", PHONE_MASK),
    ("số ０９１２ ３４５ ６７８ nhé", f"số {PHONE_MASK} nhé"),
    ("/v1/documents/0912345678", f"/v1/documents/{PHONE_MASK}"),
])
def test_redacts_numbers_glued_to_letters_and_in_full_width_digits(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Kế hoạch 5046/KH-UBND ngày 29/12/2023",
    "Tỷ lệ hồ sơ ký số năm 2025 đạt trên 50%, giai đoạn 2021-2025",
    "Tổng kinh phí 1.000.000.000 đồng, tức 123.456.789.012 đồng",
    "Quyết định số 411/QĐ-TTg; 12345678 người dùng",
    "",
])
def test_leaves_plan_numbers_years_and_amounts_alone(text):
    assert redact(text) == text


def test_add_turn_redacts_and_serves_history(database):
    store = AppStore(database, retention_days=30)
    cid = store.new_conversation_id()
    store.add_turn(cid, "a1", "Tôi là 0912 345 678, CCCD 001203004567: ai chủ trì MOOC?", "Sở TT&TT [1].",
                   citations=[{"n": 1, "doc_id": "hai-duong-5046-kh-ubnd-2023", "section": "VII", "quote": "x"}])
    store.add_turn(cid, "a2", "Còn thời gian?", "2023-2025.")
    assert store.history(cid) == [f"Tôi là {PHONE_MASK}, CCCD {ID_MASK}: ai chủ trì MOOC?", "Còn thời gian?"]
    with store.engine.connect() as conn:
        raw = " ".join(r[0] for r in conn.exec_driver_sql("SELECT question FROM turns"))
    assert "0912" not in raw and "001203004567" not in raw
    turns = store.turns(cid)
    assert turns[0]["citations"] == [{"n": 1, "doc_id": "hai-duong-5046-kh-ubnd-2023", "section": "VII"}]


def test_retention_deletes_old_rows_on_write(database):
    now = [1_000_000.0]
    store = AppStore(database, retention_days=1, clock=lambda: now[0])
    store.add_turn("old", "a-old", "Câu hỏi cũ", "Trả lời")
    store.add_feedback("up", answer_id="a-old", comment="gọi 0987654321")
    assert store.feedback()[0]["comment"] == f"gọi {PHONE_MASK}"
    now[0] += 2 * 86400
    store.add_turn("new", "a-new", "Câu hỏi mới", "Trả lời")
    assert not store.exists("old") and store.turns("old") == [] and store.feedback() == []
    assert store.history("new") == ["Câu hỏi mới"]


def test_feedback_targets_must_exist(database):
    store = AppStore(database)
    store.add_turn("c1", "a1", "q", "a")
    assert store.add_feedback("down", conversation_id="c1") == 1
    with pytest.raises(NotFound):
        store.add_feedback("up", answer_id="nope")
    with pytest.raises(AssistantError, match="Give answer_id or conversation_id"):
        store.add_feedback("up")
    with pytest.raises(AssistantError, match="rating must be"):
        store.add_feedback("meh", answer_id="a1")


def test_zalo_inbox_dedupes_claims_once_and_persists(database):
    now = [1000.0]
    store = AppStore(database, clock=lambda: now[0])
    assert store.enqueue_zalo("m1", "u1", "gọi 0912345678 hỏi chữ ký số") is True
    assert store.enqueue_zalo("m1", "u1", "again") is False  # a redelivery
    (row,) = store.claim_zalo(5)
    assert (row["msg_id"], row["text"], row["attempts"]) == ("m1", "gọi [số điện thoại] hỏi chữ ký số", 0)
    assert store.claim_zalo(5) == []  # leased: no second worker takes it
    assert store.zalo_retry("m1", "ZaloRetryable: error -32", delay=2.0, give_up_after=3600) == "pending"
    assert store.claim_zalo(5) == []  # not due yet
    now[0] += 2.0
    store.zalo_progress("m1", reply="Trả lời", sent_parts=1)
    (again,) = store.claim_zalo(5)
    assert (again["attempts"], again["reply"], again["sent_parts"]) == (1, "Trả lời", 1)
    store.close()
    reopened = AppStore(database, clock=lambda: now[0])  # a restart keeps it all
    assert reopened.zalo_counts() == {"pending": 0, "sending": 1, "done": 0, "failed": 0}
    now[0] += 121.0  # the lease of a worker that died runs out: the message is due again
    assert [r["msg_id"] for r in reopened.claim_zalo(5)] == ["m1"]
    reopened.zalo_done("m1")
    assert reopened.zalo_counts()["done"] == 1 and reopened.claim_zalo(5) == []
    assert reopened.enqueue_zalo("m1", "u1", "x") is False  # done messages still dedupe


def test_zalo_message_fails_after_the_delivery_window_and_can_be_requeued(database):
    now = [0.0]
    store = AppStore(database, clock=lambda: now[0])
    store.enqueue_zalo("m2", "u2", "hi")
    store.claim_zalo(1)
    now[0] = 7200.0
    assert store.zalo_retry("m2", "ZaloError: refresh refused", delay=1.0, give_up_after=3600) == "failed"
    assert [(m["msg_id"], m["status"], m["last_error"]) for m in store.zalo_messages("failed")] == [
        ("m2", "failed", "ZaloError: refresh refused")]
    assert store.zalo_requeue_failed() == 1
    assert [r["msg_id"] for r in store.claim_zalo(1)] == ["m2"]


def test_a_users_messages_are_claimed_in_order_and_each_by_one_replica(database):
    now = [50.0]
    a, b = AppStore(database, clock=lambda: now[0]), AppStore(database, clock=lambda: now[0])  # two replicas
    for i, user in enumerate(["u1", "u1", "u2"]):
        now[0] += 1
        assert a.enqueue_zalo(f"m{i}", user, f"câu {i}")
    assert b.enqueue_zalo("m0", "u1", "again") is False  # the other replica sees the redelivery too
    first = a.claim_zalo(10)
    assert [r["msg_id"] for r in first] == ["m0", "m2"]  # m1 waits behind u1's m0
    assert b.claim_zalo(10) == []
    b.zalo_done("m0")
    assert [r["msg_id"] for r in b.claim_zalo(10)] == ["m1"]


def test_concurrent_claims_never_take_one_message_twice(database):
    stores = [AppStore(database) for _ in range(4)]
    for i in range(40):
        stores[0].enqueue_zalo(f"c{i}", f"user-{i}", "hi")
    taken: list[str] = []

    def claim(store):
        while rows := store.claim_zalo(3):
            taken.extend(r["msg_id"] for r in rows)

    threads = [threading.Thread(target=claim, args=(s,)) for s in stores for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == sorted(f"c{i}" for i in range(40))  # every one, none twice


def test_token_refresh_is_single_flight_across_stores(database):
    stores = [AppStore(database) for _ in range(3)]
    stores[0].seed_zalo_token("access-0", "refresh-0")
    stores[1].seed_zalo_token("env-access", "env-refresh")  # a stored pair wins over the environment
    trades: list[str] = []

    def trade(refresh_token):
        trades.append(refresh_token)
        time.sleep(0.2)  # the HTTP call: others must wait for it, not trade the spent token again
        return "access-1", "refresh-1", None

    results = []
    threads = [threading.Thread(target=lambda s=s: results.append(s.refresh_zalo_token("access-0", trade)))
               for s in stores for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert trades == ["refresh-0"]
    assert {r["access_token"] for r in results} == {"access-1"}
    assert stores[2].zalo_token()["refresh_token"] == "refresh-1"


def test_schema_is_versioned_and_an_old_sqlite_file_is_migrated(tmp_path):
    old = sqlite3.connect(tmp_path / "app.sqlite")  # the tables of the first SQLite-only version
    old.executescript("""
        CREATE TABLE conversations (id TEXT PRIMARY KEY, channel TEXT NOT NULL, created REAL NOT NULL,
                                    updated REAL NOT NULL);
        CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL,
                            answer_id TEXT NOT NULL UNIQUE, question TEXT NOT NULL, answer TEXT NOT NULL,
                            abstained INTEGER NOT NULL, citations TEXT NOT NULL, created REAL NOT NULL);
        INSERT INTO conversations VALUES ('c-old', 'web', 1e12, 1e12);
        INSERT INTO turns VALUES (1, 'c-old', 'a-old', 'Câu cũ', 'Trả lời', 0, '[]', 1e12);""")
    old.close()
    store = AppStore(tmp_path / "app.sqlite")
    assert store.schema_version == 4 and store.history("c-old") == ["Câu cũ"]
    with store.engine.connect() as conn:
        assert [r[0] for r in conn.exec_driver_sql("SELECT version FROM schema_migrations ORDER BY version")] == [1, 2, 3, 4]
    assert store.enqueue_zalo("m", "u", "x") and AppStore(tmp_path / "app.sqlite").schema_version == 4


def test_retention_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="retention_days must be at least 1"):
        AppStore(tmp_path / "app.sqlite", retention_days=0)


def test_group_commit_writes_concurrent_items_in_fewer_transactions_and_reports_failures():
    import threading
    import time

    from assistant.storage.group_commit import GroupCommit

    batches: list[list[int]] = []

    def write(items: list[int]) -> None:
        time.sleep(0.02)  # a slow write: callers arriving meanwhile join the next batch
        if -1 in items:
            raise RuntimeError("disk full")
        batches.append(items)

    commit: GroupCommit[int] = GroupCommit(write)
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            commit.submit(i)
        except RuntimeError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert sorted(i for b in batches for i in b) == list(range(20))  # each item exactly once
    assert len(batches) < 20
    commit.submit(20)  # alone: written at once, by the caller itself
    assert batches[-1] == [20]
    with pytest.raises(RuntimeError, match="disk full"):
        commit.submit(-1)
    commit.submit(21)  # a failed batch does not wedge the next one
    assert batches[-1] == [21] and not errors
