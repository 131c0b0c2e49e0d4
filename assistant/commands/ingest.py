"""`python -m assistant ingest [PATH …] [--prune]`: build or update the index."""
from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "ingest", help="index plan documents (incremental: unchanged files are skipped)",
        description="Parse, chunk, embed and index documents into a new index version, then switch "
                    "to it atomically. Unchanged files (same content hash) are reused and cached "
                    "embeddings are never recomputed. A bad file is reported and skipped.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to ingest (default: settings.plans_dir)")
    p.add_argument("--prune", action="store_true",
                   help="drop indexed documents whose files are not among the scanned PATHs")
    p.add_argument("--rebuild", action="store_true",
                   help="parse every file again even if unchanged (embeddings still come from the cache)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


class _Bars:
    """One tqdm bar per stage, on stderr."""

    def __init__(self):
        self.bars = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="doc" if stage == "parse" else "chunk",
                                          file=sys.stderr, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def run(args, settings) -> int:
    from vectorstore.build import build_index

    bars = None if args.quiet else _Bars()
    try:
        summary = build_index(settings, args.paths or None, prune=args.prune, progress=bars,
                              rebuild=args.rebuild)
    finally:
        if bars:
            bars.close()
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(summary.format())
    return 1 if summary.failed else 0
