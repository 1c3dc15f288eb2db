"""A real browser for the published site: headless Chromium from the Debian package,
loading pages from a local HTTP server on 127.0.0.1.

No driver: ``--dump-dom`` gives the DOM after parsing and layout, ``--screenshot`` an
image, and ``--enable-logging=stderr --v=0`` puts every console message on stderr, where
``console_messages`` finds them. The server records each request and its status, so a test
sees every file the browser fetched (a missing style sheet is a 404 there).
"""

from __future__ import annotations

import contextlib
import functools
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.helpers.system import require_program

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0",
)
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\] (.*)")
TIMEOUT = 120  # seconds; a busy 2-core machine, never asserted


@dataclass
class Served:
    url: str  # ends with '/'
    requests: list[tuple[str, int]] = field(default_factory=list)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Served]:
    """``folder`` over HTTP on 127.0.0.1 (a free port) while the block runs."""
    served = Served("")

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            served.requests.append((self.path, int(code) if str(code).isdigit() else 0))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
    served.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Loaded:
    dom: str
    console: list[str]


def load(
    url: str, *, screenshot: Path | None = None, size: str = "1000,1500", wait_ms: int = 0
) -> Loaded:
    """Load ``url`` in a fresh headless Chromium profile: the DOM, or a screenshot.
    ``wait_ms`` lets the page's scripts run that much (virtual) time before the dump."""
    chromium = require_program("chromium", "chromium")
    with tempfile.TemporaryDirectory(prefix="oncall-chromium-") as profile:
        action = [f"--screenshot={screenshot}", f"--window-size={size}", "--hide-scrollbars"]
        budget = [f"--virtual-time-budget={wait_ms}"] if wait_ms else []
        ran = subprocess.run(
            [chromium, *FLAGS, *budget, f"--user-data-dir={profile}",
             *(action if screenshot else ["--dump-dom"]), url],
            capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return Loaded(ran.stdout, console_messages(ran.stderr))


def console_messages(stderr: str) -> list[str]:
    """The page's console messages among Chromium's own log lines."""
    return [match.group(1) for match in CONSOLE.finditer(stderr)]


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v is not None]


def links(dom: str) -> list[str]:
    parser = Links()
    parser.feed(dom)
    return parser.found
