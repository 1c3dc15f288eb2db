"""The incident log: what happened to each incident, for `remind --handoff` and `report`.

One JSON object per line, appended: ``fired`` (when, how many alerts, severity, who was
mentioned), ``acknowledged`` (by whom), ``escalated`` (the step) and ``resolved``, each
with ``at`` on the relay's clock (``--now`` included) and the incident's tag. Each record
is one ``write`` to a file opened with ``O_APPEND``, then fsynced, so lines from the
delivery workers, the escalation thread and the ack handler never interleave. A kill -9
in the middle of a write leaves at most a torn last line: the next start ends it with a
newline (so the next record is whole) and logs ``incident_log_torn``; readers skip it
(``oncall.io.incident_log``).

Bounded: when a record would take the file past ``incidents.max_bytes``, the file is
renamed to ``<log>.1`` (replacing the older one) and a new one begun, so the log never
holds more than twice that. Writing can fail (a full disk): the relay logs
``incident_log_failed`` and goes on posting alerts.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oncall.relay.logs import Log

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


def stamp(epoch: float) -> str:
    """``2027-01-05T02:00:00Z``: a moment on the relay's clock, as the log writes it."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


class IncidentLog:
    """Appends incident records to ``path``, rotating it to ``path.1`` at ``max_bytes``."""

    def __init__(self, path: Path, max_bytes: int, log: Log) -> None:
        self.path = path
        self.older = path.with_name(path.name + ".1")
        self.max_bytes = max_bytes
        self.log = log
        self._lock = threading.Lock()
        self._end_torn_line()

    def _end_torn_line(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                if handle.tell() == 0:
                    return
                handle.seek(-1, os.SEEK_END)
                last = handle.read(1)
        except FileNotFoundError:
            return
        except OSError as exc:
            self.log("incident_log_failed", "error", file=str(self.path),
                     error=exc.strerror or str(exc))
            return
        if last != b"\n":
            self._append(b"\n")
            self.log("incident_log_torn", "warning", file=str(self.path),
                     note="its last line was cut off (a kill -9 while writing); readers "
                     "skip it")

    def write(self, event: str, at: float, **fields: Any) -> None:
        """Append one record, durably; never raises (a failure is logged)."""
        record = {"v": 1, "event": event, "at": stamp(at), **fields}
        data = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            try:
                size = os.path.getsize(self.path)
            except OSError:
                size = 0
            if size and size + len(data) > self.max_bytes:
                try:
                    os.replace(self.path, self.older)
                except OSError as exc:
                    self.log("incident_log_failed", "error", file=str(self.path),
                             error=exc.strerror or str(exc))
            self._append(data)

    def _append(self, data: bytes) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW,
                         0o600)
        except OSError as exc:
            self.log("incident_log_failed", "error", file=str(self.path),
                     error=exc.strerror or str(exc))
            return
        try:
            written = os.write(fd, data)  # one write: O_APPEND keeps it whole
            if written != len(data):
                raise OSError(f"wrote {written} of {len(data)} bytes")
            os.fsync(fd)
        except OSError as exc:
            self.log("incident_log_failed", "error", file=str(self.path),
                     error=exc.strerror or str(exc))
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
