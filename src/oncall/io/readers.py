"""The readers of rotation and schedule values: one per kind of value a key may hold.

Each takes a YAML node and its place (``At``) and returns the value, or raises an
``InputError`` that says what was found and what was expected there. A reader is a
``yamlsafe`` reader (which refuses what YAML 1.1 would guess: ``yes``, ``007``, 10:00 as
600) plus the rule for one kind of value: a handle, a weekday, a length (a chat id's rule is
its chat's, ``oncall.chats``, read by ``oncall.io.chat_keys``). The
key tables in ``oncall.io.keys`` name a reader for every key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from yaml.nodes import MappingNode, Node

from oncall.core.model import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_SHIFT_DAYS,
    MAX_TERM_DAYS,
    WEEKDAYS,
    DateRange,
    ShiftUnit,
    Unavailability,
    YearlyClosure,
    describe_character,
    first_unprintable,
)
from oncall.io import yamlsafe as ys
from oncall.io.yamlsafe import At

if TYPE_CHECKING:
    from typing import Any

    Reader = Callable[[Node, At], Any]

ROTATION_ID = re.compile(r"[a-z0-9-]+")
HANDLE = re.compile(r"[A-Za-z0-9._-]+")
_SHIFT_LENGTH = re.compile(r"([0-9]+)([dw])")
_TERM_LENGTH = re.compile(r"([0-9]+)(d|w|mo)")
_EVENT = re.compile(r"[0-9]{8}(-[A-Za-z0-9._-]+)?")
_ENTRY = re.compile(r"([0-9]+) +([^ ]+) +([0-9a-f]+|cancelled)")


def text(node: Node, at: At) -> str:
    """One line of printable text. A newline, an escape sequence or a NUL in a name would
    reach terminals, chat and calendars as a fake line or a title-setting escape, so it is
    refused here, once, with its place, rather than escaped differently by every output."""
    value = ys.text(node, at)
    bad = first_unprintable(value)
    if bad is not None:
        raise at.error(
            node,
            f"found {describe_character(bad)} in the text, expected printable text on one line",
            hint="write it on one line; names, teams and messages cannot hold control "
            "characters",
        )
    return value


EMAIL = re.compile(r"[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\"]+")


def no_group(chat: str, why: str) -> Reader:
    """A chat whose webhooks cannot mention a group: refused at load, so nobody believes a
    group is paged when it is not."""

    def read(node: Node, at: At) -> str:
        raise at.error(
            node, f"found a {chat} group id, expected none: {why}",
            hint="name the group in the text (it is shown, not pinged) and mention the "
            "people on duty by their member ids",
        )

    return read


def email(node: Node, at: At) -> str:
    value = text(node, at).strip()
    if not EMAIL.fullmatch(value):
        raise at.error(node, f"found {value!r}, expected an email address such as a@example.com")
    return value


# A rotation id and a handle name files (rotations/ID.schedule.yaml, people/HANDLE.ics in
# a published site, each beside temporary files of a longer name): bounded well inside
# the 255 bytes a file name may have.
MAX_ID_LENGTH = 64


def _not_too_long(value: str, node: Node, at: At, what: str) -> str:
    if len(value) > MAX_ID_LENGTH:
        raise at.error(
            node,
            f"found {what} of {len(value)} characters ({_short(value)!r}), expected at most "
            f"{MAX_ID_LENGTH}",
            hint=f"the {what.removeprefix('a ').removeprefix('an ')} is part of file names",
        )
    return value


def rotation_id(node: Node, at: At) -> str:
    value = _not_too_long(ys.text(node, at), node, at, "an id")
    if not ROTATION_ID.fullmatch(value):
        raise at.error(
            node,
            f"found {value!r}, expected an id of lowercase letters, digits and '-'",
            hint="the id is used in file names and calendar UIDs",
        )
    return value


def handle(node: Node, at: At) -> str:
    value = _not_too_long(ys.text(node, at), node, at, "a handle")
    if not HANDLE.fullmatch(value):
        raise at.error(
            node, f"found {value!r}, expected a handle of letters, digits, '.', '_' and '-'"
        )
    return value


# Files in the zone database that are not a place's zone: `localtime` is whatever zone
# the machine running the command has (a laptop in Tokyo, a CI runner in UTC), so the
# same rotation would mean other hours on each; the others are the database's internals.
_NOT_A_PLACE = frozenset({"localtime", "posixrules", "Factory"})


def timezone(node: Node, at: At) -> str:
    value = ys.text(node, at)
    if value in _NOT_A_PLACE or value.startswith(("posix/", "right/")):
        raise at.error(
            node,
            f"found {value!r}, which is not a place's time zone, expected an IANA time zone",
            "name the team's zone, e.g. Asia/Tokyo: `localtime` differs from machine to "
            "machine",
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        import difflib

        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as Asia/Tokyo"
        raise at.error(node, f"found {value!r}, expected an IANA time zone", hint) from None
    return value


def choice(choices: Sequence[str]) -> Reader:
    def read(node: Node, at: At) -> str:
        value = ys.scalar(node, at, " or ".join(choices))
        if value not in choices:
            import difflib

            close = difflib.get_close_matches(value, choices, n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
            raise at.error(
                node, f"found {ys.describe(node)}, expected one of: {', '.join(choices)}", hint
            )
        return value

    return read


def weekday(node: Node, at: At) -> int:
    value = ys.scalar(node, at, "a weekday").strip().lower()
    if value not in WEEKDAYS:
        raise at.error(
            node, f"found {ys.describe(node)}, expected a weekday: {', '.join(WEEKDAYS)}"
        )
    return WEEKDAYS.index(value)


def weekdays(node: Node, at: At) -> frozenset[int]:
    items = ys.sequence(node, at, "a list of weekdays, e.g. [mon, tue, wed, thu, fri]")
    if not items:
        raise at.error(node, "found an empty list, expected at least one weekday")
    days: list[int] = []
    for index, item in enumerate(items):
        day = weekday(item, at.item(index))
        if day in days:
            raise at.item(index).error(
                item, f"found {WEEKDAYS[day]!r} twice, expected each weekday once"
            )
        days.append(day)
    return frozenset(days)


def start_time(node: Node, at: At) -> int:
    return ys.clock(node, at)


def end_time(node: Node, at: At) -> int:
    return ys.clock(node, at, allow_24=True)


def _count(digits: str) -> int:
    """A count written in a length (``3`` of ``3mo``); one past every bound when it has
    more digits than any whole number a file may hold, so it is never converted."""
    if len(digits.lstrip("0")) > len(str(ys.MAX_INTEGER)):
        return ys.MAX_INTEGER + 1
    return int(digits)


def _short(raw: str) -> str:
    return raw if len(raw) <= 40 else raw[:37] + "..."


def shift_length(node: Node, at: At) -> tuple[int, ShiftUnit]:
    raw = ys.scalar(node, at, "a length such as 1w or 2d").strip()
    match = _SHIFT_LENGTH.fullmatch(raw)
    if not match or _count(match[1]) < 1:
        raise at.error(
            node, f"found {ys.describe(node)}, expected a length such as 1w or 2d (at least 1)"
        )
    count, unit = _count(match[1]), ShiftUnit(match[2])
    if count * (7 if unit is ShiftUnit.WEEKS else 1) > MAX_SHIFT_DAYS:
        raise at.error(
            node,
            f"found {_short(raw)}, expected a shift of at most {MAX_SHIFT_DAYS} days "
            f"({MAX_SHIFT_DAYS // 7}w)",
        )
    return count, unit


# The longest term each unit allows: ten years.
TERM_LENGTH_LIMITS = {"d": MAX_TERM_DAYS, "w": MAX_TERM_DAYS // 7, "mo": 120}


def parse_term_length(raw: str) -> tuple[int, str] | None:
    """``3mo``, ``13w`` or ``90d`` as (count, unit); None when it is not one (or is 0).
    Shared by the rotation file's ``term.length`` and ``plan --next-term --length``."""
    match = _TERM_LENGTH.fullmatch(raw.strip())
    if not match or _count(match[1]) < 1:
        return None
    return _count(match[1]), match[2]


