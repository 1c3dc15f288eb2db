"""GoAlert schedules as its GraphQL API returns them, for `oncall import goalert`.

Each FILE is the JSON response (``{"data": ...}``) of one of these queries (the fields
asked for are in docs/migrate/goalert.md):

* ``schedule(id)`` (``data.schedule``: ``name``, ``timeZone``, ``targets[]`` with
  ``target`` {``id``, ``type``, ``name``} and ``rules[]`` {``start``, ``end``,
  ``weekdayFilter``}, and optionally ``shifts(start, end)[]`` {``userID``, ``user``,
  ``start``, ``end``} over a past span: the history);
* ``rotation(id)`` or ``rotations`` (``data.rotation``, ``data.rotations.nodes[]``:
  ``id``, ``type``, ``shiftLength``, ``start``, ``timeZone``, ``users[]``,
  ``activeUserIndex``, ``nextHandoffTimes``);
* ``userOverrides(input: {scheduleID})`` (``data.userOverrides.nodes[]``: ``start``,
  ``end``, ``addUser``, ``removeUser``), for the schedule given just before it.

A connection (``rotations``, ``userOverrides``) is paged by cursor (``first`` 15 unless
asked, 150 at most): a page whose ``pageInfo.hasNextPage`` is true is refused unless a
later FILE holds the next page of the same query.

A rotation hands over every ``shiftLength`` hours, days, weeks or months (``type``),
at wall-clock steps from ``start`` in its ``timeZone``. Who is on call is GoAlert's own
state, not a count from ``start``: ``activeUserIndex`` holds the shift that ends at
``nextHandoffTimes[0]``, and the users follow in their order from there. A schedule rule
puts its target (a rotation's current user, or a user) on call from ``start`` to ``end``
(``HH:MM``; equal times: all day) on the days ``weekdayFilter`` marks (Sunday first).
Every rule that holds is on call at once. An override adds a user, removes one, or
replaces one with another. The schema these come from (target/goalert
graphql2/schema.graphql) and every field read are listed in docs/migrate/goalert.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.core.imported import UNION, Layer, Note, Restriction, Source, Spell
from oncall.io.importers.export_json import (
    Node,
    Page,
    People,
    load_json,
    parse_moment,
    turn_length,
    whole_lists,
)

UNITS = {"hourly": "hours", "daily": "days", "weekly": "weeks", "monthly": "months"}


def read(paths: list[Path], people: People) -> list[Source]:
    tops = [(path, load_json(path).get("data", dict)) for path in paths]
    rotations: dict[str, Node] = {}
    for _, data in tops:
        if data.has("rotation"):
            node = data.get("rotation", dict)
            rotations[str(node.text("id"))] = node
        if data.has("rotations"):
            for node in data.get("rotations", dict).items("nodes"):
                rotations[str(node.text("id"))] = node
    whole_lists([p for order, (_, data) in enumerate(tops) for p in _pages(data, order)],
                "ask for more with first: 150, or for the next page with after: the "
                "pageInfo.endCursor, and pass it as well")
    sources: list[Source] = []
    for path, data in tops:
        if data.has("schedule"):
            sources.append(_schedule(data.get("schedule", dict), rotations, people, path.name))
        elif data.has("userOverrides"):
            if not sources:
                raise data.error("overrides, but no schedule came before them",
                                 hint="pass each schedule's overrides right after it")
            items = data.get("userOverrides", dict).items("nodes")
            sources[-1] = _with_overrides(sources[-1], items, people, path.name)
        elif not (data.has("rotation") or data.has("rotations")):
            raise data.error(
                "found neither schedule, rotation(s) nor userOverrides, expected a GoAlert "
                "GraphQL response",
                hint="see docs/migrate/goalert.md for the queries",
            )
    return sources


def _pages(data: Node, order: int) -> list[Page]:
    """The cursor paging of a ``rotations`` or ``userOverrides`` connection."""
    out = []
    for kind in ("rotations", "userOverrides"):
        if data.has(kind) and isinstance(data.value[kind], dict) and data.get(
            kind, dict
        ).has("pageInfo"):
            connection = data.get(kind, dict)
            more = connection.get("pageInfo", dict).get("hasNextPage", bool, required=False)
            count = len(connection.value.get("nodes") or [])
            out.append(Page(more, kind, None, count, more.value is True, order))
    return out


def _person(node: Node, people: People, where: str) -> str:
    return people.add(node.text("id", required=False), node.text("name", required=False),
                      node.text("email", required=False), where)


def _schedule(node: Node, rotations: dict[str, Node], people: People, file: str) -> Source:
    """One schedule: each rule target a layer, all on call together."""
    where = f"{file}:{node.path}"
    zone = node.zone("timeZone")
    tz = ZoneInfo(zone)
    notes: list[Note] = []
    layers: list[Layer] = []
    seen: set[str] = set()
    for item in node.items("targets"):
        place = f"{file}:{item.path}"
        target = item.get("target", dict)
        kind, ident = target.text("type"), str(target.text("id"))
        restrictions = _rules(item, tz, notes, place)
        if restrictions is None:
            continue
        if kind == "rotation":
            rotation = rotations.get(ident)
            if rotation is None:
                raise target.get("id", str).error(
                    f"names rotation {ident}, but no rotation file gave it",
                    hint="pass the rotation(s) query's JSON as one more FILE",
                )
            layer = _rotation(rotation, people, notes, restrictions, file)
        elif kind == "user":
            key = people.add(ident, target.text("name", required=False), None, f"{place}.target")
            layer = Layer(where=place, start=_epoch(tz), unit="weeks", length=1,
                          groups=((key,),), restrictions=restrictions)
        else:
            notes.append(Note(f"{place}.target", f"a target of type {kind}",
                              "left out: only rotations and users are on call"))
            continue
        if layer is not None:
            layers.append(layer)
            seen.update(k for g in layer.groups for k in g)
    history = [
        Spell(_moment(s, "start"), _moment(s, "end"), (_shift_user(s, people, file),),
              f"{file}:{s.path}")
        for s in node.items("shifts", required=False)
    ]
    seen.update(k for spell in history for k in spell.people)
    read = f"{where}: {len(layers)} rule target(s), on call together" + (
        f", {len(history)} shift(s) as history" if history else ""
    )
    return Source(
        name=node.text("name") or "goalert", where=where, timezone=zone,
        people=people.subset(seen), layers=tuple(layers), combine=UNION,
        history=tuple(history), notes=tuple(notes), read=(read,), zone_key="timeZone",
        description=node.text("description", required=False) or "",
    )


def _shift_user(shift: Node, people: People, file: str) -> str:
    """A past shift's person: its ``user`` (null once the user is deleted: then the
    ``userID`` alone, without email)."""
    user = shift.get("user", dict, required=False)
    if user.value is not None:
        return _person(user, people, f"{file}:{shift.path}.user")
    return people.add(shift.text("userID"), None, None, f"{file}:{shift.path}.userID")


def _rules(
    item: Node, tz: ZoneInfo, notes: list[Note], where: str
) -> tuple[Restriction, ...] | None:
    """The target's rules as restrictions: () round the clock; None when they hold no time."""
    out: list[Restriction] = []
    rules = item.items("rules")
    for rule in rules:
        start, end = _clock(rule, "start"), _clock(rule, "end")
        minutes = (end - start) % 1440 or 1440
        days = rule.get("weekdayFilter", list)
        if len(days.value) != 7 or not all(isinstance(d, bool) for d in days.value):
            raise days.error("expected 7 true/false values, Sunday first")
        for n, on in enumerate(days.value):
            if on:
                out.append(Restriction((n - 1) % 7, start, minutes))
    if not out:
        notes.append(Note(f"{where}.rules", "no rule holds any time",
                          "left out: the target is never on call"))
        return None
    if len(out) == 7 and all(r.minutes == 1440 and r.start == out[0].start for r in out):
        return ()
    return tuple(out)


