"""Grafana OnCall schedules as its public API v1 returns them, for
`oncall import grafana-oncall`.

Each FILE is one of (in any order; a list response's ``results`` is read whole):

* schedules, ``GET /api/v1/schedules/`` (``results[]``: ``id``, ``name``, ``type``,
  ``time_zone``, ``shifts``: the ids of its shifts), or one, ``GET /api/v1/schedules/{id}/``;
* their shifts, ``GET /api/v1/on_call_shifts/`` (``results[]``: ``id``, ``type``,
  ``level``, ``start``, ``duration``, ``rotation_start``, ``until``, ``frequency``,
  ``interval``, ``by_day``, ``users``, ``rolling_users``), matched to a schedule by the
  schedule's ``shifts`` (a shift names no schedule);
* the users, ``GET /api/v1/users/`` (``results[]``: ``id``, ``email``, ``username``);
* one schedule's final shifts, ``GET /api/v1/schedules/{id}/final_shifts?start_date=...
  &end_date=...`` (``results[]``: ``user_email``, ``shift_start``, ``shift_end``), for the
  schedule given just before it: the history.

Lists are paged (``next``, ``current_page_number``, ``page_size``): a page whose ``next``
is set is refused unless the next page is one more FILE.

A ``rolling_users`` shift recurs every ``interval`` ``frequency`` from ``start`` (the
first occurrence; on ``by_day`` days), each occurrence lasting ``duration`` seconds; the
groups of ``rolling_users`` take turns from the first occurrence at or after
``rotation_start`` (OnCall drops the ones before it), beginning with the group at
``start_rotation_from_user_index``. A ``recurrent_event`` puts all its ``users`` on at
every occurrence. The highest ``level`` with someone on call wins; an ``override`` wins
over every level. Times have no offset (``yyyy-MM-dd'T'HH:mm:ss``) and are in the shift's
``time_zone``, else the schedule's. The sources of these rules (grafana/oncall) and every
field read are listed in docs/migrate/grafana-oncall.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from oncall.core.imported import PRIORITY, Layer, Note, Restriction, Source, Spell
from oncall.io.importers.export_json import (
    Node,
    Page,
    People,
    check_day,
    load_json,
    turn_length,
    whole_lists,
)

UNITS = {"hourly": "hours", "daily": "days", "weekly": "weeks", "monthly": "months"}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


SHIFT_TYPES = ("single_event", "recurrent_event", "rolling_users", "override")


def read(paths: list[Path], people: People) -> list[Source]:
    users: dict[str, tuple[str | None, str | None]] = {}
    schedules: list[tuple[Node, str]] = []
    shifts: dict[str, tuple[Node, str]] = {}
    finals: dict[int, list[tuple[Node, str]]] = {}
    pages: list[Page] = []
    for order, path in enumerate(paths):
        top = load_json(path)
        one = isinstance(top.value, dict) and "results" not in top.value and "name" in top.value
        items = [top] if one else top.items("results")
        if not one:
            pages += _pages(top, order)
        for item in items:
            value = item.value if isinstance(item.value, dict) else {}
            if "shift_start" in value:
                if not schedules:
                    raise item.error("final shifts, but no schedule came before them",
                                     hint="pass each schedule's final shifts after the "
                                     "schedules file")
                finals.setdefault(len(schedules) - 1, []).append((item, path.name))
            elif value.get("type") in SHIFT_TYPES:
                shifts[str(item.text("id"))] = (item, path.name)
            elif "name" in value and ("time_zone" in value or value.get("type") in (
                "web", "calendar", "ical",
            )):
                schedules.append((item, path.name))
            elif "email" in value or "username" in value:
                users[str(item.text("id"))] = (item.text("username", required=False),
                                               item.text("email", required=False))
            else:
                raise item.error(
                    "found neither a schedule, a shift, a user nor a final shift, expected "
                    "a Grafana OnCall API v1 list response",
                    hint="GET /api/v1/schedules/, /api/v1/on_call_shifts/, /api/v1/users/",
                )
    whole_lists(pages, "GET the next page (the URL in next) and pass it as well")
    sources = []
    for number, (node, file) in enumerate(schedules):
        if node.value.get("type") == "ical" or not node.has("time_zone"):
            sources.append(_ical(node, file))
            continue
        mine = []
        for ident in node.items("shifts", required=False):
            if str(ident.value) not in shifts:
                raise ident.error(
                    f"names shift {ident.value}, but no on_call_shifts FILE gave it",
                    hint="pass GET /api/v1/on_call_shifts/ (every page) as one more FILE",
                )
            mine.append(shifts[str(ident.value)])
        sources.append(_schedule(node, file, mine, finals.get(number, []), users, people))
    return sources


def _pages(top: Node, order: int) -> list[Page]:
    """A list response's paging: ``next`` set means more follow; the page starts at
    (``current_page_number`` - 1) * ``page_size``; the list is the URL's path."""
    if not isinstance(top.value, dict) or "next" not in top.value:
        return []
    following = top.value.get("next") or top.value.get("previous")
    kind = urlsplit(following).path if isinstance(following, str) else "results"
    number = top.number("current_page_number", required=False)
    size = top.number("page_size", required=False)
    first = (number - 1) * size if number is not None and size is not None else None
    count = len(top.value.get("results") or [])
    more = top.get("next", str, required=False)
    return [Page(more, kind, first, count, more.value is not None, order)]


