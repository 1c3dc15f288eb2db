"""The clock every use case reads: the real one, or the moment ``--now`` stands in for it.

``--now`` is parsed once, where the command line is read, into a ``Clock``; every use case
takes that value and asks it for "now" in its rotation's time zone. A naive ``--now`` is
local to each rotation's zone (the SPEC's words), so one clock answers two rotations in
two zones as a person typing the same wall time in each would expect.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from oncall.core.dates import in_range, in_zone
from oncall.core.errors import InputError


class Clock:
    """The moment a command runs at: ``fixed`` (from ``--now``), else the system clock.

    A plain class, as is all the cron path creates (see tests/test_cron_imports.py)."""

    __slots__ = ("fixed",)

    def __init__(self, fixed: datetime | None = None) -> None:
        self.fixed = fixed

    @staticmethod
    def parse(text: str | None, option: str = "--now") -> Clock:
        """``--now`` as typed: an ISO date-time (local to the rotation, or with an
        offset); none means the system clock."""
        if text is None:
            return SYSTEM
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise InputError(
                f"{option}: found {text!r}, expected an ISO date-time such as "
                "2027-01-04T10:30"
            ) from None
        in_range(moment.date(), option)
        return Clock(moment)

    def now(self, tz: tzinfo) -> datetime:
        """The current moment in ``tz``."""
        if self.fixed is None:
            return datetime.now(tz)
        return in_zone(self.fixed, tz)

    def today(self, tz: tzinfo) -> date:
        return self.now(tz).date()

    def local_guess(self) -> date:
        """Today before any time zone is known (a first guess for `today` in options that
        decide which rotation term to load; corrected once the zone is known)."""
        return self.fixed.date() if self.fixed is not None else date.today()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Clock) and other.fixed == self.fixed

    def __hash__(self) -> int:
        return hash(self.fixed)

    def __repr__(self) -> str:
        return f"Clock({self.fixed.isoformat()})" if self.fixed else "Clock(system)"


SYSTEM = Clock()
