"""The planner's work budget: units of work, never a clock, so a plan does not depend on the
machine it was made on.

A unit is about a microsecond of Python: entering a shift costs one unit per member (the
checks look at everyone), each set of primaries looked at costs one. The whole plan has
``TOTAL_WORK``; one search ("a try") gets at most ``SEARCH_WORK`` of it, and the improving
passes get fractions of a try. Both are read when a plan starts, so tests can lower them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

SEARCH_WORK = 2_000_000  # one try: the search of one band
TOTAL_WORK = 6_000_000  # the whole plan: bands, proofs, team mixing and stability


class OutOfWork(Exception):
    """Raised deep inside a search when its budget is overdrawn, to unwind at once."""


class WorkBudget:
    """Work that may still be done: ``left`` units, spent with ``spend``.

    ``share`` hands a part of it to one search and charges back only what that search
    used, so one object serves the plan's pot, each search's share of it and the counters
    of the improving passes.
    """

    def __init__(self, units: int, per_try: int = 0) -> None:
        self.left = units
        self.per_try = per_try  # units of one try (SEARCH_WORK): passes get fractions of it
        self._granted = units

    @classmethod
    def for_plan(cls) -> WorkBudget:
        """The budget of one whole plan, read from the module constants now."""
        return cls(TOTAL_WORK, SEARCH_WORK)

    def spend(self, units: int = 1) -> bool:
        """Use ``units``; False once more was used than there was (overdrawn)."""
        self.left -= units
        return self.left >= 0

    def spend_or_stop(self, units: int = 1) -> None:
        """``spend``, raising ``OutOfWork`` once overdrawn: for generators deep inside a
        search, which unwind at once."""
        self.left -= units
        if self.left < 0:
            raise OutOfWork

    @property
    def exhausted(self) -> bool:
        """Nothing left (or overdrawn): passes stop before starting another step."""
        return self.left <= 0

    @property
    def used(self) -> int:
        """Units used so far, never more than were granted (a search may overshoot)."""
        return self._granted - max(0, self.left)

    @contextmanager
    def share(self, units: int) -> Iterator[WorkBudget]:
        """A budget of ``units``, or of what is left when that is less, that charges this
        one what it used when the ``with`` block ends."""
        part = WorkBudget(max(0, min(units, self.left)), self.per_try)
        try:
            yield part
        finally:
            self.left -= part.used
