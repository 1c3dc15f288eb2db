"""Real servers on 127.0.0.1 for the calendar client tests: a Radicale CalDAV server (a
separate process) and a static HTTP server serving exported feeds (a thread), each on a
free port, each stopped when the test is done."""

from __future__ import annotations

import functools
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the server accepts connections (bounded by tries, not asserted as time)."""
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"radicale exited: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"radicale never listened on {port}: {log.read_text(errors='replace')}")


@contextmanager
def radicale(folder: Path) -> Iterator[str]:
    """A Radicale server with its storage in ``folder``, no authentication (any user name
    and password are accepted), no configuration file read; yields its URL."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "radicale.log"
    storage = folder / "storage"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "radicale", "--config", "",
                "--server-hosts", f"127.0.0.1:{port}",
                "--storage-filesystem-folder", str(storage),
                "--auth-type", "none", "--logging-level", "warning",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(port, process, log)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_site(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP, as a web server publishing exported feeds; yields
    the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
