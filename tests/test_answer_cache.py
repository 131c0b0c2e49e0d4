"""The answer cache: keyed by index version, question and history; bounded; expiring; shared
through a real Redis server; a cache that cannot be reached is a miss, never an error."""
from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.answer_cache import AnswerCache, cache_key
from assistant.api import create_app
from assistant.assistant import PlanAssistant

MOOC_Q = "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"


def test_key_separates_versions_and_histories_and_ignores_spacing():
    base = cache_key("v1", "Ai chủ trì MOOC?", [])
    assert cache_key("v1", "  Ai chủ trì   MOOC? ", None) == base
    assert cache_key("v2", "Ai chủ trì MOOC?", []) != base  # a new index version: new answers
    assert cache_key("v1", "Ai chủ trì MOOC?", ["Kế hoạch của Hải Dương"]) != base  # a follow-up
    assert cache_key("v1", "ai chủ trì MOOC?", []) != base  # answered as typed


def test_memory_cache_is_bounded_and_expires():
    now = [0.0]
    cache = AnswerCache(size=2, ttl_seconds=10, clock=lambda: now[0])
    for k in "abc":
        cache.put(k, {"answer": k})
    assert cache.get("a") is None and cache.get("c") == {"answer": "c"}  # the oldest was dropped
    now[0] = 11
    assert cache.get("c") is None  # expired
    assert cache.stats() == {"hits": 1, "misses": 2, "hit_rate": 0.333, "storage": "memory"}
    off = AnswerCache(size=0)
    off.put("a", {"x": 1})
    assert off.get("a") is None


def test_redis_cache_is_shared_between_processes_and_an_outage_is_a_miss(redis_server, caplog):
    redis_server.flush()
    a, b = AnswerCache(redis_url=redis_server.url), AnswerCache(redis_url=redis_server.url)
    a.put("k", {"answer": "Sở Y tế"})
    assert b.get("k") == {"answer": "Sở Y tế"} and b.stats()["storage"] == "redis"
    down = AnswerCache(redis_url="redis://127.0.0.1:9/0")
    down.put("k", {"answer": "x"})
    assert down.get("k") is None and "answer cache unavailable" in caplog.text


def test_the_second_same_question_is_served_from_the_cache(built_index, tmp_path):
    settings, index = built_index
    calls = []

    class Counting(PlanAssistant):
        def answer(self, question, history=None, conversation_id=None):
            calls.append(question)
            return super().answer(question, history, conversation_id)

    app = create_app(settings.model_copy(update={"db_path": tmp_path / "app.sqlite"}),
                     assistant=Counting(settings, index), index=index)
    c = TestClient(app)
    first, second = (c.post("/v1/ask", json={"q": MOOC_Q}) for _ in range(2))
    assert (first.headers["X-Answer-Cache"], second.headers["X-Answer-Cache"]) == ("miss", "hit")
    assert calls == [MOOC_Q]
    one, two = first.json(), second.json()
    assert one["answer"] == two["answer"] and one["citations"] == two["citations"]
    assert one["id"] != two["id"] and one["conversation_id"] != two["conversation_id"]
    follow = c.post("/v1/ask", json={"q": "Thời gian thực hiện?", "conversation_id": two["conversation_id"]})
    assert follow.headers["X-Answer-Cache"] == "miss" and "2023-2025" in follow.json()["answer"]
