"""Structured logs: one JSON object per line on stderr, for journald and log shippers.

Callers pass only what is safe to show: never a webhook URL (its path is the secret) or
the token. Text from a sender is passed as values, which JSON escapes, so it cannot forge
a log line.

Logging can never stop the relay: lines are queued and written by one thread of their
own, so a log pipe that is gone (EPIPE), a disk that is full (ENOSPC, EFBIG) or a reader
that stalls costs log lines, never an alert or a request. Lines that could not be written
or queued are counted (``failures``, and ``on_error`` for the metric).
"""

from __future__ import annotations

import contextlib
import json
import queue
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

QUEUED_LINES = 10_000
CLOSE_SECONDS = 2.0


class Log:
    """Writes ``{"ts", "level", "event", ...}`` lines; one writer keeps lines whole."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lines: queue.Queue[str | None] = queue.Queue(QUEUED_LINES)
        self._lock = threading.Lock()
        self.failures = 0
        self.on_error: Callable[[], None] | None = None
        self._writer = threading.Thread(target=self._write, name="log", daemon=True)
        self._writer.start()

    def __call__(self, event: str, level: str = "info", **fields: Any) -> None:
        line = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": level,
            "event": event,
            **fields,
        }
        try:
            self._lines.put_nowait(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        except (queue.Full, ValueError, RecursionError):
            self._failed()

    def close(self, timeout: float = CLOSE_SECONDS) -> None:
        """Write what is queued (for up to ``timeout`` seconds), then stop the writer."""
        try:
            self._lines.put(None, timeout=timeout)
        except queue.Full:
            return
        self._writer.join(timeout=timeout)

    def _write(self) -> None:
        while True:
            text = self._lines.get()
            if text is None:
                return
            stream = self._stream or sys.stderr
            try:
                stream.write(text)
                stream.flush()
            except (OSError, ValueError, AttributeError):  # gone, full, closed, None
                self._failed()

    def _failed(self) -> None:
        with self._lock:
            self.failures += 1
        if self.on_error is not None:
            with contextlib.suppress(Exception):  # a metric must not break the log
                self.on_error()
