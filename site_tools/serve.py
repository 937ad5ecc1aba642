"""Serve a built site on 127.0.0.1 the way GitHub Pages does (for the tests and benchmarks)."""

from __future__ import annotations

import functools
import gzip
import http.server
import socket
import threading
from pathlib import Path


@functools.lru_cache(maxsize=4096)
def compressed(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
    "text/xml",
}


class GitHubPagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped text, and the root 404.html for every missing address, as
    GitHub Pages does."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not self.published(path):
            return self.send_error(404)
        kind = self.guess_type(str(path))
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzipped and path.is_file() and kind.split(";")[0] in COMPRESSIBLE):
            return super().do_GET()
        if path.name == "index.html" and not self.path.split("?")[0].endswith("/"):
            return super().do_GET()  # let the parent redirect /page to /page/
        body = compressed(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        path = Path(self.translate_path(self.path))
        if not self.published(path / "index.html" if path.is_dir() else path):
            return self.send_error(404)
        return super().do_HEAD()

    def published(self, path: Path) -> bool:
        """A file of the site itself, as GitHub Pages serves it: no symbolic links
        followed, and no listing of a folder without an index.html."""
        root = Path(self.directory).absolute()
        try:
            inside = path.absolute().relative_to(root)
        except ValueError:
            return False
        return path.is_file() and path.resolve() == root.resolve() / inside

    def list_directory(self, path):
        self.send_error(404)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        # tells LinkChecker this host may be checked at full speed (it waits 0.1 to 0.6 s
        # between requests to any other host)
        self.send_header("LinkChecker", "maxrated")
        super().end_headers()

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """Serve folder on 127.0.0.1:port from a background thread; call .shutdown() to stop."""
    handler = functools.partial(GitHubPagesHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
