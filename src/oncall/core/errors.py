"""Errors users can cause, each carrying the exit code the spec promises.

One handler at the CLI edge prints ``str(error)`` and exits with ``error.exit_code``, so
no user error ever reaches the user as a traceback. Every code the program can return is
an ``EXIT_`` constant here with its meaning in ``EXIT_MEANINGS``, from which
docs/exit-codes.md is generated (``ONCALL_REGEN_DOCS=1 python -m pytest
tests/test_exit_codes.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from oncall import words

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_DELIVERY = 4
EXIT_TERM_ENDED = 5
EXIT_INCOMPLETE = 6
EXIT_SOFTWARE = 70  # EX_SOFTWARE in sysexits.h: a bug in oncall, not the user's input
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

# What each code means to whoever reads it (a person, cron's mail, a script).
EXIT_MEANINGS = {
    EXIT_OK: "done. `validate`: no violations (warnings do not change it). Also a closed "
    "pipe (`oncall show | head`), and `oncall relay` stopped by SIGTERM or Ctrl-C",
    EXIT_VIOLATIONS: "`validate` found violations, or `swap` refused an override that breaks "
    "a rule or changes a day already served; nothing was written",
    EXIT_BAD_INPUT: "bad input: a file, a key, a value or an option to fix; also what the "
    "command-line parser refuses (an unknown option, a missing argument); nothing was written",
    EXIT_INFEASIBLE: "`plan` or `leave import`: the hard rules cannot all hold; the message "
    "says which rule, days and members, and nothing was written",
    EXIT_DELIVERY: "`remind --post`: a message could not be delivered (the other rotations' "
    "reminders still went out); cron mails the error",
    EXIT_TERM_ENDED: "`remind`: the last planned term has ended and no next term is planned, "
    "so nobody is reminded; the message names `oncall plan --next-term`",
    EXIT_INCOMPLETE: "`report`: some days of the period asked for are held by no term (or no "
    "term starts on `--term`'s day) in a rotation; the report printed everything it could "
    "count and named, on stderr, the days it could not (never as zeros)",
    EXIT_SOFTWARE: "a bug in oncall: the planner returned shifts that break a hard rule, "
    "so nothing was written; please report it with the rotation file",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C): the command stopped; a schedule is written in "
    "one atomic step, so it is either the old one or the new one (a change of two files "
    "left half-done is named by `validate` and finished by `oncall repair`)",
}


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with each control character, line or paragraph separator and
    bidirectional override written as an escape (``\\x1b``), so text from an input file
    (an .ics UID, a CSV cell, a parser's message quoting a line) can never reach a
    terminal as an escape sequence or a fake line. ``lines`` keeps line breaks (a message
    of several lines)."""
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for ch in text:
        if ch == "\n" and lines:
            out.append(ch)
        elif ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" or (
            unicodedata.category(ch) in ("Cc", "Zl", "Zp")
        ):
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


class OncallError(Exception):
    """Base of every error meant for a person, not a developer."""

    exit_code = EXIT_BAD_INPUT


class Mark:
    """Where in a file something was found (1-based line and column, as editors count).

    A plain class rather than a dataclass, which would cost ~0.5 ms to create on every
    cron run (this module is imported by all of them)."""

    __slots__ = ("column", "file", "line")

    def __init__(self, file: str, line: int | None = None, column: int | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class InputError(OncallError):
    """Bad input: a file, a key, a value or an option the user has to fix (exit 2)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        mark: Mark | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.path = path
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.mark}: " if self.mark else ""
        key = f"{self.path}: " if self.path else ""
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return printable(f"{where}{key}{self.message}{hint}", lines=True)


class RuleRefused(OncallError):
    """A change (a swap) would break a rule; nothing was written (exit 1)."""

    exit_code = EXIT_VIOLATIONS


class Infeasible(OncallError):
    """The hard rules cannot all hold; the reasons say which rule, days and members (exit 3)."""

    exit_code = EXIT_INFEASIBLE

    def __init__(self, rotation: str, reasons: Sequence[str], *, language: str = "en") -> None:
        super().__init__(rotation)
        self.rotation = rotation
        self.reasons = list(reasons)
        self.language = language  # the rotation's: the reasons are worded in it

    def __str__(self) -> str:
        lines = [words.say(self.language, "plan.infeasible", rotation=self.rotation)]
        lines += [f"  - {reason}" for reason in self.reasons]
        return "\n".join(lines)


class DeliveryError(OncallError):
    """A message could not be posted to a chat webhook (exit 4, so cron mails the error)."""

    exit_code = EXIT_DELIVERY


class ReportIncomplete(OncallError):
    """`report`: part of the period has no term in some rotation. The report of the rest
    is printed first; this names what was not counted (exit 6)."""

    exit_code = EXIT_INCOMPLETE


class TermEnded(OncallError):
    """`remind` found no term holding today: the last planned term has ended and no next
    term is planned, so nobody is reminded (exit 5, so cron mails the lead)."""

    exit_code = EXIT_TERM_ENDED
