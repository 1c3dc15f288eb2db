"""`oncall import FORMAT FILE...`: another tool's schedules as rotation files, their
history as kept terms with a ledger, and the replay that checks them, as data.

Each source schedule (read by ``oncall.io.importers``) becomes one rotation. Its imported
period is its history (final shifts, an .ics) or, without one, its rotations expanded
from ``--since`` (default today) for 13 weeks. The period is cut into terms of three
months (the last one may be shorter); the last is the current term and the others are
kept, each with the ledger carried into it, so `oncall plan --next-term` starts from the
duty really served and puts whoever served least first.

Everything is built and checked in memory before anything is written, and nothing is
written when any target file exists: a failed import leaves the folder as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from oncall.core.calendar import days_off
from oncall.core.clock import Clock
from oncall.core.dates import parse_day
from oncall.core.duty import TermDuty as DutyTerm
from oncall.core.duty_calendar import DutyCalendar, calendar_basis, calendar_from
from oncall.core.errors import InputError
from oncall.core.import_mapping import (
    Layout,
    day_holders,
    handles_for,
    layout_of,
    nobody_days,
    shifts_for,
)
from oncall.core.imported import Note, Source
from oncall.core.model import MAX_TERM_DAYS, Rotation, Term
from oncall.core.replay import Replay, replay
from oncall.core.schedule import Schedule
from oncall.core.store import ScheduleStore
from oncall.io.imported_text import rotation_text
from oncall.io.importers import reader
from oncall.io.importers.export_json import People
from oncall.io.loading import load_rotation
from oncall.usecases.terms import carried_after

TERM_MONTHS = 3
DEFAULT_WEEKS = 13


@dataclass(frozen=True)
class ImportedRotation:
    """One source schedule as it maps: the rotation file, its terms, the notes, the
    replay (with ``--check``) and where it was written (nothing with ``--dry-run``)."""

    source: Source
    layout: Layout
    path: Path
    text: str
    schedules: tuple[Schedule, ...]
    notes: tuple[Note, ...]
    replay: Replay | None
    written: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Imported:
    fmt: str
    files: tuple[Path, ...]
    rotations: tuple[ImportedRotation, ...]
    dry_run: bool
    people: int  # distinct people over every schedule, matched by email
    skipped: tuple[Note, ...] = ()  # schedules that put nobody on call: no rotation


def import_schedules(
    store: ScheduleStore,
    now: Clock,
    fmt: str,
    files: list[Path],
    *,
    out: Path,
    dry_run: bool = False,
    check: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> Imported:
    people = People(fmt)
    sources = reader(fmt)(files, people)
    if not sources:
        raise InputError(f"found no schedule in {', '.join(map(str, files))}")
    mapped: list[ImportedRotation] = []
    taken: set[str] = set()
    skipped = tuple(_skipped(s) for s in sources if not s.people)
    sources = [s for s in sources if s.people]
    if not sources:
        raise InputError(
            skipped[0].problem if skipped else "found no schedule", path=skipped[0].where
            if skipped else None, hint="export a schedule whose rotations name users",
        )
    for source in sources:
        if people.notes:
            source = replace(source, notes=(*source.notes, *_mine(people.notes, source)))
        mapped.append(
            _map(source, now, out, taken, fmt=fmt, check=check, since=since, until=until)
        )
    if not dry_run:
        clashes = [path for each in mapped for path in store.occupied(each.path)]
        if clashes:
            raise InputError(
                f"{', '.join(map(str, clashes))} already exist(s); an import never "
                "overwrites a rotation, and nothing was written",
                hint="import into another folder with --out DIR, or move those files away",
            )
        mapped = [
            replace(each, written=tuple(store.create(each.path, each.text, each.schedules)))
            for each in mapped
        ]
    return Imported(fmt, tuple(files), tuple(mapped), dry_run, len(people.by_key), skipped)


def _skipped(source: Source) -> Note:
    """Why a schedule that puts nobody on call gets no rotation: the reader's own note on
    the schedule itself (an iCal schedule, say), else that no rotation names users."""
    own = [n for n in source.notes if n.where == source.where]
    if own:
        return own[0]
    return Note(source.where, f"the schedule {source.name!r} puts nobody on call (no users "
                "in any rotation)", "no rotation written for it")


def _mine(notes: list[Note], source: Source) -> list[Note]:
    keys = {p.key for p in source.people}
    wanted = {p.where for p in source.people if p.key in keys}
    return [n for n in notes if n.where in wanted and n not in source.notes]


def _map(
    source: Source, now: Clock, out: Path, taken: set[str], *,
    fmt: str, check: bool, since: str | None, until: str | None,
) -> ImportedRotation:
    tz = source.tz
    first, last, begin, end = _period(source, now, since, until)
    layout = layout_of(source, first, last)
    rotation_id = layout.rotation
    number = 2
    while rotation_id in taken:
        rotation_id, number = f"{layout.rotation}-{number}", number + 1
    taken.add(rotation_id)
    layout = replace(layout, rotation=rotation_id)
    path = out / f"{rotation_id}.yaml"
    if source.history:  # up to the end of the last shift block, over days without duty
        while (last + timedelta(days=1)).weekday() not in layout.days and (
            layout.unit != "w" or (last + timedelta(days=1)).weekday() != layout.handoff
        ) and until is None:
            last += timedelta(days=1)
    spans = _terms(first, last, layout.handoff if layout.unit == "w" else None)
    layout = replace(layout, first=spans[-1][0], last=spans[-1][1])
    whole = _load(path, rotation_text(layout, fmt, source.where), first, last)
    holders = day_holders(source, whole, _days(whole, first, last), layout.people)
    closures = nobody_days(holders)
    notes = list(layout.notes)
    if closures:
        layout = replace(layout, closures=closures)
        notes.append(Note(
            source.where, f"nobody on call on {sum(len(c) for c in closures)} duty day(s), "
            f"from {closures[0].first} on",
            "those days are closures (holidays.closures): nobody is planned on them",
        ))
    text = rotation_text(layout, fmt, source.where)
    members = handles_for(source.people)
    planned_at = now.now(tz).replace(microsecond=0)
    terms: list[tuple[Rotation, DutyCalendar, Schedule]] = []
    for start, stop in spans:
        rotation = _load(path, text, start, stop)
        term = Term(start, stop)
        calendar = calendar_from(rotation, start, stop, days_off(rotation, start, stop), term)
        shifts, overrides = shifts_for(calendar, holders, members, source.where)
        ledger = carried_after(*terms[-1]) if terms else None
        schedule = Schedule(
            rotation=rotation.id, planned_at=planned_at, term=term,
            shifts=shifts, overrides=overrides, days_off=dict(calendar.days_off),
            calendar_basis=calendar_basis(rotation, start, stop), ledger=ledger,
        )
        terms.append((rotation, calendar, schedule))
    checked = None
    if check:
        begin = max(begin, terms[0][0].window.bounds(first, tz)[0].astimezone(UTC))
        keys = {m.handle: key for key, m in members.items()}
        checked = replay(source, rotation_id, _term_of(terms), keys, begin, end)
    return ImportedRotation(
        source, layout, path, text, tuple(t[2] for t in terms), tuple(notes), checked
    )


def _period(
    source: Source, now: Clock, since: str | None, until: str | None
) -> tuple[date, date, datetime, datetime]:
    """The imported days (local) and the instants the replay covers."""
    tz = source.tz
    today = now.today(tz)
    span = source.span()
    if span is not None:
        begin, end = span
        first = begin.astimezone(tz).date()
        last = (end - timedelta(seconds=1)).astimezone(tz).date()
    else:
        first = today
        last = first + timedelta(weeks=DEFAULT_WEEKS, days=-1)
    if since is not None:
        first = parse_day(since, "--since", today)
    if until is not None:
        last = parse_day(until, "--until", today)
    if last < first:
        raise InputError(f"the imported period {first}..{last} ends before it starts",
                         hint="check --since and --until")
    if (last - first).days + 1 > MAX_TERM_DAYS:
        raise InputError(
            f"the imported period {first}..{last} is longer than {MAX_TERM_DAYS} days",
            hint="import less history with --since",
        )
    midnight = datetime.combine(first, time(), tz)
    after = datetime.combine(last + timedelta(days=1), time(), tz)
    if span is not None:
        begin, end = max(span[0], midnight), min(span[1], after)
    else:
        begin, end = midnight, after
    return first, last, begin.astimezone(UTC), end.astimezone(UTC)


def _terms(first: date, last: date, handoff: int | None) -> list[tuple[date, date]]:
    """Terms of three months counted back from the last day, so the current term is a
    whole one (and `plan --next-term` plans as long a term); each starts on the handoff
    weekday of weekly shifts; the first term takes what is left."""
    out: list[tuple[date, date]] = []
    stop = last
    while stop >= first:
        start = stop - relativedelta(months=TERM_MONTHS) + timedelta(days=1)
        if handoff is not None:
            start += timedelta(days=(handoff - start.weekday()) % 7)
        if (start - first).days < 28:  # a first term of a few days joins the next
            start = first
        out.append((start, stop))
        stop = start - timedelta(days=1)
    return out[::-1]


def _load(path: Path, text: str, first: date, last: date) -> Rotation:
    return load_rotation(path, text=text, term_start=first, term_end=last)


def _days(rotation: Rotation, first: date, last: date) -> list[date]:
    calendar = calendar_from(
        rotation, first, last, days_off(rotation, first, last), Term(first, last)
    )
    return list(calendar.duty_days)


def _term_of(
    terms: list[tuple[Rotation, DutyCalendar, Schedule]],
) -> Callable[[date], DutyTerm]:
    def lookup(day: date) -> DutyTerm:
        for rotation, calendar, schedule in terms:
            if day in calendar.term:
                return rotation, calendar, schedule
        return terms[0]

    return lookup
