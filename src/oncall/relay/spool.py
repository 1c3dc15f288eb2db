"""The spool: every accepted alert group as a file on disk until it is delivered.

The relay answers 2xx only after ``accept`` returns, and ``accept`` returns only after the
message is in ``pending/`` and both the file and the directory entry are on disk (write a
temporary file, fsync, link, fsync the directory). A kill -9 at any moment leaves either
no file (the sender got no 2xx and sends again) or a complete one (delivered after the
restart). A message's file is named by its dedupe key: a second copy finds the name taken
in ``pending/`` (waiting) or ``sent/`` (delivered, remembered ``keep_sent`` seconds), so
Alertmanager's re-sends are posted once. Messages whose deadline passed go to ``failed/``.
The spool, not memory, holds the messages: above ``max_messages`` waiting it says full.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from oncall.core.errors import InputError, Mark

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
FOLDERS = ("pending", "sent", "failed", "tmp")
WAITING_FIELDS = ("key", "group", "rotation", "received_at")


class SpoolFull(Exception):
    """More messages wait than the config allows: the sender should try again later."""


class Spool:
    """The four folders under ``directory`` and a count of what waits in ``pending/``."""

    def __init__(self, directory: Path, max_messages: int, keep_sent: int) -> None:
        self.directory = directory
        self.max_messages = max_messages
        self.keep_sent = keep_sent
        try:
            for name in FOLDERS:
                (directory / name).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot create the spool: {exc.strerror or exc}", mark=Mark(str(directory))
            ) from None
        # A temporary file was never answered 2xx: its sender sends it again.
        for stale in (directory / "tmp").iterdir():
            with contextlib.suppress(OSError):
                stale.unlink()
        self._lock = threading.Lock()
        self._depth = sum(1 for _ in (directory / "pending").glob("*.json"))
        self.failed_at_start = sum(1 for _ in (directory / "failed").glob("*.json"))

    @property
    def depth(self) -> int:
        return self._depth

    def _path(self, folder: str, key: str) -> Path:
        return self.directory / folder / f"{key}.json"

    def accept(self, key: str, record: dict[str, Any]) -> str:
        """``ACCEPTED`` once the record is durably in ``pending/``; ``DUPLICATE`` when the
        same message waits or was delivered; ``SpoolFull`` when too many wait."""
        if self._path("sent", key).exists() or self._path("pending", key).exists():
            return DUPLICATE
        if self._depth >= self.max_messages:
            raise SpoolFull
        data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
        temp = self.directory / "tmp" / f"{key}.{uuid.uuid4().hex}.json"
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            with self._lock:  # _move renames under it: pending and sent agree here
                if self._path("sent", key).exists():
                    return DUPLICATE
                if self._depth >= self.max_messages:
                    raise SpoolFull
                try:
                    os.link(temp, self._path("pending", key))
                except FileExistsError:
                    return DUPLICATE
                self._depth += 1
        finally:
            temp.unlink()
        _fsync_directory(self.directory / "pending")
        return ACCEPTED

    def waiting(self) -> list[dict[str, Any]]:
        """What a restart must still deliver, oldest first: each record in ``pending/``
        without its payload (read again when it is posted). A file that is not a record
        (edited by hand) goes to ``failed/`` rather than stop the start."""
        records = []
        for path in (self.directory / "pending").glob("*.json"):
            try:
                record = self.load(path.stem)
                if record is not None:
                    records.append({name: record[name] for name in WAITING_FIELDS})
            except (ValueError, KeyError, TypeError):
                self.failed(path.stem)
        records.sort(key=lambda r: (r["received_at"], r["key"]))
        return records

    def load(self, key: str) -> dict[str, Any] | None:
        """The record, or None when it is gone (delivered meanwhile, or removed by hand)."""
        try:
            return json.loads(self._path("pending", key).read_bytes())  # type: ignore[no-any-return]
        except FileNotFoundError:
            return None

    def delivered(self, key: str) -> None:
        """Remember it in ``sent/`` (so a re-send is a duplicate) and stop counting it."""
        self._move(key, "sent")

    def failed(self, key: str) -> None:
        """Give up: keep it in ``failed/`` for a person to look at."""
        self._move(key, "failed")

    def _move(self, key: str, folder: str) -> None:
        target = self._path(folder, key)
        with self._lock:
            try:
                os.replace(self._path("pending", key), target)
            except FileNotFoundError:
                return
            self._depth -= 1
        with contextlib.suppress(OSError):
            os.utime(target)  # kept for keep_sent seconds from now
        _fsync_directory(self.directory / folder)

    def prune(self, now: float | None = None) -> int:
        """Forget delivered messages older than ``keep_sent`` seconds; returns how many."""
        cutoff = (time.time() if now is None else now) - self.keep_sent
        removed = 0
        for entry in os.scandir(self.directory / "sent"):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
        return removed


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
