"""Parsing for a build: file -> parsed document, chunks and lexical tokens, on every core.

Parsing (word segmentation above all) is most of a build once vectors are cached, and each
document is independent, so a build with several documents to parse spreads them over worker
processes (spawned: no copy of a server's threads or open index). A few documents are parsed
in-process: starting workers (each imports the segmenter) costs more than it saves there.
Results come back in file order whatever order the workers finish in, so a build is the same
with one process or many.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterator

MIN_PARALLEL = 8  # documents to parse before workers pay for their start (measured: 5 do not)
WINDOW_PER_PROCESS = 4  # files submitted ahead per worker: enough to keep it busy


@dataclass
class Parsed:
    """One file's parse: the document with its chunks and their tokens, or why it failed."""
    path: str
    doc: object | None = None  # ingest.records.ParsedDocument
    chunks: list | None = None
    tokens: list[list[str]] | None = None
    error: str | None = None


def parse_one(path: str, catalog: dict) -> Parsed:
    from ingest.errors import IngestError
    from ingest.pipeline import parse_file
    from vectorstore.chunks import chunk_document
    from vectorstore.lexical import analyze

    try:
        doc = parse_file(path, catalog=catalog)
        chunks = chunk_document(doc)
        return Parsed(path, doc, chunks, [analyze(c.embed_text) for c in chunks])
    except IngestError as exc:
        return Parsed(path, error=exc.reason)
    except Exception as exc:  # a bug on one file must not sink the build
        return Parsed(path, error=f"{type(exc).__name__}: {exc}")


def processes_for(count: int, wanted: int | None = None) -> int:
    """Worker processes for `count` documents: one per core (or `wanted`), none for a few."""
    cores = wanted or len(os.sched_getaffinity(0))
    return min(cores, count) if count >= MIN_PARALLEL and cores > 1 else 0


def parse_all(paths: list[str], catalog: dict, processes: int = 0,
              progress: Callable[[int, int], None] | None = None) -> Iterator[Parsed]:
    """Parsed files in the order of `paths`, on `processes` workers (0: in this process)."""
    total = len(paths)
    if processes <= 1:
        for n, path in enumerate(paths):
            if progress:
                progress(n, total)
            yield parse_one(path, catalog)
        return
    ctx = multiprocessing.get_context("spawn")
    done = 0
    if progress:
        progress(0, total)
    try:
        with ProcessPoolExecutor(max_workers=processes, mp_context=ctx) as pool:
            # A bounded window of files in flight, each result dropped once yielded: finished
            # parses wait for the slow file before them, and a corpus of them would fill memory.
            window: deque = deque()
            queued = iter(paths)
            for path in islice(queued, processes * WINDOW_PER_PROCESS):
                window.append(pool.submit(parse_one, path, catalog))
            while window:
                result = window.popleft().result()  # in file order
                done += 1
                nxt = next(queued, None)
                if nxt is not None:
                    window.append(pool.submit(parse_one, nxt, catalog))
                if progress:
                    progress(done + sum(f.done() for f in window), total)
                yield result
    except BrokenProcessPool:
        # a worker died (a memory cap, the OOM killer): the files not yet returned are parsed
        # here, one by one, so one hostile file costs its own parse and not the build
        for n, path in enumerate(paths[done:], start=done):
            if progress:
                progress(n, total)
            yield parse_one(path, catalog)
