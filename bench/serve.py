"""Serving throughput and latency, measured honestly: the server is a separate process
(`python -m assistant serve --workers N`), this script only sends load.

    .venv/bin/python bench/serve.py [--workers 1,2] [--clients 20] [--seconds 30] [--distinct 120]
                                    [--cache both|on|off] [--database-url URL] [--redis-url URL]

Each client sends `--per-connection` requests on one keep-alive connection, then opens a new one
(as people come and go; connections kept for ever would pin a client to one worker).
Questions: `--distinct` different ones (at least 75) drawn from the probe sets in bench/ and the
dev set (owners, targets, deadlines, lists, English), a fifth of the Vietnamese ones typed
without accents, sent in a skewed mix (Zipf, s=1: a few questions are asked often, most rarely)
so that a cache meets what it would meet in production and its hit rate is reported beside the
numbers. Each configuration (workers x answer cache on/off) gets a fresh server on a free
127.0.0.1 port over the index in settings.index_dir (build it first with
`python -m assistant ingest`), a warm-up, then `--clients` concurrent clients for `--seconds`.
Prints req/s, p50/p95/p99, errors, the answer-cache hit rate and the RSS of every worker.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from ingest.normalize import fold  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def question_pool(distinct: int, seed: int = 7) -> list[str]:
    """`distinct` different questions, in a fixed order (the Zipf ranks)."""
    files = sorted((ROOT / "bench").glob("probe*.jsonl")) + [ROOT.parent / "shared" / "eval" / "dev.jsonl"]
    seen, pool = set(), []
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            q = json.loads(line).get("q") if line.strip() else None
            if q and q not in seen:
                seen.add(q)
                pool.append(q)
    rng = random.Random(seed)
    rng.shuffle(pool)
    pool = pool[:distinct]
    for i, q in enumerate(pool):  # informal typing: no accents
        if i % 5 == 4 and fold(q) != q.lower():
            pool[i] = fold(q)
    if len(pool) < min(distinct, 75):
        raise SystemExit(f"only {len(pool)} questions found in bench/probe*.jsonl")
    return pool


def zipf_mix(pool: list[str], n: int, seed: int = 11) -> list[str]:
    weights = [1.0 / (rank + 1) for rank in range(len(pool))]
    return random.Random(seed).choices(pool, weights=weights, k=n)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def worker_pids(pid: int) -> list[int]:
    """The server's worker processes (uvicorn's spawned children), or the server itself with one."""
    try:
        kids = [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        kids = []
    workers = []
    for kid in kids:
        try:
            if b"spawn_main" in Path(f"/proc/{kid}/cmdline").read_bytes():
                workers.append(kid)
        except OSError:
            continue
    return workers or [pid]


class Server:
    def __init__(self, workers: int, cache: bool, tmp: Path, database_url: str | None = None,
                 redis_url: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ASSISTANT_DB_PATH": str(tmp / f"app-{workers}-{cache}.sqlite"),
               "ASSISTANT_RATE_LIMIT_PER_MINUTE": "100000000",
               "ASSISTANT_ANSWER_CACHE_SIZE": "1024" if cache else "0"}
        if database_url:
            env["ASSISTANT_DATABASE_URL"] = database_url
        if redis_url:  # a cache the previous configuration filled would flatter this one
            import redis

            redis.Redis.from_url(redis_url).flushdb()
            env["ASSISTANT_REDIS_URL"] = redis_url
        env.pop("ASSISTANT_ZALO_OA_SECRET", None)
        self.log = tmp / f"server-{workers}-{cache}.log"
        self.proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(self.port),
                                      "--workers", str(workers)], env=env, cwd=ROOT,
                                     stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        self.workers = workers

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    if self.workers == 1 or self.log.read_text(errors="replace").count(" ready: index ") >= self.workers:
                        return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit("the server did not become ready")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Connection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: the load generator shares the
    machine's cores with the server, so it must cost far less per request than the server."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def post_json(self, path: str, body: bytes) -> tuple[int, dict, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            self.writer = None
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        data = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, headers, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(port: int, mix: list[str], clients: int, seconds: float, per_connection: int = 5):
    latencies: list[float] = []
    errors: list[str] = []
    hits = misses = 0
    cursor = 0
    bodies = {q: json.dumps({"q": q}, ensure_ascii=False).encode() for q in set(mix)}
    stop_at = time.monotonic() + seconds

    async def one_client():
        nonlocal cursor, hits, misses
        conn = Connection("127.0.0.1", port)
        sent = 0
        try:
            while time.monotonic() < stop_at:
                q = mix[cursor % len(mix)]
                cursor += 1
                t0 = time.perf_counter()
                try:
                    status, headers, _ = await asyncio.wait_for(conn.post_json("/v1/ask", bodies[q]), 120)
                except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
                    errors.append(type(exc).__name__)
                    conn.close()
                    conn = Connection("127.0.0.1", port)
                    continue
                if status != 200:
                    errors.append(str(status))
                    continue
                latencies.append(time.perf_counter() - t0)
                sent += 1
                if sent % per_connection == 0:  # people come and go: new connections reach every worker
                    conn.close()
                    conn = Connection("127.0.0.1", port)
                if headers.get("x-answer-cache") == "hit":
                    hits += 1
                else:
                    misses += 1
        finally:
            conn.close()

    t0 = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, errors, hits, misses, time.monotonic() - t0


def run_one(workers: int, cache: bool, args, mix: list[str], tmp: Path) -> dict:
    server = Server(workers, cache, tmp, args.database_url, args.redis_url)
    try:
        server.wait_ready()
        asyncio.run(load(server.port, mix[::7], args.clients, 3.0, args.per_connection))  # warm-up
        pids = worker_pids(server.proc.pid)
        before = [cpu_seconds(p) for p in pids] + [time.process_time()]
        lat, errors, hits, misses, elapsed = asyncio.run(load(server.port, mix, args.clients, args.seconds,
                                                              args.per_connection))
        after = [cpu_seconds(p) for p in pids] + [time.process_time()]
        busy = [round((a - b) / elapsed, 2) for a, b in zip(after, before)]  # cores used on average
        rss = {pid: rss_mb(pid) for pid in pids}
    finally:
        server.stop()
    ms = [x * 1000 for x in lat]
    return {"workers": workers, "answer_cache": "on" if cache else "off", "clients": args.clients,
            "requests": len(lat), "errors": len(errors), "req_s": round(len(lat) / elapsed, 1),
            "p50_ms": round(percentile(ms, 50)), "p95_ms": round(percentile(ms, 95)),
            "p99_ms": round(percentile(ms, 99)), "mean_ms": round(statistics.fmean(ms)) if ms else None,
            "cache_hit_rate": round(hits / (hits + misses), 3) if hits + misses else None,
            "store": "postgresql" if args.database_url else "sqlite", "redis": bool(args.redis_url),
            "rss_mb_per_worker": list(rss.values()), "cores_busy_per_worker": busy[:-1],
            "cores_busy_load_generator": busy[-1]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default=f"1,{len(os.sched_getaffinity(0))}")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--distinct", type=int, default=120)
    ap.add_argument("--cache", choices=["both", "on", "off"], default="both")
    ap.add_argument("--per-connection", type=int, default=5,
                    help="requests a client sends on one keep-alive connection before opening a new one")
    ap.add_argument("--database-url", help="serve with this PostgreSQL (as replicas do; default: SQLite)")
    ap.add_argument("--redis-url", help="share rate limits and the answer cache through this Redis (flushed per run)")
    args = ap.parse_args()
    pool = question_pool(args.distinct)
    mix = zipf_mix(pool, 20_000)
    print(f"questions: {len(pool)} distinct, Zipf mix; top 10 are {sum(mix.count(q) for q in pool[:10]) / len(mix):.0%} of requests")
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    worker_counts = sorted({max(1, int(w)) for w in args.workers.split(",")})
    caches = {"both": [False, True], "on": [True], "off": [False]}[args.cache]
    results = []
    for cache in caches:
        for workers in worker_counts:
            result = run_one(workers, cache, args, mix, tmp)
            results.append(result)
            print(json.dumps(result), flush=True)
    for cache in caches:
        rows = [r for r in results if r["answer_cache"] == ("on" if cache else "off")]
        if len(rows) > 1 and rows[0]["req_s"]:
            print(f"answer cache {rows[0]['answer_cache']}: workers={rows[-1]['workers']} serves "
                  f"{rows[-1]['req_s'] / rows[0]['req_s']:.2f}x the req/s of workers={rows[0]['workers']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
