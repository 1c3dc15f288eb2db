"""Terms in sequence: the term after the current one, and the ledger carried into it.

``plan --next-term`` plans the term that follows the current schedule's, with the duty
served so far carried in (``oncall.core.ledger``), and moves the current term into the
rotation's kept terms (``oncall.io.terms``) when it writes the new one. ``validate``
checks every stored ledger against the kept terms it was carried from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from dateutil.relativedelta import relativedelta

from oncall.core.calendar import DutyCalendar
from oncall.core.dates import term_handoff, term_last_day
from oncall.core.errors import InputError
from oncall.core.ledger import Ledger, absence_credit, served_in_term
from oncall.core.model import MAX_TERM_DAYS, Rotation, Term
from oncall.core.rules import ERROR, Violation, eligible_members, gap_allows, served_slots
from oncall.core.schedule import LEDGER_FORMAT, Schedule
from oncall.core.served import Served
from oncall.core.store import StoredTerm
from oncall.io.readers import TERM_LENGTH_LIMITS, parse_term_length


@dataclass(frozen=True)
class NextTerm:
    """The term to plan after the current one, and what moves where when it is written."""

    term: Term
    carried: dict[str, Served]  # the ledger carried into it
    recent: dict[str, int]  # shifts before the end of the current term each last served
    kept_path: Path  # where the current term's file is kept before the new one is written


def next_term(
    current: StoredTerm,
    *,
    end: date | None,
    length: str | None,
    start: date | None = None,
) -> NextTerm:
    """The term after ``current``'s: same length unless ``end`` or ``length`` says
    otherwise; refused while the current term has days no shift covers. ``start``: a
    later first day than the day after (`plan --start`); min_gap then carries over no gap."""
    rotation, calendar, schedule = current.rotation, current.calendar(), current.schedule
    assert schedule is not None
    refuse_unplanned(current)
    follows = schedule.term.end + timedelta(days=1)
    start = start if start is not None else follows
    handoff = term_handoff(rotation.shift.unit, rotation.shift.handoff)
    term = Term(start, _end(schedule.term, start, end, length, handoff))
    target = current.store.kept_place(current)
    if current.store.kept_place_taken(current):
        raise InputError(
            f"--next-term: {target} already exists, and a kept term is never overwritten; "
            "nothing was written",
            hint="the current schedule seems to repeat a kept term: check both files",
        )
    carried = carried_after(rotation, calendar, schedule)
    active = [m.handle for m in eligible_members(rotation, current.term) if m.member_on(start)]
    credited = Ledger(carried).credit_joiners(active)
    recent = last_served(calendar, schedule) if start == follows else {}
    return NextTerm(term, dict(credited.entries), recent, target)


def refuse_unplanned(current: StoredTerm) -> None:
    """`--next-term` follows a whole term: one with duty days no shift covers is refused."""
    assert current.schedule is not None
    unplanned = unplanned_days(current.calendar(), current.schedule)
    if unplanned:
        raise InputError(
            f"--next-term: the current term {current.schedule.term} has {len(unplanned)} duty "
            f"day(s) no shift covers, from {unplanned[0]} on; nothing was written",
            hint=f"plan them first (`oncall plan --from {unplanned[0]}`), then plan the next term",
        )


def carried_after(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    ledger_format: int = LEDGER_FORMAT,
) -> dict[str, Served]:
    """The ledger after ``schedule``'s term: the one carried into it plus its duty, and
    the credit of members present for part of it (``core.ledger.absence_credit``), as
    a ledger of ``ledger_format`` counts them (1: wall-clock minutes, no such credit)."""
    before = Ledger(dict(schedule.ledger or {}))
    after = before.plus(served_in_term(rotation, calendar, schedule, ledger_format))
    if ledger_format < 2:
        return dict(after.entries)
    credit = absence_credit(rotation, calendar, eligible_members(rotation, calendar.term))
    return dict(after.plus(credit).entries)


def unplanned_days(calendar: DutyCalendar, schedule: Schedule) -> list[date]:
    """Duty days of the term that no planned shift holds."""
    return [
        day
        for day in calendar.duty_days
        if day in schedule.term and schedule.shift_index(day) is None
    ]


def _end(
    current: Term, start: date, end: date | None, length: str | None, handoff: int | None
) -> date:
    if end is not None and length is not None:
        raise InputError("--end and --length both set the term's end; give one of them")
    if end is not None:
        if end < start:
            raise InputError(f"--end {end} is before the next term's start {start}")
        last = end
    elif length is not None:
        parsed = parse_term_length(length)
        if parsed is None:
            raise InputError(
                f"--length: found {length!r}, expected a length such as 3mo, 13w or 90d"
            )
        count, unit = parsed
        if count > TERM_LENGTH_LIMITS[unit]:
            raise InputError(
                f"--length: found {length!r}, expected a term of at most ten years "
                f"({', '.join(f'{n}{u}' for u, n in TERM_LENGTH_LIMITS.items())})"
            )
        last = term_last_day(start, count, unit, handoff)
    else:
        count, unit = same_length(current, handoff)
        last = term_last_day(start, count, unit, handoff)
    if (last - start).days + 1 > MAX_TERM_DAYS:
        raise InputError(
            f"the next term {start}..{last} is longer than {MAX_TERM_DAYS} days (ten years)"
        )
    return last


def same_length(current: Term, handoff: int | None) -> tuple[int, str]:
    """The length ``current`` was planned with, as ``plan --next-term`` repeats it: whole
    months when it is that many months (lined up with ``handoff`` or, as terms planned
    before they were, not), else whole weeks, else its number of days."""
    days = (current.end - current.start).days + 1
    following = relativedelta(current.end + timedelta(days=1), current.start)
    months = following.years * 12 + following.months
    for count in (months, months + 1):  # an aligned term may end a few days short
        if count >= 1 and current.end in {
            term_last_day(current.start, count, "mo"),
            term_last_day(current.start, count, "mo", handoff),
        }:
            return count, "mo"
    weeks = (days + 3) // 7
    if weeks >= 1 and term_last_day(current.start, weeks, "w", handoff) == current.end:
        return weeks, "w"
    return days, "d"


def ledger_problems(terms: Sequence[StoredTerm]) -> list[Violation]:
    """Each stored ledger against the term before it: a ledger that disagrees with the kept
    history would carry wrong fairness into every later term, so it is an error."""
    problems: list[Violation] = []
    for before, after in pairwise(terms):
        assert before.schedule is not None and after.schedule is not None
        stored = after.schedule.ledger
        if stored is None:
            continue
        expected = carried_after(
            before.rotation, before.calendar(), before.schedule, after.schedule.ledger_format
        )
        for handle in sorted(set(stored) | set(expected)):
            got = stored.get(handle, Served())
            want = _with_credit(expected.get(handle, Served()), got)
            if got != want:
                where = after.store.locate(after.schedule_path, f"ledger.{handle}")
                problems.append(
                    Violation(
                        "ledger",
                        f"{where}: the ledger carries {_short(got)} for {handle}, but the "
                        f"term {before.schedule.term} in {before.schedule_path} adds up to "
                        f"{_short(want)}; if that term's file is right, `oncall repair "
                        f"--ledgers {after.path}` carries it again",
                        people=(handle,),
                        severity=ERROR,
                    )
                )
    return problems


def last_served(
    calendar: DutyCalendar, schedule: Schedule
) -> dict[str, int]:
    """Per person, how many shifts before the term's end they last served (1: the last
    shift): what ``min_gap`` carries into the next term."""
    served = served_slots(calendar, schedule.duties(_term_days(calendar, schedule)))
    count = len(calendar.slots)
    return {handle: count - max(slots) for handle, slots in served.items()}


def boundary_problems(terms: Sequence[StoredTerm]) -> list[Violation]:
    """``min_gap`` across the boundary of two terms that follow each other (each term
    checks its own shifts): nobody serves the end of one and the start of the next."""
    problems: list[Violation] = []
    for earlier, after in pairwise(terms):
        assert earlier.schedule is not None and after.schedule is not None
        if earlier.schedule.term.end + timedelta(days=1) != after.schedule.term.start:
            continue
        rotation, calendar, schedule = after.rotation, after.calendar(), after.schedule
        recent = last_served(earlier.calendar(), earlier.schedule)
        served = served_slots(calendar, schedule.duties(_term_days(calendar, schedule)))
        for handle in sorted(set(recent) & set(served)):
            first = min(served[handle])
            if gap_allows(rotation, -recent[handle], first):
                continue
            days = tuple(sorted(d for role in served[handle][first].values() for d in role))
            problems.append(
                Violation(
                    "min_gap",
                    f"{handle} serves the end of the term {earlier.schedule.term} and shift "
                    f"{calendar.slots[first].span} of the next with "
                    f"{recent[handle] - 1 + first} shift(s) between "
                    f"(min_gap: {rotation.rules.min_gap})",
                    days,
                    (handle,),
                )
            )
    return problems


def _term_days(calendar: DutyCalendar, schedule: Schedule) -> list[date]:
    return [day for day in calendar.duty_days if day in schedule.term]


def _short(served: Served) -> str:
    return f"{served.days} duty day(s), {served.shadow_shifts} shadow shift(s)"


def carry_forward(current: StoredTerm, upgrade: bool = False) -> list[Path]:
    """After a change to an earlier term that is still running (a swap while the next
    term is already planned), carry it into every later term's ledger, so the ledger
    never disagrees with the kept history. With ``upgrade`` (``repair --ledgers``),
    every ledger is carried again in the current format (``LEDGER_FORMAT``: real
    minutes, pro-rated credit), from the first kept term on. Returns the files
    rewritten."""
    terms = current.terms()
    rewritten: list[Path] = []
    before = terms[0]
    for after in terms[1:]:
        assert before.schedule is not None and after.schedule is not None
        stored = after.schedule.ledger
        if stored is not None:
            version = LEDGER_FORMAT if upgrade else after.schedule.ledger_format
            ledger = recarried(
                before.rotation, before.calendar(), before.schedule, stored, version
            )
            if ledger != dict(stored) or version != after.schedule.ledger_format:
                after = after.with_schedule(
                    replace(after.schedule, ledger=ledger, ledger_format=version)
                )
                assert after.schedule is not None
                rewritten.append(current.store.save(after, after.schedule))
        before = after
    return rewritten


def recarried(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    stored: Mapping[str, Served],
    version: int = LEDGER_FORMAT,
) -> dict[str, Served]:
    """The ledger of the term after ``schedule``'s, carried again from it in ledger format
    ``version``: what it adds up to, with the joining credit ``stored`` (that term's
    ledger) granted kept."""
    expected = carried_after(rotation, calendar, schedule, version)
    handles = sorted(set(expected) | {h for h, s in stored.items() if s.credited})
    return {h: _with_credit(expected.get(h, Served()), stored.get(h)) for h in handles}


def _with_credit(expected: Served, stored: Served | None) -> Served:
    """The joining credit a term granted is part of its ledger, not of the term before."""
    if stored is not None and stored.credited and not expected.credited:
        return replace(expected, credited=stored.credited)
    return expected
