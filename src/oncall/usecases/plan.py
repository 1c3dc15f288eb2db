"""`oncall plan` between files and the planner: load, keep history, plan, check, diff, write.

The planner itself is pure (``oncall.planner``); this module decides what a re-plan keeps
(shifts that started before ``--from``, every override), refuses to write anything the
rules engine finds broken by the planner, and returns plain data:
``oncall.render.plan_report`` words it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from oncall.core.calendar import DutyCalendar, calendar_basis
from oncall.core.clock import SYSTEM, Clock
from oncall.core.dates import parse_day
from oncall.core.diff import Change, shift_changes
from oncall.core.duty_load import replan_carry
from oncall.core.errors import InputError
from oncall.core.ledger import Ledger
from oncall.core.model import Rotation, Term
from oncall.core.overlap import Elsewhere, Watch, busy_elsewhere
from oncall.core.published import NO_CHANGES, FeedChanges
from oncall.core.roster import missing_mentions
from oncall.core.rules import Violation
from oncall.core.schedule import LEDGER_FORMAT, Schedule, Shift
from oncall.core.served import Served
from oncall.core.store import ScheduleStore, StoredTerm
from oncall.planner import Fairness, Solution, solve
from oncall.usecases.clock_check import refuse_clock_behind
from oncall.usecases.day_covers import Covered, held_days, settle
from oncall.usecases.neighbours import kept_clear, planned_neighbours
from oncall.usecases.plan_integrity import clear_of_overrides, refuse_rewriting_served, verify
from oncall.usecases.plan_record import with_record
from oncall.usecases.plan_terms import (
    Before,
    NoticeKept,
    as_of,
    broken_from,
    notice_from,
    running_kept,
    save_terms,
    untouched,
)
from oncall.usecases.repair import finish_interrupted
from oncall.usecases.term_start import FOLLOWS, start_over
from oncall.usecases.terms import next_term, refuse_unplanned


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
    # The term as the store keeps it (its schedule is the one to write) and, with
    # --next-term, the current term the store keeps before writing it.
    stored: StoredTerm | None = None
    follows: StoredTerm | None = None
    # Whether kept overrides or covers changed the duty the planner was told people carry
    # (``fairness.carried`` then includes them, not only the ledger).
    swaps_counted: bool = False
    # One-day covers given in running shifts for leave entered since they started.
    day_covers: tuple[Covered, ...] = ()
    # The earlier terms with days still to serve that this run re-planned first (a kept
    # term still running; with --next-term, the current term too), oldest first: written
    # with this one, each a Planned of its own.
    earlier: tuple[Planned, ...] = ()
    notice: NoticeKept | None = None  # what rules.notice kept as it was
    # The duty calendar the schedule was planned on.
    calendar: DutyCalendar | None = None


@dataclass(frozen=True)
class PlanOptions:
    """The command line of `oncall plan`, as typed (dates may be `today`/`tomorrow`)."""

    start: str | None = None
    end: str | None = None
    plan_from: str | None = None
    seed: int = 0
    now: Clock = SYSTEM
    rewrite_history: bool = False
    next_term: bool = False
    length: str | None = None
    inside_notice: bool = False  # --inside-notice: re-plan shifts within rules.notice too


def _open(store: ScheduleStore, path: Path, options: PlanOptions) -> tuple[StoredTerm, datetime]:
    """The rotation with the command line's term and its schedule, and now in its zone.

    `today` depends on the rotation's time zone, which is only known after loading, so a
    term given as a day word is opened again if the first guess was a day off (the store
    has read the files once already). Without --start, a planned term that started on
    another day than the file's term is the one to re-plan (a later term, from
    --next-term): the file's term is the template.
    """
    guess = options.now.local_guess()

    def term_days(today: date) -> tuple[date | None, date | None]:
        start = parse_day(options.start, "--start", today) if options.start else None
        end = parse_day(options.end, "--end", today) if options.end else None
        return start, end

    start, end = term_days(guess)
    current = store.open(path, term_start=start, term_end=end, unplanned=True)
    now = options.now.now(current.rotation.tz).replace(microsecond=0)
    if now.date() != guess and term_days(now.date()) != (start, end):
        start, end = term_days(now.date())
        current = store.open(path, term_start=start, term_end=end, unplanned=True)
    return current, now


def kept_shifts(previous: Schedule, term: Term, plan_from: date) -> tuple[Shift, ...]:
    """History a re-plan of ``term`` must not touch: shifts that started before
    ``plan_from``.

    When the term changed, only those inside the new term survive (the others belong to
    a term this schedule no longer describes).
    """
    same_term = previous.term == term
    return tuple(
        shift
        for shift in previous.shifts
        if shift.start < plan_from and (same_term or (shift.start in term and shift.end in term))
    )


def told_shifts(previous: Schedule, term: Term, plan_from: date | None) -> tuple[Shift, ...]:
    """The shifts people were told from ``plan_from`` on: the re-plan keeps as many of
    them as fairness allows, so few people have to change their calendars."""
    return tuple(
        shift
        for shift in previous.shifts
        if (plan_from is None or shift.start >= plan_from) and shift.start in term
    )


def plan_file(
    store: ScheduleStore,
    path: Path,
    options: PlanOptions,
    others: Sequence[tuple[Rotation, Sequence[Watch]]] = (),
) -> Planned:
    """Solution one rotation; nothing is written (see ``plan_files``). ``others`` is the
    planned duty of the other rotations beside it: nobody is planned where their duty
    there overlaps in time. A kept term that still has days to serve (the one running
    after `plan --next-term`) is re-planned from the same day first (``earlier``)."""
    if options.next_term:
        return _plan_next_term(store, path, options, others)
    current, now = _open(store, path, options)
    refuse_clock_behind(current, now, "plan")
    term, previous = current.term, current.schedule
    if options.start is not None and previous is not None:
        meaning = start_over(current, term.start, now.date())
        if meaning == FOLLOWS:
            return _plan_next_term(store, path, options, others, start=term)
    plan_from: date | None = None
    if options.plan_from is not None:
        plan_from = parse_day(options.plan_from, "--from", now.date())
    if previous is None:
        # No history to keep: plan the whole term, so no day of it is left unstaffed.
        return _replan(store, current, now, None, options, others)
    plan_from, held = notice_from(
        store, current, plan_from or now.date(), now.date(), options.inside_notice
    )
    preceding, running = running_kept(current, now.date())
    earlier = _replan_all(store, running, now, plan_from, options, others, preceding)
    before = _before(store, earlier, None)  # the current term keeps its ledger otherwise
    planned = _replan(store, current, now, plan_from, options, others, before=before)
    return replace(planned, earlier=tuple(earlier), notice=held)


def _replan_all(
    store: ScheduleStore,
    terms: Sequence[StoredTerm],
    now: datetime,
    plan_from: date,
    options: PlanOptions,
    others: Sequence[tuple[Rotation, Sequence[Watch]]],
    preceding: StoredTerm | None,
) -> list[Planned]:
    """Each of ``terms`` (oldest first, each with days to serve) re-planned from
    ``plan_from``, its ledger carried again from the term before it (``preceding`` for the
    first). A term that ends before ``plan_from`` is kept as it is, but must still keep
    every rule from today on."""
    done: list[Planned] = []
    for term in terms:
        assert term.schedule is not None  # a kept term is planned
        if untouched(term, plan_from) and not done:
            calendar = store.fresh_calendar(term.rotation, term.term, term.path)
            schedule = as_of(term.schedule, now)
            verify(term.rotation, calendar, schedule, schedule.shifts,
                   previous=term.schedule, schedule_path=term.schedule_path)
            continue
        before = _before(store, done, preceding)
        done.append(_replan(store, term, now, plan_from, options, others, before=before))
    return done


def _before(
    store: ScheduleStore, done: Sequence[Planned], preceding: StoredTerm | None
) -> Before | None:
    """The term before the next one to re-plan: the last re-planned, else ``preceding``."""
    if done:
        return Before(done[-1].stored, done[-1].calendar)
    if preceding is None:
        return None
    return Before(
        preceding, store.fresh_calendar(preceding.rotation, preceding.term, preceding.path)
    )


def _replan(
    store: ScheduleStore,
    current: StoredTerm,
    now: datetime,
    plan_from: date | None,
    options: PlanOptions,
    others: Sequence[tuple[Rotation, Sequence[Watch]]],
    *,
    before: Before | None = None,
) -> Planned:
    """Re-plan one term from ``plan_from`` (the whole term when None), keeping the shifts
    that started before it and every override; ``before``: the term re-planned just
    before it in this run, its ledger and last shifts."""
    rotation, term, previous = current.rotation, current.term, current.schedule
    path = current.path
    kept: tuple[Shift, ...] = ()
    if previous is not None:
        assert plan_from is not None
        if not options.rewrite_history:
            refuse_rewriting_served(previous, plan_from, now.date())
        kept = kept_shifts(previous, term, plan_from)
    # Fresh holiday tables: plan is not on the cron path.
    calendar = store.fresh_calendar(rotation, term, path)
    told = told_shifts(previous, term, plan_from) if previous is not None else ()
    elsewhere = tuple(
        e for e in busy_elsewhere(rotation, calendar, others)
        if plan_from is None or e.day >= plan_from
    )
    ledger = previous.ledger if previous is not None and previous.term == term else None
    recent = None
    if before is not None:
        ledger = before.ledger_for(ledger)
        recent = before.recent_for(term.start)
    # Swaps and covers the re-plan keeps count towards fairness, as `report` counts them.
    carry = replan_carry(rotation, calendar, previous, kept) if previous is not None else {}
    overrides = previous.overrides if previous is not None else ()
    result = solve(
        clear_of_overrides(kept_clear(rotation, elsewhere), calendar, overrides, plan_from),
        calendar, kept=kept, plan_from=plan_from, seed=options.seed, told=told,
        carried=carried_in(ledger, carry), recent=recent,
    )
    shifts = tuple(sorted(set(kept) | set(result.shifts), key=lambda s: (s.start, s.end)))
    schedule = _schedule(rotation, now, calendar, shifts, previous, ledger)
    covered: tuple[Covered, ...] = ()
    if plan_from is not None and kept:
        schedule, covered = _cover_running(path, rotation, calendar, schedule, plan_from)
        kept = tuple(s for s in schedule.shifts if s.start < plan_from)
    planned = _planned(
        current, calendar, schedule, previous, result,
        plan_from=plan_from, kept=kept, elsewhere=elsewhere,
    )
    return replace(planned, swaps_counted=bool(carry), day_covers=covered)


def carried_in(
    ledger: Mapping[str, Served] | None, carry: Mapping[str, Served]
) -> dict[str, Served] | None:
    """What the planner is told each person carries beyond the kept shifts as planned: the
    ledger of earlier terms, plus what the kept overrides and covers change (a swap before
    ``--from`` or after it: ``core.duty_load.replan_carry``)."""
    if not carry:
        return dict(ledger) if ledger is not None else None
    return dict(Ledger(dict(ledger or {})).plus(carry).entries)


def _cover_running(
    path: Path, rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, plan_from: date
) -> tuple[Schedule, tuple[Covered, ...]]:
    """The new schedule with a one-day cover for each day from ``plan_from`` on that a
    primary of a kept (running) shift is now on leave for (``oncall.usecases.day_covers``):
    the re-plan keeps a running shift, so it cannot move it. Chosen after the new shifts,
    so ``min_gap`` holds with them. Without ``shift.cover: day`` (or a cover the rules
    allow) this is ``Infeasible``, naming the swap to record."""
    held = held_days(
        rotation, calendar, schedule, plan_from, lambda s: s.start < plan_from <= s.end
    )
    if not held:
        return schedule, ()
    settled, covered = settle(
        rotation, calendar, schedule, held, path=path, what="a running shift",
        then=f"oncall plan {path} again",
    )
    return settled, tuple(covered)


def _schedule(
    rotation: Rotation,
    now: datetime,
    calendar: DutyCalendar,
    shifts: tuple[Shift, ...],
    previous: Schedule | None,
    ledger: Mapping[str, Served] | None,
) -> Schedule:
    """The schedule to write (of the calendar's term): the shifts, the previous overrides
    and recorded names, and the days off stored for the cron path."""
    term = calendar.term
    return Schedule(
        rotation=rotation.id,
        planned_at=now,
        term=term,
        shifts=shifts,
        overrides=previous.overrides if previous is not None else (),
        days_off=dict(calendar.days_off),
        calendar_basis=calendar_basis(rotation, term.start, term.end),
        ledger=ledger,
        # A ledger kept as it was keeps its meaning (``core.schedule.LEDGER_FORMAT``).
        ledger_format=(
            previous.ledger_format
            if previous is not None and ledger is previous.ledger
            else LEDGER_FORMAT
        ),
        names=previous.names if previous is not None else None,
        teams=previous.teams if previous is not None else None,
    )


def _planned(
    target: StoredTerm,
    calendar: DutyCalendar,
    schedule: Schedule,
    previous: Schedule | None,
    result: Solution,
    *,
    plan_from: date | None,
    kept: tuple[Shift, ...],
    elsewhere: tuple[Elsewhere, ...],
    follows: StoredTerm | None = None,
) -> Planned:
    """Check the new schedule with the rules, record what its calendars now say, and say
    what the lead needs to hear about it."""
    rotation = target.rotation
    carried = verify(
        rotation, calendar, schedule, kept, previous=previous,
        schedule_path=target.schedule_path,
    )
    schedule, calendars = with_record(rotation, previous, schedule, calendar)
    return Planned(
        rotation_path=target.path,
        rotation=rotation,
        schedule_path=target.schedule_path,
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
        kept_as=target.store.kept_place(follows) if follows is not None else None,
        stored=target.with_schedule(schedule),
        follows=follows,
        calendar=calendar,
    )


def _plan_next_term(
    store: ScheduleStore,
    path: Path,
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
    current = store.open(path)
    if current.schedule is None:
        raise InputError(
            f"--next-term: {current.schedule_path}: no current term to follow",
            hint=f"plan the first term with `oncall plan {path}`",
        )
    now = options.now.now(current.rotation.tz).replace(microsecond=0)
    refuse_clock_behind(current, now, "plan --next-term")
    # A term with days to serve that a roster edit broke is re-planned from today first
    # (with every term after it), so the term kept is one `validate` accepts.
    today = now.date()
    refuse_unplanned(current)
    preceding, running = running_kept(current, today)
    unserved = [t for t in (*running, current) if t.term.end >= today]
    preceding, broken = broken_from(store, path, unserved, today, preceding)
    earlier = _replan_all(store, broken, now, today, options, others, preceding)
    if earlier:
        assert earlier[-1].stored is not None and earlier[-1].stored.path == current.path
        current = earlier[-1].stored
    end = parse_day(options.end, "--end", now.date()) if options.end else None
    following = next_term(
        current, end=start.end if start is not None else end, length=options.length,
        start=start.start if start is not None else None,
    )
    rotation = store.rotation(path, following.term)
    calendar = store.fresh_calendar(rotation, following.term, path)
    elsewhere = tuple(busy_elsewhere(rotation, calendar, others))
    result = solve(
        kept_clear(rotation, elsewhere), calendar, seed=options.seed,
        carried=following.carried, recent=following.recent,
    )
    schedule = _schedule(rotation, now, calendar, result.shifts, None, following.carried)
    target = StoredTerm(store, path, rotation, following.term, current.schedule_path, None)
    planned = _planned(
        target, calendar, schedule, None, result,
        plan_from=None, kept=(), elsewhere=elsewhere, follows=current,
    )
    return replace(planned, earlier=tuple(earlier))


def _on_duty_from(schedule: Schedule, first: date | None) -> set[str]:
    """Everyone the schedule puts on a shift that starts on or after ``first``."""
    return {
        handle
        for shift in schedule.shifts
        if first is None or shift.start >= first
        for handle in (*shift.primary, *shift.shadow)
    }


def _plan_all(store: ScheduleStore, options: PlanOptions) -> list[Planned]:
    planned: list[Planned] = []
    for path in store.rotation_sources():
        fresh = [
            each.stored
            for item in planned
            for each in (*item.earlier, item)
            if each.stored is not None
        ]
        planned.append(plan_file(store, path, options, planned_neighbours(store, path, fresh)))
    return planned


def plan_files(store: ScheduleStore, options: PlanOptions, *, dry_run: bool) -> list[Planned]:
    """Solution every rotation first and write only when all succeeded, so a failure in one
    leaves every schedule as it was. Each rotation keeps its people clear of the duty the
    other rotations beside it give them (those planned earlier in this run included)."""
    paths = store.rotation_sources()
    if dry_run:
        return _plan_all(store, options)
    # Read, plan and write under the store's lock: a swap recorded meanwhile waits, then
    # applies to the new plan, and one recorded just before is read here and kept.
    with store.locked(paths):
        for path in paths:  # a change a kill cut short is finished first
            if store.pending(path) is not None:
                finish_interrupted(store.open(path))
        planned = _plan_all(store, options)
        written = []
        for item in planned:
            assert item.stored is not None
            terms = [each.stored for each in item.earlier if each.stored is not None]
            save_terms(store, item.stored, terms, item.follows)
            earlier = tuple(replace(e, written=_where(e, item)) for e in item.earlier)
            written.append(replace(item, written=item.schedule_path, earlier=earlier))
    return written


def _where(earlier: Planned, item: Planned) -> Path:
    """Where an earlier term ``item`` re-planned went: its file, or with --next-term the
    current term's place among the kept ones."""
    if item.kept_as is not None and earlier.schedule_path == item.schedule_path:
        return item.kept_as
    return earlier.schedule_path
