"""Two replicas (`python -m assistant serve` processes) on 127.0.0.1 over one PostgreSQL, one
Redis and one index folder, with the Zalo channel on a fake OA: they behave as one service.

A conversation continues on the other replica; one Zalo event delivered to both is answered
once; the rate limit is counted across both; an admin upload on one is served by the other
within seconds and without an error; a token expiring on both is refreshed once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.zalo.fake_oa import FakeOA
from assistant.zalo.signature import sign
from tests.helpers import small_corpus, wait_until
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
HD = "hai-duong-5046-kh-ubnd-2023"
TIN_TUC = "thanh-hoa-de-an-cds-2021-tin-tuc"
MOOC_Q = "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"
ADMIN_KEY = "replica-admin-key-31a9"
OA_SECRET = "replica-oa-secret-5d0c"
RATE = 60


class Replica:
    def __init__(self, name: str, env: dict, log_dir: Path):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{name}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(self.port), "--workers", "1"],
            env=env, cwd=ROOT, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        def ready():
            if self.proc.poll() is not None:
                pytest.fail(f"replica {self.name} exited: {self.log.read_text(errors='replace')[-3000:]}")
            return httpx.get(self.url + "/readyz", timeout=5).status_code == 200
        assert wait_until(ready, 180, ignore=(httpx.HTTPError,)), self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="module")
def replicas(built_index, postgres_server, redis_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("replicas")
    settings = small_corpus(built_index[0], root, [f"{HD}.txt"])
    database = postgres_server.new_database()
    with FakeOA(app_id="app-1", app_secret="app-secret", access_token="access-0",
                refresh_token="refresh-0") as oa:
        env = {**os.environ,
               "ASSISTANT_PLANS_DIR": str(settings.plans_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir),
               "ASSISTANT_EMBED_CACHE": str(settings.embed_cache), "ASSISTANT_EMBEDDER": settings.embedder,
               "ASSISTANT_DATABASE_URL": database, "ASSISTANT_REDIS_URL": redis_server.url,
               "ASSISTANT_RATE_LIMIT_PER_MINUTE": str(RATE), "ASSISTANT_ADMIN_KEY": ADMIN_KEY,
               "ASSISTANT_INDEX_WATCH_SECONDS": "0.5",
               "ASSISTANT_ZALO_APP_ID": "app-1", "ASSISTANT_ZALO_APP_SECRET": "app-secret",
               "ASSISTANT_ZALO_OA_SECRET": OA_SECRET, "ASSISTANT_ZALO_ACCESS_TOKEN": "access-0",
               "ASSISTANT_ZALO_REFRESH_TOKEN": "refresh-0", "ASSISTANT_ZALO_API_BASE": oa.url,
               "ASSISTANT_ZALO_OAUTH_BASE": oa.url, "ASSISTANT_ZALO_BACKOFF_SECONDS": "0.05",
               "ASSISTANT_ZALO_BACKOFF_MAX_SECONDS": "0.5"}
        a, b = Replica("a", env, root), Replica("b", env, root)
        try:
            a.wait_ready()
            b.wait_ready()
            yield a, b, oa, redis_server
        finally:
            a.stop()
            b.stop()


def signed(event: dict) -> tuple[bytes, dict]:
    raw = json.dumps(event, ensure_ascii=False).encode()
    return raw, {"X-ZEvent-Signature": sign("app-1", raw, event["timestamp"], OA_SECRET),
                 "Content-Type": "application/json"}


def zalo_event(text: str, msg_id: str, user: str) -> dict:
    return {"event_name": "user_send_text", "app_id": "app-1", "sender": {"id": user},
            "recipient": {"id": "oa-1"}, "message": {"text": text, "msg_id": msg_id},
            "timestamp": str(int(time.time() * 1000))}


def test_a_conversation_continues_on_the_other_replica(replicas):
    a, b, _, redis = replicas
    redis.flush()
    first = httpx.post(a.url + "/v1/ask", json={"q": MOOC_Q}, timeout=60).json()
    assert "Sở Thông tin và Truyền thông" in first["answer"]
    follow = httpx.post(b.url + "/v1/ask", json={"q": "Thời gian thực hiện?",
                                                 "conversation_id": first["conversation_id"]}, timeout=60).json()
    assert follow["conversation_id"] == first["conversation_id"]
    assert "MOOC" in follow["standalone_question"] and "2023-2025" in follow["answer"]


def test_one_zalo_event_delivered_to_both_replicas_is_answered_once(replicas):
    a, b, oa, _ = replicas
    before = len(oa.messages)
    raw, headers = signed(zalo_event("trợ giúp", "dup-both", "user-both"))
    responses = []
    threads = [threading.Thread(target=lambda r=r: responses.append(
        httpx.post(r.url + "/zalo/webhook", content=raw, headers=headers, timeout=30).status_code)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert responses == [200, 200]
    assert wait_until(lambda: len(oa.messages) > before)
    outbox = httpx.get(a.url + "/v1/admin/zalo/outbox", headers={"X-Admin-Key": ADMIN_KEY}, timeout=10).json()
    assert wait_until(lambda: httpx.get(b.url + "/readyz", timeout=10).json()["zalo_outbox"] == {"pending": 0, "failed": 0},
                      ignore=(httpx.HTTPError,))
    assert [m["user_id"] for m in oa.messages[before:]] == ["user-both"]
    assert [m["msg_id"] for m in outbox["messages"]].count("dup-both") == 1


def test_the_rate_limit_is_counted_across_replicas(replicas):
    a, b, _, redis = replicas
    redis.flush()  # a fresh minute for this client
    codes = [httpx.get((a, b)[i % 2].url + "/v1/documents", timeout=30).status_code for i in range(RATE)]
    assert codes == [200] * RATE
    for replica in (a, b):  # the 61st request of the minute, whichever replica it reaches
        resp = httpx.get(replica.url + "/v1/documents", timeout=30)
        assert resp.status_code == 429 and resp.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(resp.headers["Retry-After"]) <= 60
    redis.flush()


def test_an_upload_on_one_replica_is_served_by_the_other(replicas, built_index):
    a, b, _, redis = replicas
    redis.flush()
    old = httpx.get(b.url + "/readyz", timeout=10).json()["version"]
    statuses: list[int] = []
    stop = threading.Event()

    def ask_b():
        with httpx.Client(base_url=b.url, timeout=60) as client:
            while not stop.is_set():
                statuses.append(client.post("/v1/ask", json={"q": "chữ ký số"}).status_code)
                time.sleep(0.2)

    asker = threading.Thread(target=ask_b)
    asker.start()
    try:
        src = built_index[0].plans_dir / f"{TIN_TUC}.txt"
        resp = httpx.post(a.url + "/v1/admin/ingest", headers={"X-Admin-Key": ADMIN_KEY}, timeout=600,
                          files={"files": (src.name, src.read_bytes(), "text/plain")})
        assert resp.status_code == 200, resp.text
        new = resp.json()["summary"]["version"]
        assert new != old and httpx.get(a.url + "/readyz", timeout=10).json()["version"] == new
        assert wait_until(lambda: httpx.get(b.url + "/readyz", timeout=10).json()["version"] == new, 10,
                          ignore=(httpx.HTTPError,))
        docs = httpx.get(b.url + "/v1/documents", timeout=10).json()["documents"]
    finally:
        stop.set()
        asker.join()
    assert sorted(d["doc_id"] for d in docs) == [HD, TIN_TUC]
    assert statuses and set(statuses) == {200}, statuses
    redis.flush()


def test_a_token_expiring_on_both_replicas_is_refreshed_once(replicas):
    a, b, oa, _ = replicas
    before, refreshes = len(oa.messages), len(oa.refreshes)
    oa.expire()
    events = [(a, zalo_event("trợ giúp", "exp-a", "user-a")), (b, zalo_event("help", "exp-b", "user-b"))]
    threads = [threading.Thread(target=lambda r=r, e=e: httpx.post(r.url + "/zalo/webhook", timeout=30,
                                                                   content=signed(e)[0], headers=signed(e)[1]))
               for r, e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wait_until(lambda: len(oa.messages) - before == 2)
    assert len(oa.refreshes) - refreshes == 1  # the single-use refresh token was traded once
    assert {m["token"] for m in oa.messages[before:]} == {f"access-{len(oa.refreshes)}"}
