"""Slow clients (slowloris) and raw HTTP for the relay's fault tests, all to 127.0.0.1.

``Drippers`` holds ``count`` connections open, each sending a request's headers one byte
per ``interval`` and never finishing them; a connection the server closes is opened
again, as an attacker would. ``reopened`` counts those closes: the work the server did
against them, counted rather than timed. ``raw`` sends bytes as they are (framing a
library client would never produce) and returns the answer.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

HEAD = b"POST /alertmanager HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


class Drippers:
    def __init__(self, port: int, count: int, interval: float = 1.0) -> None:
        self.port = port
        self.interval = interval
        self.reopened = 0
        self.refused = 0
        self._sockets: list[socket.socket | None] = [None] * count
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Drippers:
        for index in range(len(self._sockets)):
            self._sockets[index] = self._open()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        for sock in self._sockets:
            if sock is not None:
                sock.close()

    @property
    def connected(self) -> int:
        return sum(1 for sock in self._sockets if sock is not None)

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(HEAD)
        except OSError:
            self.refused += 1
            return None
        sock.setblocking(False)
        return sock

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for index, sock in enumerate(self._sockets):
                if sock is None:
                    self._sockets[index] = self._open()
                    continue
                if _closed(sock):
                    sock.close()
                    self.reopened += 1
                    self._sockets[index] = self._open()


def _closed(sock: socket.socket) -> bool:
    """Send the next byte; True when the server has closed (or answered and closed)."""
    try:
        sock.recv(4096, socket.MSG_PEEK)
        return True  # closed (b"") or answered (a refusal): the server is done with us
    except BlockingIOError:
        pass
    except OSError:
        return True
    try:
        sock.send(b"a")
    except BlockingIOError:
        return False
    except OSError:
        return True
    return False


def drip_until_closed(port: int, interval: float, most: int) -> int:
    """One dripping connection: how many bytes it sent before the server closed it
    (``most`` when it never did)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(HEAD)
        sock.setblocking(False)
        for sent in range(most):
            if _closed(sock):
                return sent
            time.sleep(interval)
    return most


def raw(port: int, data: bytes, timeout: float = 30) -> bytes:
    """Send ``data`` on a fresh connection; everything the server sends until it closes
    or one whole answer (headers and Content-Length bytes) has come."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return answer
            if not chunk:
                return answer
            answer += chunk
            head, found, rest = answer.partition(b"\r\n\r\n")
            if found:
                lengths = [int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")]
                if lengths and len(rest) >= lengths[0]:
                    return answer


class DrippingChat:
    """A chat webhook on 127.0.0.1 that reads each request, then answers one byte every
    ``interval`` and never finishes: a chat hung mid-answer. ``connections`` counts the
    posts it has been sent."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/DRIP-SECRET"

    def __enter__(self) -> DrippingChat:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            try:
                conn.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Drip: " + b"a" * 10_000:
                    if self._stop.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return
