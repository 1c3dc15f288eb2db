"""`oncall plan` between files and the planner: load, keep history, plan, check, diff, write.

The planner itself is pure (``oncall.planner``); this module decides what a re-plan keeps
(shifts that started before ``--from``, every override), refuses to write anything the
rules engine finds broken by the planner, and returns plain data:
``oncall.render.plan_report`` words it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from oncall.core.calendar import DutyCalendar, build_calendar, calendar_basis, days_off
from oncall.core.dates import parse_day
from oncall.core.diff import Change, shift_changes
from oncall.core.duty_calendar import calendar_from
from oncall.core.errors import InputError, OncallError
from oncall.core.ledger import Served
from oncall.core.model import DateRange, Rotation, Term, Unavailability
from oncall.core.overlap import Elsewhere, Watch, busy_elsewhere, watches
from oncall.core.published import (
    NO_CHANGES,
    FeedChanges,
    Record,
    effective,
    latest,
    recorded,
)
from oncall.core.roster import missing_mentions
from oncall.core.rules import ERROR, Violation, new_violations
from oncall.core.schedule import Schedule, Shift
from oncall.io.files import write_atomic
from oncall.io.loading import (
    load_rotation,
    load_schedule,
    schedule_path_for,
    schedule_term,
)
from oncall.io.lock import schedule_locks
from oncall.io.schedule_text import dump_schedule
from oncall.io.terms import keep_term
from oncall.planner import Fairness, Plan, plan
from oncall.usecases.plan_integrity import clear_of_overrides, refuse, unserved_errors
from oncall.usecases.term_start import FOLLOWS, start_over
from oncall.usecases.terms import next_term
from oncall.usecases.workspace import located, now_in, open_rotation, single_schedule


class PlannerBug(OncallError):
    """The planner returned shifts that break a hard rule: a bug, never written to disk."""

    exit_code = 70  # EX_SOFTWARE: not the user's fault, and not a plain "cannot plan"


@dataclass(frozen=True)
class Planned:
    """One rotation planned: the new schedule and what the lead needs to hear about it."""

    rotation_path: Path
    rotation: Rotation
    schedule_path: Path
    schedule: Schedule
    previous: Schedule | None
    fairness: Fairness
    plan_from: date | None
    kept: tuple[Shift, ...]
    changes: tuple[Change, ...]
    # Errors the written schedule still has that re-planning carried over unchanged from
    # the old file (hand-edited history, overrides that now clash): `validate` lists them.
    carried: tuple[Violation, ...]
    written: Path | None = None
    # Of the (shift, person, role) assignments the old schedule had from plan_from on,
    # how many the new one keeps: the planner keeps as many as fairness allows.
    kept_assignments: int = 0
    previous_assignments: int = 0
    # Duty days kept clear because the member is on duty in another rotation then.
    elsewhere: tuple[Elsewhere, ...] = ()
    # Warnings the lead should act on, e.g. people on duty the chat cannot mention.
    warnings: tuple[Violation, ...] = ()
    # With --next-term: where the current term's file is kept once this one is written.
    kept_as: Path | None = None
    # The calendar feeds (team, personal) whose events this plan changes.
    calendars: FeedChanges = NO_CHANGES


@dataclass(frozen=True)
class PlanOptions:
    """The command line of `oncall plan`, as typed (dates may be `today`/`tomorrow`)."""

    schedule: Path | None = None
    start: str | None = None
    end: str | None = None
    plan_from: str | None = None
    seed: int = 0
    now: str | None = None
    rewrite_history: bool = False
    next_term: bool = False
    length: str | None = None


def _naive_today(now: str | None) -> date:
    """A first guess at today, before the rotation's time zone is known."""
    if now is not None:
        try:
            return datetime.fromisoformat(now).date()
        except ValueError:
            pass  # now_in reports it properly once the rotation is loaded
    return date.today()


def _load(
    path: Path, options: PlanOptions, schedule_path: Path
) -> tuple[Rotation, datetime]:
    """The rotation with the command line's term, and now in its time zone.

    `today` depends on the rotation's time zone, which is only known after loading, so a
    term given as a day word is loaded again if the first guess was a day off.
    """
    guess = _naive_today(options.now)

    def term_days(today: date) -> tuple[date | None, date | None]:
        start = parse_day(options.start, "--start", today) if options.start else None
        end = parse_day(options.end, "--end", today) if options.end else None
        return start, end

    # Without --start, a planned term that started on another day than the file's term is
    # the one to re-plan (a later term, from --next-term): the file's term is the template.
    planned = functools.partial(schedule_term, schedule_path)
    start, end = term_days(guess)
    rotation = load_rotation(path, term_start=start, term_end=end, planned_term=planned)
    now = now_in(rotation, options.now).replace(microsecond=0)
    if now.date() != guess and term_days(now.date()) != (start, end):
        start, end = term_days(now.date())
        rotation = load_rotation(path, term_start=start, term_end=end, planned_term=planned)
    return rotation, now


