"""Real PostgreSQL and Redis servers for the tests, started on 127.0.0.1 from the Debian packages
(postgresql, redis-server; .ci/run installs them). Each server lives in its own temp folder and
is stopped at the end of the session.

Without the packages the tests that need them are skipped with the reason on a developer machine
and fail in CI (CI=true): there they must run.
"""
from __future__ import annotations

import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing(what: str) -> None:
    """Skip on a developer machine, fail in CI."""
    reason = f"{what} is not installed (apt-get install postgresql redis-server)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


try:  # loaded here: a child between fork and exec should not import or load anything
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _PRCTL = None


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the test process dies, killed or not, so no
    server outlives its session (Linux prctl PR_SET_PDEATHSIG)."""
    if _PRCTL is not None:
        _PRCTL(1, int(signal.SIGTERM))


def _wait(check, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)


class PostgresServer:
    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                       key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
        if not found:
            missing("PostgreSQL")
        self.bin = Path(found[-1]).parent
        self.root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self._as = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the package's user
            user = pwd.getpwnam("postgres")
            shutil.chown(self.root, user.pw_uid, user.pw_gid)

            def demote():
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)
                _die_with_parent()  # after the user change, which clears it
            self._as = demote

    def _run(self, *args: str) -> None:
        subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, capture_output=True,
                       preexec_fn=self._as, cwd=self.root)

    def start(self) -> str:
        data, sock = self.root / "data", self.root / "sock"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "assistant", "-E", "UTF8", "--no-locale")
        sock.mkdir()
        if self._as:
            user = pwd.getpwnam("postgres")
            shutil.chown(sock, user.pw_uid, user.pw_gid)
        log = self.root / "server.log"
        self.proc = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port), "-k", str(sock),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            stdout=open(log, "ab"), stderr=subprocess.STDOUT, preexec_fn=self._as or _die_with_parent,
            cwd=self.root)
        import psycopg

        _wait(lambda: psycopg.connect(self.url("postgres"), connect_timeout=2).close() or True, 60,
              "PostgreSQL", log)
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql://assistant@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on this server: one per test keeps tests apart."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    def __init__(self):
        self.bin = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
        if not self.bin:
            missing("Redis")
        self.root = Path(tempfile.mkdtemp(prefix="assistant-redis-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        log = self.root / "server.log"
        self.proc = subprocess.Popen(
            [self.bin, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root)], stdout=open(log, "ab"), stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent)
        import redis

        _wait(lambda: redis.Redis.from_url(self.url, socket_timeout=2).ping(), 30, "Redis", log)
        return self.url

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)
