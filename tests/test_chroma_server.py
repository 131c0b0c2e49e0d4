"""The same search cases against Chroma in client/server mode (`chroma run` on 127.0.0.1)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vectorstore.build import build_index
from vectorstore.index import PlanIndex

from tests.test_index import check_search_cases

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = str(CHROMA) if CHROMA.exists() else shutil.which("chroma")
    if not exe:
        pytest.skip("the chroma CLI is not installed (expected in .venv/bin/chroma)")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "wb")
    proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data / "db")],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    import chromadb

    from vectorstore.chroma_store import client_settings

    deadline = time.monotonic() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port, settings=client_settings()).heartbeat()
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"chroma server did not start: {(data / 'server.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_search_against_a_chroma_server(chroma_server, built_index, tmp_path):
    local = built_index[0]
    settings = local.model_copy(update={"index_dir": tmp_path / "index", "chroma_url": chroma_server})
    first = build_index(settings)
    assert first.embedded == 0  # vectors come from the session's embedding cache
    index = PlanIndex.open(settings)
    assert index.manifest["chroma"]["mode"] == "server"
    assert not (index.dir / "chroma").exists()  # vectors live on the server
    assert index.chroma.count() == first.chunks
    check_search_cases(index)

    # Versions are collections on the server; old ones are dropped like old folders.
    client = index.chroma.client
    build_index(settings)
    build_index(settings)  # the first version is still read by `index`: its lease keeps it
    assert f"plan-chunks-{first.version}" in [c.name if hasattr(c, "name") else c for c in client.list_collections()]
    index.close()
    third = build_index(settings)
    names = sorted(c.name if hasattr(c, "name") else c for c in client.list_collections())
    assert f"plan-chunks-{first.version}" not in names
    assert f"plan-chunks-{third.version}" in names and len(names) == 2
    assert PlanIndex.open(settings).version == third.version
