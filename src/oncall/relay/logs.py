"""Structured logs: one JSON object per line on stderr, for journald and log shippers.

Callers pass only what is safe to show: never a webhook URL (its path is the secret) or
the token. Text from a sender is passed as values, which JSON escapes, so it cannot forge
a log line.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from typing import Any, TextIO


class Log:
    """Writes ``{"ts", "level", "event", ...}`` lines; one lock keeps lines whole."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def __call__(self, event: str, level: str = "info", **fields: Any) -> None:
        line = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": level,
            "event": event,
            **fields,
        }
        text = json.dumps(line, ensure_ascii=False, default=str) + "\n"
        stream = self._stream or sys.stderr
        with self._lock:
            stream.write(text)
            stream.flush()
