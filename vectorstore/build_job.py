"""`build_index` in a child process, for a server that must not pay for a build.

A build parses untrusted uploads, loads an embedder and holds every chunk of the corpus: run in
the serving process, a hostile .docx or a big corpus grows it, and each build left threads and
open files behind. In a spawned child with an address-space cap (`ingest_memory_mb`) all of that
ends with the child; the server only reads the summary and then serves the new version like any
other (AppState.refresh).
"""
from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ingest.errors import AssistantError


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        cap = megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _build(settings, paths, prune: bool):
    """Runs in the child: the summary, or the error as plain values (any exception class pickles
    back differently, a plain tuple always does)."""
    try:
        from vectorstore.build import build_index

        return "ok", build_index(settings, paths, prune)
    except AssistantError as exc:
        return "error", (exc.message, exc.code, exc.status)
    except MemoryError:
        return "error", (f"the build needed more than {settings.ingest_memory_mb} MB; the index is "
                         "unchanged", "ingest_too_large", 413)
    except BaseException as exc:  # under the cap even imports fail oddly: numpy raises
        # KeyboardInterrupt when OpenBLAS cannot start its threads; it must not reach the server
        return "error", (f"the build failed ({type(exc).__name__}); the index is unchanged",
                         "ingest_failed", 422)


def build_in_child(settings, paths=None, prune: bool = False):
    """`build_index(settings, paths, prune)` in a fresh process; its AssistantError re-raised here."""
    ctx = multiprocessing.get_context("spawn")  # no copy of the server's threads, locks or index
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_limit_memory,
                             initargs=(settings.ingest_memory_mb,)) as pool:
        try:
            status, value = pool.submit(_build, settings, paths, prune).result()
        except BrokenProcessPool:
            raise AssistantError("the build process stopped before finishing (killed or out of "
                                 "memory); the index is unchanged", code="ingest_failed", status=422) from None
        except Exception as exc:  # raised in the child outside build_index's own errors (a thread or
            # an allocation refused under the memory cap): the upload could not be built
            raise AssistantError(f"the build failed ({type(exc).__name__}: {exc}); the index is unchanged",
                                 code="ingest_failed", status=422) from None
    if status == "error":
        message, code, http_status = value
        raise AssistantError(message, code=code, status=http_status)
    return value
