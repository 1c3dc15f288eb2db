"""Replacing a whole folder of files at once: the published site (`oncall publish`).

The new tree is built beside the old one and swapped in with one rename, so a web server
serves the old site or the new one, never a half-written mix, and a failure leaves the old
site as it was. On Linux the swap is ``renameat2(RENAME_EXCHANGE)``, one atomic step;
elsewhere two renames a moment apart (the folder is briefly missing, never torn).

A folder is replaced only if it is empty or carries the marker file an earlier publish
wrote: a typo in the output path must never wipe someone's documents.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from oncall.core.errors import InputError, Mark
from oncall.io.files import _alive, _umask

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def check_replaceable(target: Path, marker: str) -> None:
    """Refuse a target that is a file, or a folder with content but without ``marker``."""
    where = Mark(str(target))
    if not target.exists():
        if not target.parent.is_dir():
            raise InputError(
                "the folder to publish into has no parent folder", mark=where,
                hint=f"create it first: mkdir -p {target.parent}",
            )
        return
    if not target.is_dir():
        raise InputError("found a file, expected a folder to publish into", mark=where)
    if _own_marker(target / marker) or not any(target.iterdir()):
        return
    raise InputError(
        f"refusing to replace a folder that is not empty and has no {marker} "
        "(it was not made by `oncall publish`)",
        mark=where,
        hint="publish into a new or empty folder; later publishes replace it",
    )


def _own_marker(path: Path) -> bool:
    """Whether ``path`` is the marker a publish wrote: a regular file, not a symlink (a
    link named like the marker, to any file, would make a foreign folder look ours)."""
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def replace_folder(target: Path, files: Mapping[str, bytes], marker: str) -> None:
    """Make ``target`` hold exactly ``files`` (relative POSIX paths) plus ``marker``."""
    if target.is_symlink():  # a link to the served folder: replace what it points at
        target = Path(os.path.realpath(target))
    check_replaceable(target, marker)
    parent = target.parent
    _sweep(parent, target.name)
    try:
        built = Path(tempfile.mkdtemp(dir=parent, prefix=_prefix(target.name, "new")))
    except OSError as exc:
        raise InputError(
            f"cannot write the site: {exc.strerror or exc}", mark=Mark(str(parent))
        ) from None
    try:
        _write_tree(built, {**files, marker: b"oncall publish\n"})
        _swap_in(built, target)
    except BaseException as exc:
        shutil.rmtree(built, ignore_errors=True)
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot write the site: {exc.strerror or exc}", mark=Mark(str(target))
            ) from None
        raise
    shutil.rmtree(built, ignore_errors=True)  # the old site, after an exchange


def _write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    folder_mode = 0o777 & ~_umask()  # mkdtemp makes 0700: a web server must read the site
    os.chmod(root, folder_mode)
    for name in sorted(files):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"not a path inside the site: {name!r}")
        path = root.joinpath(*relative.parts)
        for folder in reversed(path.parents):
            if folder != root and root in folder.parents and not folder.exists():
                folder.mkdir()
                os.chmod(folder, folder_mode)
        path.write_bytes(files[name])


def _swap_in(built: Path, target: Path) -> None:
    """Put ``built`` at ``target``; afterwards ``built`` holds the old site, if any."""
    if not target.exists():
        os.rename(built, target)
        return
    if _exchange(built, target):
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=_prefix(target.name, "old")))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(built, target)
    except OSError:
        os.rename(old, target)
        raise
    os.rename(old, built)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where it is not available."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result: int = renameat2(
        AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE
    )
    return result == 0


def _prefix(name: str, kind: str) -> str:
    return f".{name}.{kind}-{os.getpid()}."


def _sweep(parent: Path, name: str) -> None:
    """Remove the trees a killed publish left beside the site (their writer is gone)."""
    for kind in ("new", "old"):
        start = f".{name}.{kind}-"
        for entry in parent.glob(f"{start}*"):
            pid = entry.name[len(start):].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and entry.is_dir():
                with contextlib.suppress(OSError):
                    shutil.rmtree(entry)