def kept_shifts(previous: Schedule, rotation: Rotation, plan_from: date) -> tuple[Shift, ...]:
    """History a re-plan must not touch: shifts that started before ``plan_from``.

    When the term changed, only those inside the new term survive (the others belong to
    a term this schedule no longer describes).
    """
    term = rotation.term
    same_term = previous.term == term
    return tuple(
        shift
        for shift in previous.shifts
        if shift.start < plan_from and (same_term or (shift.start in term and shift.end in term))
    )


def told_shifts(
    previous: Schedule, rotation: Rotation, plan_from: date | None
) -> tuple[Shift, ...]:
    """The shifts people were told from ``plan_from`` on: the re-plan keeps as many of
    them as fairness allows, so few people have to change their calendars."""
    return tuple(
        shift
        for shift in previous.shifts
        if (plan_from is None or shift.start >= plan_from) and shift.start in rotation.term
    )


def plan_file(
    path: Path, options: PlanOptions, others: Sequence[tuple[Rotation, Sequence[Watch]]] = ()
) -> Planned:
    """Plan one rotation file; nothing is written (see ``plan_files``). ``others`` is the
    planned duty of the other rotations in its folder: nobody is planned where their duty
    there overlaps in time."""
    schedule_path = options.schedule or schedule_path_for(path)
    if options.next_term:
        return _plan_next_term(path, schedule_path, options, others)
    rotation, now = _load(path, options, schedule_path)
    previous = load_schedule(schedule_path, rotation) if schedule_path.exists() else None
    if options.start is not None and previous is not None:
        meaning = start_over(previous.term, rotation.term.start, now.date(), schedule_path)
        if meaning == FOLLOWS:
            return _plan_next_term(
                path, schedule_path, options, others, start=rotation.term
            )
    plan_from: date | None = None
    if options.plan_from is not None:
        plan_from = parse_day(options.plan_from, "--from", now.date())
    kept: tuple[Shift, ...] = ()
    if previous is None:
        # No history to keep: plan the whole term, so no day of it is left unstaffed.
        plan_from = None
    else:
        plan_from = plan_from or now.date()
        if not options.rewrite_history:
            _refuse_rewriting_served(previous, plan_from, now.date())
        kept = kept_shifts(previous, rotation, plan_from)
    # Fresh holiday tables: plan is not on the cron path.
    calendar = located(path, lambda: build_calendar(rotation))
    told = told_shifts(previous, rotation, plan_from) if previous is not None else ()
    elsewhere = tuple(
        e for e in busy_elsewhere(rotation, calendar, others)
        if plan_from is None or e.day >= plan_from
    )
    ledger = previous.ledger if previous is not None and previous.term == rotation.term else None
    overrides = previous.overrides if previous is not None else ()
    result = plan(
        clear_of_overrides(_kept_clear(rotation, elsewhere), calendar, overrides, plan_from),
        calendar, kept=kept, plan_from=plan_from, seed=options.seed, previous=told,
        carried=ledger,
    )
    shifts = tuple(sorted(set(kept) | set(result.shifts), key=lambda s: (s.start, s.end)))
    schedule = _schedule(rotation, now, calendar, shifts, previous, ledger)
    return _planned(
        path, schedule_path, rotation, calendar, schedule, previous, result,
        plan_from=plan_from, kept=kept, elsewhere=elsewhere,
    )


def _schedule(
    rotation: Rotation,
    now: datetime,
    calendar: DutyCalendar,
    shifts: tuple[Shift, ...],
    previous: Schedule | None,
    ledger: Mapping[str, Served] | None,
) -> Schedule:
    """The schedule to write: the shifts, the previous overrides and recorded names, and
    the days off stored for the cron path."""
    term = rotation.term
    return Schedule(
        rotation=rotation.rotation,
        planned_at=now,
        term=term,
        shifts=shifts,
        overrides=previous.overrides if previous is not None else (),
        days_off=dict(calendar.days_off),
        calendar_basis=calendar_basis(rotation, term.start, term.end),
        ledger=ledger,
        names=previous.names if previous is not None else None,
    )


