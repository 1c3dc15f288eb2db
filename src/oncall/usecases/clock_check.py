"""A change is never recorded at a moment before what the store already records.

`plan`, `swap` and `leave import` read the clock (or ``--now``) to tell served days from
days to come. A clock set before the newest moment a rotation's files record (a plan's
``planned_at``, a swap's ``recorded_at``, what the calendars were told) would make served
days look unserved, and a re-plan or a swap could then rewrite who served them. Such a
clock is refused, per day in the rotation's zone (so a few minutes between two machines'
clocks never matter), naming the file and the line of the newer record. Reading commands
(`who`, `validate --now`, `show`, `export`, `report`) may look back as far as they like.
"""

from __future__ import annotations

from datetime import UTC, datetime

from oncall.core.errors import InputError
from oncall.core.schedule import Schedule
from oncall.core.store import StoredTerm


def refuse_clock_behind(current: StoredTerm, now: datetime, command: str) -> None:
    """``InputError`` when ``now``'s day is before the newest moment any term of
    ``current``'s rotation records (nothing has been written yet)."""
    if current.schedule is None:
        return
    newest: tuple[datetime, StoredTerm, str] | None = None
    for term in current.terms():
        assert term.schedule is not None  # terms() holds planned ones only
        for moment, key in _recorded(term.schedule):
            if newest is None or moment.astimezone(UTC) > newest[0].astimezone(UTC):
                newest = (moment, term, key)
    if newest is None:
        return
    moment, term, key = newest
    local = moment.astimezone(now.tzinfo)
    if now.date() >= local.date():
        return
    where = term.store.locate(term.schedule_path, key)
    raise InputError(
        f"{where}: {command} at {now.isoformat(timespec='minutes')}, but the rotation "
        f"already records {local.isoformat(timespec='minutes')}: a change made at an "
        "earlier moment could rewrite days served since; nothing was written",
        hint="drop --now to use the clock, or give a --now on or after "
        f"{local.date().isoformat()}",
    )


def _recorded(schedule: Schedule) -> list[tuple[datetime, str]]:
    """The moments a schedule records, with the key they stand under."""
    found = [(schedule.planned_at, "planned_at")] if schedule.planned_at else []
    found += [(o.recorded_at, "overrides") for o in schedule.overrides if o.recorded_at]
    return found