def term_length(node: Node, at: At) -> tuple[int, str]:
    raw = ys.scalar(node, at, "a length such as 3mo, 13w or 90d").strip()
    parsed = parse_term_length(raw)
    if parsed is None:
        raise at.error(
            node,
            f"found {ys.describe(node)}, expected a length such as 3mo, 13w or 90d (at least 1)",
        )
    count, unit = parsed
    if count > TERM_LENGTH_LIMITS[unit]:
        raise at.error(
            node,
            f"found {_short(raw)}, expected a term of at most ten years "
            f"({MAX_TERM_DAYS}d, {MAX_TERM_DAYS // 7}w or 120mo)",
        )
    return count, unit


def whole_number(minimum: int, maximum: int = ys.MAX_INTEGER) -> Callable[[Node, At], int]:
    """A whole number from ``minimum`` to ``maximum`` (at most ``yamlsafe.MAX_INTEGER``)."""

    def read(node: Node, at: At) -> int:
        return ys.integer(node, at, minimum, maximum)

    return read


def boolean(node: Node, at: At) -> bool:
    return ys.boolean(node, at)


def iso_date(node: Node, at: At) -> date:
    return ys.iso_date(node, at)


def date_or_range(node: Node, at: At) -> DateRange:
    """``2027-01-06`` or ``2027-01-06..2027-01-08`` (inclusive)."""
    raw = ys.scalar(node, at, "a date or a range YYYY-MM-DD..YYYY-MM-DD").strip()
    if ".." not in raw:
        return DateRange.single(ys.parse_date(raw, node, at))
    first_raw, _, last_raw = raw.partition("..")
    first = ys.parse_date(first_raw.strip(), node, at)
    last = ys.parse_date(last_raw.strip(), node, at)
    if last < first:
        raise at.error(
            node,
            f"found range {raw!r} that ends before it starts, expected first..last",
            hint=f"did you mean {last}..{first}?",
        )
    return DateRange(first, last)


