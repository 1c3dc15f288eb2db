"""The other rotations of a rotation's folder: the duty they give people, so that a
change to one rotation never puts a person on duty twice at once.

`oncall swap` reads them here around the days it changes (every term that holds one,
kept terms included, as `validate` checks them); ``core/overlap.py`` finds the clashes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from oncall.core.duty_calendar import calendar_from
from oncall.core.errors import InputError
from oncall.core.model import DateRange, Rotation, Unavailability
from oncall.core.overlap import Elsewhere, Watch, watches
from oncall.core.store import ScheduleStore, StoredTerm


@contextmanager
def reading_neighbour(path: Path, command: str) -> Iterator[None]:
    """Around reading a rotation beside ``path``: its error says why ``command`` read it
    (ignoring a neighbour could put one person on duty twice at once)."""
    try:
        yield
    except InputError as error:
        why = (
            f"{command} reads every rotation in {path.parent}/ to keep people clear of "
            "duty they already have there; fix this file or move it out of the folder"
        )
        error.hint = f"{error.hint}\n  ({why})" if error.hint else why
        raise


def neighbour_duty(
    store: ScheduleStore, path: Path, days: DateRange, command: str
) -> list[tuple[Rotation, Sequence[Watch]]]:
    """The duty of each other rotation in ``path``'s folder from the day before ``days``
    to the day after (a night window, or another time zone, reaches over midnight). A
    neighbour that cannot be read stops ``command``: ignoring it could put one person on
    duty twice at once."""
    around = DateRange(days.first - timedelta(days=1), days.last + timedelta(days=1))
    found: list[tuple[Rotation, Sequence[Watch]]] = []
    for other in store.neighbours(path):
        with reading_neighbour(path, command):
            opened = store.open(other)
            duty: list[Watch] = []
            terms = opened.terms() if opened.schedule is not None else []
            for term in terms:
                span = term.term
                if span.start <= around.last and around.first <= span.end:
                    assert term.schedule is not None  # terms() holds planned ones only
                    every = watches(term.rotation, term.calendar(), term.schedule)
                    duty += [watch for watch in every if watch.day in around]
        if duty:
            found.append((opened.rotation, duty))
    return found


def kept_clear(rotation: Rotation, elsewhere: Sequence[Elsewhere]) -> Rotation:
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


def planned_neighbours(
    store: ScheduleStore, path: Path, planned: Sequence[StoredTerm]
) -> list[tuple[Rotation, Sequence[Watch]]]:
    """The planned duty of the rotations kept beside ``path``: from this run's new plans
    (``planned``, each a term as it will be stored) where there are some, else from what
    the store holds. A neighbour that cannot be read stops the plan: ignoring it could put
    one person on duty twice at once."""
    fresh: dict[Path, list[StoredTerm]] = {}
    for each in planned:  # a rotation's re-planned terms: its current one, and kept ones
        if each.schedule is not None:
            fresh.setdefault(each.path.resolve(), []).append(each)
    found: list[tuple[Rotation, Sequence[Watch]]] = []
    for other in store.neighbours(path):
        items = fresh.get(other.resolve(), [])
        with reading_neighbour(path, "plan"):
            opened = store.open(other)
            # Every term it keeps (a kept term may still run, or a later one be planned
            # early), less the ones this run planned again.
            stored = opened.terms() if opened.schedule is not None else []
            again = {item.schedule.term for item in items if item.schedule is not None}
            duty: list[Watch] = []
            for term in stored:
                assert term.schedule is not None  # terms() holds planned ones only
                if term.schedule.term in again:
                    continue
                duty += watches(term.rotation, term.calendar(), term.schedule)
        for item in items:
            assert item.schedule is not None
            term_span, schedule = item.term, item.schedule
            calendar = calendar_from(
                item.rotation, term_span.start, term_span.end, schedule.days_off or {}, term_span
            )
            duty += watches(item.rotation, calendar, schedule)
        if duty:
            found.append((items[-1].rotation if items else opened.rotation, duty))
    return found