def _planned(
    path: Path,
    schedule_path: Path,
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    previous: Schedule | None,
    result: Plan,
    *,
    plan_from: date | None,
    kept: tuple[Shift, ...],
    elsewhere: tuple[Elsewhere, ...],
    kept_as: Path | None = None,
) -> Planned:
    """Check the new schedule with the rules, record what its calendars now say, and say
    what the lead needs to hear about it."""
    carried = verify(
        rotation, calendar, schedule, kept, previous=previous, schedule_path=schedule_path
    )
    schedule, calendars = with_record(rotation, previous, schedule, calendar)
    return Planned(
        rotation_path=path,
        rotation=rotation,
        schedule_path=schedule_path,
        schedule=schedule,
        previous=previous,
        fairness=result.fairness,
        plan_from=plan_from,
        kept=tuple(sorted(kept, key=lambda s: s.start)),
        changes=tuple(shift_changes(previous, schedule)) if previous is not None else (),
        carried=carried,
        elsewhere=elsewhere,
        warnings=tuple(missing_mentions(rotation, _on_duty_from(schedule, plan_from))),
        kept_assignments=result.kept_assignments,
        previous_assignments=result.previous_assignments,
        calendars=calendars,
        kept_as=kept_as,
    )


def _plan_next_term(
    path: Path,
    schedule_path: Path,
    options: PlanOptions,
    others: Sequence[tuple[Rotation, Sequence[Watch]]],
    start: Term | None = None,
) -> Planned:
    """``--next-term``: the whole term after the current one, with the ledger carried in.
    ``start``: the term ``--start`` asked for after a finished current term, planned the
    same way (``term_start.FOLLOWS``)."""
    if start is not None and options.plan_from is not None:
        raise InputError(
            f"--start {start.start} plans a new term after the finished one; --from does "
            "not apply to it",
            hint=f"drop --from: `oncall plan --start {start.start}` plans the whole term",
        )
    if start is None and (options.start is not None or options.plan_from is not None):
        raise InputError(
            "--next-term starts the day after the current term; --start and --from do not "
            "apply to it",
            hint="drop --start/--from: `oncall plan --next-term` plans the whole term after "
            "the current one (--end or --length sets its end)",
        )
    if not schedule_path.exists():
        raise InputError(
            f"--next-term: {schedule_path}: no current term to follow",
            hint=f"plan the first term with `oncall plan {path}`",
        )
    current = open_rotation(path, schedule=options.schedule, holiday_tables=days_off)
    assert current.schedule is not None  # the file exists
    now = now_in(current.rotation, options.now).replace(microsecond=0)
    end = parse_day(options.end, "--end", now.date()) if options.end else None
    following = next_term(
        current.rotation, current.calendar(), current.schedule, schedule_path,
        end=start.end if start is not None else end, length=options.length,
        start=start.start if start is not None else None,
    )
    term = following.term
    rotation = load_rotation(path, term_start=term.start, term_end=term.end)
    calendar = located(path, lambda: build_calendar(rotation))
    elsewhere = tuple(busy_elsewhere(rotation, calendar, others))
    result = plan(
        _kept_clear(rotation, elsewhere), calendar, seed=options.seed,
        carried=following.carried, recent=following.recent,
    )
    schedule = _schedule(rotation, now, calendar, result.shifts, None, following.carried)
    return _planned(
        path, schedule_path, rotation, calendar, schedule, None, result,
        plan_from=None, kept=(), elsewhere=elsewhere, kept_as=following.kept_path,
    )


def with_record(
    rotation: Rotation, previous: Schedule | None, schedule: Schedule, calendar: DutyCalendar
) -> tuple[Schedule, FeedChanges]:
    """``schedule`` with what its calendars must now say (``published``), raised from
    what the previous schedule's told them, and which feeds that changes."""
    before: Record = {}
    if previous is not None:
        told = calendar
        if previous.days_off is not None:  # the days the previous export showed
            told = calendar_from(
                rotation, previous.term.start, previous.term.end, previous.days_off
            )
        before = effective(rotation, previous, told)
    return recorded(rotation, before, schedule, calendar, schedule.planned_at or latest(schedule))


def _on_duty_from(schedule: Schedule, first: date | None) -> set[str]:
    """Everyone the schedule puts on a shift that starts on or after ``first``."""
    return {
        handle
        for shift in schedule.shifts
        if first is None or shift.start >= first
        for handle in (*shift.primary, *shift.shadow)
    }


def _refuse_rewriting_served(previous: Schedule, plan_from: date, today: date) -> None:
    """A --from before today would re-plan shifts people already served: the schedule is
    the record of who served, so that takes an explicit --rewrite-history."""
    served = [s for s in previous.shifts if plan_from <= s.start < today]
    if served:
        first = min(served, key=lambda s: s.start)
        raise InputError(
            f"--from {plan_from} is before today ({today}): {len(served)} shift(s) from "
            f"{first.start} on have already started, and re-planning would rewrite who served "
            "them; nothing was written",
            hint="re-plan from today (the default), or pass --rewrite-history to correct a "
            "wrong record",
        )