_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def closures(node: Node, at: At) -> tuple[DateRange | YearlyClosure, ...]:
    """Dated closures (``2026-12-29..2027-01-03``) and yearly ones (``12-29..01-03``)."""
    items = ys.sequence(node, at, "a list of dates or date ranges")
    found: list[DateRange | YearlyClosure] = []
    for index, item in enumerate(items):
        where = at.item(index)
        raw = ys.scalar(item, where, "a date or a range").strip()
        first, _, last = raw.partition("..")
        if _MONTH_DAY.fullmatch(first.strip()):
            found.append(_yearly(first.strip(), (last or first).strip(), item, where))
        else:
            found.append(date_or_range(item, where))
    return tuple(found)


def _yearly(first: str, last: str, node: Node, at: At) -> YearlyClosure:
    expected = "a yearly closure MM-DD or MM-DD..MM-DD, e.g. 12-29..01-03"
    pair = []
    for text in (first, last):
        match = _MONTH_DAY.fullmatch(text)
        if match is None:
            raise at.error(node, f"found {ys.describe(node)}, expected {expected}")
        month, day = int(match[1]), int(match[2])
        try:
            date(2001, month, day)  # a year without 29 February: that day is not yearly
        except ValueError:
            hint = "write dated closures for leap years" if (month, day) == (2, 29) else None
            raise at.error(node, f"found {text!r}, which is not a day of every year, "
                           f"expected {expected}", hint) from None
        pair.append((month, day))
    return YearlyClosure(pair[0], pair[1])


def unavailable(node: Node, at: At) -> tuple[Unavailability, ...]:
    entries: list[Unavailability] = []
    for index, item in enumerate(ys.sequence(node, at, "a list of dates, ranges or weekdays")):
        where = at.item(index)
        raw = ys.scalar(item, where, "a date, a range or a weekday").strip().lower()
        if raw in WEEKDAYS:
            entries.append(Unavailability(weekday=WEEKDAYS.index(raw)))
        elif raw[:1].isdigit():
            entries.append(Unavailability(dates=date_or_range(item, where)))
        else:
            raise where.error(
                item,
                f"found {ys.describe(item)}, expected a date, a range a..b or a weekday "
                f"({', '.join(WEEKDAYS)})",
            )
    return tuple(entries)


def dates(node: Node, at: At) -> tuple[date, ...]:
    items = ys.sequence(node, at, "a list of dates")
    return tuple(ys.iso_date(item, at.item(index)) for index, item in enumerate(items))


def texts(node: Node, at: At) -> tuple[str, ...]:
    items = ys.sequence(node, at, "a list of text")
    return tuple(text(item, at.item(index)) for index, item in enumerate(items))


def handles(node: Node, at: At) -> tuple[str, ...]:
    items = ys.sequence(node, at, "a list of handles")
    return tuple(handle(item, at.item(index)) for index, item in enumerate(items))


def aware_datetime(node: Node, at: At) -> Any:
    return ys.aware_datetime(node, at)


def days_off(node: Node, at: At) -> dict[date, str]:
    days: dict[date, str] = {}
    for raw, key_node, value_node in ys.mapping(node, at, "a mapping of date: name"):
        where = at.key(raw)
        day = ys.parse_date(raw.strip(), key_node, where)
        if day in days:
            raise where.error(key_node, f"found {day} twice, expected each date once")
        days[day] = text(value_node, where)
    return dict(sorted(days.items()))


PERSON_FIELDS = ("name", "team")


