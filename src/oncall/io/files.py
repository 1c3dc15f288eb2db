"""Reading and writing the files users keep in git, without surprises.

Reading refuses anything that is not a small UTF-8 text file before parsing starts, so the
YAML layer never sees a device, a huge blob or mojibake. Writing is atomic, because a
schedule half-written by a crashed run would be worse than no run at all.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from oncall.core.errors import InputError, Mark

DEFAULT_MAX_BYTES = 1_000_000


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text; every way it can be unusable becomes an InputError naming it."""
    where = Mark(str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", mark=where) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", mark=where) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("found a directory, expected a file", mark=where, hint="name a .yaml file")
    if info.st_size > max_bytes:
        raise InputError(
            f"file is {info.st_size} bytes, expected at most {max_bytes}",
            mark=where,
            hint="a rotation or schedule file is a few kilobytes; is this the right file?",
        )
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit: st_size lies for pipes and files that grow.
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", mark=where) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {max_bytes} bytes", mark=where)
    if not data:
        raise InputError("file is empty", mark=where, hint="see `oncall init` for a starter")
    return _decode(data, str(path))


def _decode(data: bytes, file: str) -> str:
    """UTF-8 text (a leading BOM from Windows editors is dropped), or the bad byte's place."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise InputError(
            f"found byte 0x{data[exc.start]:02x} that is not UTF-8, expected UTF-8 text",
            mark=Mark(file, line, column),
            hint="save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: readers see the old file or the new one,
    never a torn one, and a failure leaves the old file as it was."""
    import tempfile  # ~3 ms (random, shutil): only commands that write pay for it

    directory = path.parent if str(path.parent) else Path(".")
    data = text.encode("utf-8")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(
            f"cannot write the file: {exc.strerror or exc}", mark=Mark(str(path))
        ) from None
    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(
            f"cannot write the file: {exc.strerror or exc}", mark=Mark(str(path))
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600; a committed file should keep its mode or get the usual one.
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot write the file: {exc.strerror or exc}", mark=Mark(str(path))
            ) from None
        raise
    _fsync_directory(directory)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; best effort, as some systems cannot open directories."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
