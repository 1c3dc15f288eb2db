"""Running the `oncall` CLI from tests, in this process or in a real one.

``run_in_process`` (the ``cli`` fixture) calls the typer app the way the `oncall` script
does, through the same guard that turns user errors into a message on stderr and an exit
code, with stdout and stderr captured as bytes and no TTY (so plain text): a few
milliseconds a call. ``run_process`` (the ``cli_process`` fixture) runs `python -m oncall`
in a fresh interpreter, for what only a real process shows: the entry point, exit codes and
tracebacks through the interpreter, the locale, file locking between processes. Both take
the same arguments and return the same ``Ran``, and print the same bytes for the same call.

`who` and `remind` in this process go through typer, not their fast entry
(``oncall.cli.entry``); tests/test_cron_fast_path.py keeps the two in step.

Every run given a ``cwd`` inside a test's temporary folder checks the house rule that a
failed run writes nothing: when it exits 1, 2 or 3 (a refusal), every file under ``cwd``
must be byte-identical afterwards (``tests.helpers.files``), or the call fails the test;
a folder holding an interrupted change is the one exception, as `plan` and `swap` finish
that change first.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import typer.main
from typer.testing import CliRunner

import oncall.cli.app
from oncall.cli.guard import guarded
from tests.helpers.files import assert_unchanged, snapshot

# What click calls the program in usage lines when it runs as `python -m oncall`.
PROG = "python -m oncall"
# Every call sees this much of a terminal width (rich reads COLUMNS even into a pipe).
COLUMNS = "120"
# The exit codes of a refusal (violations or a swap refused, bad input, no plan possible):
# such a run leaves every file as it found it.
REFUSALS = (1, 2, 3)


@dataclass(frozen=True)
class Ran:
    """A finished call: exit code, and stdout and stderr as text (or bytes when text=False)."""

    returncode: int
    stdout: Any
    stderr: Any


class Runner(Protocol):
    def __call__(
        self,
        *args: str,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        unset: tuple[str, ...] = (),
        text: bool = True,
    ) -> Ran: ...


def run_process(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    unset: tuple[str, ...] = (),
    text: bool = True,
) -> Ran:
    """`python -m oncall ARGS` with no TTY, ``env`` added to the environment and the
    ``unset`` variables removed from it."""
    environment = {**os.environ, "COLUMNS": COLUMNS, **(env or {})}
    for name in unset:
        environment.pop(name, None)
    with _refusals_write_nothing(cwd) as ran:
        done = subprocess.run(
            [sys.executable, "-m", "oncall", *args],
            capture_output=True,
            text=text,
            cwd=cwd,
            env=environment,
            timeout=120,
        )
        ran.append(done.returncode)
    return Ran(done.returncode, done.stdout, done.stderr)


@contextlib.contextmanager
def _refusals_write_nothing(cwd: Path | None) -> Iterator[list[int]]:
    """Around one run: the files under ``cwd`` (a test's temporary folder, never the
    repository) before it, compared after it when it exited with a refusal's code."""
    folder = Path(cwd).resolve() if cwd is not None else None
    temporary = Path(tempfile.gettempdir()).resolve()
    if folder is None or not folder.is_relative_to(temporary) or folder == temporary:
        yield []
        return
    before = snapshot(folder)
    codes: list[int] = []
    yield codes
    # A change cut short (``X.schedule.pending``) is finished by the next `plan` or `swap`
    # before its own work (docs/refusals.md, "Interrupted changes"), refused or not.
    interrupted = any(name.endswith(".schedule.pending") for name in before)
    if codes and codes[-1] in REFUSALS and not interrupted:
        assert_unchanged(folder, before)


def run_in_process(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    unset: tuple[str, ...] = (),
    text: bool = True,
) -> Ran:
    """The same call as ``run_process``, in this interpreter: the environment and the
    working directory are changed for the call and restored after it."""
    overrides: dict[str, str | None] = {"COLUMNS": COLUMNS, **(env or {})}
    overrides.update(dict.fromkeys(unset))
    command = typer.main.get_command(oncall.cli.app.app)
    with (
        CliRunner().isolation(env=overrides) as (out, err, _),
        contextlib.chdir(cwd or Path.cwd()),
    ):
        # CliRunner pins help to 80 columns; a real process sizes it from the terminal.
        typer.testing.formatting.FORCED_WIDTH = None
        with _refusals_write_nothing(cwd) as ran:
            try:
                guarded(
                    lambda: command.main(args=list(args), prog_name=PROG),
                    debug=lambda: oncall.cli.app._state["debug"],
                )
                code = 0
            except SystemExit as stop:
                code = _exit_code(stop.code)
            ran.append(code)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    if not text:
        return Ran(code, stdout, stderr)
    return Ran(code, _as_text(stdout), _as_text(stderr))


def _exit_code(code: object) -> int:
    """What the interpreter makes of ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _as_text(data: bytes) -> str:
    """Decoded the way ``subprocess.run(text=True)`` decodes (universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