def _rotation(
    node: Node, people: People, notes: list[Note], restrictions: tuple[Restriction, ...],
    file: str,
) -> Layer | None:
    where = f"{Path(node.file).name}:{node.path}"
    kind = node.text("type")
    if kind not in UNITS:
        raise node.get("type", str).error(f"found {kind!r}, expected one of {', '.join(UNITS)}")
    zone = node.zone("timeZone")
    start = node.moment("start")
    assert start is not None
    users = node.items("users")
    groups = tuple((_person(u, people, f"{Path(node.file).name}:{u.path}"),) for u in users)
    if not groups:
        notes.append(Note(f"{where}.users", "a rotation with no users",
                          "left out: it puts nobody on call"))
        return None
    length = turn_length(node, "shiftLength", UNITS[kind])
    layer = Layer(
        start_key="start", length_key="type",
        where=where, start=start.astimezone(ZoneInfo(zone)), unit=UNITS[kind],
        length=length, groups=groups, restrictions=restrictions,
    )
    return _from_state(node, layer, notes, where)


def _from_state(node: Node, layer: Layer, notes: list[Note], where: str) -> Layer:
    """The layer with its users turned so that ``activeUserIndex`` holds the shift ending
    at ``nextHandoffTimes[0]``, as GoAlert's rotation state says."""
    active = node.number("activeUserIndex", required=False)
    handoffs = node.items("nextHandoffTimes", required=False)
    count = len(layer.groups)
    if active is None or not 0 <= active < count:
        if active is not None:
            raise node.get("activeUserIndex", int).error(
                f"found {active}, expected 0 to {count - 1} (one of the rotation's users)"
            )
        return layer
    if not handoffs:
        if active:
            notes.append(Note(f"{where}.activeUserIndex", f"user {active} is on call now, "
                              "but nextHandoffTimes was not asked for",
                              "turns counted from start with the users in their listed "
                              "order: ask for nextHandoffTimes to place them"))
        return layer
    if not isinstance(handoffs[0].value, str):
        raise handoffs[0].error("expected an ISO 8601 date-time such as 2027-01-04T09:00:00Z")
    turn = layer.turn_at(parse_moment(handoffs[0]) - timedelta(minutes=1))
    groups = tuple(layer.groups[(k - turn + active) % count] for k in range(count))
    return replace(layer, groups=groups)


