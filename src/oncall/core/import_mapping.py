"""From a source schedule (``oncall.core.imported.Source``) to the closest rotation: its
window, shift rule and members (a ``Layout``, which ``oncall.io.imported_text`` writes as
a commented rotation file) and, per term, the shifts and overrides that say who held each
duty day.

The rotation model has one window a day (the same on each duty weekday), a round-the-clock
day only as 00:00-24:00, and shifts of whole days. What the source says beyond that is a
``Note``: where it says it, and what was done instead. Each duty day is held by whoever the
source has on call for most of that day's window; a shift is held by whoever holds most of
its days, and the other days are overrides.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.imported import Layer, Note, Person, Source, Spell
from oncall.core.model import WEEKDAYS, DateRange, Rotation
from oncall.core.schedule import Override, Shift

FULL_DAY = (0, 1440)


@dataclass(frozen=True)
class Member:
    """A person as the rotation file will name them."""

    handle: str
    name: str
    email: str | None
    where: str
    left: date | None = None  # named only by overrides: not planned after the import


@dataclass(frozen=True)
class Layout:
    """The rotation settings closest to the source, each with where it came from
    (``origins``: rotation-file key -> source path), and what could not map."""

    rotation: str
    description: str
    timezone: str
    days: tuple[int, ...]
    start: int  # minutes after midnight
    end: int  # 1440 = 24:00
    length: int
    unit: str  # "d" or "w"
    handoff: int
    people: int
    team: str
    members: tuple[Member, ...]
    first: date
    last: date
    closures: tuple[DateRange, ...] = ()
    origins: dict[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()


def slug(text: str, fallback: str = "imported") -> str:
    """A rotation id ``[a-z0-9-]+`` from a schedule's name."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60].strip("-") or fallback


def handles_for(people: Sequence[Person]) -> dict[str, Member]:
    """Per person key, a unique handle (from the email's local part, else the name)."""
    out: dict[str, Member] = {}
    taken: set[str] = set()
    for person in sorted(people, key=lambda p: p.key):
        base = person.email.split("@")[0] if person.email else person.name
        handle = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.") or "person"
        candidate, number = handle, 2
        while candidate.lower() in taken:
            candidate, number = f"{handle}-{number}", number + 1
        taken.add(candidate.lower())
        out[person.key] = Member(candidate, person.name, person.email, person.where)
    return out


def layout_of(source: Source, first: date, last: date) -> Layout:
    """The rotation closest to ``source`` over ``first..last`` (local dates)."""
    notes: list[Note] = list(source.notes)
    origins: dict[str, str] = {"timezone": f"{source.where}.{source.zone_key}"}
    days, start, end = _window(source, notes, origins)
    length, unit, handoff = _shift(source, first, notes, origins)
    people = _people_per_shift(source, first, last)
    if source.layers and people:
        origins["shift.people"] = f"{source.where}: people on call at once"
    for override in source.overrides:
        local = override.start.astimezone(source.tz)
        span = override.end - override.start
        if (local.hour, local.minute) != divmod(start, 60) or span % timedelta(days=1):
            notes.append(Note(
                override.where, f"an override of {span} from {local:%Y-%m-%d %H:%M}, part of "
                "a duty day", "each duty day goes to whoever holds most of its window: an "
                "override is a whole day in a rotation file (the replay names the hours)",
            ))
    team = source.team or "imported"
    if source.team:
        origins["team"] = f"{source.where}.team"
    members = handles_for(source.people)
    in_layers = {key for layer in source.layers for group in layer.groups for key in group}
    if source.layers:
        after = last + timedelta(days=1)
        for key, member in list(members.items()):
            if key not in in_layers:
                members[key] = replace(member, left=after)
                notes.append(Note(
                    member.where,
                    f"{member.name} is named only by overrides or past shifts, in no rotation",
                    f"a member with `left: {after}`: their history counts, and they are not "
                    "planned (delete the line to plan them)",
                ))
    return Layout(
        rotation=slug(source.name),
        description=f"Imported from {source.name}"[:200],
        timezone=source.timezone,
        days=days, start=start, end=end,
        length=length, unit=unit, handoff=handoff, people=max(people, 1),
        team=team,
        members=tuple(sorted(members.values(), key=lambda m: m.handle)),
        first=first, last=last,
        origins=origins,
        notes=tuple(notes),
    )


