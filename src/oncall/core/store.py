"""The port in front of everything a rotation keeps over time, and the term it hands out.

A rotation lives for years: one rotation file (the roster and the rules), the current
term's schedule, the finished terms kept beside it (each with the ledger carried into it
and what its calendars were told). Use cases never read or write those themselves: they
ask a ``ScheduleStore``, which owns finding the rotations, reading each once, choosing the
term that holds a day, the lock, atomic saves (one term, or a term kept and the next one
begun), and where an error points in what it stores.

``oncall.io.store.FileStore`` is the store on today's files. A second one (a database, a
web page that writes) implements the same methods; nothing above it changes. Every value
it returns is a ``StoredTerm``: a rotation bound to one term, with that term's schedule.
The rotation itself is the roster and the rules; which term is the one to work on is
``oncall.core.term.choose_term``'s pure choice, which the store makes once per term.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from oncall.core.duty_calendar import DutyCalendar, calendar_basis, calendar_from
from oncall.core.errors import InputError, Mark
from oncall.core.model import Rotation, Term, member_hint
from oncall.core.schedule import Schedule

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

# The changes that take two writes on files (see ``ScheduleStore.pending``).
BEGIN = "begin-term"  # the current term is being kept and the next one written
CARRY = "carry"  # a kept term changed; the later terms' ledgers are being carried

# Looks up a rotation's days off between two dates in the holiday tables.
HolidayTables = Callable[[Rotation, date, date], Mapping[date, str]]


class HolidayTablesNeeded(Exception):
    """A calendar needs the holiday tables, but the store was opened without them: the
    schedule does not store the days off (an older `plan` wrote it, or the holiday
    settings changed since). Not a user error: the cron path answers it by handing the
    call to the full CLI."""


class StoredTerm:
    """A rotation bound to one of its terms (``term``, as ``oncall.core.term.choose_term``
    chose it or the store keeps it), with that term's schedule (None when the term is not
    planned yet), as a ``ScheduleStore`` hands it out.

    ``path`` is the rotation's source and ``schedule_path`` where this term is stored;
    messages name them. ``on(day)`` and ``terms()`` ask the store for the rotation's
    other terms. A plain class, as is all the cron path creates."""

    __slots__ = ("_stored", "path", "rotation", "schedule", "schedule_path", "store", "term")

    def __init__(
        self,
        store: ScheduleStore,
        path: Path,
        rotation: Rotation,
        term: Term,
        schedule_path: Path,
        schedule: Schedule | None,
    ) -> None:
        self.store = store
        self.path = path
        self.rotation = rotation
        self.term = term
        self.schedule_path = schedule_path
        self.schedule = schedule
        self._stored: dict[tuple[date, date], DutyCalendar | None] = {}

    def stored_calendar(
        self, first: date | None = None, last: date | None = None
    ) -> DutyCalendar | None:
        """The duty calendar from the days off stored in the schedule, when they still match
        the rotation's holiday settings; else None. Built once per range."""
        first = first or self.term.start
        last = last or self.term.end
        if (first, last) not in self._stored:
            stored = self.schedule
            found = None
            if (
                stored is not None
                and stored.days_off is not None
                and stored.calendar_basis == calendar_basis(self.rotation, first, last)
            ):
                found = calendar_from(self.rotation, first, last, stored.days_off, self.term)
            self._stored[first, last] = found
        return self._stored[first, last]

    def calendar(self, first: date | None = None, last: date | None = None) -> DutyCalendar:
        """The duty calendar: stored (the cron path), else from the store's holiday tables."""
        first = first or self.term.start
        last = last or self.term.end
        stored = self.stored_calendar(first, last)
        if stored is None:
            stored = self.store.calendar(self, first, last)
            self._stored[first, last] = stored  # built from the tables once
        return stored

    def with_schedule(self, schedule: Schedule) -> StoredTerm:
        return StoredTerm(
            self.store, self.path, self.rotation, self.term, self.schedule_path, schedule
        )

    def on(self, day: date) -> StoredTerm:
        """The term that holds ``day``: this one, or an earlier term kept beside it; this
        one when none holds it."""
        return self.store.term_on(self, day)

    def terms(self) -> list[StoredTerm]:
        """Every term of the rotation, oldest first: the kept ones, then this one."""
        return self.store.terms(self)


