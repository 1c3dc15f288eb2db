"""A schedule as the YAML text `plan` and `swap` write: deterministic, in the spec's key
order, readable back by ``oncall.io.loading.load_schedule``, and diffable in git (one
line per ledger entry, per recorded name and per calendar event)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oncall.core.schedule import Schedule

HEADER = (
    "# Written by `oncall plan`; overrides may be edited by hand (`oncall validate` checks them).\n"
)

_STR = "tag:yaml.org,2002:str"
_STAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Dumper(yaml.SafeDumper):
    """Indents block lists under their key, as people write them by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(value: str) -> ScalarNode:
    # Tagged str: the serializer quotes anything YAML would read as another type
    # (yes, 007, 2027-01-04), so the text comes back exactly. Unprintable characters
    # force double quotes, the one style that escapes them (NEL would fold to a space).
    style = None if value.isprintable() else '"'
    return ScalarNode(_STR, value, style=style)


def _stamp(value: date) -> ScalarNode:
    return ScalarNode(_STAMP, value.isoformat())


def _map(pairs: Sequence[tuple[str, Node]], flow: bool = False) -> MappingNode:
    return MappingNode(_MAP, [(_text(key), value) for key, value in pairs], flow_style=flow)


def _handles(handles: tuple[str, ...]) -> SequenceNode:
    return SequenceNode(_SEQ, [_text(handle) for handle in handles], flow_style=True)


def _person(name: str, team: str | None) -> Node:
    """A ``people:`` entry: ``{name: N, team: T}``, or the plain name when no team is known
    (as files written before teams were recorded say it)."""
    if team is None:
        return _text(name)
    return _map([("name", _text(name)), ("team", _text(team))], flow=True)


def _ledger(entries: Any) -> MappingNode:
    """One line per person, zero counts left out: ``aiko: {days: 12, minutes: 5040}``."""
    from oncall.io.readers import LEDGER_FIELDS

    rows = []
    for who, served in sorted(entries.items()):
        counts = [
            (name, ScalarNode("tag:yaml.org,2002:int", str(getattr(served, name))))
            for name in LEDGER_FIELDS
            if getattr(served, name)
        ]
        rows.append((who, _map(counts, flow=True)))
    return _map(rows, flow=not rows)


def _published(events: Mapping[str, tuple[int, datetime, str]]) -> MappingNode:
    """One line per event, in UID order: a swap's diff shows the events it changed."""
    pairs = [
        (key, _text(f"{sequence} {modified.isoformat()} {digest}"))
        for key, (sequence, modified, digest) in sorted(events.items())
    ]
    return MappingNode(_MAP, [(_text(k), v) for k, v in pairs], flow_style=not pairs)


def dump_schedule(schedule: Schedule) -> str:
    """Deterministic YAML in the spec's key order, readable back by ``load_schedule``."""
    shifts = []
    for shift in schedule.shifts:
        pairs: list[tuple[str, Node]] = [
            ("start", _stamp(shift.start)),
            ("end", _stamp(shift.end)),
            ("primary", _handles(shift.primary)),
        ]
        if shift.shadow:
            pairs.append(("shadow", _handles(shift.shadow)))
        if shift.covers:
            covers = [
                _map([("date", _stamp(day)), ("out", _text(out)), ("in", _text(into))], True)
                for day, out, into in shift.covers
            ]
            pairs.append(("covers", SequenceNode(_SEQ, covers)))
        shifts.append(_map(pairs))
    overrides = []
    for override in schedule.overrides:
        dates = override.dates
        pairs = [("dates", _stamp(dates.first) if dates.first == dates.last else _text(str(dates)))]
        for key, value in (
            ("out", override.out),
            ("in", override.in_),
            ("reason", override.reason),
        ):
            if value is not None:
                pairs.append((key, _text(value)))
        if override.forced:
            pairs.append(("forced", ScalarNode(_BOOL, "true")))
        if override.excused:
            pairs.append(("excused", ScalarNode(_BOOL, "true")))
        if override.recorded_at is not None:
            pairs.append(("recorded_at", ScalarNode(_STAMP, override.recorded_at.isoformat())))
        overrides.append(_map(pairs))
    top: list[tuple[str, Node]] = [("rotation", _text(schedule.rotation))]
    if schedule.planned_at is not None:
        top.append(("planned_at", ScalarNode(_STAMP, schedule.planned_at.isoformat())))
    term = schedule.term
    top.append(("term", _map([("start", _stamp(term.start)), ("end", _stamp(term.end))], True)))
    top.append(("shifts", SequenceNode(_SEQ, shifts, flow_style=not shifts)))
    top.append(("overrides", SequenceNode(_SEQ, overrides, flow_style=not overrides)))
    calendar: list[tuple[str, Node]] = []
    if schedule.calendar_basis is not None:
        calendar.append(("basis", _text(schedule.calendar_basis)))
    if schedule.days_off is not None:
        days = [(_stamp(day), _text(name)) for day, name in sorted(schedule.days_off.items())]
        calendar.append(("days_off", MappingNode(_MAP, days, flow_style=not days)))
    if calendar:
        top.append(("calendar", _map(calendar)))
    if schedule.names:
        teams = schedule.teams or {}
        people = [
            (_text(h), _person(name, teams.get(h))) for h, name in sorted(schedule.names.items())
        ]
        top.append(("people", MappingNode(_MAP, people)))
    if schedule.ledger is not None:
        version = ScalarNode("tag:yaml.org,2002:int", str(schedule.ledger_format))
        top.append(("ledger_format", version))
        top.append(("ledger", _ledger(schedule.ledger)))
    if schedule.published is not None:
        top.append(("published", _published(schedule.published)))
    body = yaml.serialize(_map(top), Dumper=_Dumper, allow_unicode=True, width=100)
    return HEADER + str(body)
