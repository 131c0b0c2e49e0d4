"""Index versions changing under a running server: a real uvicorn server in a thread answers
while CLI ingests (separate processes) build new versions. No request fails, the server switches
between requests, /readyz tells the version served, a version some process still reads is never
deleted, and replaced versions are let go (no deleted file stays open)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from assistant.api import create_app
from tests.helpers import small_corpus
from vectorstore.build import build_index
from vectorstore.index import PlanIndex
from vectorstore.versions import current_version, versions_dir

ROOT = Path(__file__).resolve().parent.parent
TIN_TUC = "thanh-hoa-de-an-cds-2021-tin-tuc"
OLD_PLAN = "thanh-hoa-ke-hoach-cds-2020"
QUESTIONS = ["Đề án chuyển đổi số tỉnh Thanh Hóa giai đoạn 2021-2025", "chữ ký số",
             "Ai chủ trì xây dựng chính quyền số?", "Kế hoạch có bao nhiêu nhiệm vụ?"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served(built_index, tmp_path):
    """(base url, settings, stop event's thread) of a server over a one-document index it owns."""
    settings = small_corpus(built_index[0], tmp_path, [f"{TIN_TUC}.txt"], rate_limit_per_minute=100_000,
                            index_watch_seconds=0.2)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", settings
    server.should_exit = True
    thread.join(timeout=30)


def cli_ingest(settings) -> None:
    env = {**os.environ, "ASSISTANT_PLANS_DIR": str(settings.plans_dir),
           "ASSISTANT_INDEX_DIR": str(settings.index_dir), "ASSISTANT_EMBED_CACHE": str(settings.embed_cache),
           "ASSISTANT_EMBEDDER": settings.embedder}
    done = subprocess.run([sys.executable, "-m", "assistant", "ingest", "--quiet"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def deleted_files_open(index_dir: Path) -> list[str]:
    """Files of `index_dir` this process still holds open although they were deleted (a leaked
    old version)."""
    out = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(" (deleted)") and target.startswith(str(index_dir)):
            out.append(target)
    return out


def test_two_cli_ingests_while_the_server_answers(served, built_index):
    url, settings = served
    index_dir = Path(settings.index_dir)
    first = current_version(index_dir)
    statuses: list[int] = []
    stop = threading.Event()

    def ask_forever():
        with httpx.Client(base_url=url, timeout=60) as client:
            i = 0
            while not stop.is_set():
                statuses.append(client.post("/v1/ask", json={"q": QUESTIONS[i % len(QUESTIONS)]}).status_code)
                i += 1

    other_worker = PlanIndex.open(settings)  # another process's reader of the first version
    asker = threading.Thread(target=ask_forever)
    asker.start()
    try:
        shutil.copyfile(built_index[0].plans_dir / f"{OLD_PLAN}.txt", settings.plans_dir / f"{OLD_PLAN}.txt")
        cli_ingest(settings)
        second = current_version(index_dir)
        (settings.plans_dir / f"{OLD_PLAN}.txt").write_text(
            (built_index[0].plans_dir / f"{OLD_PLAN}.txt").read_text("utf-8") + "\nPhụ lục bổ sung.\n", "utf-8")
        cli_ingest(settings)
        third = current_version(index_dir)
        with httpx.Client(base_url=url, timeout=60) as client:
            deadline = time.monotonic() + 30
            while client.get("/readyz").json()["version"] != third and time.monotonic() < deadline:
                time.sleep(0.1)
            ready = client.get("/readyz").json()
            docs = [d["doc_id"] for d in client.get("/v1/documents").json()["documents"]]
    finally:
        stop.set()
        asker.join()
    assert len({first, second, third}) == 3
    assert ready["version"] == third and ready["documents"] == 2
    assert sorted(docs) == sorted([TIN_TUC, OLD_PLAN])
    assert len(statuses) >= 10 and set(statuses) == {200}, statuses  # not one failed request across 2 switches
    names = {p.name for p in versions_dir(index_dir).iterdir()}
    assert first in names  # still read by `other_worker`: kept although two builds came after it
    assert deleted_files_open(index_dir) == []  # the server let go of the versions it replaced
    assert other_worker.search_dense("chữ ký số", k=1)  # and that reader still works
    other_worker.close()
    (settings.plans_dir / f"{OLD_PLAN}.txt").unlink()
    build_index(settings, prune=True)  # a build after the reader closed removes its version
    assert first not in {p.name for p in versions_dir(index_dir).iterdir()}


def test_a_lease_of_a_dead_process_does_not_keep_a_version(built_index, tmp_path):
    base, _ = built_index
    settings = small_corpus(base, tmp_path, [f"{TIN_TUC}.txt"])
    plans = settings.plans_dir
    first = current_version(tmp_path / "index")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leases = versions_dir(tmp_path / "index") / first / "leases"
    leases.mkdir(exist_ok=True)
    (leases / f"{socket.gethostname()}-{dead.stdout.strip()}-deadbeef").write_text("0")
    for extra in ("a", "b"):  # two more versions: the first is beyond the two kept
        (plans / f"{TIN_TUC}.txt").write_text((base.plans_dir / f"{TIN_TUC}.txt").read_text("utf-8")
                                             + f"\nGhi chú {extra}.\n", "utf-8")
        build_index(settings)
    assert first not in {p.name for p in versions_dir(tmp_path / "index").iterdir()}


def test_reading_a_version_never_writes_to_it(built_index, tmp_path):
    """Workers and replicas share version folders: opening and answering must leave every file of
    the version as the build wrote it (a local Chroma client rewrote its files on open)."""
    import hashlib

    from assistant.assistant import PlanAssistant

    settings = small_corpus(built_index[0], tmp_path, [f"{TIN_TUC}.txt"])
    vdir = versions_dir(settings.index_dir) / current_version(settings.index_dir)

    def files() -> dict:
        return {str(p.relative_to(vdir)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
                for p in sorted(vdir.rglob("*")) if p.is_file() and "leases" not in p.parts}

    before = files()
    index = PlanIndex.open(settings)
    answer = PlanAssistant(settings, index).answer("Đề án chuyển đổi số tỉnh Thanh Hóa giai đoạn 2021-2025")
    assert TIN_TUC in [c.doc_id for c in answer.citations]
    assert index.search_lexical("chữ ký số", k=3) and index.search_dense("chữ ký số", k=3)
    assert len(list((vdir / "leases").iterdir())) == 1  # the reader's lease, its only file
    index.close()
    assert files() == before and list((vdir / "leases").iterdir()) == []