def verify(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    kept: Sequence[Shift],
    *,
    previous: Schedule | None = None,
    schedule_path: Path | None = None,
) -> tuple[Violation, ...]:
    """Check the new schedule with the one rules engine before anything is written.

    Planned shifts must add no error to the kept history (else: PlannerBug). An error the
    kept shifts or the overrides bring to a day not yet served (today, ``planned_at``, on)
    refuses the plan with what mends it (``plan_integrity``), because `validate` would
    reject the file and dropping history or overrides is never the answer. Errors only on
    days already served are returned for the lead to see.
    """
    bare = replace(schedule, overrides=())
    history = replace(bare, shifts=tuple(kept))
    added = [
        v for v in new_violations(rotation, calendar, history, bare) if v.severity == ERROR
    ]
    if added:
        details = "; ".join(v.describe() for v in added[:5])
        raise PlannerBug(
            f"{rotation.rotation}: the planner produced shifts that break the rules "
            f"({details}); nothing was written. Please report this with the rotation file."
        )
    assert schedule.planned_at is not None  # plan stamps every schedule it makes
    now = schedule.planned_at
    upcoming, served = unserved_errors(rotation, calendar, schedule, now.date())
    if upcoming:
        raise refuse(
            rotation, calendar, schedule, upcoming, kept=kept, previous=previous,
            schedule_path=schedule_path or Path(f"{rotation.rotation}.schedule.yaml"), now=now,
        )
    return tuple(served)


def _kept_clear(rotation: Rotation, elsewhere: Sequence[Elsewhere]) -> Rotation:
    """The rotation as the planner sees it: each member unavailable on the days they are
    on duty elsewhere (the rotation file itself is unchanged)."""
    if not elsewhere:
        return rotation
    days: dict[str, list[Unavailability]] = {}
    for each in elsewhere:
        days.setdefault(each.handle, []).append(Unavailability(DateRange.single(each.day)))
    members = tuple(
        replace(m, unavailable=(*m.unavailable, *days.get(m.handle, ()))) for m in rotation.members
    )
    return replace(rotation, members=members)


def _neighbours(
    path: Path, planned: Sequence[Planned]
) -> list[tuple[Rotation, Sequence[Watch]]]:
    """The planned duty of the other rotations in ``path``'s folder: from this run's new
    plans where there are some, else from their schedule files. A neighbour that cannot be
    read stops the plan: ignoring it could put one person on duty twice at once."""
    fresh = {item.rotation_path.resolve(): item for item in planned}
    found: list[tuple[Rotation, Sequence[Watch]]] = []
    for other in sorted(path.parent.glob("*.yaml")):
        if other.name.endswith(".schedule.yaml") or other.resolve() == path.resolve():
            continue
        item = fresh.get(other.resolve())
        if item is not None:
            term, schedule = item.rotation.term, item.schedule
            calendar = calendar_from(item.rotation, term.start, term.end, schedule.days_off or {})
            found.append((item.rotation, watches(item.rotation, calendar, schedule)))
            continue
        try:
            opened = open_rotation(other, holiday_tables=days_off)
            if opened.schedule is not None:
                duty = watches(opened.rotation, opened.calendar(), opened.schedule)
                found.append((opened.rotation, duty))
        except InputError as error:
            why = (
                f"plan reads every rotation in {path.parent}/ to keep people clear of duty "
                "they already have there; fix this file or move it out of the folder"
            )
            error.hint = f"{error.hint}\n  ({why})" if error.hint else why
            raise
    return found


def _plan_all(paths: Sequence[Path], options: PlanOptions) -> list[Planned]:
    planned: list[Planned] = []
    for path in paths:
        planned.append(plan_file(path, options, _neighbours(path, planned)))
    return planned


def plan_files(paths: Sequence[Path], options: PlanOptions, *, dry_run: bool) -> list[Planned]:
    """Plan every rotation first and write only when all succeeded, so a failure in one
    leaves every schedule as it was. Each rotation keeps its people clear of the duty the
    other rotations of its folder give them (those planned earlier in this run included)."""
    single_schedule(paths, options.schedule)
    if dry_run:
        return _plan_all(paths, options)
    # Read, plan and write under the schedules' locks: a swap recorded meanwhile waits, then
    # applies to the new plan, and one recorded just before is read here and kept.
    with schedule_locks(options.schedule or schedule_path_for(path) for path in paths):
        planned = _plan_all(paths, options)
        written = []
        for item in planned:
            if item.kept_as is not None:
                keep_term(item.schedule_path, item.kept_as)
            named = item.schedule.with_names(item.rotation.names)
            write_atomic(item.schedule_path, dump_schedule(named))
            written.append(replace(item, written=item.schedule_path))
    return written