def names(node: Node, at: At) -> dict[str, tuple[str, str | None]]:
    """``handle: name`` or ``handle: {name: N, team: T}`` for everyone a schedule names
    (``people:``), as ``handle: (name, team or None)``; the plain name is how files
    written before teams were recorded say it."""
    found: dict[str, tuple[str, str | None]] = {}
    expected = "a mapping of handle: name (or handle: {name: N, team: T})"
    for raw, key_node, value_node in ys.mapping(node, at, expected):
        where = at.key(raw)
        who = handle(key_node, at)
        if not isinstance(value_node, MappingNode):
            found[who] = (text(value_node, where), None)
            continue
        fields: dict[str, str] = {}
        for name, name_node, field_node in ys.mapping(value_node, where, "name and team"):
            if name not in PERSON_FIELDS:
                raise where.error(
                    name_node, f"found {name!r}, expected one of {', '.join(PERSON_FIELDS)}"
                )
            fields[name] = text(field_node, where.key(name))
        if "name" not in fields:
            raise where.error(value_node, "found no name, expected {name: N, team: T}")
        found[who] = (fields["name"], fields.get("team"))
    return dict(sorted(found.items()))


# A ledger counts what was served on days from 1970-01-01 to 2199-12-31, so no count of
# days (or shifts, holidays, swaps) can pass the number of those days, nor minutes that
# many days of 24 hours: a larger count is a typo, and the planner's bounds would walk it.
MAX_LEDGER_DAYS = (LATEST_DAY - EARLIEST_DAY).days + 1
_LEDGER_MAXIMUM = {"minutes": MAX_LEDGER_DAYS * 24 * 60}
# An event's SEQUENCE goes up by one per change: a billion is more than any calendar sees,
# and far from the end of RFC 5545's INTEGER, so raising it never leaves that range.
MAX_SEQUENCE = 1_000_000_000

LEDGER_FIELDS = (
    "days", "minutes", "shifts", "shadow_shifts", "holidays", "swaps_given", "swaps_taken",
    "credited", "excused",
)


def ledger(node: Node, at: At) -> dict[str, Any]:
    """``handle: {days: N, ...}``: the duty carried into a term (``oncall.core.ledger``)."""
    from oncall.core.served import Served

    entries: dict[str, Served] = {}
    for raw, key_node, value_node in ys.mapping(node, at, "a mapping of handle: duty"):
        where = at.key(raw)
        who = handle(key_node, at)
        counts: dict[str, int] = {}
        for name, name_node, count_node in ys.mapping(
            value_node, where, "a mapping of days, minutes, shifts, ... to whole numbers"
        ):
            if name not in LEDGER_FIELDS:
                import difflib

                close = difflib.get_close_matches(name, LEDGER_FIELDS, n=1)
                raise where.error(
                    name_node,
                    f"found {name!r}, expected one of {', '.join(LEDGER_FIELDS)}",
                    f"did you mean {close[0]!r}?" if close else None,
                )
            # No more than the days from EARLIEST_DAY to LATEST_DAY can hold.
            highest = _LEDGER_MAXIMUM.get(name, MAX_LEDGER_DAYS)
            counts[name] = ys.integer(count_node, where.key(name), 0, highest)
        entries[who] = Served(**counts)
    return dict(sorted(entries.items()))
def published_events(node: Node, at: At) -> dict[str, tuple[int, Any, str]]:
    """``published``: event -> ``SEQUENCE LAST-MODIFIED DIGEST`` (or ``cancelled``)."""
    expected = "SEQUENCE LAST-MODIFIED DIGEST, e.g. 1 2027-01-02T10:00:00+09:00 3f2a9c1d0b"
    events: dict[str, tuple[int, Any, str]] = {}
    for raw, key_node, value_node in ys.mapping(node, at, "a mapping of event: entry"):
        where = at.key(raw)
        if not _EVENT.fullmatch(raw):
            raise where.error(key_node, f"found {raw!r}, expected an event: YYYYMMDD[-handle]")
        ys.parse_date(f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}", key_node, where)
        entry = _ENTRY.fullmatch(ys.text(value_node, where).strip())
        if entry is None:
            raise where.error(value_node, f"found {ys.describe(value_node)}, expected {expected}")
        try:
            modified = datetime.fromisoformat(entry[2])
        except ValueError:
            modified = None
        if modified is None or modified.tzinfo is None:
            raise where.error(
                value_node, f"found {entry[2]!r}, expected a date-time with offset in {expected}"
            )
        sequence = ys.bounded_integer(entry[1], value_node, where, 0, MAX_SEQUENCE)
        events[raw] = (sequence, modified, entry[3])
    return events
