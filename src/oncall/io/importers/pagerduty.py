"""PagerDuty schedules as its REST API v2 returns them, for `oncall import pagerduty`.

Each FILE is one of (in any order):

* a schedule, ``GET /schedules/{id}?since=...&until=...`` (``schedule``), or a list,
  ``GET /schedules?include[]=schedule_layers`` (``schedules[]``; without the include a
  listed schedule has no layers, and is refused);
* the users, ``GET /users`` (``users[]``: ``id``, ``name``, ``email``): a schedule names
  users by reference only, and their email is what matches them across sources;
* a schedule's overrides, ``GET /schedules/{id}/overrides`` (``overrides[]``), for the
  schedule given just before it.

The lists are paged (``limit``, ``offset``, ``more``): a page whose ``more`` is true is
refused unless the next page (``offset`` + its length) is one more FILE.

A layer (``schedule_layers[]``) hands over every ``rotation_turn_length_seconds`` counted
from ``rotation_virtual_start``, its ``users`` in turn, on call from ``start`` to ``end``
inside its ``restrictions`` (``daily_restriction``, ``weekly_restriction``, the day 1 =
Monday). The API lists the top layer first (Layer 3, Layer 2, Layer 1: PagerDuty's
Terraform provider reverses the list on read to get the order the layers were made in),
so a layer earlier in the list is above the ones after it: the highest layer with
someone on call wins. When the schedule carries ``final_schedule.rendered_schedule_entries``
(ask with since/until), those entries are the history: who really was on call, overrides
included. The fields read and their references are in docs/migrate/pagerduty.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.core.imported import PRIORITY, Layer, Note, Restriction, Source, Spell
from oncall.io.importers.export_json import Node, Page, People, load_json, whole_lists

WEEK, DAY, HOUR = 604800, 86400, 3600


class _Users:
    def __init__(self) -> None:
        self.by_id: dict[str, tuple[str | None, str | None]] = {}  # id -> (name, email)


def read(paths: list[Path], people: People) -> list[Source]:
    tops = [(path, load_json(path)) for path in paths]
    users = _Users()
    for _, top in tops:
        if isinstance(top.value, dict) and "users" in top.value:
            for item in top.items("users"):
                ident = item.text("id")
                assert ident is not None
                users.by_id[ident] = (item.text("name", required=False),
                                      item.text("email", required=False))
    whole_lists([page for order, (_, top) in enumerate(tops) for page in _pages(top, order)],
                "GET the next page with &offset=... (offset + limit) and pass it as well")
    sources: list[Source] = []
    for path, top in tops:
        value = top.value if isinstance(top.value, dict) else {}
        if "schedule" in value:
            sources.append(_schedule(top.get("schedule", dict), people, users, path.name))
        elif "schedules" in value:
            sources += [_schedule(s, people, users, path.name) for s in top.items("schedules")]
        elif "overrides" in value:
            if not sources:
                raise top.get("overrides", list).error(
                    "overrides, but no schedule came before them",
                    hint="pass each schedule's overrides file right after the schedule file",
                )
            sources[-1] = _with_overrides(sources[-1], top.items("overrides"), people, users,
                                          path.name)
        elif "users" not in value:
            raise top.error(
                "found neither schedule, schedules, users nor overrides, expected a "
                "PagerDuty REST API v2 response",
                hint="GET /schedules/{id}?since=...&until=... (and GET /users for emails)",
            )
    return sources


def _pages(top: Node, order: int) -> list[Page]:
    """The paging of a ``users`` or ``schedules`` list (``offset``, ``more``)."""
    out = []
    for kind in ("users", "schedules"):
        if isinstance(top.value, dict) and isinstance(top.value.get(kind), list):
            more = top.get("more", bool, required=False)
            out.append(Page(more, kind, top.number("offset", required=False) or 0,
                            len(top.value[kind]), more.value is True, order))
    return out


def _user(ref: Node, people: People, users: _Users, where: str) -> str:
    ident = ref.text("id")
    assert ident is not None
    name, email = users.by_id.get(ident, (None, None))
    if email is None and isinstance(ref.value, dict):
        email = ref.value.get("email")
    return people.add(ident, name or ref.text("summary", required=False) or ident, email, where)


def _schedule(node: Node, people: People, users: _Users, file: str) -> Source:
    where = f"{file}:{node.path}"
    zone = node.zone("time_zone")
    tz = ZoneInfo(zone)
    notes: list[Note] = []
    layers: list[Layer] = []
    seen: set[str] = set()
    if not node.has("schedule_layers"):
        raise node.get("schedule_layers", list, required=False).error(
            "missing, expected the schedule's layers",
            hint="GET /schedules/{id}, or list with GET /schedules?include[]=schedule_layers",
        )
    items = node.items("schedule_layers")
    for index, item in enumerate(items):
        level = len(items) - 1 - index  # the first listed is the top layer
        layer = _layer(item, tz, people, users, notes, f"{file}:{item.path}", level)
        if layer is not None:
            layers.append(layer)
            seen.update(k for group in layer.groups for k in group)
    if len(layers) > 1:
        notes.append(Note(
            f"{where}.schedule_layers", f"{len(layers)} layers, the higher one (listed "
            "first) winning",
            "flattened into one rotation: each duty day is held by whoever the layers put "
            "on call for most of it; the layers themselves are not kept",
        ))
    history: list[Spell] = []
    final = node.get("final_schedule", dict, required=False)
    if final.value is not None:
        for entry in final.items("rendered_schedule_entries", required=False):
            history.append(_entry(entry, people, users, f"{file}:{entry.path}"))
    seen.update(k for spell in history for k in spell.people)
    read = f"{where}: {len(layers)} layer(s)" + (
        f", {len(history)} final schedule entries as history" if history else ""
    )
    teams = node.items("teams", required=False)
    team = teams[0].text("summary", required=False) if teams else None
    return Source(
        name=node.text("name") or "pagerduty", where=where, timezone=zone,
        people=people.subset(seen), layers=tuple(layers), combine=PRIORITY,
        history=tuple(history), notes=tuple(notes), team=team,
        description=node.text("description", required=False) or "", read=(read,),
        zone_key="time_zone",
    )


def _layer(
    node: Node, tz: ZoneInfo, people: People, users: _Users, notes: list[Note], where: str,
    level: int,
) -> Layer | None:
    seconds = node.number("rotation_turn_length_seconds")
    assert seconds is not None
    if seconds <= 0 or seconds % HOUR or seconds > 366 * DAY:
        raise node.get("rotation_turn_length_seconds", int).error(
            f"found {seconds}, expected a turn of whole hours (3600 or a multiple) up to a year"
        )
    unit, length = (("weeks", seconds // WEEK) if seconds % WEEK == 0 else
                    ("days", seconds // DAY) if seconds % DAY == 0 else ("hours", seconds // HOUR))
    virtual = node.moment("rotation_virtual_start")
    start = node.moment("start")
    end = node.moment("end", required=False)
    assert virtual is not None and start is not None
    groups = tuple(
        (_user(item.get("user", dict), people, users, f"{where}.{_last(item)}.user"),)
        for item in node.items("users")
    )
    if not groups:
        notes.append(Note(f"{where}.users", "a layer with no users",
                          "left out: it puts nobody on call"))
        return None
    restrictions = tuple(_restriction(r) for r in node.items("restrictions", required=False))
    if node.items("restrictions", required=False) and not any(r.minutes for r in restrictions):
        notes.append(Note(f"{where}.restrictions", "the restrictions yield no duty time",
                          "left out: the layer puts nobody on call"))
        return None
    return Layer(
        start_key="rotation_virtual_start", length_key="rotation_turn_length_seconds",
        where=where, start=virtual.astimezone(tz), unit=unit, length=length, groups=groups,
        restrictions=tuple(r for r in restrictions if r.minutes),
        until=end.astimezone(UTC) if end else None, level=level,
        begins=start.astimezone(UTC),
    )


def _restriction(node: Node) -> Restriction:
    kind = node.text("type")
    text = node.text("start_time_of_day") or ""
    try:
        hour, minute = (int(part) for part in text.split(":")[:2])
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError
    except ValueError:
        raise node.get("start_time_of_day", str).error(
            f"found {text!r}, expected a time such as 09:00:00"
        ) from None
    duration = node.number("duration_seconds") or 0
    if kind == "daily_restriction":
        return Restriction(None, hour * 60 + minute, min(duration // 60, 1440))
    if kind == "weekly_restriction":
        day = node.number("start_day_of_week")
        if day is None or not 1 <= day <= 7:
            raise node.get("start_day_of_week", int).error(
                f"found {day}, expected 1 (Monday) to 7 (Sunday)"
            )
        return Restriction(day - 1, hour * 60 + minute, min(duration // 60, 7 * 1440))
    raise node.get("type", str).error(
        f"found {kind!r}, expected daily_restriction or weekly_restriction"
    )


def _entry(node: Node, people: People, users: _Users, where: str) -> Spell:
    start, end = node.moment("start"), node.moment("end")
    assert start is not None and end is not None
    if end <= start:
        raise node.get("end", str).error("ends before it starts")
    key = _user(node.get("user", dict), people, users, f"{where}.user")
    return Spell(start.astimezone(UTC), end.astimezone(UTC), (key,), where)


def _with_overrides(
    source: Source, items: list[Node], people: People, users: _Users, file: str
) -> Source:
    spells = [_entry(item, people, users, f"{file}:{item.path}") for item in items]
    keys = {p.key for p in source.people} | {k for s in spells for k in s.people}
    return replace(
        source, overrides=(*source.overrides, *spells), people=people.subset(keys),
        read=(*source.read, f"{file}: {len(spells)} override(s)"),
    )


def _last(node: Node) -> str:
    return node.path.rsplit(".", 1)[-1]
