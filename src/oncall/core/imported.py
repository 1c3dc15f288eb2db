"""Who was on call when, as another tool describes it: the neutral model `oncall import`
maps from, and the report of what could not map.

Every source format (Opsgenie, PagerDuty, Grafana OnCall, GoAlert, an .ics of final
shifts) is read by ``oncall.io.importers`` into one ``Source``: its people (matched by
email), its layers (rotations that hand over every N hours, days, weeks or months, with
weekly or daily restrictions), its overrides and, when the export has it, its history (the
final shifts as they happened). ``said_at`` answers "who does the source say is on call at
this moment"; the mapping (``oncall.core.import_mapping``) and the replay
(``oncall.core.replay``) both ask it, so they agree on what the source says.

Pure: no files, no clock.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

# How a layer's turns are counted.
TURN_UNITS: tuple[str, ...] = ("hours", "days", "weeks", "months")
# How layers that are on call at once combine: everyone (Opsgenie rotations, GoAlert
# rules) or only the highest level that has someone (PagerDuty layers, Grafana levels).
UNION = "union"
PRIORITY = "priority"


@dataclass(frozen=True)
class Note:
    """One thing that could not map as the source says it: where in the source (object
    path and field), what it says, and what was done instead."""

    where: str
    problem: str
    instead: str


@dataclass(frozen=True)
class Person:
    """Someone the source names. ``key`` matches them across sources and rotations: the
    email in lower case, or ``id:SOURCE-ID`` when the source gives no email."""

    key: str
    name: str
    email: str | None
    where: str  # the source object that named them first


@dataclass(frozen=True)
class Restriction:
    """A duty window a layer is limited to: every day (``weekday`` None) or weekly from
    ``weekday`` (0 = Monday), ``start`` minutes after local midnight, for ``minutes``."""

    weekday: int | None
    start: int
    minutes: int

    def holds(self, local: datetime) -> bool:
        at = local.hour * 60 + local.minute
        if self.weekday is None:
            return (at - self.start) % 1440 < self.minutes
        since = ((local.weekday() - self.weekday) % 7) * 1440 + at - self.start
        return since % (7 * 1440) < self.minutes


@dataclass(frozen=True)
class Layer:
    """A rotation of the source: turn ``n`` (counted from ``start``, in local wall time)
    belongs to ``groups[n % len(groups)]``; only inside ``restrictions`` (none: always)
    and between ``start`` (or ``begins``) and ``until``."""

    where: str
    start: datetime  # aware, in the source's zone: when turn 0 begins
    unit: str  # one of TURN_UNITS
    length: int
    groups: tuple[tuple[str, ...], ...]
    restrictions: tuple[Restriction, ...] = ()
    until: datetime | None = None
    level: int = 0
    begins: datetime | None = None  # on call only from here (a layer that starts later)
    # The source's names of the fields ``start`` and ``length`` came from (for comments).
    start_key: str = "start"
    length_key: str = "length"

    def turn_start(self, index: int) -> datetime:
        """When turn ``index`` begins: wall-clock steps from ``start`` (a daily 09:00
        handoff stays at 09:00 across a daylight-saving change)."""
        tz = self.start.tzinfo
        wall = self.start.replace(tzinfo=None)
        step = {
            "hours": relativedelta(hours=self.length * index),
            "days": relativedelta(days=self.length * index),
            "weeks": relativedelta(weeks=self.length * index),
            "months": relativedelta(months=self.length * index),
        }[self.unit]
        return (wall + step).replace(tzinfo=tz)

    def turn_at(self, moment: datetime) -> int:
        """The turn that holds ``moment`` (negative before ``start``)."""
        approx = {
            "hours": timedelta(hours=self.length),
            "days": timedelta(days=self.length),
            "weeks": timedelta(weeks=self.length),
            "months": timedelta(days=30.44 * self.length),
        }[self.unit]
        index = int((moment - self.start) / approx)
        while self.turn_start(index) > moment:
            index -= 1
        while self.turn_start(index + 1) <= moment:
            index += 1
        return index

    def on_call(self, moment: datetime) -> tuple[str, ...]:
        first = self.begins or self.start
        if not self.groups or moment < first or (self.until is not None and moment >= self.until):
            return ()
        local = moment.astimezone(self.start.tzinfo)
        if self.restrictions and not any(r.holds(local) for r in self.restrictions):
            return ()
        return self.groups[self.turn_at(moment) % len(self.groups)]


@dataclass(frozen=True)
class Spell:
    """The source's word that ``people`` are on call from ``start`` to ``end`` (aware):
    an override, or a final shift of the history. An override with no people takes
    everyone off."""

    start: datetime
    end: datetime
    people: tuple[str, ...]
    where: str
    # How an override changes who is on call: "replace" puts ``people`` on instead of
    # everyone; "add" puts them on as well; "swap" takes ``out`` off and, when one of them
    # was on, puts ``people`` on (GoAlert's add, remove and replace overrides).
    mode: str = "replace"
    out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """One schedule of the source, as read: the model every format maps into."""

    name: str
    where: str  # the source object path, e.g. ``data`` or ``schedules[2]``
    timezone: str
    people: tuple[Person, ...]
    layers: tuple[Layer, ...] = ()
    combine: str = UNION
    overrides: tuple[Spell, ...] = ()
    history: tuple[Spell, ...] = ()  # final shifts, when the export has them
    notes: tuple[Note, ...] = ()
    team: str | None = None
    description: str = ""
    read: tuple[str, ...] = ()  # what was read, and how (said in the report)
    zone_key: str = "timezone"  # the source's name of the field ``timezone`` came from
    _starts: tuple[datetime, ...] = field(init=False, repr=False, compare=False)
    _longest: timedelta = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.history, key=lambda s: (s.start, s.end)))
        object.__setattr__(self, "history", ordered)
        object.__setattr__(self, "_starts", tuple(s.start for s in ordered))
        longest = max((s.end - s.start for s in ordered), default=timedelta(0))
        object.__setattr__(self, "_longest", longest)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def by_key(self) -> dict[str, Person]:
        return {person.key: person for person in self.people}

    def said_at(self, moment: datetime) -> tuple[str, ...]:
        """Who the source says is on call at ``moment``: its history when it has one,
        else its overrides over its layers."""
        if self.history:
            return _in_spells(self.history, self._starts, self._longest, moment)
        active = [o for o in self.overrides if o.start <= moment < o.end]
        replacing = [o for o in active if o.mode == "replace"]
        if replacing:
            return replacing[-1].people  # the one recorded last wins
        found = set(layered(self.layers, self.combine, moment))
        for override in active:
            if override.mode == "add":
                found.update(override.people)
            elif found & set(override.out):
                found.difference_update(override.out)
                found.update(override.people)
        return tuple(sorted(found))

    def span(self) -> tuple[datetime, datetime] | None:
        """From the first to the end of the last final shift of the history."""
        if not self.history:
            return None
        return self.history[0].start, max(s.end for s in self.history)


def _in_spells(
    spells: Sequence[Spell], starts: Sequence[datetime], longest: timedelta, moment: datetime
) -> tuple[str, ...]:
    """The people of the spells holding ``moment``: only those that start at most the
    longest spell's length before it can."""
    found: list[str] = []
    high = bisect.bisect_right(starts, moment)
    low = bisect.bisect_left(starts, moment - longest)
    for spell in spells[low:high]:
        if moment < spell.end:
            found.extend(p for p in spell.people if p not in found)
    return tuple(sorted(found))


def layered(layers: Sequence[Layer], combine: str, moment: datetime) -> tuple[str, ...]:
    """Who the layers put on call at ``moment``: all of them, or the highest level's."""
    if combine == PRIORITY:
        for layer in sorted(layers, key=lambda each: -each.level):
            people = layer.on_call(moment)
            if people:
                return tuple(sorted(people))
        return ()
    found: set[str] = set()
    for layer in layers:
        found.update(layer.on_call(moment))
    return tuple(sorted(found))


def hours(first: datetime, last: datetime) -> list[datetime]:
    """Every whole UTC hour from ``first`` (rounded up) to before ``last``."""
    start = first.astimezone(UTC)
    if start.minute or start.second or start.microsecond:
        start = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    out = []
    end = last.astimezone(UTC)
    while start < end:
        out.append(start)
        start += timedelta(hours=1)
    return out
