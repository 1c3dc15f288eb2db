"""The table of every key a rotation or schedule file may hold.

One declarative list drives three things that must never disagree: what the loader
accepts (types, defaults, required keys), the "unknown key, did you mean" error, and the
reference in docs/rotation-file.md (``python -m oncall.io.schema > docs/rotation-file.md``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from yaml.nodes import Node

from oncall.core.errors import InputError
from oncall.core.model import (
    LANGUAGES,
    MAX_SHIFT_DAYS,
    MAX_TERM_DAYS,
    WEEKDAYS,
    DateRange,
    ShiftUnit,
    Unavailability,
    describe_character,
    first_unprintable,
)
from oncall.io import yamlsafe as ys
from oncall.io.yamlsafe import At

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms) at start-up
if TYPE_CHECKING:
    from typing import Any

    Reader = Callable[[Node, At], Any]

ROTATION_ID = re.compile(r"[a-z0-9-]+")
HANDLE = re.compile(r"[A-Za-z0-9._-]+")
_SHIFT_LENGTH = re.compile(r"([0-9]+)([dw])")
_TERM_LENGTH = re.compile(r"([0-9]+)(d|w|mo)")


@dataclass(frozen=True)
class Key:
    """One key: ``path`` is dotted, ``[]`` marks the items of a list (``members[].team``).

    ``read`` is None for a section (a mapping of further keys), or for a list of sections
    when ``many`` is set. ``default`` is what an absent or null key means.
    """

    path: str
    kind: str
    doc: str
    read: Reader | None = None
    required: bool = False
    default: Any = None
    default_doc: str | None = None
    many: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""


@dataclass(frozen=True)
class Table:
    """A file's keys, in the order the docs present them."""

    title: str
    keys: tuple[Key, ...]

    @cached_property
    def children(self) -> dict[str, dict[str, Key]]:
        tree: dict[str, dict[str, Key]] = {}
        for key in self.keys:
            tree.setdefault(key.parent, {})[key.name] = key
        return tree

    def read(self, node: Node | None, at: At, prefix: str = "") -> Section:
        """Check ``node`` against the keys under ``prefix`` and read each one."""
        known = self.children.get(prefix, {})
        present: dict[str, tuple[Node, Node]] = {}
        if node is not None:
            for name, key_node, value_node in ys.mapping(node, at):
                if name not in known:
                    raise unknown_key(name, key_node, known, at.key(name))
                present[name] = (key_node, value_node)
        section = Section(node, at, {}, {})
        for name, key in known.items():
            sub = at.key(name)
            _, value_node = present.get(name, (None, None))
            if value_node is None or ys.is_null(value_node):
                if key.required:
                    where = value_node if value_node is not None else node
                    found = "nothing" if value_node is not None else f"no {name!r} key"
                    raise sub.error(where, f"found {found}, expected {key.kind} (required)")
                if key.read is None and not key.many:
                    section.values[name] = self.read(None, sub, key.path)
                else:
                    section.values[name] = key.default
                continue
            section.nodes[name] = value_node
            if key.read is not None:
                section.values[name] = key.read(value_node, sub)
            elif key.many:
                items = ys.sequence(value_node, sub, f"a list of {key.kind}")
                section.values[name] = [
                    self.read(item, sub.item(index), key.path + "[]")
                    for index, item in enumerate(items)
                ]
            else:
                section.values[name] = self.read(value_node, sub, key.path)
        return section


@dataclass
class Section:
    """The values of one mapping, with the nodes they came from for later cross-checks."""

    node: Node | None
    at: At
    values: dict[str, Any]
    nodes: dict[str, Node] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def error(self, name: str | None, message: str, hint: str | None = None) -> InputError:
        """An error at the key's value, or at the section itself when the key is absent."""
        node = self.nodes.get(name, self.node) if name else self.node
        at = self.at.key(name) if name else self.at
        return at.error(node, message, hint)


