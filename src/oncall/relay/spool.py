"""The spool: every accepted alert group as a file on disk until it is delivered.

The relay answers 2xx only after ``accept`` returns, and ``accept`` returns only after the
message is in ``pending/`` and both the file and the directory entry are on disk (write a
temporary file, fsync, link, fsync the directory). A kill -9 at any moment leaves either
no file (the sender got no 2xx and sends again) or a complete one (delivered after the
restart). A message's file is named by its dedupe key: a second copy finds the name taken
in ``pending/`` (waiting) or ``sent/`` (delivered, remembered ``keep_sent`` seconds), so
Alertmanager's re-sends are posted once. Messages whose deadline passed go to ``failed/``.
The spool, not memory, holds the messages: above ``max_messages`` waiting it says full.

The spool is the relay's own: a directory holding only its five folders (a spool that is
the working directory, or that holds anything else, is refused at start: the relay would
be reading and deleting among someone's files). Nothing in it is followed through a
symlink, and only files the relay names itself (``<key>.json`` in ``sent/``,
``<key>.<uuid>.json`` in ``tmp/``) are ever deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oncall.core import alerts
from oncall.core.errors import InputError, Mark
from oncall.relay.bodies import MAX_DEPTH, decode

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
FOLDERS = ("pending", "sent", "failed", "tmp", "timers")
LOG_FILES = ("incidents.log", "incidents.log.1")  # the incident log's default place
# What a record posts: an alert group as sent, or a step of its incident's lifecycle
# (``oncall.relay.escalation``), which carries the group's payload to word it.
KINDS = ("alert", "escalated", "page", "page_resolve", "acknowledged")
WAITING_FIELDS = ("key", "group", "rotation", "received_at")
MAX_RECORD_BYTES = 8 * 1024 * 1024  # a record holds one body (max_body_bytes) re-encoded
EARLIEST = 946_684_800.0  # 2000-01-01: a received_at before it was not written by a relay


class Unreadable(ValueError):
    """A file in ``pending/`` that is not a record the relay wrote; ``str()`` says why."""


RECORD_NAME = re.compile(r"[0-9a-f]{32}\.json")
TEMP_NAME = re.compile(r"[0-9a-f]{32}\.[0-9a-f]{32}\.json")


class SpoolFull(Exception):
    """More messages wait than the config allows: the sender should try again later."""


class Spool:
    """The five folders under ``directory`` and a count of what waits in ``pending/``."""

    def __init__(
        self, directory: Path, max_messages: int, keep_sent: int,
        where: Callable[[str], InputError] | None = None,
    ) -> None:
        self.directory = directory
        self.max_messages = max_messages
        self.keep_sent = keep_sent
        refuse = where or (lambda message: InputError(message, mark=Mark(str(directory))))
        _check_own(directory, refuse)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name in FOLDERS:
                (directory / name).mkdir(exist_ok=True)
        except OSError as exc:
            raise refuse(f"cannot create the spool: {exc.strerror or exc}") from None
        # A temporary file was never answered 2xx: its sender sends it again. Only the
        # relay's own names, only regular files, never through a symlink.
        with os.scandir(directory / "tmp") as entries:
            for entry in entries:
                if TEMP_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        self._lock = threading.Lock()
        self._depth = sum(1 for name in os.listdir(directory / "pending")
                          if name.endswith(".json"))
        self.set_aside: list[tuple[str, str]] = []
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
        try:
            with open(temp, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:  # disk full (ENOSPC, EFBIG): no partial file stays behind
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
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
        without its payload (read again when it is posted). Anything there that is not a
        record the relay wrote (bad JSON, a wrong field, a directory, a symlink, a FIFO)
        is moved to ``failed/``, never read through and never deleted, and listed in
        ``set_aside`` with the reason: it never stops the start."""
        records = []
        for name in sorted(os.listdir(self.directory / "pending")):
            try:
                record = self._read(name)
            except Unreadable as exc:
                self._set_aside(name, str(exc))
                continue
            if record is not None:
                records.append({field: record[field] for field in WAITING_FIELDS})
        records.sort(key=lambda r: (r["received_at"], r["key"]))
        return records

    def load(self, key: str) -> dict[str, Any] | None:
        """The record, or None when it is gone (delivered meanwhile, or removed by hand);
        ``Unreadable`` when it was changed into something else."""
        return self._read(f"{key}.json")

    def _read(self, name: str) -> dict[str, Any] | None:
        path = self.directory / "pending" / name
        if not name.endswith(".json"):
            raise Unreadable("not a record: the name does not end in .json")
        try:  # never through a symlink, never blocking on a FIFO
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise Unreadable(f"cannot be opened: {exc.strerror or exc}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable("not a regular file")
            if info.st_size > MAX_RECORD_BYTES:
                raise Unreadable(f"{info.st_size} bytes, larger than any record")
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(MAX_RECORD_BYTES + 1)
        except OSError as exc:
            raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        try:
            record: dict[str, Any] = decode(data, MAX_DEPTH + 1)  # _check_record: a dict
            _check_record(record, name[: -len(".json")])
        except (ValueError, KeyError, TypeError) as exc:
            raise Unreadable(str(exc)) from None
        return record

    def _set_aside(self, name: str, reason: str) -> None:
        target = self.directory / "failed" / name
        if os.path.lexists(target):
            target = target.with_name(f"{name}.{uuid.uuid4().hex}")
        with self._lock:
            try:
                os.replace(self.directory / "pending" / name, target)
            except FileNotFoundError:
                return
            except OSError as exc:
                reason = f"{reason}; left in pending/: {exc.strerror or exc}"
            else:
                if name.endswith(".json"):
                    self._depth -= 1
        self.set_aside.append((name, reason))

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
        with os.scandir(self.directory / "sent") as entries:
            for entry in entries:
                if not RECORD_NAME.fullmatch(entry.name):
                    continue  # not a name the relay writes: never deleted
                with contextlib.suppress(OSError):
                    if (entry.is_file(follow_symlinks=False)
                            and entry.stat(follow_symlinks=False).st_mtime < cutoff):
                        os.unlink(entry.path)
                        removed += 1
        return removed


def _check_own(directory: Path, refuse: Callable[[str], InputError]) -> None:
    """Refuse a spool that is the working directory, is not a directory, or holds
    anything but the relay's five folders (each a real directory, not a symlink)."""
    try:
        if os.path.samefile(directory, os.getcwd()):
            raise refuse(f"found {directory}, which is the working directory; expected a "
                         "directory of the relay's own, such as relay-spool")
    except FileNotFoundError:
        return  # created below, empty
    except OSError as exc:
        raise refuse(f"cannot read the spool {directory}: {exc.strerror or exc}") from None
    if not directory.is_dir():
        raise refuse(f"found {directory}, which is not a directory")
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise refuse(f"cannot read the spool {directory}: {exc.strerror or exc}") from None
    names = [name for name in names if name != "lost+found"]  # a spool on its own disk
    foreign = [name for name in names if name not in FOLDERS and name not in LOG_FILES]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more"
                                          if len(foreign) > 5 else "")
        raise refuse(f"found {directory} holding {shown}, which the relay did not create; "
                     "expected a directory of its own (pending/, sent/, failed/, tmp/, timers/)")
    for name in names:
        info = os.lstat(directory / name)
        if name in LOG_FILES and stat.S_ISREG(info.st_mode):
            continue
        if not stat.S_ISDIR(info.st_mode):
            kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a directory"
            raise refuse(f"found {directory / name}, which is {kind}; expected the "
                         "relay's own folder (a symlink inside the spool is never followed)")


