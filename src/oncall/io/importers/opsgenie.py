"""Opsgenie schedules as its REST API returns them, for `oncall import opsgenie`.

Each FILE is one of:

* a schedule, ``GET /v2/schedules/{id}?identifierType=id`` (``data.rotations[]``), or a
  list of them, ``GET /v2/schedules?expand=rotation`` (``data[].rotations``);
* the users, ``GET /v2/users`` (``data[]``: ``username``, ``fullName``), for names: a
  schedule names its users by username (their email) only; the list is paged
  (``paging.next``, ``totalCount``) and a page whose next page is not a FILE is refused;
* the overrides of the schedule their ``_parent`` names (else the one just before them),
  ``GET /v2/schedules/{id}/overrides`` (``data[]``: ``user``, ``startDate``, ``endDate``);
* the timeline of the schedule its ``_parent.name`` names (else the one just before it),
  ``GET /v2/schedules/{id}/timeline?interval=12&intervalUnit=months&date=...``
  (``data.finalTimeline.rotations[].periods[]``): the history, who really was on call.

A rotation hands over every ``length`` hours, days or weeks (``type``) from
``startDate`` until ``endDate``, its ``participants`` in turn (``none``: nobody that
turn), only inside its ``timeRestriction`` (``time-of-day``, or
``weekday-and-time-of-day`` with ``restrictions[]``). Every rotation of a schedule is on
call at once; an override puts its user on call instead for its dates. A user's
``username`` is their email, which matches them across schedules and sources. The shapes
are those of Opsgenie's OpenAPI description (github.com/opsgenie/opsgenie-oas); the fields
read and their references are in docs/migrate/opsgenie.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from pathlib import Path

from oncall.core.imported import UNION, Layer, Note, Restriction, Source, Spell
from oncall.io.importers.export_json import (
    Node,
    Page,
    People,
    load_json,
    offset_of,
    turn_length,
    whole_lists,
)

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TYPES = {"hourly": "hours", "daily": "days", "weekly": "weeks"}


def read(paths: list[Path], people: People) -> list[Source]:
    tops = [(path, load_json(path)) for path in paths]
    names: dict[str, str] = {}  # username (email) -> full name, from GET /v2/users
    for _, top in tops:
        value = top.value.get("data") if isinstance(top.value, dict) else None
        if isinstance(value, list) and value and all(
            isinstance(v, dict) and "fullName" in v for v in value
        ):
            for item in top.items("data"):
                names[str(item.text("username")).lower()] = str(item.text("fullName"))
    people.names = names
    whole_lists([p for order, (_, top) in enumerate(tops) for p in _pages(top, order)],
                "GET /v2/users?limit=500&offset=... for the next page and pass it as well")
    sources: list[Source] = []
    for path, top in tops:
        data = top.get("data", (dict, list))
        if isinstance(data.value, list) and data.value and "fullName" in data.value[0]:
            continue
        if isinstance(data.value, dict) and "finalTimeline" in data.value:
            if not sources:
                raise data.error(
                    "a timeline, but no schedule came before it",
                    hint="pass each schedule's timeline file right after the schedule file",
                )
            index = _parent(data, sources)
            sources[index] = _with_timeline(sources[index], data, people, path.name)
            continue
        if isinstance(data.value, dict):
            _wrong_kind(data, path)
            sources.append(_schedule(data, people, path.name))
            continue
        items = top.items("data")
        if items and all(isinstance(i.value, dict) and "timezone" in i.value for i in items):
            sources += [_schedule(item, people, path.name) for item in items]
        elif all(isinstance(i.value, dict) and "user" in i.value for i in items):
            if not sources:
                raise data.error(
                    "overrides, but no schedule came before them",
                    hint="pass each schedule's overrides file right after the schedule file",
                )
            index = _parent(items[0], sources) if items else len(sources) - 1
            sources[index] = _with_overrides(sources[index], items, people, path.name)
        else:
            raise data.error(
                "found a list that holds neither schedules (with rotations) nor overrides "
                "(with startDate), expected an Opsgenie schedules or overrides response",
                hint="download with ?expand=rotation, or GET /v2/schedules/{id}/overrides",
            )
    return sources


def _pages(top: Node, order: int) -> list[Page]:
    """The paging of a users list: ``paging.next`` says more follow; its ``offset`` less
    this page's length (else ``totalCount`` less it) is where this page starts."""
    if not (isinstance(top.value, dict) and isinstance(top.value.get("paging"), dict)):
        return []
    paging = top.get("paging", dict)
    count = len(top.value.get("data") or [])
    after = offset_of(paging.value.get("next"))
    total = top.number("totalCount", required=False)
    first = after - count if after is not None else max((total or count) - count, 0)
    return [Page(paging.get("next", str, required=False), "users", first, count,
                 after is not None, order)]


