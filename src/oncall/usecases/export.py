"""`oncall export`: which calendars or sheets to write, for whom, from which schedules.

Gathers each rotation's feed (rules, schedule, duty days over the planned term), checks the
person asked for, and lays out the files: one to standard output or a file, or one per
rotation (or per member) in a folder. ``oncall.render.ics`` and ``oncall.render.spreadsheet``
turn each into text, which ``export_files`` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oncall.core.dates import parse_day
from oncall.core.duty import OnDuty, member_on, named_duty
from oncall.core.duty import person as person_of
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError
from oncall.core.model import Rotation, member_hint
from oncall.core.published import effective, parse_stem
from oncall.core.schedule import Schedule
from oncall.core.store import ScheduleStore, StoredTerm


@dataclass(frozen=True)
class Feed:
    """One rotation's part of a calendar: its rules, its schedule and its duty days."""

    rotation: Rotation
    schedule: Schedule
    calendar: DutyCalendar


@dataclass(frozen=True)
class ExportFile:
    """One file to write: ``feeds`` for ``person`` (None: everyone) at ``target`` (None:
    the one output the command was given)."""

    feeds: tuple[Feed, ...]
    person: str | None
    target: Path | None = None


def feeds(store: ScheduleStore, term: str | None = None) -> list[Feed]:
    """Each term of each rotation (kept ones first; only the one starting on ``term``
    when given) with its schedule and duty days."""
    found = []
    for current in store.planned():
        terms = current.terms()
        if term is not None:
            terms = _term_starting(current, terms, term)
        for opened in terms:
            assert opened.schedule is not None  # store.planned(), or a kept term
            span = opened.schedule.term
            found.append(
                Feed(opened.rotation, opened.schedule, opened.calendar(span.start, span.end))
            )
    return found


def _term_starting(
    current: StoredTerm, terms: Sequence[StoredTerm], start: str
) -> list[StoredTerm]:
    day = parse_day(start, "--term", current.term.start)
    chosen = [o for o in terms if o.term.start == day]
    if not chosen:
        starts = ", ".join(o.term.start.isoformat() for o in terms)
        raise InputError(
            f"--term: no term of {current.rotation.id} starts on {day}",
            hint=f"its terms start on {starts}",
        )
    return chosen


def check_person(found: Sequence[Feed], person: str) -> None:
    """An unknown handle is a typo, not an empty calendar: say so, with a suggestion. A
    member deleted from the roster whom a schedule still names (``people:``) is known:
    their calendar keeps what they served and the days withdrawn from them."""
    known = sorted(
        {m.handle for feed in found for m in feed.rotation.members}
        | {h for feed in found for h in departed(feed)}
    )
    if person in known:
        return
    names = ", ".join(feed.rotation.id for feed in found)
    raise InputError(
        f"--person: found {person!r}, expected a member of {names}",
        hint=member_hint(person, known),
    )


def departed(feed: Feed) -> list[str]:
    """The people ``feed``'s schedule names (``people:``) who are no longer in the roster:
    deleted after serving, or after `oncall plan` took their days away."""
    return sorted(h for h in feed.schedule.names or {} if feed.rotation.member(h) is None)


def personal_feeds(terms: Sequence[Feed], fmt: str = "ics") -> list[str]:
    """Whose personal file a rotation (its ``terms``, oldest first) gets: every member of
    the current roster, then each member deleted since whose file still has something in
    it (a day served, a day withdrawn from them), so a subscribed calendar goes on
    receiving the cancellations instead of a 404."""
    members = [m.handle for m in terms[-1].rotation.members]
    gone = sorted({h for feed in terms for h in departed(feed)} - set(members))
    if gone:
        busy = set().union(*(_busy(feed, fmt) for feed in terms))
        gone = [h for h in gone if h in busy]
    return members + gone


def personal_files(terms: Sequence[Feed], fmt: str = "ics") -> list[str]:
    """Whose personal file is written for a rotation (its ``terms``, oldest first), by
    `export --per-person` and `publish` alike: each of ``personal_feeds`` with something
    in it (a duty day, a day withdrawn from them, so a deleted member's cancellations still
    reach them). A member never on duty gets none: an empty calendar imported by mistake
    looks like "no duty" forever."""
    busy = set().union(*(_busy(feed, fmt) for feed in terms))
    return [handle for handle in personal_feeds(terms, fmt) if handle in busy]


@dataclass(frozen=True)
class Idle:
    """A member of ``rotation`` with nothing in their calendar: no file is written."""

    rotation: str
    handle: str


