"""`oncall swap`: one person hands one or more duty days to another, after planning.

``propose`` is pure: given the rotation, its calendar and schedule, it builds the override
and asks the rules engine (``rules.new_violations``, the one definition of every rule) what
it would break. ``record_swap`` is the whole use case: under a lock on the schedule file it
reads, proposes, refuses (or, with ``force``, marks the override forced) and writes, so two
swaps at once both land. What was recorded is ``oncall.render.swap``'s to tell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.dates import parse_dates
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError, RuleRefused
from oncall.core.history import past_days
from oncall.core.model import DateRange, Rotation, describe_character, first_unprintable
from oncall.core.overlap import clashes_with, on_duty
from oncall.core.published import (
    NO_CHANGES,
    FeedChanges,
    effective,
    latest,
    recorded,
)
from oncall.core.rules import Violation, format_dates, new_violations
from oncall.core.schedule import Override, Schedule
from oncall.core.store import ScheduleStore, StoredTerm, known_handle
from oncall.usecases.clock_check import refuse_clock_behind
from oncall.usecases.neighbours import neighbour_duty
from oncall.usecases.repair import finish_interrupted
from oncall.usecases.terms import carry_forward


@dataclass(frozen=True)
class Proposal:
    """A swap as it would be recorded, with what it would break (empty: it keeps every rule)."""

    override: Override
    before: Schedule
    after: Schedule
    days: tuple[date, ...]  # the duty days it changes
    violations: tuple[Violation, ...]
    history: tuple[date, ...] = ()  # of those days, the ones before now: already served
    also: tuple[Override, ...] = ()  # recorded with ``override`` as one change (a trade)

    @property
    def overrides(self) -> tuple[Override, ...]:
        return (self.override, *self.also)

    def as_excused(self) -> Proposal:
        """The same swap recorded as an excused absence of its ``out`` (`--excused`)."""
        override = replace(self.override, excused=True)
        return replace(self, override=override, after=self.before.with_override(override))

    def forced(self) -> Proposal:
        """The same swap marked ``forced: true``, for `--force` over broken rules."""
        override, *also = (replace(o, forced=True) for o in self.overrides)
        after = self.before
        for each in (override, *also):
            after = after.with_override(each)
        return replace(self, override=override, after=after, also=tuple(also))


def propose(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    dates: DateRange,
    out: str,
    in_: str,
    *,
    reason: str | None,
    now: datetime,
) -> Proposal:
    """The override ``out`` -> ``in_`` over ``dates`` and the rules it would break.

    Refuses outright (RuleRefused) what no ``--force`` can make meaningful: dates with no
    duty day, or an ``out`` who is not on duty on those dates.
    """
    known_handle(rotation, out, "--out")
    known_handle(rotation, in_, "--in")
    if out == in_:
        raise InputError(f"--out and --in are both {out!r}", hint="name two different members")
    bad = first_unprintable(reason or "")
    if bad is not None:
        raise InputError(
            f"--reason: found {describe_character(bad)}, expected printable text on one line"
        )
    days = tuple(day for day in dates.days() if calendar.is_duty_day(day))
    if not days:
        off = [f"{d} ({calendar.days_off[d]})" for d in dates.days() if d in calendar.days_off]
        why = f"; days off: {', '.join(off)}" if off else ""
        outside = dates.first < calendar.first or dates.last > calendar.last
        term = f" (the term is {calendar.first}..{calendar.last})" if outside else ""
        raise RuleRefused(f"swap refused: {dates} holds no duty day{term}{why}")
    serving = [day for day in days if out in schedule.duty_on(day).people]
    if not serving:
        raise RuleRefused(
            f"swap refused: {out} is not on duty on {format_dates(days)}; "
            f"nothing to hand over (see `oncall show --person {out}`)"
        )
    missing = [day for day in days if day not in serving]
    if missing:
        raise RuleRefused(
            f"swap refused: {out} is on duty on {format_dates(serving)} but not on "
            f"{format_dates(missing)}; narrow --dates to the days {out} serves"
        )
    already = [day for day in days if in_ in schedule.duty_on(day).people]
    if already:
        raise RuleRefused(
            f"swap refused: {in_} is already on duty on {format_dates(already)}"
        )
    override = Override(dates, out, in_, reason or None, False, now)
    after = schedule.with_override(override)
    broken = new_violations(rotation, calendar, schedule, after)
    history = past_days(days, now.date())
    return Proposal(override, schedule, after, days, tuple(broken), history)


def propose_trade(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    first: tuple[str, DateRange],
    second: tuple[str, DateRange],
    *,
    reason: str | None,
    now: datetime,
) -> Proposal:
    """Two people exchanging days as one change: ``first``'s person hands their days to
    ``second``'s, and takes ``second``'s days in return. Each half may break a rule that
    the whole keeps (adjacent days under ``min_gap``), so only the end state is checked."""
    (one_person, one_days), (two_person, two_days) = first, second
    if one_person == two_person:
        raise InputError(
            f"--trade: both sides name {one_person!r}", hint="a trade is between two members"
        )
    if one_days.first <= two_days.last and two_days.first <= one_days.last:
        raise InputError(
            f"--trade: {one_days} and {two_days} overlap; each side trades its own days",
            hint="to hand days over without taking any back: oncall swap --dates D --out H --in H",
        )
    given = propose(
        rotation, calendar, schedule, one_days, one_person, two_person, reason=reason, now=now
    )
    taken = propose(
        rotation, calendar, given.after, two_days, two_person, one_person, reason=reason, now=now
    )
    days = tuple(sorted({*given.days, *taken.days}))
    broken = new_violations(rotation, calendar, schedule, taken.after)
    history = past_days(days, now.date())
    return Proposal(
        given.override, schedule, taken.after, days, tuple(broken), history, (taken.override,)
    )


def trade_side(value: str) -> tuple[str, str]:
    """``H:D[..D]`` of `swap --trade` as (handle, dates text)."""
    handle, colon, dates = value.partition(":")
    if not colon or not handle.strip() or not dates.strip():
        raise InputError(
            f"--trade: {value!r} is not HANDLE:DATES",
            hint="e.g. oncall swap --trade aiko:2027-10-04 ken:2027-10-05",
        )
    return handle.strip(), dates.strip()


def refusal(proposal: Proposal) -> RuleRefused:
    lines = []
    if proposal.history:
        lines.append(
            f"swap refused: {format_dates(proposal.history)} "
            f"{'is' if len(proposal.history) == 1 else 'are'} history (before "
            f"{proposal.override.recorded_at.date() if proposal.override.recorded_at else 'now'}"
            "): those days were already served (nothing was written)"
        )
    if proposal.violations:
        lines.append(
            ("it would also break" if lines else "swap refused: it would break")
            + " these rules"
            + ("" if proposal.history else " (nothing was written)")
            + ":"
        )
        lines += [f"  - {violation.describe()}" for violation in proposal.violations]
    if proposal.history:
        lines.append("  to correct the record of who served, use --force (marked forced: true)")
    else:
        lines.append("  use --force to record it anyway (marked forced: true)")
    return RuleRefused("\n".join(lines))


@dataclass(frozen=True)
class Recorded:
    """A swap written to the schedule file at ``schedule_path``."""

    proposal: Proposal
    schedule_path: Path
    # The calendar feeds (team, personal) whose events the swap changes.
    calendars: FeedChanges = NO_CHANGES
    rotation: Rotation | None = None  # the rotation, as the swap was checked against it


def record_swap(
    store: ScheduleStore,
    now: Clock,
    *,
    dates: str,
    out: str,
    in_: str,
    reason: str | None,
    force: bool,
    excused: bool = False,
) -> Recorded:
    """Check the swap against every rule and append it to the schedule, or refuse it;
    ``excused`` records an excused absence (the days lost are credited, not a debt).

    Read, check and write happen under the store's lock, so two swaps at once both land
    (overrides are appended, never lost).
    """

    def build(opened: StoredTerm, clock: datetime, spans: list[DateRange]) -> Proposal:
        assert opened.schedule is not None  # require_schedule
        proposal = propose(
            opened.rotation, opened.calendar(), opened.schedule, spans[0], out.strip(),
            in_.strip(), reason=reason, now=clock,
        )
        return proposal.as_excused() if excused else proposal

    return _record(store, now, "swap", [dates], build, force)


def record_trade(
    store: ScheduleStore,
    now: Clock,
    *,
    first: str,
    second: str,
    reason: str | None,
    force: bool,
) -> Recorded:
    """`swap --trade A:D1 B:D2`: both halves recorded as one change, or neither."""
    (one, one_dates), (two, two_dates) = trade_side(first), trade_side(second)

    def build(opened: StoredTerm, clock: datetime, spans: list[DateRange]) -> Proposal:
        assert opened.schedule is not None  # require_schedule
        return propose_trade(
            opened.rotation, opened.calendar(), opened.schedule, (one, spans[0]),
            (two, spans[1]), reason=reason, now=clock,
        )

    return _record(store, now, "swap", [one_dates, two_dates], build, force)


def _record(
    store: ScheduleStore,
    now: Clock,
    command: str,
    dates: list[str],
    build: Callable[[StoredTerm, datetime, list[DateRange]], Proposal],
    force: bool,
) -> Recorded:
    """Under the store's lock: the term holding ``dates``, the proposal ``build`` makes
    there checked against the other rotations too, refused or (``force``) marked forced,
    and saved with what the calendars must now say."""
    path = single_rotation(store, command)
    with store.locked([path]):
        current = store.open(path, require_schedule=True)
        if finish_interrupted(current) is not None:  # a kill cut an earlier change short
            current = store.open(path, require_schedule=True)
        clock = now.now(current.rotation.tz)
        refuse_clock_behind(current, clock, command)
        spans = [parse_dates(text, "--dates", clock.date()) for text in dates]
        opened = term_for(current, spans[0], clock.date())
        if any(term_for(current, span, clock.date()) is not opened for span in spans[1:]):
            raise InputError(
                f"--trade: {spans[0]} and {spans[1]} fall in different terms",
                hint="trade days of one term; across terms, record two swaps",
            )
        proposal = build(opened, clock.replace(microsecond=0), spans)
        proposal = with_neighbours(store, path, opened.rotation, proposal)
        if proposal.violations or proposal.history:
            if not force:
                raise refusal(proposal)
            proposal = proposal.forced()
        proposal, calendars = _with_record(opened.rotation, opened.calendar(), proposal)
        if opened is current:
            store.save(opened, proposal.after)
        else:  # an earlier term still running: its ledger is carried into the later ones
            with store.carrying(current, opened):
                store.save(opened, proposal.after)
                carry_forward(current)
    return Recorded(proposal, opened.schedule_path, calendars, opened.rotation)


def single_rotation(store: ScheduleStore, command: str) -> Path:
    """The one rotation file ``command`` changes or reads, or an input error."""
    paths = store.rotation_sources()
    if len(paths) != 1:
        raise InputError(
            f"{command} works on one rotation, but {len(paths)} were found",
            hint=f"name the rotation file: oncall {command} rotations/NAME.yaml ...",
        )
    return paths[0]


def term_for(current: StoredTerm, span: DateRange, today: date) -> StoredTerm:
    """The term holding ``span``'s first day (an earlier one still running is kept beside
    the current one); a finished term is never rewritten."""
    opened = current.on(span.first)
    if opened is not current and opened.term.end < today:
        raise InputError(
            f"--dates: {span} fall in the term {opened.term}, which is finished "
            f"and kept in {opened.schedule_path}; a finished term is never rewritten",
            hint="record changes of the current term only",
        )
    return opened


def with_neighbours(
    store: ScheduleStore, path: Path, rotation: Rotation, proposal: Proposal
) -> Proposal:
    """The proposal with the clashes it makes with the other rotations of the folder (the
    person taking the days on duty there at overlapping hours), as `plan` avoids them and
    `validate` reports them: a broken rule like any other, refused without ``--force``."""
    overlaps: list[Violation] = []
    for override in proposal.overrides:
        incoming = override.in_
        assert incoming is not None  # a swap always names who takes the days
        others = neighbour_duty(store, path, override.dates, "swap")
        if not others:
            continue
        days = [day for day in proposal.days if day in override.dates]
        found = clashes_with(rotation, on_duty(rotation, incoming, days), others)
        mine = {(rotation.id, day) for day in days}
        overlaps += [
            Violation(
                "overlap",
                clash.describe(),
                tuple(w.day for w in (clash.first, clash.second) if (w.rotation, w.day) in mine),
                (incoming,),
            )
            for clash in found
        ]
    return replace(proposal, violations=proposal.violations + tuple(overlaps))


def _with_record(
    rotation: Rotation, calendar: DutyCalendar, proposal: Proposal
) -> tuple[Proposal, FeedChanges]:
    """The proposal whose schedule also records what the calendars must now say: the
    events the swap changed go up one SEQUENCE, modified when the swap was recorded."""
    before = effective(rotation, proposal.before, calendar)
    moment = proposal.override.recorded_at or latest(proposal.after)
    after, feeds = recorded(rotation, before, proposal.after, calendar, moment)
    return replace(proposal, after=after), feeds