def _check_record(record: Any, key: str) -> None:
    """A ``ValueError`` unless ``record`` has the fields ``accept`` wrote."""
    if not isinstance(record, dict) or record.get("v") != 1:
        raise ValueError("not a relay record (no \"v\": 1)")
    if record.get("key") != key:
        raise ValueError("its key is not its file name")
    received = record.get("received_at")
    if isinstance(received, bool) or not isinstance(received, (int, float)):
        raise ValueError("received_at: expected a number of seconds")
    if not EARLIEST <= received <= time.time() + 86_400:
        raise ValueError(f"received_at: {received} is not a moment the relay could have "
                         "accepted it")
    for field in ("rotation", "group"):
        if not isinstance(record.get(field), str):
            raise ValueError(f"{field}: expected text")
    if record.get("source") not in alerts.SOURCES:
        raise ValueError("source: expected alertmanager or grafana")
    kind = record.get("kind", "alert")
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {', '.join(KINDS)}")
    if kind != "alert":
        for field in ("step", "after"):
            value = record.get(field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{field}: expected a whole number")
    if kind == "acknowledged" and not isinstance(record.get("by"), str):
        raise ValueError("by: expected the handle of who acknowledged")
    alerts.parse(record.get("payload"), record["source"])  # BadPayload is a ValueError


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
