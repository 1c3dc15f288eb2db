"""Pro-rated fairness: the share of a term's duty each person is expected to carry.

A member present for only part of a term (``joined`` inside it, or ``left`` inside it) is
expected to carry duty in proportion to the duty days they are a member on: the term's
duty (seats times shifts, duty days, or minutes of duty, as ``rules.fairness`` counts
it) split over the members fairness counts, each weighted by their days present. The
spread fairness measures (and the planner minimises) is that of ``load - expected`` over
everyone counted, so a part-term member is neither left out of the count nor asked to
carry a whole term's share.

One definition, used by the planner (its bands are over loads less the expected share),
its bounds (through the same loads), the ledger (what a part-term member is credited for
the days they were not a member: ``core.ledger.absence_credit``), ``oncall report`` and the
brute-force oracle of the tests.

Choices, documented in docs/terms.md ("Pro-rated fairness"):

* Shares are whole units (shifts, duty days, minutes), rounded half up from the exact
  proportion: a plan can only give whole shifts, and whole numbers keep every claim of
  the planner exact. Members present all term get the same share, so on a roster
  without part-term members the spread is the plain spread of the loads.
* Only membership (``joined``/``left``) pro-rates. Leave (``unavailable``), however long,
  does not: it is made up for in the same term where the rules allow, and otherwise the
  spread shows it (and the ledger carries it into the next term).
* A member present on no duty day of the term is expected to carry nothing (a share of
  zero, never a division by zero).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction

from oncall.core.model import Member


def one(day: date) -> int:
    """Every duty day weighs the same: the unit of ``fairness: days`` and ``shifts``."""
    return 1


class Presence:
    """How much of a term's duty ``days`` (sorted) each member is a member on, in
    ``weight`` per day: from ``joined`` on, before ``left`` (``Member.member_on``), by
    prefix sums, so a roster of thousands costs a lookup each."""

    def __init__(self, days: Sequence[date], weight: Callable[[date], int] = one) -> None:
        self.days = tuple(days)
        self.before = list(itertools.accumulate((weight(day) for day in self.days), initial=0))

    def of(self, member: Member) -> int:
        first = 0 if member.joined is None else bisect.bisect_left(self.days, member.joined)
        end = len(self.days) if member.left is None else bisect.bisect_left(self.days, member.left)
        return max(0, self.before[max(first, end)] - self.before[first])


def expected_shares(present: Mapping[str, int], total: int) -> dict[str, int]:
    """Per handle, its share of ``total`` in proportion to ``present`` (whole units,
    rounded half up); all zero when nobody is present."""
    everyone = sum(present.values())
    return {handle: _share(total, days, everyone) for handle, days in present.items()}


def absent_shares(present: Mapping[str, int], full: int, total: int) -> dict[str, int]:
    """Per handle present for part of the term (``0 < present < full``), the share a
    member present all of it (``full``) is expected to carry less their own: what the
    ledger credits them, so the next term compares them with the others as equals."""
    everyone = sum(present.values())
    whole = _share(total, full, everyone)
    return {
        handle: whole - _share(total, days, everyone)
        for handle, days in present.items()
        if 0 < days < full and whole > _share(total, days, everyone)
    }


def _share(total: int, days: int, everyone: int) -> int:
    if everyone <= 0:
        return 0
    return int(Fraction(total * days, everyone) + Fraction(1, 2))


def share_spread(
    load: Mapping[str, int], expected: Mapping[str, int], handles: Iterable[str]
) -> int:
    """Most minus fewest of ``load - expected`` over ``handles`` (0 for none)."""
    above = [load.get(h, 0) - expected.get(h, 0) for h in handles]
    return max(above) - min(above) if above else 0
