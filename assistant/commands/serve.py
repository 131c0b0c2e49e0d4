"""`python -m assistant serve`: the API, the citizen widget and the Zalo webhook on one port."""
from __future__ import annotations

import logging
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the HTTP API, the chat widget (/widget.js, demo at /) and the Zalo webhook",
        description="Serve the API, widget and Zalo webhook with uvicorn. Binds 127.0.0.1 unless "
                    "told otherwise; put a TLS reverse proxy in front for public use.")
    p.add_argument("--host", default=None, help="address to bind (default: settings.host, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: settings.port, 8000)")
    p.add_argument("--ingest-if-missing", action="store_true",
                   help="build the index from settings.plans_dir first when none exists")
    p.add_argument("--proxy-headers", action="store_true",
                   help="trust X-Forwarded-For from --forwarded-allow-ips (behind a reverse proxy), "
                        "so rate limits apply per real client")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="proxies whose X-Forwarded-For is trusted (default 127.0.0.1)")
    p.set_defaults(func=run)


def run(args, settings) -> int:
    import uvicorn

    from assistant.api import create_app
    from vectorstore.index import build_index, current_version

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.ingest_if_missing and current_version(settings.index_dir) is None:
        print(f"no index in {settings.index_dir}; indexing {settings.plans_dir} first …", file=sys.stderr)
        summary = build_index(settings, None, False)
        print(summary.format(), file=sys.stderr)
    host = args.host or settings.host
    port = args.port or settings.port
    app = create_app(settings)
    print(f"serving on http://{host}:{port}/  (API docs: /docs, widget: /widget.js)", file=sys.stderr)
    # uvicorn's access log prints raw query strings (questions may hold phone numbers); the app
    # logs requests itself, redacted.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info",
                proxy_headers=args.proxy_headers, forwarded_allow_ips=args.forwarded_allow_ips)
    return 0