class ScheduleStore(Protocol):
    """Everything persistent about the rotations a command works on."""

    def rotation_sources(self) -> list[Path]:
        """The rotations the command names (or, with none named, all the store holds)."""
        ...

    def neighbours(self, source: Path) -> list[Path]:
        """The other rotations kept beside ``source``: they may share its people."""
        ...

    def open(
        self,
        source: Path,
        *,
        term_start: date | None = None,
        term_end: date | None = None,
        require_schedule: bool = False,
        unplanned: bool = False,
    ) -> StoredTerm:
        """The rotation with its current term (or the one the dates give) and schedule."""
        ...

    def planned(self) -> list[StoredTerm]:
        """Every named rotation with its current schedule, which must exist."""
        ...

    def rotation(self, source: Path, term: Term) -> Rotation:
        """The rotation, read for ``term`` (a term to plan, a kept one): its roster and
        rules, checked against that term."""
        ...

    def terms(self, current: StoredTerm) -> list[StoredTerm]:
        """Every term of ``current``'s rotation, oldest first, ending with ``current``."""
        ...

    def term_on(self, current: StoredTerm, day: date) -> StoredTerm:
        """The term of ``current``'s rotation that holds ``day`` (``current`` if none)."""
        ...

    def calendar(self, term: StoredTerm, first: date, last: date) -> DutyCalendar:
        """The duty calendar of ``first..last`` from the holiday tables."""
        ...

    def fresh_calendar(self, rotation: Rotation, term: Term, source: Path) -> DutyCalendar:
        """The calendar of ``term``, always from the holiday tables (for `plan`)."""
        ...

    def locked(self, sources: Sequence[Path]) -> AbstractContextManager[None]:
        """Hold every term of these rotations against other writers while the block runs."""
        ...

    def save(self, term: StoredTerm, schedule: Schedule) -> Path:
        """Store ``schedule`` as ``term``'s, atomically; returns where it went."""
        ...

    def begin_term(self, current: StoredTerm, following: StoredTerm) -> tuple[Path, Path]:
        """Keep ``current`` as a finished term and store ``following`` as the current one;
        returns (where the kept term went, where the new one went)."""
        ...

    def kept_place(self, current: StoredTerm) -> Path:
        """Where ``current`` will be kept once the next term begins."""
        ...

    def kept_place_taken(self, current: StoredTerm) -> bool:
        """Whether a kept term already holds that place."""
        ...

    def carrying(
        self, current: StoredTerm, changed: StoredTerm
    ) -> AbstractContextManager[None]:
        """Around a change of a kept term and the ledgers carried from it: two writes a
        kill may separate (a store with transactions makes it one)."""
        ...

    def pending(self, source: Path) -> tuple[str, date] | None:
        """A change a kill interrupted: ("begin-term" | "carry", the term's first day)."""
        ...

    def settle(self, current: StoredTerm) -> list[Path]:
        """Forget an interrupted change once it is finished; returns what was removed."""
        ...

    def rotation_text(self, source: Path) -> str:
        """The rotation's own text, for edits that keep its comments and layout."""
        ...

    def rotation_with_text(self, source: Path, text: str, term: Term) -> Rotation:
        """``text`` read as the rotation ``source`` would be (an edit, checked first)."""
        ...

    def save_rotation(self, source: Path, text: str) -> Path:
        """Store the rotation's new text, atomically."""
        ...

    def locate(self, where: Path, dotted: str) -> Mark:
        """Where the value at ``dotted`` (e.g. ``ledger.aiko``) sits in ``where``."""
        ...

    def occupied(self, source: Path) -> list[Path]:
        """What a new rotation at ``source`` would overwrite: its file, its current term,
        its kept terms (`oncall import` refuses them all before writing anything)."""
        ...

    def create(self, source: Path, text: str, terms: Sequence[Schedule]) -> list[Path]:
        """A new rotation: ``text`` as its file, the last of ``terms`` as its current term
        and the others kept; returns what was written."""
        ...


def known_handle(rotation: Rotation, handle: str, option: str) -> str:
    """The handle if it is in the roster; otherwise an input error with a did-you-mean."""
    if rotation.member(handle) is not None:
        return handle
    raise InputError(
        f"{option}: {handle!r} is not a member of rotation {rotation.id}",
        hint=member_hint(handle, sorted(rotation.by_handle)),
    )
