"""Local preview: build into a private folder, serve it, rebuild on save, reload the browser.

The pages on disk stay exactly as ``build`` makes them; the server adds a
one-line script to HTML responses that reloads the page after a rebuild.
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from .config import load_config
from .errors import ContentError, GeneratorError

EVENTS = "/__sunshine/events"
RELOAD_SCRIPT = (
    b"<script>new EventSource('"
    + EVENTS.encode()
    + b"').onmessage=function(){location.reload()}</script>"
)


class Preview:
    """A build folder with a version number that rises with each good rebuild."""

    def __init__(
        self, root: Path, build: Callable[[Path, Path], Path], report: Callable[[str], None]
    ):
        self.root = root
        self.out = Path(tempfile.mkdtemp(prefix="sunshine-serve-")) / "site"
        self._build = build
        self.report = report
        self.version = 0
        self.changed = threading.Condition()

    def rebuild(self) -> bool:
        """Build once; on errors keep the previous pages and report why."""
        try:
            self._build(self.root, self.out)
        except ContentError as exc:
            self.report(
                "\n".join(d.format() for d in exc.diagnostics)
                + "\nbuild failed: the preview shows the last good build"
            )
            return False
        except GeneratorError as exc:
            self.report(f"build failed: {exc}")
            return False
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        self.report(f"rebuilt ({self.version})")
        return True

    def watch_forever(self, stop: threading.Event) -> None:
        """Rebuild whenever content, themes or site.yaml change."""
        config = load_config(self.root)[0]
        content = self.root / (config.content_dir if config else "content")
        paths = [p for p in (content, self.root / "themes", self.root / "site.yaml") if p.exists()]
        for _ in watch(*paths, stop_event=stop, debounce=300):
            self.rebuild()


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(
        self, format: str, *args: object
    ) -> None:  # quiet: the preview reports rebuilds
        return

    def do_GET(self) -> None:
        if self.path == EVENTS:
            self._events()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        seen = preview.version
        try:
            while True:
                with preview.changed:
                    preview.changed.wait_for(functools.partial(_moved, preview, seen), timeout=15)
                if preview.version != seen:
                    seen = preview.version
                    self.wfile.write(b"data: reload\n\n")
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _moved(preview: Preview, seen: int) -> bool:
    return preview.version != seen


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the preview's folder (port 0 picks a free port)."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    factory = functools.partial(handler, directory=str(preview.out))
    server = http.server.ThreadingHTTPServer((host, port), factory)
    server.daemon_threads = True
    return server


def serve(
    root: Path,
    build: Callable[[Path, Path], Path],
    host: str,
    port: int,
    report: Callable[[str], None],
) -> None:
    """Build, serve and watch until interrupted."""
    preview = Preview(root, build, report)
    if not preview.rebuild():
        raise GeneratorError("the first build failed; fix the content and run serve again")
    server = make_server(preview, host, port)
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch_forever, args=(stop,), daemon=True)
    watcher.start()
    report(f"serving http://{host}:{server.server_address[1]}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