def _ical(node: Node, file: str) -> Source:
    """An iCal schedule: the API has no shifts for it, only its calendar's URL."""
    where = f"{file}:{node.path or '(top)'}"
    url = node.text("ical_url_primary", required=False) or "its ical_url_primary"
    return Source(
        name=node.text("name") or "grafana-oncall", where=where, timezone="UTC", people=(),
        notes=(Note(where, f"an iCal schedule: its shifts are in {url}, not in the API",
                    "no rotation written for it: import that calendar with "
                    "`oncall import ics`"),),
    )


def _schedule(
    node: Node, file: str, shifts: list[tuple[Node, str]], finals: list[tuple[Node, str]],
    users: dict[str, tuple[str | None, str | None]], people: People,
) -> Source:
    where = f"{file}:{node.path or '(top)'}"
    zone = node.zone("time_zone")
    notes: list[Note] = []
    layers: list[Layer] = []
    overrides: list[Spell] = []
    seen: set[str] = set()
    for shift, shift_file in shifts:
        place = f"{shift_file}:{shift.path}"
        kind = shift.text("type")
        tz = ZoneInfo(shift.zone("time_zone")) if shift.has("time_zone") else ZoneInfo(zone)
        if kind in ("override", "single_event"):
            start = _local(shift, "start", tz)
            seconds = shift.number("duration") or 0
            if not 0 < seconds <= 366 * 86400:
                raise shift.get("duration", (int, float)).error(
                    f"found {seconds}, expected 1 second to a year"
                )
            span = timedelta(seconds=seconds)
            keys = tuple(_user(u, users, people, place) for u in _ids(shift, "users"))
            if not keys:
                notes.append(Note(f"{place}.users", f"an {kind} that names no users (the "
                                  "API shows no user for an override made in the web UI)",
                                  "left out: pass the schedule's final_shifts for who held it"))
                continue
            overrides.append(Spell(start.astimezone(UTC), (start + span).astimezone(UTC),
                                   keys, place))
            seen.update(keys)
            if kind == "single_event":
                notes.append(Note(place, "a single event at its level",
                                  "taken as an override over every level"))
            continue
        layer = _layer(shift, kind, tz, users, people, notes, place)
        if layer is not None:
            layers.append(layer)
            seen.update(k for group in layer.groups for k in group)
    history = [_final(item, people, f"{f}:{item.path}") for item, f in finals]
    seen.update(k for spell in history for k in spell.people)
    if len({layer.level for layer in layers}) > 1:
        notes.append(Note(f"{where}: levels", "layers at several levels, the highest winning",
                          "flattened into one rotation: each duty day is held by whoever the "
                          "levels put on call for most of it"))
    read = f"{where}: {len(layers)} shift(s), {len(overrides)} override(s)" + (
        f", {len(history)} final shift(s) as history" if history else ""
    )
    return Source(
        name=node.text("name") or "grafana-oncall", where=where, timezone=zone,
        people=people.subset(seen), layers=tuple(layers), combine=PRIORITY,
        overrides=tuple(overrides), history=tuple(history), notes=tuple(notes), read=(read,),
        zone_key="time_zone",
    )


