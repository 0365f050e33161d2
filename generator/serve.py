"""Local preview: build into a private folder, serve it, rebuild on save, reload the browser.

The preview shows the working copy, each page marked as a draft, and lays out
no PDF unless asked: an edit is on the screen a second after it is saved. It
builds as ``build`` does, incrementally (only the estate that changed is
rendered again), into its own folder, without the build cache, so a draft
never reaches build/ or the cache. The server adds a one-line script to HTML
responses that reloads the page after a rebuild; until a first build succeeds,
every page is the list of what stops it.
"""

from __future__ import annotations

import errno
import functools
import html
import http.server
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from .clock import today
from .config import load_config
from .errors import ContentError, GeneratorError, UsageError
from .i18n import _

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
        self.problems: list[str] = []  # of the last build, when it failed
        self.changed = threading.Condition()
        self._building = threading.Lock()  # one build at a time, whoever asks

    def rebuild(self) -> bool:
        """Build once; on errors keep the previous pages and report why."""
        with self._building:
            try:
                self._build(self.root, self.out)
            except ContentError as exc:
                self.problems = [d.format() for d in exc.diagnostics]
            except GeneratorError as exc:
                self.problems = [str(exc)]
            else:
                self.problems = []
        if self.problems:
            shown = _("生成失败，预览仍显示上一次成功的结果") if self.version else _("生成失败")
            self.report("\n".join([*self.problems, shown + _("；改好保存后会自动重新生成")]))
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        if not self.problems:
            self.report(_("已重新生成（第 {n} 次）", n=self.version))
        return not self.problems

    def failed_page(self) -> bytes | None:
        """While no build has succeeded, the page every address shows: what stops it."""
        if self.problems and not (self.out / "index.html").is_file():
            items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in self.problems)
            title = html.escape(_("生成失败：请按下面的提示修改，保存后本页会自动刷新"))
            return (
                f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{title}</title>'
                f"<body><h1>{title}</h1><ul>{items}</ul></body></html>"
            ).encode()
        return None

    def watch_forever(self, stop: threading.Event, watching: threading.Event | None = None) -> None:
        """Rebuild whenever content, themes or site.yaml change; ``watching`` is set once
        the watch is in place, so that a build begun after it misses no save."""
        config = load_config(self.root)[0]
        content = self.root / (config.content_dir if config else "content")
        paths = [p for p in (content, self.root / "themes", self.root / "site.yaml") if p.exists()]
        # the first answer, changes or none within 0.1 s, comes once the watch is in place
        for changes in watch(
            *paths, stop_event=stop, debounce=300, rust_timeout=100, yield_on_timeout=True
        ):
            if watching is not None:
                watching.set()
            if changes:
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
        failed = self.preview.failed_page()
        if failed is not None and not self.path.startswith("/assets/"):
            self._html(failed)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._html(path.read_bytes())
            return
        super().do_GET()

    def _html(self, page: bytes) -> None:
        body = page.replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
        if b"</body>" not in page:
            body += RELOAD_SCRIPT
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

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


class PortBusy(UsageError):
    """The port is taken; the message names the next free one."""


def bind(host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server bound to the port (0 picks a free one), before any build; PortBusy when taken."""
    try:
        server = http.server.ThreadingHTTPServer((host, port), _Handler, bind_and_activate=True)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise UsageError(
                _(
                    "无法在 {host}:{port} 上提供预览：{reason}",
                    host=host,
                    port=port,
                    reason=exc.strerror,
                )
            ) from None
        free = next_free_port(host, port + 1)
        raise PortBusy(
            _(
                "端口 {port} 已被占用（也许另一个 sunshine serve 还开着）；换一个端口：sunshine serve --port {free}",
                port=port,
                free=free,
            )
        ) from None
    server.daemon_threads = True
    return server


def attach(server: http.server.ThreadingHTTPServer, preview: Preview) -> None:
    """Serve the preview's folder."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    server.RequestHandlerClass = functools.partial(handler, directory=str(preview.out))


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the preview's folder (port 0 picks a free port)."""
    server = bind(host, port)
    attach(server, preview)
    return server


def next_free_port(host: str, start: int) -> int:
    """The first port from ``start`` on that nothing listens on."""
    for port in range(start, min(start + 200, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    return 0


def build_preview(root: Path, out: Path, *, with_pdf: bool, working_copy: bool) -> Path:
    """Build the preview, the working copy marked as a draft, as every build is built; its
    cache is a folder of its own in the site's, so that it never prunes the real build's."""
    from .cache import CACHE_FOLDER, Cache
    from .pipeline import build

    cache = Cache(root / CACHE_FOLDER / "preview")
    build(root, out, None, today(), 0, None, with_pdf, cache, preview=working_copy, strict=True)
    return out


def serve(
    root: Path,
    build: Callable[[Path, Path], Path],
    server: http.server.ThreadingHTTPServer,
    report: Callable[[str], None],
) -> None:
    """Build, serve and watch until interrupted."""
    preview = Preview(root, build, report)
    attach(server, preview)
    stop, watching = threading.Event(), threading.Event()
    watcher = threading.Thread(target=preview.watch_forever, args=(stop, watching), daemon=True)
    watcher.start()
    while not watching.wait(0.1) and watcher.is_alive():
        pass  # a save made while the first build runs is seen, and built after it
    preview.rebuild()
    host, port = server.server_address[:2]
    report(_("预览地址 http://{host}:{port}/ （按 Ctrl+C 停止）", host=host, port=port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        report(_("预览已停止"))
    finally:
        stop.set()
        server.server_close()