def _with_overrides(source: Source, items: list[Node], people: People, file: str) -> Source:
    spells = list(source.overrides)
    notes = list(source.notes)
    keys = {p.key for p in source.people}
    for item in items:
        where = f"{file}:{item.path}"
        add = item.get("addUser", dict, required=False)
        remove = item.get("removeUser", dict, required=False)
        added = (_person(add, people, f"{where}.addUser"),) if add.value else ()
        removed = (_person(remove, people, f"{where}.removeUser"),) if remove.value else ()
        if not added and not removed:
            raise item.error("an override with neither addUser nor removeUser")
        mode = "add" if not removed else "swap"
        if mode == "add":
            notes.append(Note(where, "adds a person beside whoever is on call",
                              "not kept: a rotation file has as many people every day (the "
                              "replay names the hours)"))
        spells.append(Spell(_moment(item, "start"), _moment(item, "end"), added, where,
                            mode=mode, out=removed))
        keys.update(added + removed)
    return replace(
        source, overrides=tuple(spells), people=people.subset(keys), notes=tuple(notes),
        read=(*source.read, f"{file}: {len(items)} override(s)"),
    )


def _moment(node: Node, key: str) -> datetime:
    moment = node.moment(key)
    assert moment is not None
    return moment.astimezone(UTC)


def _clock(node: Node, key: str) -> int:
    text = node.text(key) or ""
    try:
        hour, minute = (int(part) for part in text.split(":")[:2])
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError
    except ValueError:
        raise node.get(key, str).error(f"found {text!r}, expected a time such as 09:00") from None
    return hour * 60 + minute


def _epoch(tz: ZoneInfo) -> datetime:
    return datetime(2000, 1, 3, tzinfo=tz)  # a Monday: a user target's "turns" never change
