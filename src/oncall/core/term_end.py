"""The end of the planned terms: warned of before it comes, so nobody is left unplanned.

The current schedule file holds the term planned last (``plan --next-term`` keeps the one
before it), so "no next term is planned" is just "today lies in that term, or after it":
a day in a kept term means the next one is already there. Nothing beyond the current
schedule's term is read, which keeps this on the cron path (`who`, `remind`): pure, no
dataclass, no other import.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from oncall.core.model import Term

# Warned from this many days before the day after the term's last day: the last two weeks.
WARN_DAYS = 14


class TermEnding:
    """The last planned term ends within two weeks (or has ended) with no term after it.

    A plain class: creating a dataclass costs ~0.7 ms, and the cron path makes these."""

    __slots__ = ("path", "rotation", "term", "today")

    def __init__(self, rotation: str, path: Path, term: Term, today: date) -> None:
        self.rotation = rotation
        self.path = path  # the rotation file, for the command that plans the next term
        self.term = term
        self.today = today

    @property
    def ended(self) -> bool:
        """Whether the term's last day is over: no term holds today."""
        return self.today > self.term.end

    @property
    def days_left(self) -> int:
        """Days of the term from today on, today included (0 once it has ended)."""
        return max((self.term.end - self.today).days + 1, 0)

    @property
    def command(self) -> str:
        """The command that plans the next term, for hints."""
        return f"oncall plan --next-term {self.path}"

    def describe(self) -> str:
        """One line (no "oncall:" prefix), for stderr and validate."""
        if self.ended:
            return (
                f"{self.rotation}: the term {self.term} ended on {self.term.end} and no next "
                f"term is planned, so nobody is on duty from "
                f"{self.term.end + timedelta(days=1)}; plan it: {self.command}"
            )
        left = self.days_left
        return (
            f"{self.rotation}: the term {self.term} ends on {self.term.end} "
            f"({left} day{'' if left == 1 else 's'} left, today included) and no next "
            f"term is planned; plan it: {self.command}"
        )


def term_ending(rotation: str, path: Path, latest: Term, today: date) -> TermEnding | None:
    """The warning due on ``today`` for the term planned last (``latest``, the current
    schedule's): from two weeks before it ends, and every day after. None while more
    than two weeks are left, or while ``today`` is before it (in a kept term: the next
    term is planned)."""
    if today < latest.start or (latest.end - today).days >= WARN_DAYS:
        return None
    return TermEnding(rotation, path, latest, today)