def _window(
    source: Source, notes: list[Note], origins: dict[str, str]
) -> tuple[tuple[int, ...], int, int]:
    """The duty weekdays and the one window: from the layers' restrictions, else from the
    final shifts' times; the most common one when days differ (a note says so)."""
    pieces: Counter[tuple[int, int, int]] = Counter()  # (weekday, start, end)
    where = ""
    restricted = [layer for layer in source.layers if layer.groups]
    if restricted and all(layer.restrictions for layer in restricted):
        for layer in restricted:
            where = where or f"{layer.where}.restrictions"
            for restriction in layer.restrictions:
                for weekday in range(7) if restriction.weekday is None else (restriction.weekday,):
                    for piece in _day_pieces(weekday, restriction.start, restriction.minutes):
                        pieces[piece] += 1
    elif restricted:
        handoff = restricted[0].start
        minute = handoff.hour * 60 + handoff.minute
        origins["window"] = f"{restricted[0].where}: no restriction (on call round the clock)"
        if minute:
            notes.append(Note(
                f"{restricted[0].where}.{restricted[0].start_key}",
                f"hands over at {handoff:%H:%M}, round the clock",
                "a round-the-clock duty day runs 00:00-24:00 in a rotation file: each day "
                "goes to whoever holds most of it, so the hours before the handoff on a "
                "handoff day are the incoming person's (the replay counts them)",
            ))
        return tuple(range(7)), 0, 1440
    else:
        where = f"{source.where}: final shifts"
        pieces = _pieces_of_history(source)
        minute = _round_the_clock_handoff(source, pieces)
        if minute:
            notes.append(Note(
                f"{source.where}: final shifts", f"hand over at {_hm(minute)}, round the clock",
                "a round-the-clock duty day runs 00:00-24:00 in a rotation file: each day "
                "goes to whoever holds most of it, so the hours before the handoff on a "
                "handoff day are the incoming person's (the replay counts them)",
            ))
    if not pieces:
        origins["window"] = f"{source.where}: nothing on call"
        return tuple(range(7)), 0, 1440
    by_window: Counter[tuple[int, int]] = Counter()
    for (_, start, end), count in pieces.items():
        by_window[start, end] += count
    (start, end), _ = max(by_window.items(), key=lambda kv: (kv[1], -kv[0][0]))
    days = tuple(sorted({wd for wd, s, e in pieces if (s, e) == (start, end)}))
    others = sorted({(wd, s, e) for wd, s, e in pieces if (s, e) != (start, end)})
    origins["window"] = where
    if others:
        listed = ", ".join(f"{WEEKDAYS[wd]} {_hm(s)}-{_hm(e)}" for wd, s, e in others[:6])
        notes.append(Note(
            where,
            f"per-day windows differ: {listed}",
            f"one window {_hm(start)}-{_hm(end)} on {', '.join(WEEKDAYS[d] for d in days)}",
        ))
    return days, start, end


