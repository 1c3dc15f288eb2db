"""The fairness ledger: what each person served in earlier terms, carried into the next.

A rotation that lives for years is fair over years, not per term: whoever served least so
far goes first. Each term's schedule file stores the ledger *carried into* that term
(``ledger:``), written by ``plan --next-term`` as the previous term's ledger plus what was
served in the previous term (swaps and covers applied, day by day). Storing it, rather
than recomputing it from every earlier term on each run, keeps one rule stable over years:

* **Joiners start at the average.** A member of the roster with no duty day in the ledger
  is credited, when a term is planned, with the average duty days (rounded down) of the
  members who have some. The credit is stored (``credited``) and carried like served
  duty, so a joiner is never asked to make up for terms before they joined, in that term
  or any later one.
* **Leavers stay on record.** Their entries are carried unchanged; they no longer count
  towards the average or the plan.
* **Part of a term counts pro rata.** A member who joined or left inside a term was
  expected to carry duty only for the days they were a member (``core.fair_share``); the
  ledger credits them, after that term, the duty days a member of the whole term was
  expected to carry beyond their own share (``absence_credit``), so no later term asks
  them to make up for days they were not a member.

The unit the planner balances is the duty day. ``load`` is served days plus credit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.duty_load import duty_load
from oncall.core.fair_share import Presence, absent_shares
from oncall.core.model import Member, Rotation
from oncall.core.schedule import LEDGER_FORMAT, Schedule
from oncall.core.served import Served


@dataclass(frozen=True)
class Ledger:
    """Per handle, duty carried into a term (sorted by handle, for stable files)."""

    entries: Mapping[str, Served] = field(default_factory=dict)

    def of(self, handle: str) -> Served:
        return self.entries.get(handle, Served())

    def plus(self, served: Mapping[str, Served]) -> Ledger:
        """This ledger with one more term's duty added."""
        handles = sorted(set(self.entries) | set(served))
        return Ledger({h: self.of(h) + served.get(h, Served()) for h in handles})

    def credit_joiners(self, roster: Iterable[str]) -> Ledger:
        """Members of ``roster`` with no duty day yet get the average load of those with
        some (rounded down): the joining rule in the module's docstring."""
        roster = list(roster)
        loads = [self.of(h).load for h in roster if self.of(h).load > 0]
        if not loads:
            return self
        average = sum(loads) // len(loads)
        entries = dict(self.entries)
        for handle in roster:
            if self.of(handle).load == 0:
                entries[handle] = replace(self.of(handle), credited=average)
        return Ledger(dict(sorted(entries.items())))


def served_in_term(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    ledger_format: int = LEDGER_FORMAT,
) -> dict[str, Served]:
    """Duty each person serves in one term's schedule, overrides and covers applied day
    by day: ``core.duty_load``, the one computation of it, over the whole term; its
    minutes as a ledger of ``ledger_format`` counts them (``core.schedule.LEDGER_FORMAT``)."""
    return duty_load(rotation, calendar, schedule, wall_clock=ledger_format < 2)


def absence_credit(
    rotation: Rotation, calendar: DutyCalendar, eligible: Iterable[Member]
) -> dict[str, Served]:
    """Duty days credited, after the term of ``calendar``, to each ``eligible`` member
    (``rules.eligible_members``) who was a member on only part of its duty days: a whole
    term's expected share less their own (``core.fair_share.absent_shares``), in days,
    as ``credited``."""
    days = calendar.duty_days
    present = Presence(days)
    shares = absent_shares(
        {m.handle: present.of(m) for m in eligible},
        len(days),
        rotation.shift.people * len(days),
    )
    return {handle: Served(credited=credit) for handle, credit in sorted(shares.items())}
