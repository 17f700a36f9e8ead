#!/usr/bin/env python3
"""Tiny static file server for the Essaimage demo and e2e tests (stdlib only).

    python3 scripts/serve.py [DIR] [--port 8080] [--bind 127.0.0.1] [--quiet]

Serves DIR (default: dist) with correct MIME types (.wasm -> application/wasm, ...)
and `Cache-Control: no-cache`. `--port 0` picks a free port; the chosen URL is
printed on stdout as `Serving DIR at http://HOST:PORT/`.
"""
import argparse
import functools
import http.server
import os
import signal
import sys

MIME = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".csv": "text/csv",
    ".css": "text/css",
    ".html": "text/html",
    ".htm": "text/html",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
    ".map": "application/json",
    ".woff2": "font/woff2",
}
TEXT_TYPES = ("text/", "application/json", "application/geo+json", "image/svg+xml")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    quiet = False

    def guess_type(self, path):
        ctype = super().guess_type(path)
        if ctype.startswith(TEXT_TYPES) and "charset" not in ctype:
            ctype += "; charset=utf-8"
        return ctype

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def _on_sigterm(*_):
    raise KeyboardInterrupt


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("directory", nargs="?", default="dist")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--quiet", "-q", action="store_true", help="no per-request log lines")
    a = p.parse_args(argv)

    directory = os.path.abspath(a.directory)
    if not os.path.isdir(directory):
        print(f"serve.py: no such directory: {directory}", file=sys.stderr)
        return 2

    handler = functools.partial(type("H", (Handler,), {"quiet": a.quiet}), directory=directory)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    httpd = http.server.ThreadingHTTPServer((a.bind, a.port), handler)
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    signal.signal(signal.SIGTERM, _on_sigterm)
    print(f"Serving {directory} at http://{host}:{port}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