def _parent(data: Node, sources: list[Source]) -> int:
    """The schedule ``_parent`` names (by name; Opsgenie gives ``id`` and ``name``), else
    the one given just before."""
    parent = data.get("_parent", dict, required=False)
    named = parent.text("name", required=False) if parent.value else None
    return next((n for n, s in enumerate(sources) if s.name == named), len(sources) - 1)


def _wrong_kind(data: Node, path: Path) -> None:
    if not isinstance(data.value, dict) or "rotations" in data.value:
        return
    raise data.error(
        "found no rotations, expected an Opsgenie schedule (GET /v2/schedules/{id})",
        hint="GET /v2/schedules?expand=rotation lists every schedule with its rotations",
    )


def _schedule(data: Node, people: People, file: str) -> Source:
    where = f"{file}:{data.path or 'data'}"
    name = data.text("name") or "opsgenie"
    zone = data.zone("timezone")
    notes: list[Note] = []
    layers = []
    seen: set[str] = set()
    if not data.has("rotations"):
        raise data.get("rotations", list, required=False).error(
            "missing, expected the schedule's rotations",
            hint="list the schedules with GET /v2/schedules?expand=rotation",
        )
    for rotation in data.items("rotations"):
        layer = _rotation(rotation, zone, people, notes, f"{file}:{rotation.path}")
        if layer is not None:
            layers.append(layer)
            seen.update(k for group in layer.groups for k in group)
    if data.get("enabled", bool, required=False).value is False:
        notes.append(Note(f"{where}.enabled", "the schedule is disabled",
                          "imported as if it were enabled"))
    team = data.get("ownerTeam", dict, required=False)
    return Source(
        name=name, where=where, timezone=zone, people=people.subset(seen),
        layers=tuple(layers), combine=UNION, notes=tuple(notes),
        team=team.text("name", required=False) if team.value else None,
        description=data.text("description", required=False) or "",
        read=(f"{where}: {len(layers)} rotation(s), on call together",),
    )


def _rotation(
    node: Node, zone: str, people: People, notes: list[Note], where: str
) -> Layer | None:
    from zoneinfo import ZoneInfo

    kind = node.text("type")
    if kind not in TYPES:
        raise node.get("type", str).error(
            f"found {kind!r}, expected one of {', '.join(TYPES)}"
        )
    length = turn_length(node, "length", TYPES[kind])
    tz = ZoneInfo(zone)
    start = node.moment("startDate")
    assert start is not None
    end = node.moment("endDate", required=False)
    groups: list[tuple[str, ...]] = []
    for participant in node.items("participants"):
        place = f"{where}.{participant.path.rsplit('.', 1)[-1]}"
        groups.append(_participant(participant, people, notes, place))
    if not any(groups):
        notes.append(Note(f"{where}.participants", "a rotation with no users",
                          "left out: it puts nobody on call"))
        return None
    restrictions = _restrictions(node, notes, where)
    if restrictions == ():
        return None
    return Layer(
        start_key="startDate", length_key="type",
        where=where, start=start.astimezone(tz), unit=TYPES[kind], length=length,
        groups=tuple(groups), restrictions=restrictions or (),
        until=end.astimezone(UTC) if end else None,
    )


def _participant(node: Node, people: People, notes: list[Note], where: str) -> tuple[str, ...]:
    kind = node.text("type")
    if kind == "none":
        return ()
    if kind != "user":
        named = node.text("name", required=False) or node.text("id", required=False)
        notes.append(Note(where, f"a participant of type {kind} ({named})",
                          "nobody on call for its turns: add its people to the rotation file"))
        return ()
    email = node.text("username", required=False)
    ident = node.text("id", required=False)
    return (people.add(ident, people.names.get((email or "").lower(), email), email, where),)