def _layer(
    node: Node, kind: str | None, tz: ZoneInfo,
    users: dict[str, tuple[str | None, str | None]], people: People, notes: list[Note],
    where: str,
) -> Layer | None:
    if kind not in ("rolling_users", "recurrent_event"):
        raise node.get("type", str).error(
            f"found {kind!r}, expected rolling_users, recurrent_event, single_event or override"
        )
    frequency = node.text("frequency")
    if frequency not in UNITS:
        raise node.get("frequency", str).error(
            f"found {frequency!r}, expected one of {', '.join(UNITS)}"
        )
    interval = turn_length(node, "interval", UNITS[frequency])
    start = _local(node, "start", tz)
    rotation_start = _local(node, "rotation_start", tz) if node.has("rotation_start") else start
    first = _first_turn(start, rotation_start, UNITS[frequency], interval)
    duration = node.number("duration") or 0
    if kind == "rolling_users":
        groups = tuple(
            tuple(_user(u, users, people, f"{where}.rolling_users[{n}]") for u in _texts(group))
            for n, group in enumerate(node.items("rolling_users"))
        )
        index = node.number("start_rotation_from_user_index", required=False) or 0
        groups = groups[index:] + groups[:index] if groups else groups
        days = node.get("by_day", list, required=False).value or []
        if frequency == "daily" and len(groups) > 1 and 0 < len(days) < 7:
            notes.append(Note(f"{where}.by_day", "daily turns on by_day days only",
                              "turns counted over every calendar day (OnCall counts only "
                              "the by_day days): check the rotation file's order"))
    else:
        groups = (tuple(_user(u, users, people, f"{where}.users") for u in _ids(node, "users")),)
    if not any(groups):
        field = "rolling_users" if kind == "rolling_users" else "users"
        notes.append(Note(f"{where}.{field}", "a shift with no users",
                          "left out: it puts nobody on call"))
        return None
    if duration <= 0:
        notes.append(Note(f"{where}.duration", f"a duration of {duration} seconds",
                          "left out: it yields no duty time"))
        return None
    for key in ("by_month", "by_monthday"):
        if node.has(key):
            notes.append(Note(f"{where}.{key}", f"occurrences limited by {key}",
                              "not kept: the shift is read as if it occurred every period"))
    restrictions = _restrictions(node, frequency, start, duration, interval)
    until = _local(node, "until", tz).astimezone(UTC) if node.has("until") else None
    return Layer(
        start_key="start", length_key="frequency",
        where=where, start=first, unit=UNITS[frequency], length=interval,
        groups=groups, restrictions=restrictions,
        until=until,
        level=node.number("level", required=False) or 0, begins=first.astimezone(UTC),
    )


def _first_turn(start: datetime, rotation_start: datetime, unit: str, interval: int) -> datetime:
    """The first occurrence at or after ``rotation_start``, stepping from ``start`` in wall
    time: OnCall drops the occurrences before it and gives the first group this one."""
    probe = Layer(where="", start=start, unit=unit, length=interval, groups=((),))
    index = max(probe.turn_at(rotation_start), 0)
    while probe.turn_start(index) < rotation_start:
        index += 1
    return probe.turn_start(index)


def _restrictions(
    node: Node, frequency: str, start: datetime, duration: int, interval: int
) -> tuple[Restriction, ...]:
    """When each occurrence holds duty: on ``by_day`` days, or every period; none when the
    occurrences follow each other without a gap (round the clock)."""
    minutes = duration // 60
    at = start.hour * 60 + start.minute
    days = [str(d.value) for d in node.items("by_day", required=False)]
    for day in days:
        if day not in DAYS:
            raise node.get("by_day", list).error(f"found {day!r}, expected days such as MO, TU")
    if days:
        return tuple(Restriction(DAYS.index(d), at, min(minutes, 1440 * 7)) for d in days)
    period = {"hourly": 60, "daily": 1440, "weekly": 7 * 1440, "monthly": 28 * 1440}[frequency]
    if minutes >= period * interval:
        return ()
    if frequency == "daily" and interval == 1:
        return (Restriction(None, at, minutes),)
    if frequency == "weekly" and interval == 1:
        return (Restriction(start.weekday(), at, minutes),)
    return ()


def _local(node: Node, key: str, tz: ZoneInfo) -> datetime:
    text = node.text(key)
    child = node.get(key, str)
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise child.error(
            f"found {text!r}, expected a date-time such as 2026-07-06T09:00:00"
        ) from None
    moment = moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    check_day(child, moment)
    return moment


def _ids(node: Node, key: str) -> list[str]:
    return _texts(node.get(key, list, required=False))


def _texts(node: Node) -> list[str]:
    """A list of user ids."""
    if node.value is None:
        return []
    if not isinstance(node.value, list) or not all(isinstance(v, str) for v in node.value):
        raise node.error("expected a list of user ids such as [\"U4DNY931HHJS5\"]")
    return list(node.value)


def _user(
    ident: str, users: dict[str, tuple[str | None, str | None]], people: People, where: str
) -> str:
    name, email = users.get(ident, (None, None))
    return people.add(ident, name or ident, email, where)


def _final(node: Node, people: People, where: str) -> Spell:
    start, end = node.moment("shift_start"), node.moment("shift_end")
    assert start is not None and end is not None
    email = node.text("user_email", required=False)
    key = people.add(node.text("user_pk", required=False), node.text("user_username",
                     required=False), email, where)
    return Spell(start.astimezone(UTC), end.astimezone(UTC), (key,), where)

