"""Reliability under abuse, measured against a real server in a separate process.

    .venv/bin/python bench/reliability.py [--hostile 1200] [--burst 200] [--ingests 20]

Starts `python -m assistant serve` on a free 127.0.0.1 port over a small copy of the sample plans
(two documents, its own index, app database and Zalo token file in a temp folder), with the Zalo
channel pointed at a fake OA on 127.0.0.1 run by this script, then measures three things:

1. hostile input: `--hostile` requests over every route (random bytes, deep JSON, wrong types,
   odd methods and paths, forged, stale and correctly signed webhook events): the count of 5xx
   answers and of tracebacks in the server's log, both of which must be 0;
2. a Zalo burst: `--burst` signed messages from 50 users while the fake OA answers -32 (rate
   limit) to every send for 10 s: replies lost (must be 0), time until all were delivered, and
   /healthz latency p50/p99 sampled every 20 ms during it;
3. admin ingests: `--ingests` uploads, each building and switching to a new index version: the
   server's open files, threads and RSS before, after and at most (flat within 10% is the bar).

Everything is bounded: a fixed number of requests, each with a timeout, and a deadline per phase.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from assistant.zalo.fake_oa import FakeOA  # noqa: E402
from serve import percentile  # noqa: E402  (bench/serve.py, beside this script)
from assistant.zalo.signature import sign  # noqa: E402

ADMIN_KEY = "bench-admin-key-0c7d1e"
OA_SECRET = "bench-oa-secret-4b2a"
DOCS = ("thanh-hoa-de-an-cds-2021-tin-tuc.txt", "thanh-hoa-ke-hoach-cds-2020.txt")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the server under test ---------------------------------------------------------------------

class Server:
    def __init__(self, root: Path, oa: FakeOA, embed_cache: str | None):
        plans = root / "plans"
        plans.mkdir()
        src = ROOT / "data" / "plans"
        catalog = json.loads((src / "catalog.json").read_text("utf-8"))
        keep = {Path(d).stem for d in DOCS}
        catalog = [d for d in catalog if d.get("doc_id") in keep]
        (plans / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
        for name in DOCS:
            shutil.copyfile(src / name, plans / name)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = root / "server.log"
        self.env = {**os.environ,
                    "ASSISTANT_PLANS_DIR": str(plans), "ASSISTANT_INDEX_DIR": str(root / "index"),
                    "ASSISTANT_DB_PATH": str(root / "app.sqlite"), "ASSISTANT_ADMIN_KEY": ADMIN_KEY,
                    "ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000",
                    "ASSISTANT_ZALO_WEBHOOK_RATE_PER_MINUTE": "1000000",
                    "ASSISTANT_ZALO_APP_ID": "app-1", "ASSISTANT_ZALO_APP_SECRET": "app-secret",
                    "ASSISTANT_ZALO_OA_SECRET": OA_SECRET, "ASSISTANT_ZALO_ACCESS_TOKEN": "access-0",
                    "ASSISTANT_ZALO_REFRESH_TOKEN": "refresh-0", "ASSISTANT_ZALO_API_BASE": oa.url,
                    "ASSISTANT_ZALO_OAUTH_BASE": oa.url, "ASSISTANT_ZALO_TOKEN_FILE": str(root / "zalo-token.json"),
                    "ASSISTANT_ZALO_BACKOFF_SECONDS": "0.5", "ASSISTANT_ZALO_BACKOFF_MAX_SECONDS": "4"}
        if embed_cache:
            self.env["ASSISTANT_EMBED_CACHE"] = embed_cache
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        # one worker: the process whose files, threads and memory phase 3 follows
        self.proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(self.port),
                                      "--workers", "1", "--ingest-if-missing"], env=self.env, cwd=ROOT,
                                     stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit("the server did not become ready in 10 minutes")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def tracebacks(self) -> int:
        return self.log_path.read_text("utf-8", "replace").count("Traceback (most recent call last)")

    def resources(self) -> dict:
        pid = self.proc.pid
        status = Path(f"/proc/{pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return {"open_files": len(os.listdir(f"/proc/{pid}/fd")), "threads": int(fields["Threads"]),
                "rss_mb": int(fields["VmRSS"].split()[0]) / 1024}


# -- 1. hostile input --------------------------------------------------------------------------

def signed(event: dict, raw: bytes | None = None) -> tuple[bytes, dict]:
    if raw is None:  # raw UTF-8 or \u escapes; a lone surrogate can only travel escaped (or as bytes)
        raw = json.dumps(event, ensure_ascii=random.random() < 0.5).encode("utf-8", "surrogatepass")
    sig = sign(str(event.get("app_id", "")), raw, str(event.get("timestamp", "")), OA_SECRET)
    return raw, {"X-ZEvent-Signature": sig, "Content-Type": "application/json"}


def hostile_requests(n: int, rng: random.Random):
    """(method, path, kwargs) of `n` hostile or odd requests over every route."""
    def junk(size: int) -> bytes:
        return bytes(rng.randrange(256) for _ in range(size))

    def as_json(obj) -> dict:  # \u escapes: a lone surrogate travels as JSON allows
        return {"content": json.dumps(obj).encode(), "headers": {"Content-Type": "application/json"}}

    texts = ["", " ", "\x00", "\ud800", "😀" * 2000, "a" * 5000, "<script>alert(1)</script>", "' OR 1=1 --",
             "Ai chủ trì?" * 200, "\u202e\u2066", "0912345678", "%00", "../../etc/passwd", None, 5, [], {}]
    now = lambda: str(int(time.time() * 1000))  # noqa: E731
    makers = [
        lambda: ("POST", "/v1/ask", {"content": junk(rng.randrange(1, 3000))}),
        lambda: ("POST", "/v1/ask", as_json({"q": rng.choice(texts), "history": rng.choice([None, "x", [1], ["a"] * 50])})),
        lambda: ("POST", "/v1/ask", {"content": b"[" * 20000 + b"]" * 20000}),
        lambda: ("POST", "/v1/ask", as_json({"q": "chữ ký số", "conversation_id": rng.choice(["x" * 500, "\x00", 7])})),
        lambda: ("GET", "/v1/search", {"params": {"q": rng.choice([t for t in texts if isinstance(t, str)
                                                                   and t != "\ud800"]) or "x",
                                                  "k": rng.choice(["-1", "0", "10000", "abc", "5"])}}),
        lambda: ("GET", "/v1/search?q=" + rng.choice(["%ED%A0%80", "%FF%FE", "%C0%AF", "%00"]) + "&k=3", {}),
        lambda: ("GET", "/v1/records", {"params": {"year": rng.choice(["x", "99999", "2025"]),
                                                   "kind": rng.choice(["task", "evil", ""]), "limit": "100000"}}),
        lambda: ("GET", "/v1/documents/" + rng.choice(["..%2F..%2Fetc", "%00", "x" * 300, "0912345678", "a/b"]), {}),
        lambda: ("GET", "/v1/documents", {}),
        lambda: ("GET", "/v1/suggestions", {"params": {"lang": rng.choice(["vi", "en", "xx", ""])}}),
        lambda: ("POST", "/v1/feedback", {"json": rng.choice([{}, {"rating": "up"}, {"rating": 5, "answer_id": []},
                                                              {"rating": "down", "answer_id": "x" * 10000}])}),
        lambda: ("POST", "/v1/feedback", {"content": junk(200)}),
        lambda: ("POST", "/v1/admin/ingest", {"headers": {"X-Admin-Key": rng.choice(["", "x", ADMIN_KEY + "x"])},
                                              "files": {"files": ("a.txt", b"x")}}),
        lambda: ("POST", "/v1/admin/ingest", {"headers": {"X-Admin-Key": ADMIN_KEY},
                                              "files": {"files": (rng.choice(["../a.txt", ".h.txt", "a.exe", "b.txt"]),
                                                                  junk(rng.randrange(0, 500)))}}),
        lambda: ("GET", "/v1/admin/zalo/outbox", {"headers": {"X-Admin-Key": rng.choice(["", ADMIN_KEY])},
                                                  "params": {"status": rng.choice(["", "failed", "evil"]), "limit": "-5"}}),
        lambda: (rng.choice(["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
                 rng.choice(["/v1/ask", "/healthz", "/readyz", "/zalo/webhook", "/", "/static/widget.js"]), {}),
        lambda: ("GET", "/" + junk(20).hex() + rng.choice(["", "?q=%ff%fe", "/../.."]), {}),
        lambda: ("POST", "/zalo/webhook", {"content": junk(rng.randrange(0, 2000)),
                                           "headers": {"X-ZEvent-Signature": "mac=" + junk(32).hex()}}),
        lambda: ("POST", "/zalo/webhook", {"content": rng.choice([b"[" * 30000 + b"]" * 30000,
                                                                  b'{"a":' * 10000 + b"1" + b"}" * 10000]),
                                           "headers": {"X-ZEvent-Signature": "mac=00"}}),
        lambda: ("POST", "/zalo/webhook", dict(zip(("content", "headers"), signed(
            {"app_id": rng.choice(["app-1", "\ud800", 5]), "timestamp": rng.choice(["not-a-time", "1", now(), "1e400"]),
             "event_name": "user_send_text", "sender": {"id": "u-hostile"},
             "message": {"text": rng.choice([t for t in texts if isinstance(t, str)]) or "x", "msg_id": junk(8).hex()}})))),
        lambda: ("POST", "/zalo/webhook", dict(zip(("content", "headers"), signed(
            {"app_id": "app-1", "timestamp": now(), "event_name": rng.choice(["user_send_text", "follow", None]),
             "sender": rng.choice([{"id": "u-h2"}, "x", None, {"id": []}]),
             "message": rng.choice([{"text": "trợ giúp", "msg_id": junk(8).hex()}, {"text": 5}, [], "x"])})))),
        lambda: ("GET", "/healthz", {}),
        lambda: ("GET", "/readyz", {}),
    ]
    for _ in range(n):
        yield rng.choice(makers)()


def run_hostile(server: Server, n: int) -> dict:
    rng = random.Random(20261202)
    statuses: dict[int, int] = {}
    transport_errors = 0
    t0 = time.monotonic()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for method, path, kwargs in hostile_requests(n, rng):
            try:
                resp = client.request(method, path, **kwargs)
                statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
            except httpx.HTTPError:
                transport_errors += 1
    return {"requests": n, "seconds": round(time.monotonic() - t0, 1),
            "5xx": sum(v for k, v in statuses.items() if k >= 500), "transport_errors": transport_errors,
            "tracebacks_in_log": server.tracebacks(), "statuses": dict(sorted(statuses.items()))}


# -- 2. Zalo burst while the OA rate-limits ---------------------------------------------------

def run_burst(server: Server, oa: FakeOA, n: int, limited_seconds: float = 10.0) -> dict:
    before = len(oa.messages)
    users = [f"burst-user-{i}" for i in range(50)]
    health: list[float] = []
    stop = threading.Event()

    def probe():
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while not stop.is_set():
                t = time.perf_counter()
                client.get("/healthz")
                health.append((time.perf_counter() - t) * 1000)
                time.sleep(0.02)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    oa.rate_limit_for(limited_seconds)
    t0 = time.monotonic()
    accepted = 0
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for i in range(n):
            event = {"app_id": "app-1", "timestamp": str(int(time.time() * 1000)), "event_name": "user_send_text",
                     "sender": {"id": users[i % len(users)]}, "recipient": {"id": "oa"},
                     "message": {"text": ["trợ giúp", "chữ ký số", "Ai chủ trì chuyển đổi số?"][i % 3],
                                 "msg_id": f"burst-{i}-{t0}"}}
            raw, headers = signed(event, json.dumps(event, ensure_ascii=False).encode())
            accepted += client.post("/zalo/webhook", content=raw, headers=headers).status_code == 200
    sent_at = time.monotonic() - t0
    deadline = time.monotonic() + 600
    while len(oa.messages) - before < n and time.monotonic() < deadline:
        time.sleep(0.1)
    drained = time.monotonic() - t0
    stop.set()
    prober.join()
    delivered_users = [m["user_id"] for m in oa.messages[before:]]
    outbox = httpx.get(server.url + "/readyz", timeout=10).json().get("zalo_outbox")
    return {"events": n, "accepted": accepted, "posted_in_s": round(sent_at, 1),
            "replies_delivered": len(delivered_users), "lost": n - len(delivered_users),
            "rate_limited_sends": oa.errors.count(-32), "all_delivered_after_s": round(drained, 1),
            "healthz_samples": len(health), "healthz_p50_ms": round(percentile(health, 50), 1),
            "healthz_p99_ms": round(percentile(health, 99), 1), "healthz_max_ms": round(max(health or [0]), 1),
            "outbox_after": outbox}


# -- 3. repeated admin ingests ------------------------------------------------------------------

def run_ingests(server: Server, n: int) -> dict:
    samples = [server.resources()]
    versions = set()
    failures = 0
    base_text = (ROOT / "data" / "plans" / DOCS[0]).read_text("utf-8")
    with httpx.Client(base_url=server.url, timeout=600, headers={"X-Admin-Key": ADMIN_KEY}) as client:
        for i in range(n):
            text = base_text + f"\n\nGhi chú cập nhật lần {i + 1}.\n"
            resp = client.post("/v1/admin/ingest", files={"files": ("ban-ghi-bench.txt", text.encode(), "text/plain")})
            failures += resp.status_code != 200
            client.post("/v1/ask", json={"q": "chữ ký số"})  # serve from the new version
            versions.add(client.get("/readyz").json().get("version"))
            samples.append(server.resources())
    first, last = samples[1], samples[-1]  # after the first ingest: the cost of one build is paid
    growth = {k: round((last[k] - first[k]) / first[k] * 100, 1) for k in first}
    return {"ingests": n, "failures": failures, "versions_served": len(versions),
            "before": samples[0], "after_first": first, "after_last": last,
            "max": {k: max(s[k] for s in samples) for k in first}, "growth_pct_first_to_last": growth}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hostile", type=int, default=1200)
    ap.add_argument("--burst", type=int, default=200)
    ap.add_argument("--ingests", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (server log, index)")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-reliability-"))
    embed_cache = os.environ.get("ASSISTANT_EMBED_CACHE") or os.environ.get("ASSISTANT_TEST_EMBED_CACHE")
    with FakeOA(app_id="app-1", app_secret="app-secret", access_token="access-0", refresh_token="refresh-0") as oa:
        server = Server(root, oa, embed_cache)
        server.start()
        try:
            results = {}
            if args.hostile:
                results["hostile"] = run_hostile(server, args.hostile)
                print("hostile input   ", json.dumps(results["hostile"]), flush=True)
            if args.burst:
                results["zalo_burst"] = run_burst(server, oa, args.burst)
                print("zalo burst      ", json.dumps(results["zalo_burst"]), flush=True)
            if args.ingests:
                results["admin_ingests"] = run_ingests(server, args.ingests)
                print("admin ingests   ", json.dumps(results["admin_ingests"]), flush=True)
            print("tracebacks in the server log:", server.tracebacks())
        finally:
            server.stop()
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
            else:
                print("kept", root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