def export_plan(
    store: ScheduleStore,
    *,
    fmt: str,
    person: str | None,
    folder: Path | None,
    per_person: bool,
    excel: bool,
    term: str | None = None,
    raw: bool = False,
) -> tuple[list[ExportFile], list[Idle]]:
    """The files to write (into ``folder`` one per rotation, per member with
    ``per_person``, else a single one: a CSV sheet holds one rotation), and the members
    ``per_person`` writes no file for because their
    calendar would hold no event (never on duty, nothing withdrawn): an empty file
    imported by mistake looks like "no duty" forever."""
    if per_person and folder is None:
        raise InputError(
            "--per-person writes one file per member, so it needs -o DIR (an existing directory)",
            hint="create the directory first, e.g. mkdir feeds && oncall export ... -o feeds",
        )
    if excel and fmt != "csv":
        raise InputError("--excel applies to --format csv only")
    if raw and fmt != "csv":
        raise InputError("--raw applies to --format csv only")
    found = feeds(store, term)
    if person is not None:
        check_person(found, person)
    by_rotation: dict[str, list[Feed]] = {}
    for feed in found:
        by_rotation.setdefault(feed.rotation.id, []).append(feed)
    if folder is None:
        if fmt == "csv" and len(by_rotation) > 1:
            raise InputError(
                f"a CSV sheet holds one rotation, but {len(by_rotation)} were given",
                hint="name one rotation, or pass -o DIR to write one file per rotation",
            )
        return [ExportFile(tuple(found), person)], []
    files: list[ExportFile] = []
    idle: list[Idle] = []
    for terms in by_rotation.values():
        latest = terms[-1]
        busy = set().union(*(_busy(feed, fmt) for feed in terms)) if per_person else None
        for handle in _handles(terms, person, per_person, fmt):
            if busy is not None and handle not in busy:
                idle.append(Idle(latest.rotation.id, str(handle)))
                continue
            files.append(
                ExportFile(tuple(terms), handle, folder / f"{_stem(latest, handle)}.{fmt}")
            )
    return files, idle


def _busy(feed: Feed, fmt: str) -> set[str]:
    """Who has something in their own file: a duty day (a sheet's rows), or any event of
    their calendar, a withdrawn one included (it must still reach them)."""
    if fmt == "csv":
        return {
            h
            for day in feed.calendar.duty_days
            for h in named_duty(feed.rotation, feed.schedule, day).people
        }
    record = effective(feed.rotation, feed.schedule, feed.calendar)
    return {handle for handle in (parse_stem(key)[1] for key in record) if handle is not None}


def _handles(
    terms: Sequence[Feed], person: str | None, per_person: bool, fmt: str
) -> list[str | None]:
    """Whose file each rotation gets in a folder: everyone's, or each person's (members,
    and those deleted since who still have something in their file)."""
    known = personal_feeds(terms, fmt)
    if not per_person:
        handles: list[str | None] = [person]
    else:
        handles = [h for h in known if person in (None, h)]
    return [h for h in handles if h is None or h in known]


def _stem(feed: Feed, handle: str | None) -> str:
    return feed.rotation.id + (f"-{handle}" if handle else "")


@dataclass(frozen=True)
class Exported:
    """What `oncall export` did: the files it wrote (into the folder, or the one ``-o``
    file), the texts for standard output (no ``-o``, or ``-o -``), and the members it
    wrote no file for (``Idle``). ``folder``: the directory ``-o`` named, if any."""

    written: tuple[Path, ...]
    printed: tuple[str, ...]
    idle: tuple[Idle, ...]
    folder: Path | None
    # People a schedule names on a day they are not members (left, not joined yet), whom
    # the files leave out as `who` does: the first such day of each, for a warning.
    dropped: tuple[OnDuty, ...] = ()


def export_files(
    store: ScheduleStore,
    *,
    output: str | None,
    fmt: str,
    person: str | None,
    per_person: bool,
    excel: bool,
    term: str | None,
    raw: bool,
    render: Callable[[ExportFile], str],
) -> Exported:
    """Lay out the files (``export_plan``), turn each into text with ``render`` and write
    it: ``output`` is a file, an existing directory (one file per rotation or member),
    or ``-``/None for standard output, whose texts come back in ``printed``. Every file
    is rendered before the first is written, so a failure writes nothing."""
    from oncall.io.files import write_output

    folder = _folder(output)
    files, idle = export_plan(
        store, fmt=fmt, person=person, folder=folder,
        per_person=per_person, excel=excel, term=term, raw=raw,
    )
    named = None if output in (None, "-") else Path(output)  # else standard output
    texts = [(file.target or named, render(file)) for file in files]
    written: list[Path] = []
    printed: list[str] = []
    for target, text in texts:
        if target is None:
            printed.append(text)
        else:
            write_output(target, text)
            written.append(target)
    exported = {id(feed): feed for file in files for feed in file.feeds}  # terms: once
    dropped = left_out(list(exported.values()), person)
    return Exported(tuple(written), tuple(printed), tuple(idle), folder, tuple(dropped))


def left_out(found: Sequence[Feed], person: str | None = None) -> list[OnDuty]:
    """Each person (``person`` only, when given) the schedules name on a duty day they are
    not a member then (``core.duty.member_on``), on the first such day of each rotation:
    the sheet and the calendars leave them out, as `who` and `remind` do, and say so."""
    out: list[OnDuty] = []
    seen: set[tuple[str, str]] = set()
    for feed in found:
        rotation = feed.rotation
        for day in feed.calendar.duty_days:
            gone = [
                handle
                for handle in feed.schedule.duty_on(day).people
                if person in (None, handle)
                and (rotation.id, handle) not in seen
                and not member_on(rotation, handle, day)
            ]
            if gone:
                seen.update((rotation.id, handle) for handle in gone)
                people = tuple(person_of(rotation, handle) for handle in gone)
                out.append(OnDuty(rotation, day, False, None, (), (), dropped=people,
                                  term=feed.calendar.term))
    return out



def _folder(output: str | None) -> Path | None:
    """The existing directory ``-o`` names, or None; ``-o new/`` names a missing one."""
    folder = Path(output) if output not in (None, "-") and Path(output).is_dir() else None
    if output is not None and output.endswith(("/", "\\")) and folder is None:
        raise InputError(
            f"-o: found {output!r}, expected an existing directory",
            hint=f"create it first: mkdir -p {output}",
        )
    return folder
