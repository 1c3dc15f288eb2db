"""What one person served over some span (a term, or all terms so far): duty days, hours,
shifts, swaps and a joiner's credit. ``oncall.core.duty_load`` counts it from a schedule,
``oncall.core.ledger`` carries it from term to term, and a schedule stores the ledger
carried into its term as these values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Served:
    """One person's duty over some span (a term, or all terms so far)."""

    days: int = 0  # duty days served as primary
    minutes: int = 0  # of those days' windows, DST included
    shifts: int = 0  # shifts they served as primary on at least one day
    shadow_shifts: int = 0  # shifts they served as shadow on at least one day
    holidays: int = 0  # primary duty days on a weekend or a named day off
    swaps_given: int = 0  # overrides that took a day from them
    swaps_taken: int = 0  # overrides that gave them a day
    credited: int = 0  # duty days credited on joining (see the module's docstring)

    @property
    def load(self) -> int:
        """What fairness counts: duty days served plus the joining credit."""
        return self.days + self.credited

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def __add__(self, other: Served) -> Served:
        return Served(
            *(a + b for a, b in zip(self.fields(), other.fields(), strict=True))
        )

    def __sub__(self, other: Served) -> Served:
        return Served(
            *(a - b for a, b in zip(self.fields(), other.fields(), strict=True))
        )

    def fields(self) -> tuple[int, ...]:
        return (
            self.days, self.minutes, self.shifts, self.shadow_shifts, self.holidays,
            self.swaps_given, self.swaps_taken, self.credited,
        )
