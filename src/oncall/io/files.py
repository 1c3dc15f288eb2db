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

# A rotation of 10,000 members with their absences is about 2.5 MB: room for several
# times that, while a wrong file (a log, a dump) is still refused before it is read.
DEFAULT_MAX_BYTES = 16_000_000


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, keep_bom: bool = False) -> str:
    """The file's text; every way it can be unusable becomes an InputError naming it.
    A leading BOM is dropped unless ``keep_bom`` (an edit that writes the file back)."""
    data = read_bytes(path, max_bytes=max_bytes)
    if not data:
        raise InputError("file is empty", mark=Mark(str(path)),
                         hint="see `oncall init` for a starter")
    text = _decode(data, str(path))
    return "\ufeff" + text if keep_bom and data.startswith(b"\xef\xbb\xbf") else text


def read_bytes(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, hint: str | None = None
) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, else an InputError naming it.

    Anything that is not a regular file (a FIFO, a device, a socket) is refused at once and
    never read: a FIFO would block the command for ever, and /dev/zero never ends. The
    file is opened without blocking and checked on the open descriptor, so a FIFO swapped
    in after a check cannot block the read either."""
    where = Mark(str(path))
    hint = hint or "even a rotation of 10,000 members is a few megabytes; is this the right file?"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("file not found", mark=where) from None
    except IsADirectoryError:
        raise InputError(
            "found a directory, expected a file", mark=where, hint="name a .yaml file"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", mark=where) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(
                "found a directory, expected a file", mark=where, hint="name a .yaml file"
            )
        raise InputError(
            f"found {_kind(info.st_mode)}, expected a regular file",
            mark=where,
            hint="oncall reads input only from regular files, never from a pipe or a device",
        )
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > max_bytes:
            raise InputError(
                f"file is {info.st_size} bytes, expected at most {max_bytes}",
                mark=where,
                hint=hint,
            )
        try:
            # One byte past the limit: st_size lies for files that grow while read.
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", mark=where) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {max_bytes} bytes", mark=where, hint=hint)
    return data


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
    never a torn one, and a failure leaves the old file as it was.

    A symlink is followed and its target replaced (the link stays a link); anything that
    is not a regular file (a device, a FIFO, a socket) is refused rather than replaced,
    because renaming over /dev/null or a pipe destroys it."""
    target = _regular_target(path)
    _replace(target, text.encode("utf-8"), shown=path)


def copy_atomic(source: Path, target: Path) -> None:
    """Write ``source``'s bytes, untouched (a BOM and all), to ``target`` atomically."""
    data = read_bytes(source)
    _replace(_regular_target(target), data, shown=target)


def write_output(path: Path, text: str) -> None:
    """Like ``write_atomic`` for a regular file, but a FIFO or a character device (a pipe,
    /dev/stdout, a terminal) is written through, as ``cat > X`` would."""
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        try:
            with target.open("wb") as handle:
                handle.write(text.encode("utf-8"))
        except OSError as exc:
            raise InputError(
                f"cannot write the file: {exc.strerror or exc}", mark=Mark(str(path))
            ) from None
        return
    write_atomic(path, text)


def _regular_target(path: Path) -> Path:
    """The file a write must replace: the symlink's target, checked to be a regular file
    (or not yet there)."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InputError(
            f"cannot write the file: {exc.strerror or exc}", mark=Mark(str(path))
        ) from None
    if not stat.S_ISREG(mode):
        raise InputError(
            f"found {_kind(mode)}, expected a regular file to replace",
            mark=Mark(str(path)),
            hint="name a file path; oncall never replaces a device, a pipe or a directory",
        )
    return target


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "something that is not a regular file"


def _replace(path: Path, data: bytes, shown: Path) -> None:
    """Write ``data`` beside ``path`` and rename it over ``path``."""
    import tempfile  # ~3 ms (random, shutil): only commands that write pay for it

    directory = path.parent if str(path.parent) else Path(".")
    where = Mark(str(shown))
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", mark=where) from None
    sweep_stale_temps(directory, path.name)
    try:
        fd, temp_name = tempfile.mkstemp(
            dir=directory, prefix=f"{_temp_prefix(path.name)}{os.getpid()}.", suffix=".tmp"
        )
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", mark=where) from None
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
                f"cannot write the file: {exc.strerror or exc}", mark=where
            ) from None
        raise
    _fsync_directory(directory)


def _temp_prefix(name: str) -> str:
    return f".{name}."


def sweep_stale_temps(directory: Path, name: str) -> list[Path]:
    """Remove the temporary files a killed write of ``name`` left behind.

    Each temporary name carries the writer's process id, so a file whose writer is gone is
    stale, and one whose writer still runs is left alone (it may be mid-write)."""
    removed: list[Path] = []
    prefix = _temp_prefix(name)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        pid_text = entry.name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


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
