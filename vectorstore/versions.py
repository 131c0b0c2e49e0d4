"""Index versions on disk: folders, CURRENT, the ingest lock, and leases that keep a version
someone reads.

Layout of settings.index_dir:
    CURRENT                  name of the live version (switched atomically with os.replace)
    ingest.lock              fcntl lock: one ingest at a time
    embed-cache.sqlite       vectors by sha256(model id + text) (settings.embed_cache)
    versions/<version>/      manifest.json, store.sqlite (RecordStore), lexical/ (BM25), chroma/,
                             dense.npy (what serving reads), leases/ (one file per reader)
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from vectorstore.chroma_store import collection_name, make_client
from vectorstore.errors import IndexLocked

KEEP_VERSIONS = 2

FORMAT_VERSION = 2  # of a version folder; 2: the store's derived index tables (agencies, record_years, records_text)


# -- folders, manifest, lock ----------------------------------------------------------------
def versions_dir(index_dir: Path) -> Path:
    return Path(index_dir) / "versions"


def current_version(index_dir: Path) -> str | None:
    try:
        name = (Path(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name and (versions_dir(index_dir) / name / "manifest.json").exists() else None


def read_manifest(version_dir: Path) -> dict:
    return json.loads((Path(version_dir) / "manifest.json").read_text(encoding="utf-8"))


def current_is_stale(index_dir: Path) -> bool:
    """The served version was written by an older format (rebuild it: vectors stay cached)."""
    version = current_version(index_dir)
    if version is None:
        return False
    try:
        return read_manifest(versions_dir(index_dir) / version).get("format") != FORMAT_VERSION
    except (OSError, ValueError):
        return False


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def index_lock(index_dir: Path):
    """Exclusive, non-blocking lock on the index folder (released when the process dies)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / "ingest.lock"
    f = open(path, "a+")
    try:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLocked(f"another ingest is running on {index_dir} (lock {path} is held); "
                              "wait for it to finish, then retry") from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield
    finally:
        f.close()  # closing the descriptor releases the flock


def new_version_name() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]



# -- leases: a version some process reads is never deleted ------------------------------------------
LEASE_TTL = 600.0  # a lease not touched for this long belongs to a process that died without closing


class Lease:
    """A file in <version>/leases/ saying "this process reads this version". Touched while in use,
    removed on close; builds never delete a version with a live lease (another worker or replica
    may still be answering from it)."""

    def __init__(self, version_dir: Path):
        folder = Path(version_dir) / "leases"
        folder.mkdir(exist_ok=True)
        self.path = folder / f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.write_text(str(time.time()), encoding="utf-8")
        self._touched = time.monotonic()

    def touch(self, every: float = 60.0) -> None:
        if time.monotonic() - self._touched >= every:
            with contextlib.suppress(OSError):
                os.utime(self.path)
            self._touched = time.monotonic()

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def leased(version_dir: Path) -> bool:
    """Does a live process hold a lease on this version? Leases of dead local processes and leases
    left untouched past LEASE_TTL are removed."""
    folder = Path(version_dir) / "leases"
    if not folder.is_dir():
        return False
    host = socket.gethostname()
    live = False
    for lease in folder.iterdir():
        try:
            age = time.time() - lease.stat().st_mtime
        except OSError:
            continue
        name_host, _, rest = lease.name.rpartition("-")[0].rpartition("-")
        dead = name_host == host and rest.isdigit() and not _alive(int(rest))
        if dead or age > LEASE_TTL:
            with contextlib.suppress(OSError):
                lease.unlink()
        else:
            live = True
    return live


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_old_versions(index_dir: Path, settings, keep_names: set[str]) -> None:
    """Delete versions beyond the last KEEP_VERSIONS (the new one and the one it replaced), except
    those a live process still reads (leases)."""
    vroot = versions_dir(index_dir)
    for d in sorted(p for p in vroot.iterdir() if p.is_dir()):
        if d.name in keep_names or leased(d):
            continue
        if settings.chroma_url:
            with contextlib.suppress(Exception):
                make_client(None, settings.chroma_url).delete_collection(collection_name(d.name))
        shutil.rmtree(d, ignore_errors=True)
