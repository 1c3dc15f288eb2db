"""Rotations that share people: who is the same person, and when one person is on duty in
two rotations at once.

Pure: the caller gathers each rotation's duty (``watches``, overrides applied through
``Schedule.duty_on``) and asks ``clashes``. Times are the real window instants of each
rotation (``Window.bounds``, in its own time zone), compared as instants, so an 8:00-9:30
watch and a 10:00-17:00 duty on one day do not clash, and rotations in different zones
compare correctly. A window is half-open: one ending at 10:00 and one starting at 10:00
do not overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Member, Rotation
from oncall.core.schedule import Schedule


@dataclass(frozen=True)
class Watch:
    """One member on duty in one rotation on one duty day, with the window's instants."""

    rotation: str
    handle: str
    day: date
    start: datetime
    end: datetime

    def overlaps(self, other: Watch) -> bool:
        return _utc(self.start) < _utc(other.end) and _utc(other.start) < _utc(self.end)


@dataclass(frozen=True)
class Clash:
    """One person on duty in two rotations at overlapping instants."""

    person: tuple[str, ...]  # every handle this person has in the rotations concerned
    first: Watch
    second: Watch

    @property
    def start(self) -> datetime:
        """When both duties are running: the later start (in the first rotation's zone)."""
        later = max(self.first.start, self.second.start, key=_utc)
        return later.astimezone(self.first.start.tzinfo)

    @property
    def end(self) -> datetime:
        earlier = min(self.first.end, self.second.end, key=_utc)
        return earlier.astimezone(self.first.start.tzinfo)

    def describe(self) -> str:
        def where(watch: Watch) -> str:
            handle = f" as {watch.handle}" if len(self.person) > 1 else ""
            hours = f"{_clock(watch.start)}-{_clock(watch.end)}"
            return f"{watch.rotation}{handle} ({watch.day} {hours})"

        return (
            f"{' = '.join(self.person)} is on duty in {where(self.first)} and "
            f"{where(self.second)}, overlapping {self.start.isoformat()}..{self.end.isoformat()}"
        )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def people(rosters: Mapping[str, Sequence[Member]]) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each (rotation, handle), the person it is: all handles linked to it.

    Two members are one person when they share a handle, an email (any letter case) or a
    Slack id, in any rotation; links chain (handle in one, email in another).
    """
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(key: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(a: tuple[str, str], b: tuple[str, str]) -> None:
        parent[find(a)] = find(b)

    for rotation, members in rosters.items():
        for member in members:
            node = ("member", f"{rotation}\0{member.handle}")
            join(node, ("handle", member.handle))
            if member.email:
                join(node, ("email", member.email.strip().lower()))
            for chat, chat_id in member.chat_ids.items():  # the same id on the same chat
                join(node, (chat, chat_id.strip()))
    handles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rotation, members in rosters.items():
        for member in members:
            handles[find(("member", f"{rotation}\0{member.handle}"))].add(member.handle)
    return {
        (rotation, member.handle): tuple(
            sorted(handles[find(("member", f"{rotation}\0{member.handle}"))])
        )
        for rotation, members in rosters.items()
        for member in members
    }


def watches(rotation: Rotation, calendar: DutyCalendar, schedule: Schedule) -> list[Watch]:
    """Everyone on duty on each duty day of ``calendar``, overrides applied, with instants."""
    found = []
    for duty in schedule.duties(calendar.duty_days):
        start, end = rotation.window.bounds(duty.day, rotation.tz)
        for handle in dict.fromkeys(duty.people):
            found.append(Watch(rotation.id, handle, duty.day, start, end))
    return found


def clashes(
    duty: Iterable[Watch], identity: Mapping[tuple[str, str], tuple[str, ...]]
) -> list[Clash]:
    """Every pair of one person's watches in two different rotations that overlap in time,
    in order of time. A handle unknown to ``identity`` (not in the roster) is itself."""
    by_person: dict[tuple[str, ...], list[Watch]] = defaultdict(list)
    for watch in duty:
        by_person[identity.get((watch.rotation, watch.handle), (watch.handle,))].append(watch)
    found: list[Clash] = []
    for person, own in by_person.items():
        own.sort(key=lambda w: (_utc(w.start), w.rotation))
        running: list[Watch] = []
        for watch in own:
            running = [w for w in running if _utc(w.end) > _utc(watch.start)]
            found += [Clash(person, w, watch) for w in running if w.rotation != watch.rotation]
            running.append(watch)
    found.sort(key=lambda c: (_utc(c.start), c.person, c.first.rotation, c.second.rotation))
    return found


def on_duty(rotation: Rotation, handle: str, days: Iterable[date]) -> list[Watch]:
    """``handle``'s watches on ``days`` of ``rotation`` (duty days it gives them)."""
    return [
        Watch(rotation.id, handle, day, *rotation.window.bounds(day, rotation.tz))
        for day in days
    ]


def clashes_with(
    rotation: Rotation,
    duty: Sequence[Watch],
    others: Sequence[tuple[Rotation, Sequence[Watch]]],
) -> list[Clash]:
    """Each clash of ``duty`` (watches in ``rotation``) with a person's duty in one of
    ``others`` (each another rotation with its duty), as `validate` finds them: the same
    person by handle, email or chat id, at overlapping instants."""
    identity = people(
        {rotation.id: rotation.members, **{o.id: o.members for o, _ in others}}
    )
    mine = set(duty)
    every = [*duty, *(watch for _, theirs in others for watch in theirs)]
    return [c for c in clashes(every, identity) if c.first in mine or c.second in mine]


@dataclass(frozen=True)
class Elsewhere:
    """A duty day of the rotation being planned on which a member is already on duty in
    another rotation at an overlapping instant: the planner keeps them off it."""

    handle: str
    day: date
    rotation: str  # the other rotation


def busy_elsewhere(
    rotation: Rotation,
    calendar: DutyCalendar,
    others: Sequence[tuple[Rotation, Sequence[Watch]]],
) -> list[Elsewhere]:
    """Each (member, duty day) of ``rotation`` whose window overlaps that person's duty in
    one of ``others`` (each another rotation with its planned duty), in order of day."""
    identity = people(
        {rotation.id: rotation.members, **{o.id: o.members for o, _ in others}}
    )
    theirs: dict[tuple[str, ...], list[Watch]] = defaultdict(list)
    for other, duty in others:
        for watch in duty:
            theirs[identity.get((other.id, watch.handle), (watch.handle,))].append(watch)
    found: list[Elsewhere] = []
    # Only members on duty elsewhere can clash: the rest of a large roster costs nothing.
    busy = [
        (member, theirs[person])
        for member in rotation.members
        if (person := identity[(rotation.id, member.handle)]) in theirs
    ]
    if not busy:
        return found
    for day in calendar.duty_days:
        start, end = rotation.window.bounds(day, rotation.tz)
        for member, duty in busy:
            mine = Watch(rotation.id, member.handle, day, start, end)
            hit = next((w for w in duty if mine.overlaps(w)), None)
            if hit is not None:
                found.append(Elsewhere(member.handle, day, hit.rotation))
    return found
