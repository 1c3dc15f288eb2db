"""What the planner hands back: the planned shifts and how fair they are."""

from __future__ import annotations

from dataclasses import dataclass

from oncall.core.schedule import Shift


@dataclass(frozen=True)
class Fairness:
    """How evenly primary duty is shared.

    ``counted`` are the members fairness is measured over: eligible members (volunteers
    when ``volunteers_only``, serving in this term) who already hold a kept primary shift
    or who could take at least one planned shift as primary if they were alone on the
    roster (available for the whole shift, within ``min_gap``/``max_shifts``, after their
    remaining shadow shifts). Members who cannot serve at all would pin the minimum at 0
    and make every spread look the same, so they are left out.
    """

    load: dict[str, int]
    shadow_load: dict[str, int]
    counted: tuple[str, ...]
    spread: int
    best_possible: int
    distinct_team_shifts: int
    shifts: int

    @property
    def proven_optimal(self) -> bool:
        return self.best_possible >= self.spread


@dataclass(frozen=True)
class Plan:
    """The planned shifts (kept history included) and how fair they are.

    With a previous schedule, ``kept_assignments`` of its ``previous_assignments`` (shift,
    person, role) on the planned shifts are unchanged: the people who need not be told.
    """

    shifts: tuple[Shift, ...]
    fairness: Fairness
    kept_assignments: int = 0
    previous_assignments: int = 0