def unknown_key(name: str, node: Node, known: dict[str, Key], at: At) -> InputError:
    """Typos are errors, because a key silently ignored makes a wrong schedule."""
    import difflib

    names = list(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else None
    expected = ", ".join(names) if names else "no keys here"
    return at.error(node, f"found unknown key {name!r}, expected one of: {expected}", hint)


# ---- readers: a yamlsafe reader plus the rule for one kind of value ------------------


def _text(node: Node, at: At) -> str:
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


SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
EMAIL = re.compile(r"[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\"]+")


def _slack_id(node: Node, at: At) -> str:
    """A Slack member id (U... or W...): anything else inside ``<@...>`` could ping a
    channel (``<!channel>``) or break the mention."""
    value = _text(node, at).strip()
    if not SLACK_ID.fullmatch(value):
        raise at.error(
            node,
            f"found {value!r}, expected a Slack member id: U or W then capital letters and "
            "digits, e.g. U012AB3CD",
            hint="in Slack: the member's profile, \u22ee (more), Copy member ID",
        )
    return value


def _email(node: Node, at: At) -> str:
    value = _text(node, at).strip()
    if not EMAIL.fullmatch(value):
        raise at.error(node, f"found {value!r}, expected an email address such as a@example.com")
    return value


def _rotation_id(node: Node, at: At) -> str:
    value = ys.text(node, at)
    if not ROTATION_ID.fullmatch(value):
        raise at.error(
            node,
            f"found {value!r}, expected an id of lowercase letters, digits and '-'",
            hint="the id is used in file names and calendar UIDs",
        )
    return value


def handle(node: Node, at: At) -> str:
    value = ys.text(node, at)
    if not HANDLE.fullmatch(value):
        raise at.error(
            node, f"found {value!r}, expected a handle of letters, digits, '.', '_' and '-'"
        )
    return value


def _timezone(node: Node, at: At) -> str:
    value = ys.text(node, at)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        import difflib

        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as Asia/Tokyo"
        raise at.error(node, f"found {value!r}, expected an IANA time zone", hint) from None
    return value


def _choice(choices: Sequence[str]) -> Reader:
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


def _weekdays(node: Node, at: At) -> frozenset[int]:
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


def _start_time(node: Node, at: At) -> int:
    return ys.clock(node, at)


def _end_time(node: Node, at: At) -> int:
    return ys.clock(node, at, allow_24=True)


def _shift_length(node: Node, at: At) -> tuple[int, ShiftUnit]:
    raw = ys.scalar(node, at, "a length such as 1w or 2d").strip()
    match = _SHIFT_LENGTH.fullmatch(raw)
    if not match or int(match[1]) < 1:
        raise at.error(
            node, f"found {ys.describe(node)}, expected a length such as 1w or 2d (at least 1)"
        )
    count, unit = int(match[1]), ShiftUnit(match[2])
    if count * (7 if unit is ShiftUnit.WEEKS else 1) > MAX_SHIFT_DAYS:
        raise at.error(
            node,
            f"found {raw}, expected a shift of at most {MAX_SHIFT_DAYS} days "
            f"({MAX_SHIFT_DAYS // 7}w)",
        )
    return count, unit


def _term_length(node: Node, at: At) -> tuple[int, str]:
    raw = ys.scalar(node, at, "a length such as 3mo, 13w or 90d").strip()
    match = _TERM_LENGTH.fullmatch(raw)
    if not match or int(match[1]) < 1:
        raise at.error(
            node,
            f"found {ys.describe(node)}, expected a length such as 3mo, 13w or 90d (at least 1)",
        )
    count, unit = int(match[1]), match[2]
    if count > {"d": MAX_TERM_DAYS, "w": MAX_TERM_DAYS // 7, "mo": 120}[unit]:
        raise at.error(
            node,
            f"found {raw}, expected a term of at most ten years "
            f"({MAX_TERM_DAYS}d, {MAX_TERM_DAYS // 7}w or 120mo)",
        )
    return count, unit


def _count(minimum: int) -> Reader:
    def read(node: Node, at: At) -> int:
        value = ys.integer(node, at)
        if value < minimum:
            raise at.error(node, f"found {value}, expected a whole number >= {minimum}")
        return value

    return read


def _bool(node: Node, at: At) -> bool:
    return ys.boolean(node, at)


def _date(node: Node, at: At) -> date:
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


def _ranges(node: Node, at: At) -> tuple[DateRange, ...]:
    items = ys.sequence(node, at, "a list of dates or date ranges")
    return tuple(date_or_range(item, at.item(index)) for index, item in enumerate(items))


def _unavailable(node: Node, at: At) -> tuple[Unavailability, ...]:
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


def _dates(node: Node, at: At) -> tuple[date, ...]:
    items = ys.sequence(node, at, "a list of dates")
    return tuple(ys.iso_date(item, at.item(index)) for index, item in enumerate(items))


def _texts(node: Node, at: At) -> tuple[str, ...]:
    items = ys.sequence(node, at, "a list of text")
    return tuple(_text(item, at.item(index)) for index, item in enumerate(items))


def _handles(node: Node, at: At) -> tuple[str, ...]:
    items = ys.sequence(node, at, "a list of handles")
    return tuple(handle(item, at.item(index)) for index, item in enumerate(items))


def _datetime(node: Node, at: At) -> Any:
    return ys.aware_datetime(node, at)


def _days_off(node: Node, at: At) -> dict[date, str]:
    days: dict[date, str] = {}
    for raw, key_node, value_node in ys.mapping(node, at, "a mapping of date: name"):
        where = at.key(raw)
        day = ys.parse_date(raw.strip(), key_node, where)
        if day in days:
            raise where.error(key_node, f"found {day} twice, expected each date once")
        days[day] = _text(value_node, where)
    return dict(sorted(days.items()))


# ---- the tables ----------------------------------------------------------------------

ROTATION_KEYS = Table(
    "Rotation file",
    (
        Key(
            "rotation",
            "id `[a-z0-9-]+`",
            "Names the rotation in file names and calendar UIDs.",
            _rotation_id,
            required=True,
        ),
        Key(
            "description",
            "text",
            "One line saying what the duty is for.",
            _text,
            default="",
            default_doc='""',
        ),
        Key(
            "timezone",
            "IANA time zone",
            "All times and dates are local to it, e.g. `Asia/Tokyo`.",
            _timezone,
            required=True,
        ),
        Key(
            "language",
            "`en` or `ja`",
            "Language of reminders and holiday names.",
            _choice(LANGUAGES),
            default="en",
            default_doc="`en`",
        ),
        Key("window", "mapping", "The hours of a duty day.", required=True),
        Key(
            "window.days",
            "list of weekdays",
            "Weekdays with duty (`mon` .. `sun`).",
            _weekdays,
            default=frozenset(range(5)),
            default_doc="`[mon, tue, wed, thu, fri]`",
        ),
        Key(
            "window.start",
            "time `HH:MM`",
            "When duty starts; `00:00` to `23:59`. An unquoted 10:00 is read as 10:00.",
            _start_time,
            required=True,
        ),
        Key(
            "window.end",
            "time `HH:MM`",
            "When duty ends; `24:00` is midnight, and an end "
            "before the start means the window ends the next day.",
            _end_time,
            required=True,
        ),
        Key("holidays", "mapping", "Days that are never duty days."),
        Key(
            "holidays.country",
            "country code",
            "National holidays of this country "
            "(ISO 3166-1, e.g. `JP`), from the `holidays` package.",
            _text,
            default_doc="none",
        ),
        Key(
            "holidays.subdivision",
            "text",
            "A state or prefecture code for regional holidays.",
            _text,
            default_doc="none",
        ),
        Key(
            "holidays.closures",
            "list of dates or ranges",
            "Company days off: `2026-12-29` or an inclusive range `2026-12-29..2027-01-03`.",
            _ranges,
            default=(),
            default_doc="`[]`",
        ),
        Key("shift", "mapping", "How duty days group into shifts.", required=True),
        Key(
            "shift.length",
            "`Nd` or `Nw`",
            "`Nd`: N calendar days from the term start; `Nw`: N weeks from the handoff day.",
            _shift_length,
            required=True,
        ),
        Key(
            "shift.handoff",
            "weekday",
            "Weekday a weekly shift starts on; the first shift may be short.",
            weekday,
            default=0,
            default_doc="`mon`",
        ),
        Key(
            "shift.people",
            "whole number >= 1",
            "Primaries per shift (shadows do not count).",
            _count(1),
            default=1,
            default_doc="`1`",
        ),
        Key("term", "mapping", "The planning period; may come from `oncall plan --start` instead."),
        Key(
            "term.start",
            "date",
            "First day of the term (required unless `--start` is given).",
            _date,
            default_doc="`--start`",
        ),
        Key(
            "term.length",
            "`Nd`, `Nw` or `Nmo`",
            "Length of the term; not together with `end`.",
            _term_length,
            default_doc="`3mo`",
        ),
        Key(
            "term.end",
            "date",
            "Last day of the term (inclusive); not together with `length`.",
            _date,
            default_doc="start + length - 1 day",
        ),
        Key("rules", "mapping", "Hard rules the planner never breaks."),
        Key(
            "rules.volunteers_only",
            "true or false",
            "Only members with `volunteer: true` are scheduled.",
            _bool,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "rules.distinct_teams",
            "`required`, `preferred` or `off`",
            "Whether the primaries of one shift come from different teams.",
            _choice(("required", "preferred", "off")),
            default="preferred",
            default_doc="`preferred`",
        ),
        Key(
            "rules.min_gap",
            "whole number >= 0",
            "At least this many other shifts between "
            "two shifts of one member (1 = never back to back).",
            _count(0),
            default=0,
            default_doc="`0`",
        ),
        Key(
            "rules.max_shifts",
            "whole number >= 1 or null",
            "Cap on shifts per member per term; null for none.",
            _count(1),
            default_doc="`null`",
        ),
        Key("onboarding", "mapping", "How newcomers start."),
        Key(
            "onboarding.shadow_shifts",
            "whole number >= 0",
            "A member with `new: true` first serves this many shifts as shadow.",
            _count(0),
            default=2,
            default_doc="`2`",
        ),
        Key(
            "fallback",
            "text",
            "Who is responsible outside the window and when nobody is "
            'on duty, e.g. `"@sre-oncall"`.',
            _text,
            default_doc="none",
        ),
        Key("escalation", "text", "When and to whom to escalate.", _text, default_doc="none"),
        Key("reminders", "mapping", "Text for the reminders `oncall remind` prints."),
        Key("reminders.manual", "text", "Link to the on-call manual.", _text, default_doc="none"),
        Key(
            "reminders.checklist",
            "list of text",
            "The pre-shift checklist.",
            _texts,
            default=(),
            default_doc="`[]`",
        ),
        Key(
            "reminders.report",
            "list of text",
            "Fields of the end-of-duty report.",
            _texts,
            default=(),
            default_doc="`[]`",
        ),
        Key("members", "list of mappings", "The people in the rotation.", required=True, many=True),
        Key(
            "members[].handle",
            "handle `[A-Za-z0-9._-]+`",
            "Unique id and chat handle.",
            handle,
            required=True,
        ),
        Key(
            "members[].name",
            "text",
            "Display name, any Unicode text.",
            _text,
            default_doc="the handle",
        ),
        Key(
            "members[].team",
            "text",
            "The member's team, for `distinct_teams`.",
            _text,
            required=True,
        ),
        Key(
            "members[].email",
            "text",
            "The member's address, checked for its shape. Calendars carry no ATTENDEE: "
            "a published feed may not (RFC 5546), and Outlook would turn duty days into "
            "meeting requests.",
            _email,
            default_doc="none",
        ),
        Key(
            "members[].slack",
            "text",
            "Slack member id (`U...` or `W...`) for `<@...>` mentions.",
            _slack_id,
            default_doc="none",
        ),
        Key(
            "members[].volunteer",
            "true or false",
            "Has raised a hand (see `rules.volunteers_only`).",
            _bool,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "members[].new",
            "true or false",
            "Shadows first (see `onboarding`).",
            _bool,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "members[].unavailable",
            "list of dates, ranges or weekdays",
            "Never on duty "
            "on these days: `2027-02-10`, `2027-02-10..2027-02-14` or `mon` (every week).",
            _unavailable,
            default=(),
            default_doc="`[]`",
        ),
        Key(
            "members[].terms",
            "list of dates or null",
            "Only scheduled in terms starting on these dates; null for every term.",
            _dates,
            default_doc="`null`",
        ),
    ),
)

SCHEDULE_KEYS = Table(
    "Schedule file",
    (
        Key(
            "rotation", "id", "The rotation this schedule belongs to.", _rotation_id, required=True
        ),
        Key(
            "planned_at",
            "ISO date-time with offset",
            "When `oncall plan` wrote it.",
            _datetime,
            default_doc="none",
        ),
        Key("term", "mapping", "The planned term.", required=True),
        Key("term.start", "date", "First day.", _date, required=True),
        Key("term.end", "date", "Last day (inclusive).", _date, required=True),
        Key(
            "shifts",
            "list of mappings",
            "Planned shifts.",
            many=True,
            default=[],
            default_doc="`[]`",
        ),
        Key("shifts[].start", "date", "First day of the shift.", _date, required=True),
        Key("shifts[].end", "date", "Last day of the shift (inclusive).", _date, required=True),
        Key("shifts[].primary", "list of handles", "Members on duty.", _handles, required=True),
        Key(
            "shifts[].shadow",
            "list of handles",
            "Newcomers learning alongside.",
            _handles,
            default=(),
            default_doc="`[]`",
        ),
        Key(
            "overrides",
            "list of mappings",
            "Changes after planning; they win over shifts.",
            many=True,
            default=[],
            default_doc="`[]`",
        ),
        Key(
            "overrides[].dates",
            "date or range",
            "The days the override covers.",
            date_or_range,
            required=True,
        ),
        Key(
            "overrides[].out",
            "handle",
            "Who is off duty on those days.",
            handle,
            default_doc="none",
        ),
        Key("overrides[].in", "handle", "Who is on duty instead.", handle, default_doc="none"),
        Key("overrides[].reason", "text", "Why, for the team.", _text, default_doc="none"),
        Key(
            "overrides[].forced",
            "true or false",
            "Recorded with `swap --force` despite a rule.",
            _bool,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "overrides[].recorded_at",
            "ISO date-time with offset",
            "When it was recorded.",
            _datetime,
            default_doc="none",
        ),
        Key(
            "calendar",
            "mapping",
            "Days off stored by `oncall plan` so cron runs need no holiday tables.",
        ),
        Key(
            "calendar.basis",
            "text",
            "Fingerprint of the settings the days off came from.",
            _text,
            default_doc="none",
        ),
        Key(
            "calendar.days_off",
            "mapping of date: name",
            "Holidays and closures in the term.",
            _days_off,
            default_doc="none",
        ),
    ),
)


def render_docs() -> str:
    """docs/rotation-file.md, made from the tables so the reference cannot drift."""
    lines = [
        "# Rotation and schedule file reference",
        "",
        "<!-- Generated from src/oncall/io/schema.py by "
        "`python -m oncall.io.schema > docs/rotation-file.md`; do not edit by hand. -->",
        "",
        "Keys are YAML. `a.b` is key `b` inside mapping `a`; `members[].b` is key `b` of",
        "each item of the list `members`. Unknown keys are errors. A key set to `null`",
        "(or left empty) counts as absent. Errors name the key as `members[0].team`",
        "(list items count from 0) with the file, line and column.",
        "",
        "Values are read as written, not as YAML 1.1 would guess: `handle: 007` is the",
        'text "007", `start: 10:00` is ten o\'clock, and `yes`/`no`/`on`/`off` are refused',
        "where `true` or `false` is expected.",
    ]
    for table in (ROTATION_KEYS, SCHEDULE_KEYS):
        lines += ["", f"## {table.title}", "", "| key | type | default | meaning |"]
        lines.append("| --- | --- | --- | --- |")
        for key in table.keys:
            if key.required:
                default = "**required**"
            elif key.default_doc is not None:
                default = key.default_doc
            else:
                default = "see below" if key.read is None else "none"
            cells = (f"`{key.path}`", key.kind, default, key.doc)
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_docs())
