"""The schedule store on today's files: ``rotations/x.yaml`` and the terms beside it.

Layout (unchanged since terms in sequence; see docs/terms.md): the rotation file, the
current term in ``x.schedule.yaml``, finished terms in ``x.terms/START.schedule.yaml``.
One ``FileStore`` serves one command: it reads each file once (a re-plan of two rotations
asks for the same schedules from several places), forgets what it wrote, and holds the
locks. Nothing here imports the holiday tables: a command that may need them passes
``holiday_tables`` (``oncall.core.calendar.days_off``); the cron path passes none, so every
calendar comes from the days off `oncall plan` stored in the schedule file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import pairwise
from pathlib import Path

from oncall.core.duty_calendar import DutyCalendar, calendar_from
from oncall.core.errors import InputError, Mark
from oncall.core.model import Rotation, Term
from oncall.core.schedule import Schedule
from oncall.core.store import BEGIN, CARRY, HolidayTables, HolidayTablesNeeded, StoredTerm
from oncall.io import loading
from oncall.io.schema import Section

ROTATIONS_DIR = "rotations"


class FileStore:
    """The rotations a command names (or every ``rotations/*.yaml``), on disk.

    ``schedule`` is ``--schedule`` (one rotation only); ``record`` False skips the
    schedules' calendar record (``published``), which only the commands that write or
    export calendars read: `who` and `remind` start faster without it."""

    def __init__(
        self,
        named: Sequence[Path] | None = None,
        *,
        schedule: Path | None = None,
        holiday_tables: HolidayTables | None = None,
        record: bool = True,
    ) -> None:
        self.named = list(named) if named else None
        self.schedule = schedule
        self.holiday_tables = holiday_tables
        self.record = record
        # What was read, by file, with the file's signature then: a file replaced since
        # (an atomic write is a new inode) is read again, one unchanged never is.
        self._texts: dict[Path, tuple[Signature, str]] = {}
        self._rotations: dict[Path, tuple[Signature, Section]] = {}
        self._schedules: dict[Path, tuple[Signature, Section | None]] = {}

    # ---- which rotations ----------------------------------------------------------

    def rotation_sources(self) -> list[Path]:
        """The rotation files named, or every ``rotations/*.yaml`` that is not a schedule;
        with ``--schedule``, exactly one."""
        found = list(self.named) if self.named else _default_paths()
        if self.schedule is not None and len(found) != 1:
            raise InputError(
                f"--schedule names one schedule, but {len(found)} rotations were given",
                hint="pass exactly one rotation file with --schedule",
            )
        unique_ids(found, self._text)
        return found

    def neighbours(self, source: Path) -> list[Path]:
        """The other rotation files in ``source``'s folder."""
        mine = source.resolve()
        return [other for other in rotation_files(source.parent) if other.resolve() != mine]

    def schedule_path(self, source: Path) -> Path:
        """Where ``source``'s current term is stored."""
        return self.schedule or loading.schedule_path_for(source)

    # ---- reading ------------------------------------------------------------------

    def _text(self, path: Path) -> str:
        """The file's text, read once while it is unchanged."""
        key, signature = _key(path), _signature(path)
        cached = self._texts.get(key)
        if cached is None or cached[0] != signature:
            from oncall.io.files import read_text

            cached = (signature, read_text(path))
            self._texts[key] = cached
        return cached[1]

    def _rotation_section(self, source: Path) -> Section:
        key, signature = _key(source), _signature(source)
        cached = self._rotations.get(key)
        if cached is None or cached[0] != signature:
            cached = (signature, loading.read_rotation(source, self._text(source)))
            self._rotations[key] = cached
        return cached[1]

    def _schedule_section(self, path: Path) -> Section | None:
        key, signature = _key(path), _signature(path)
        cached = self._schedules.get(key)
        if cached is None or cached[0] != signature:
            top = None
            if signature is not None:
                top = loading.read_schedule(path, record=self.record, text=self._text(path))
            cached = (signature, top)
            self._schedules[key] = cached
        return cached[1]

    def rotation(self, source: Path, term: Term) -> Rotation:
        return loading.load_rotation(
            source, term_start=term.start, term_end=term.end,
            top=self._rotation_section(source),
        )

    def open(
        self,
        source: Path,
        *,
        term_start: date | None = None,
        term_end: date | None = None,
        require_schedule: bool = False,
        unplanned: bool = False,
    ) -> StoredTerm:
        """The rotation with its current schedule; ``term_start``/``term_end`` (from the
        command line) win over the file's term, and the stored schedule's term wins over
        the file's when they start on different days (a later term). A ``--schedule``
        that does not exist yet is an error unless ``unplanned`` (`plan` writes it)."""
        if source.name.endswith((".schedule.yaml", ".schedule.yml")):
            rotation_file = source.with_name(source.name.replace(".schedule.", ".", 1))
            raise InputError(
                f"{source} is a schedule; commands take the rotation file it belongs to",
                hint=f"pass {rotation_file} (its schedule is found beside it), "
                f"or --schedule {source} with the rotation file",
            )
        schedule_path = self.schedule_path(source)
        top = self._schedule_section(schedule_path)
        rotation, term = loading.load_rotation_and_term(
            source,
            term_start=term_start,
            term_end=term_end,
            planned_term=lambda: loading.term_of(top) if top is not None else None,
            top=self._rotation_section(source),
        )
        loaded = None
        if top is not None:
            loaded = loading.load_schedule(schedule_path, rotation, top=top)
        elif require_schedule or (self.schedule is not None and not unplanned):
            raise InputError(
                f"{schedule_path}: no schedule file",
                hint=f"run `oncall plan {source}` first",
            )
        return StoredTerm(self, source, rotation, term, schedule_path, loaded)

    def planned(self) -> list[StoredTerm]:
        """Every rotation the command works on, each with its (required) schedule.

        Without holiday tables (the cron path) each term's calendar must come from the
        stored days off; ``HolidayTablesNeeded`` says otherwise before any rotation is
        used, so a caller that starts over with the tables has said nothing yet."""
        opened = [self.open(path, require_schedule=True) for path in self.rotation_sources()]
        if self.holiday_tables is None:
            for each in opened:
                if each.stored_calendar() is None:
                    raise HolidayTablesNeeded(str(each.path))
        return opened

    def _kept(self, source: Path, kept: Path) -> StoredTerm:
        """A kept term: the rotation file read with that term, and the term's own schedule."""
        top = self._schedule_section(kept)
        assert top is not None  # listed by kept_terms, so it exists
        term = loading.term_of(top)
        if kept.name != f"{term.start.isoformat()}.schedule.yaml":
            raise InputError(
                f"{kept}: holds the term {term}, but kept terms are named by their first day",
                hint=f"rename it to {term.start.isoformat()}.schedule.yaml",
            )
        rotation = self.rotation(source, term)
        schedule = loading.load_schedule(kept, rotation, top=top)
        return StoredTerm(self, source, rotation, term, kept, schedule)

    def _unfinished_copy(self, current: StoredTerm, kept: Path) -> bool:
        """A kept file that is the current file byte for byte: the first of the two
        writes of beginning a term, with the second never made (a kill between them)."""
        if current.schedule is None or kept != self.kept_place(current):
            return False
        try:
            return kept.read_bytes() == current.schedule_path.read_bytes()
        except OSError:
            return False

    def term_on(self, current: StoredTerm, day: date) -> StoredTerm:
        if current.schedule is None or day >= current.schedule.term.start:
            return current
        from oncall.io.terms import kept_term_for

        kept = kept_term_for(current.schedule_path, day)
        if kept is None or self._unfinished_copy(current, kept):
            return current
        found = self._kept(current.path, kept)
        return found if day in found.term else current

    def terms(self, current: StoredTerm) -> list[StoredTerm]:
        """Every term, oldest first; terms that overlap are an error naming both files."""
        from oncall.io.terms import kept_terms

        found = [
            self._kept(current.path, kept)
            for _, kept in kept_terms(current.schedule_path)
            if not self._unfinished_copy(current, kept)
        ]
        if current.schedule is not None:
            found.append(current)
        for before, after in pairwise(found):
            assert before.schedule is not None and after.schedule is not None
            if before.schedule.term.end >= after.schedule.term.start:
                raise InputError(
                    f"{after.schedule_path}: term {after.schedule.term} overlaps the kept "
                    f"term {before.schedule.term} in {before.schedule_path}",
                    hint="each day belongs to one term; fix or remove one of the two files",
                )
        return found

    # ---- calendars ----------------------------------------------------------------

    def calendar(self, term: StoredTerm, first: date, last: date) -> DutyCalendar:
        return self._from_tables(term.rotation, term.term, term.path, first, last)

    def fresh_calendar(self, rotation: Rotation, term: Term, source: Path) -> DutyCalendar:
        return self._from_tables(rotation, term, source, term.start, term.end)

    def _from_tables(
        self, rotation: Rotation, term: Term, source: Path, first: date, last: date
    ) -> DutyCalendar:
        """The calendar of ``first..last`` from the holiday tables, an unknown holiday
        setting reported at its place in ``source``."""
        if self.holiday_tables is None:
            raise HolidayTablesNeeded(str(source))
        tables = self.holiday_tables
        return located(
            source,
            lambda: calendar_from(rotation, first, last, tables(rotation, first, last), term),
        )

    # ---- writing ------------------------------------------------------------------

    @contextmanager
    def locked(self, sources: Sequence[Path]) -> Iterator[None]:
        """The rotation files' and current schedules' locks, always taken in one order;
        a file changed before the lock was taken is read again (each read checks the
        file's signature), so a change recorded meanwhile is seen."""
        from oncall.io.lock import schedule_locks

        with schedule_locks([*sources, *(self.schedule_path(source) for source in sources)]):
            yield

    def save(self, term: StoredTerm, schedule: Schedule) -> Path:
        from oncall.io.files import write_atomic
        from oncall.io.schedule_text import dump_schedule

        teams = {m.handle: m.team for m in term.rotation.members}
        named = schedule.with_names(term.rotation.names, teams)
        write_atomic(term.schedule_path, dump_schedule(named))
        return term.schedule_path

    def kept_place(self, current: StoredTerm) -> Path:
        from oncall.io.terms import kept_path

        assert current.schedule is not None
        return kept_path(current.schedule_path, current.schedule.term.start)

    def kept_place_taken(self, current: StoredTerm) -> bool:
        """Whether a kept term already holds ``current``'s place (an unfinished copy of
        it does not: beginning the term again replaces it)."""
        place = self.kept_place(current)
        return place.exists() and not self._unfinished_copy(current, place)

    def begin_term(self, current: StoredTerm, following: StoredTerm) -> tuple[Path, Path]:
        """Copy the current file, byte for byte, into the kept terms, then write the new
        term over it: a kept term is never rewritten. A note says the two writes are under
        way until both are done (see ``oncall.io.terms``)."""
        from oncall.io.terms import clear_pending, keep_term, write_pending

        assert current.schedule is not None and following.schedule is not None
        target = self.kept_place(current)
        write_pending(current.schedule_path, BEGIN, current.schedule.term.start)
        keep_term(current.schedule_path, target)
        written = self.save(following, following.schedule)
        clear_pending(current.schedule_path)
        return target, written

    @contextmanager
    def carrying(self, current: StoredTerm, changed: StoredTerm) -> Iterator[None]:
        """Around a change of the kept term ``changed`` and the carrying of it into the
        later terms' ledgers: a kill inside leaves a note that ``pending`` reports."""
        from oncall.io.terms import clear_pending, write_pending

        write_pending(current.schedule_path, CARRY, changed.term.start)
        yield
        clear_pending(current.schedule_path)

    def pending(self, source: Path) -> tuple[str, date] | None:
        """The two-write change a kill interrupted, if any: (kind, term start)."""
        from oncall.io.terms import read_pending

        return read_pending(self.schedule_path(source))

    def settle(self, current: StoredTerm) -> list[Path]:
        """Forget an interrupted change once the caller has finished it; an unfinished
        copy of the current term left by beginning a term is removed (the new term was
        never written, so the current term is still the current one). Returns what was
        removed."""
        from oncall.io.terms import clear_pending

        removed = []
        place = self.kept_place(current) if current.schedule is not None else None
        if place is not None and self._unfinished_copy(current, place):
            place.unlink()
            removed.append(place)
        clear_pending(current.schedule_path)
        return removed

    def rotation_text(self, source: Path) -> str:
        """The rotation file as written (a byte order mark and CRLF lines kept), for an
        edit that keeps its comments and layout."""
        from oncall.io.files import read_text

        return read_text(source, keep_bom=True)

    def rotation_with_text(self, source: Path, text: str, term: Term) -> Rotation:
        """``text`` read as ``source`` would be, checked against ``term``: an edit is checked
        before it is saved."""
        return loading.load_rotation(
            source, term_start=term.start, term_end=term.end, text=text.removeprefix("\ufeff")
        )

    def save_rotation(self, source: Path, text: str) -> Path:
        from oncall.io.files import write_atomic

        write_atomic(source, text)
        return source

    def locate(self, where: Path, dotted: str) -> Mark:
        return loading.locate(where, dotted)

    def occupied(self, source: Path) -> list[Path]:
        from oncall.io.terms import kept_folder

        schedule = loading.schedule_path_for(source)
        return [path for path in (source, schedule, kept_folder(schedule)) if path.exists()]

    def create(self, source: Path, text: str, terms: Sequence[Schedule]) -> list[Path]:
        """Kept terms first, then the current term, the rotation file last: a rotation file
        is never there without its terms."""
        from oncall.io.files import write_atomic
        from oncall.io.schedule_text import dump_schedule
        from oncall.io.terms import kept_path

        schedule_path = loading.schedule_path_for(source)
        written: list[Path] = []
        source.parent.mkdir(parents=True, exist_ok=True)
        for schedule in terms[:-1]:
            target = kept_path(schedule_path, schedule.term.start)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, dump_schedule(schedule))
            written.append(target)
        write_atomic(schedule_path, dump_schedule(terms[-1]))
        write_atomic(source, text)
        return [*written, schedule_path, source]


def rotation_files(folder: Path) -> list[Path]:
    """The rotation files of a folder: its ``*.yaml`` that are not schedules."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".schedule.yaml"))


def unique_ids(paths: Sequence[Path], text: Callable[[Path], str] | None = None) -> None:
    """Refuse two rotation files with one ``rotation:`` id, among ``paths`` and the other
    rotation files of their folders: schedules, calendar UIDs and the checks across
    rotations (``plan``, ``validate``) tell rotations apart by id alone."""
    seen: dict[str, tuple[Path, Mark]] = {}
    files = {p.resolve(): p for folder in {p.parent for p in paths} for p in rotation_files(folder)}
    # A schedule named as a rotation is explained when it is opened (see FileStore.open).
    named = [p for p in paths if not p.name.endswith((".schedule.yaml", ".schedule.yml"))]
    files.update({p.resolve(): p for p in named})
    for path in sorted(files.values()):
        found = loading.rotation_id(path, text)
        if found is None:
            continue
        rotation, mark = found
        first = seen.get(rotation)
        if first is None:
            seen[rotation] = (path, mark)
            continue
        raise InputError(
            f"{mark}: found rotation id {rotation!r} again (first in {first[1]}), expected "
            f"each rotation file in {path.parent}/ to have its own id; nothing was written",
            hint=f"give one of them another id, e.g. `rotation: {path.stem}` (its file "
            "name); ids name the schedules, the calendar events and the checks across "
            "rotations",
        )


Signature = tuple[int, int, int] | None


def _key(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _signature(path: Path) -> Signature:
    """Which version of the file is there (None: no file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _default_paths() -> list[Path]:
    folder = Path(ROTATIONS_DIR)
    found = rotation_files(folder)
    if not found:
        raise InputError(
            f"no rotation files given and none found in {folder}/ (looked for "
            f"{folder}/*.yaml in {os.getcwd()})",
            hint="pass a rotation file, or run `oncall init` to write a starter rotation",
        )
    return found


def located(path: Path, build: Callable[[], DutyCalendar]) -> DutyCalendar:
    """``build()``, with a holiday setting the tables do not know reported at its place in
    the rotation file ``path`` (the tables are consulted only when a calendar is built)."""
    try:
        return build()
    except InputError as error:
        if error.mark is not None or not error.path:
            raise
        error.mark = loading.locate(path, error.path)
        raise
