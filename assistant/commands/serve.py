"""`python -m assistant serve`: the API, the citizen widget and the Zalo webhook on one port."""
from __future__ import annotations

import logging
import os
import sys

from assistant.errors import AssistantError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the HTTP API, the chat widget (/widget.js, demo at /) and the Zalo webhook",
        description="Serve the API, widget and Zalo webhook with uvicorn. Binds 127.0.0.1 unless "
                    "told otherwise; put a TLS reverse proxy in front for public use.")
    p.add_argument("--host", default=None, help="address to bind (default: settings.host, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: settings.port, 8000)")
    p.add_argument("--ingest-if-missing", action="store_true",
                   help="build the index from settings.plans_dir first when none exists (or it is of an older format)")
    p.add_argument("--proxy-headers", action="store_true",
                   help="trust X-Forwarded-For from --forwarded-allow-ips (behind a reverse proxy), "
                        "so rate limits apply per real client")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="proxies whose X-Forwarded-For is trusted (default 127.0.0.1)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes, each with its own copy of the index (default: "
                        "settings.workers, else the number of cores); they share the app database "
                        "and, with ASSISTANT_REDIS_URL, the rate limits")
    p.set_defaults(func=run)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_config() -> dict:
    """uvicorn's logging plus the app's own loggers (access log, Zalo, index), applied in every
    worker process."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["formatters"]["app"] = {"format": LOG_FORMAT}
    cfg["handlers"]["app"] = {"class": "logging.StreamHandler", "formatter": "app", "stream": "ext://sys.stderr"}
    cfg["loggers"]["assistant"] = {"handlers": ["app"], "level": "INFO", "propagate": False}
    return cfg


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run(args, settings) -> int:
    import uvicorn

    from assistant.api import create_app
    from vectorstore.build import build_index
    from vectorstore.versions import current_is_stale, current_version

    if args.workers is not None and args.workers < 1:
        raise AssistantError("--workers must be at least 1", code="bad_workers")
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    missing = current_version(settings.index_dir) is None
    if args.ingest_if_missing and (missing or current_is_stale(settings.index_dir)):
        what = "no index" if missing else "an index of an older format"
        print(f"{what} in {settings.index_dir}; indexing {settings.plans_dir} first …", file=sys.stderr)
        summary = build_index(settings, None, False)
        print(summary.format(), file=sys.stderr)
    host = args.host or settings.host
    port = args.port or settings.port
    workers = max(1, args.workers or settings.workers or cores())
    print(f"serving on http://{host}:{port}/ with {workers} worker(s)  (API docs: /docs, widget: "
          "/widget.js)", file=sys.stderr)
    if workers > 1 and not settings.redis_url:
        print("note: without ASSISTANT_REDIS_URL each worker keeps its own rate-limit counts",
              file=sys.stderr)
    # uvicorn's access log prints raw query strings (questions may hold phone numbers); the app
    # logs requests itself, redacted.
    options = dict(host=host, port=port, access_log=False, log_level="info", log_config=log_config(),
                   proxy_headers=args.proxy_headers, forwarded_allow_ips=args.forwarded_allow_ips)
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return 0
    # Each worker builds its app from the environment (Settings() there equals settings here) and
    # gets an equal share of the cores for its embedder, unless told otherwise.
    share = str(max(1, cores() // workers))
    os.environ.setdefault("ASSISTANT_EMBED_THREADS", share)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, share)
    uvicorn.run("assistant.api.app:create_app", factory=True, workers=workers, **options)
    return 0
