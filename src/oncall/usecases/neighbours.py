"""The other rotations of a rotation's folder: the duty they give people, so that a
change to one rotation never puts a person on duty twice at once.

`oncall swap` reads them here around the days it changes (every term that holds one,
kept terms included, as `validate` checks them); ``core/overlap.py`` finds the clashes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from oncall.core.errors import InputError
from oncall.core.model import DateRange, Rotation
from oncall.core.overlap import Watch, watches
from oncall.core.store import ScheduleStore


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
                span = term.rotation.term
                if span.start <= around.last and around.first <= span.end:
                    assert term.schedule is not None  # terms() holds planned ones only
                    every = watches(term.rotation, term.calendar(), term.schedule)
                    duty += [watch for watch in every if watch.day in around]
        if duty:
            found.append((opened.rotation, duty))
    return found
