"""Days already served: which broken rules on them are history, not errors.

A schedule is a record as well as a plan. When a leave is entered today that starts last
week, the days the person already served now "break" the availability rule, but nothing
can be done about them, and failing a CI check over them teaches people to ignore it. So
``validate`` (with ``--now``, or the clock) reports such breaks on days before today as
warnings.

Only the rules whose verdict rests on facts about people that are entered or change after
the day was served are history:

- ``availability`` (``unavailable`` entered later), ``volunteers_only`` (someone stepped
  down), ``terms`` (a member's terms edited), ``membership`` (``joined``/``left`` entered
  or corrected later), ``roster`` (a member removed) and
  ``distinct_teams`` (someone moved team): each judges a past day by today's roster.

Every other rule is about the schedule's own shape (seats per day, one seat per person,
gaps between shifts, caps, shadows before primary duty, shift dates) and stays an error on
every day: no roster edit can cause it, so a break there means the record itself is wrong.
Today and later days are never history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from oncall.core.rules import ERROR, WARNING, Violation

HISTORY_RULES = frozenset(
    {"availability", "volunteers_only", "terms", "membership", "roster", "distinct_teams"}
)


class PastViolation(Violation):
    """A history rule broken only on days before today: reported, never failing."""


def settle_history(violations: Iterable[Violation], today: date) -> list[Violation]:
    """``violations`` with each history rule's days before ``today`` split off as a warning."""
    settled: list[Violation] = []
    for violation in violations:
        if violation.severity != ERROR or violation.rule not in HISTORY_RULES:
            settled.append(violation)
            continue
        past = tuple(day for day in violation.dates if day < today)
        if not past:
            settled.append(violation)
            continue
        current = tuple(day for day in violation.dates if day >= today)
        if current:
            settled.append(
                Violation(violation.rule, violation.message, current, violation.people)
            )
        settled.append(
            PastViolation(
                violation.rule,
                f"{violation.message} (history: already served before {today})",
                past,
                violation.people,
                WARNING,
            )
        )
    settled.sort(key=lambda v: (v.dates[:1], v.rule, v.people, v.message))
    return settled


def recorded_history(violations: Iterable[Violation], busy: Iterable[str]) -> list[Violation]:
    """``violations`` without the history warnings about members deleted from the roster
    whose history is recorded: they hold no duty day from today on (``busy``: who does,
    in any term), so nothing is left for `oncall plan` to move, and what they served is
    named in the schedule's ``people:`` (a schedule naming someone who is in neither the
    roster nor ``people:`` does not load). Until then the warning says what remains."""
    holding = set(busy)
    return [
        v
        for v in violations
        if not (
            isinstance(v, PastViolation) and v.rule == "roster" and holding.isdisjoint(v.people)
        )
    ]


def past_days(days: Iterable[date], today: date) -> tuple[date, ...]:
    """The days before ``today``: served already, so no longer open to a swap."""
    return tuple(day for day in days if day < today)