def _restrictions(node: Node, notes: list[Note], where: str) -> tuple[Restriction, ...] | None:
    """None: no restriction; (): one that yields no duty time (the rotation is left out)."""
    if not node.has("timeRestriction"):
        return None
    limit = node.get("timeRestriction", dict)
    kind = limit.text("type")
    if kind == "time-of-day":
        part = limit.get("restriction", dict)
        start = _minutes(part, "startHour", "startMin")
        minutes = (_minutes(part, "endHour", "endMin") - start) % 1440
        found = [Restriction(None, start, minutes or 1440)]
    elif kind == "weekday-and-time-of-day":
        found = []
        for part in limit.items("restrictions"):
            day = _day(part, "startDay")
            start = _minutes(part, "startHour", "startMin")
            span = (_day(part, "endDay") - day) * 1440 + _minutes(part, "endHour", "endMin") - start
            span %= 7 * 1440
            if span == 0:
                notes.append(Note(f"{where}.{part.path.rsplit('.', 1)[-1]}",
                                  "a restriction that ends when it starts",
                                  "left out: it yields no duty time"))
                continue
            found.append(Restriction(day, start, span))
    else:
        raise limit.get("type", str).error(
            f"found {kind!r}, expected time-of-day or weekday-and-time-of-day"
        )
    if not found:
        notes.append(Note(f"{where}.timeRestriction", "the restriction yields no duty time",
                          "the rotation is left out: it puts nobody on call"))
    return tuple(found)


def _minutes(node: Node, hour: str, minute: str) -> int:
    h = node.number(hour)
    m = node.number(minute, required=False) or 0
    assert h is not None
    if not 0 <= h <= 23 or not 0 <= m <= 59:
        raise node.error(f"found {h}:{m:02d}, expected {hour} 0-23 and {minute} 0-59")
    return h * 60 + m


def _day(node: Node, key: str) -> int:
    text = (node.text(key) or "").lower()
    if text not in DAYS:
        raise node.get(key, str).error(f"found {text!r}, expected a day such as monday")
    return DAYS.index(text)


def _with_overrides(source: Source, items: list[Node], people: People, file: str) -> Source:
    spells = list(source.overrides)
    notes = list(source.notes)
    known = {p.key: p for p in source.people}
    for item in items:
        where = f"{file}:{item.path}"
        user = item.get("user", dict)
        if user.text("type", required=False) not in (None, "user"):
            raise user.get("type", str).error("expected an override of type user")
        email = user.text("username", required=False)
        key = people.add(user.text("id", required=False), email, email, f"{where}.user")
        start, end = item.moment("startDate"), item.moment("endDate")
        assert start is not None and end is not None
        if end <= start:
            raise item.get("endDate", str).error("ends before it starts")
        spells.append(Spell(start.astimezone(UTC), end.astimezone(UTC), (key,), where))
        known.setdefault(key, people.by_key[key])
        if item.items("rotations", required=False) and len(source.layers) > 1:
            notes.append(Note(f"{where}.rotations", "an override of some rotations only",
                              "applied to the whole schedule: its user alone is on call"))
    return replace(
        source, overrides=tuple(spells), people=tuple(known[k] for k in sorted(known)),
        notes=tuple(notes), read=(*source.read, f"{file}: {len(items)} override(s)"),
    )


def _with_timeline(source: Source, data: Node, people: People, file: str) -> Source:
    """The final timeline's periods as the history (overrides included)."""
    spells: list[Spell] = []
    notes = list(source.notes)
    final = data.get("finalTimeline", dict)
    for rotation in final.items("rotations", required=False):
        for period in rotation.items("periods", required=False):
            where = f"{file}:{period.path}"
            keys = _recipients(period, people, where)
            if not keys:
                kind = period.get("recipient", dict).text("type", required=False)
                notes.append(Note(f"{where}.recipient", f"a period of a {kind} that names "
                                  "no user (no flattenedRecipients)",
                                  "nobody on call for it in the history"))
                continue
            start, end = period.moment("startDate"), period.moment("endDate")
            assert start is not None and end is not None
            if end > start:
                spells.append(Spell(start.astimezone(UTC), end.astimezone(UTC), keys, where))
    known = {p.key for p in source.people} | {k for s in spells for k in s.people}
    return replace(
        source, history=(*source.history, *spells), people=people.subset(known),
        notes=tuple(notes),
        read=(*source.read, f"{file}: {len(spells)} timeline period(s) as history"),
    )


def _recipients(period: Node, people: People, where: str) -> tuple[str, ...]:
    """Who a period puts on call: its ``recipient`` when a user (``name`` is the username,
    an email), else the users of its ``flattenedRecipients`` (a team's or escalation's)."""
    recipient = period.get("recipient", dict)
    if recipient.text("type", required=False) in (None, "user"):
        found = [recipient]
    else:
        found = [r for r in period.items("flattenedRecipients", required=False)
                 if r.text("type", required=False) in (None, "user")]
    keys = []
    for node in found:
        email = node.text("name", required=False)
        keys.append(people.add(node.text("id", required=False), email, email,
                               f"{where}.{node.path.rsplit('.', 1)[-1]}"))
    return tuple(dict.fromkeys(keys))
