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
    """One tqdm bar per stage, on stderr, one after the other: a stage's bar is finished and closed
    when the next stage starts (two open bars redraw over each other)."""

    def __init__(self):
        self.stage: str | None = None
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=f"{stage:<5}", unit={"parse": "doc", "embed": "chunk"}.get(stage, "step"),
                            file=sys.stderr, leave=True, dynamic_ncols=True)
        if self.bar is None:  # this stage's bar already finished
            return
        self.bar.total = total
        self.bar.update(done - self.bar.n)  # through update, so the rate tqdm shows is right
        if done >= total:  # finished: its time and rate stay as they were at the end
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


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