def _day_pieces(weekday: int, start: int, minutes: int) -> list[tuple[int, int, int]]:
    """A restriction as windows of single duty days: one that fits in 24 hours (it may
    cross midnight) is one; a longer one is cut at midnight."""
    if minutes >= 1440 and start == 0 and minutes % 1440 == 0:
        return [((weekday + n) % 7, 0, 1440) for n in range(minutes // 1440)]
    if minutes < 1440:
        end = (start + minutes) % 1440
        return [(weekday, start, end if end or start + minutes < 1440 else 1440)]
    out = [(weekday, start, 1440)]
    left, day = minutes - (1440 - start), weekday + 1
    while left >= 1440:
        out.append((day % 7, 0, 1440))
        left, day = left - 1440, day + 1
    if left:
        out.append((day % 7, 0, left))
    return out


def _pieces_of_history(source: Source) -> Counter[tuple[int, int, int]]:
    """The final shifts' local windows: round the clock when they follow each other
    without a gap, else each shift's start and end time on its weekday."""
    tz = source.tz
    spells = source.history
    contiguous = all(b.start <= a.end for a, b in itertools.pairwise(spells))
    pieces: Counter[tuple[int, int, int]] = Counter()
    for spell in spells:
        if contiguous or spell.end - spell.start >= timedelta(hours=24):
            pieces[spell.start.astimezone(tz).weekday(), 0, 1440] += 1
            continue
        start, end = spell.start.astimezone(tz), spell.end.astimezone(tz)
        minutes = int((end - start).total_seconds() // 60)
        for piece in _day_pieces(start.weekday(), start.hour * 60 + start.minute, minutes):
            pieces[piece] += 1
    if contiguous:
        return Counter({(wd, 0, 1440): 1 for wd in range(7)})
    return pieces


def _round_the_clock_handoff(source: Source, pieces: Counter[tuple[int, int, int]]) -> int:
    """The most common local start time of final shifts that cover whole days."""
    if set(pieces) != {(wd, 0, 1440) for wd in range(7)}:
        return 0
    tz = source.tz
    starts = Counter(
        s.start.astimezone(tz).hour * 60 + s.start.astimezone(tz).minute for s in source.history
    )
    return max(starts.items(), key=lambda kv: (kv[1], -kv[0]))[0] if starts else 0


def _shift(
    source: Source, first: date, notes: list[Note], origins: dict[str, str]
) -> tuple[int, str, int]:
    """Shift length, unit and handoff weekday: from the first layer, else from how long
    the final shifts last."""
    layer: Layer | None = next((each for each in source.layers if each.groups), None)
    if layer is None:
        return _shift_of_history(source, first, origins)
    where = f"{layer.where}.{layer.length_key}"
    origins["shift"] = where
    origins["shift.handoff"] = f"{layer.where}.{layer.start_key} (its weekday)"
    handoff = layer.start.weekday()
    if layer.unit == "weeks":
        return layer.length, "w", handoff
    if layer.unit == "days":
        if layer.length % 7 == 0:
            return layer.length // 7, "w", handoff
        return layer.length, "d", handoff
    if layer.unit == "months":
        notes.append(Note(where, f"turns of {layer.length} month(s)",
                          f"shifts of {4 * layer.length} weeks; the days each month's turn "
                          "does not fit are overrides"))
        return 4 * layer.length, "w", handoff
    notes.append(Note(where, f"hourly rotation: turns of {layer.length} hour(s)",
                      "shifts of one day, each held by whoever is on call for most of its "
                      "window (the replay names the hours that differ)"))
    return 1, "d", handoff


def _shift_of_history(source: Source, first: date, origins: dict[str, str]) -> tuple[int, str, int]:
    tz = source.tz
    lengths: Counter[int] = Counter()
    starts: Counter[int] = Counter()
    runs: list[list[datetime]] = []  # [start, end] of consecutive shifts of the same people
    previous = None
    for spell in source.history:
        if previous is not None and previous.people == spell.people and spell.start == runs[-1][1]:
            runs[-1][1] = spell.end
        else:
            runs.append([spell.start, spell.end])
        previous = spell
    for start, end in runs:
        days = round((end - start).total_seconds() / 86400)
        lengths[max(days, 1)] += 1
        starts[start.astimezone(tz).weekday()] += 1
    origins["shift"] = f"{source.where}: final shifts (most common length)"
    if not lengths:
        return 1, "w", first.weekday()
    days = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))[0]
    handoff = max(starts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    if days % 7 == 0:
        return days // 7, "w", handoff
    return min(days, 366), "d", handoff


def _people_per_shift(source: Source, first: date, last: date) -> int:
    """How many people the source most often has on call at once."""
    tz = source.tz
    seen: Counter[int] = Counter()
    day = first
    while day <= last:
        for hour in range(0, 24, 3):
            moment = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
            count = len(source.said_at(moment))
            if count:
                seen[count] += 1
        day += timedelta(days=1)
    if not seen:
        return 1
    return max(seen.items(), key=lambda kv: (kv[1], -kv[0]))[0]


# ---- who holds each duty day ------------------------------------------------------


def day_holders(
    source: Source, rotation: Rotation, days: Iterable[date], people: int
) -> dict[date, tuple[str, ...]]:
    """Per duty day, the people (person keys) the source has on call for most of its
    window, preferring a set of ``people`` people; a day nobody holds maps to ()."""
    out: dict[date, tuple[str, ...]] = {}
    tz = rotation.tz
    for day in days:
        start, end = rotation.window.bounds(day, tz)
        counts: Counter[tuple[str, ...]] = Counter()
        moment = start
        while moment < end:
            counts[source.said_at(moment)] += 1
            moment += timedelta(minutes=30)
        sized = {k: v for k, v in counts.items() if len(k) == people} or {
            k: v for k, v in counts.items() if k
        }
        out[day] = max(sized.items(), key=lambda kv: (kv[1], kv[0]))[0] if sized else ()
    return out


def shifts_for(
    calendar: DutyCalendar, holders: dict[date, tuple[str, ...]], handles: dict[str, Member],
    where: str,
) -> tuple[tuple[Shift, ...], tuple[Override, ...]]:
    """One shift per shift block, held by whoever holds most of its days; every other day
    an override (out: the shift's primary, in: the day's holder), ranges joined."""
    shifts: list[Shift] = []
    changes: list[tuple[date, str | None, str | None]] = []
    for slot in calendar.slots:
        held = [holders[d] for d in slot.duty_days if holders.get(d)]
        if not held:
            continue
        counts = Counter(held)
        primary = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        shifts.append(Shift(slot.first, slot.last, tuple(handles[k].handle for k in primary)))
        for day in slot.duty_days:
            holder = holders.get(day, ())
            if holder and holder != primary:
                outs = sorted(set(primary) - set(holder))
                ins = sorted(set(holder) - set(primary))
                for out, in_ in zip(outs, ins, strict=False):
                    changes.append((day, handles[out].handle, handles[in_].handle))
    return tuple(shifts), _joined(changes, calendar, where)


def _joined(
    changes: list[tuple[date, str | None, str | None]], calendar: DutyCalendar, where: str
) -> tuple[Override, ...]:
    """Overrides of consecutive duty days with the same out and in as one range."""
    out: list[Override] = []
    index = {day: n for n, day in enumerate(calendar.duty_days)}
    reason = f"imported: {where}"
    for day, gone, came in sorted(changes, key=lambda c: (c[1] or "", c[2] or "", c[0])):
        last = out[-1] if out else None
        if (
            last is not None and last.out == gone and last.in_ == came
            and index.get(last.dates.last, -2) + 1 == index[day]
        ):
            out[-1] = Override(DateRange(last.dates.first, day), gone, came, reason)
        else:
            out.append(Override(DateRange.single(day), gone, came, reason))
    return tuple(sorted(out, key=lambda o: (o.dates.first, o.out or "")))


def nobody_days(holders: dict[date, tuple[str, ...]]) -> tuple[DateRange, ...]:
    """Duty days the source has nobody on call, joined into ranges (they become closures)."""
    ranges: list[DateRange] = []
    for day in sorted(d for d, held in holders.items() if not held):
        if ranges and ranges[-1].last + timedelta(days=1) == day:
            ranges[-1] = DateRange(ranges[-1].first, day)
        else:
            ranges.append(DateRange.single(day))
    return tuple(ranges)


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


__all__ = ["Layout", "Member", "Spell", "day_holders", "layout_of", "shifts_for", "slug"]
