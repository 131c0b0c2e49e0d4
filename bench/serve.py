"""Bounded load on the real app over HTTP on 127.0.0.1: requests/s and latency percentiles.

    .venv/bin/python bench/serve.py [--clients 20] [--seconds 30] [--path /v1/ask]

Starts uvicorn with the real app (the index in settings.index_dir; build it first with
`python -m assistant ingest`) on a free port with the rate limit raised for the bench, runs
`--clients` concurrent clients for `--seconds`, each sending questions from a small Vietnamese
list in turn, and prints requests/s, p50/p95/p99 latency and the error count.
"""
from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from assistant.api import create_app  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUESTIONS = [
    "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?",
    "Tỷ lệ hồ sơ giải quyết thủ tục hành chính có ký số năm 2025 của Thanh Hóa?",
    "Kinh tế số chiếm bao nhiêu phần trăm GRDP năm 2025 ở Hải Dương?",
    "Sở Y tế Bình Định chủ trì những nhiệm vụ nào?",
    "Mục tiêu chuyển đổi số năm 2030 của Thanh Hóa là gì?",
    "Who leads the MOOC platform in Hai Duong?",
]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


async def client_loop(client: httpx.AsyncClient, path: str, stop_at: float, offset: int,
                      latencies: list[float], errors: list[str]) -> None:
    i = offset
    while time.monotonic() < stop_at:
        q = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        t0 = time.perf_counter()
        try:
            if path.startswith("/v1/ask"):
                resp = await client.post(path, json={"q": q})
            elif path == "/v1/search":
                resp = await client.get(path, params={"q": q, "k": 5})
            else:
                resp = await client.get(path)
            ok = resp.status_code == 200
            if not ok:
                errors.append(str(resp.status_code))
        except httpx.HTTPError as exc:
            ok = False
            errors.append(type(exc).__name__)
        if ok:
            latencies.append(time.perf_counter() - t0)


async def run_load(base: str, path: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        t0 = time.monotonic()
        stop_at = t0 + seconds
        await asyncio.gather(*(client_loop(client, path, stop_at, i, latencies, errors)
                               for i in range(clients)))
        return latencies, errors, time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--path", default="/v1/ask", choices=["/v1/ask", "/v1/ask/stream", "/v1/search",
                                                          "/v1/documents", "/healthz"])
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    settings = Settings().model_copy(update={"db_path": tmp / "app.sqlite",
                                             "rate_limit_per_minute": 10_000_000})
    app = create_app(settings)
    if not app.state.assistant_state.ready:
        print(f"no index in {settings.index_dir}: run `python -m assistant ingest` first", file=sys.stderr)
        return 2
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        base = f"http://127.0.0.1:{port}"
        httpx.post(base + "/v1/ask", json={"q": QUESTIONS[0]}, timeout=120)  # warm caches/models
        lat, errors, elapsed = asyncio.run(run_load(base, args.path, args.clients, args.seconds))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    ms = [x * 1000 for x in lat]
    print(f"path            {args.path}")
    print(f"clients         {args.clients}")
    print(f"duration        {elapsed:.1f} s")
    print(f"requests ok     {len(lat)}")
    print(f"errors          {len(errors)}" + (f" ({', '.join(sorted(set(errors)))})" if errors else ""))
    print(f"throughput      {len(lat) / elapsed:.2f} req/s")
    if ms:
        print(f"latency p50     {percentile(ms, 50):.0f} ms")
        print(f"latency p95     {percentile(ms, 95):.0f} ms")
        print(f"latency p99     {percentile(ms, 99):.0f} ms")
        print(f"latency mean    {statistics.fmean(ms):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
