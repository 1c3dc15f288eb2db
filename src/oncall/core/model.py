"""The rotation model: what a team lead writes in a rotation file, as plain values.

No I/O here: ``loading`` builds these from YAML, everything else reads them. Every
dataclass has a docstring: for one without, ``dataclass`` writes it from
``inspect.signature`` at import, which each cron run would pay for (~0.2 ms a class).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall import chats, words

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Every `language:` a rotation may name: one catalogue of words each (``oncall.words``).
LANGUAGES: tuple[str, ...] = words.LANGUAGES
# Where reminders are posted (`reminders.chat`): each has its payload and mention syntax,
# in its module of ``oncall.chats``.
CHAT_TARGETS: tuple[str, ...] = chats.NAMES
# What fairness balances (`rules.fairness`): duty days, hours of duty, or shifts.
FAIRNESS_UNITS: tuple[str, ...] = ("days", "hours", "shifts")

# Every date a rotation, a schedule or an option may name. Far wider than any rotation
# lives, narrow enough that a term, a shift or a week around any of them stays inside
# what ``datetime.date`` can hold (a typo such as 9999-12-20 is an error, not a crash).
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2199, 12, 31)
# The longest term and shift: ten years of terms, a year of one shift.
MAX_TERM_DAYS = 3660
MAX_SHIFT_DAYS = 366


def day_in_range(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


# Bidirectional overrides and isolates: they make text display differently from what it
# says (the "Trojan Source" trick), so a name cannot hold them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab",
          "\x1b": "an escape character (ESC)", "\x00": "a NUL character"}


def first_unprintable(text: str) -> str | None:
    """The first character that may not stand in one line of user text: a control
    character, a line or paragraph separator, or a bidirectional override."""
    if text.isprintable():  # no Cc, Zl, Zp or Cf at all: the usual case, without imports
        return None
    import unicodedata

    for ch in text:
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            return ch
    return None


def describe_character(ch: str) -> str:
    return _NAMED.get(ch, f"the control character U+{ord(ch):04X}")


@dataclass(frozen=True, order=True)
class DateRange:
    """An inclusive range of dates; a single date is a range of one day."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"range ends ({self.last}) before it starts ({self.first})")

    @classmethod
    def single(cls, day: date) -> DateRange:
        return cls(day, day)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)

    def overlaps(self, other: DateRange) -> bool:
        return self.first <= other.last and other.first <= self.last

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


@dataclass(frozen=True)
class Unavailability:
    """One entry of a member's ``unavailable`` list: a date range or a weekday every week."""

    dates: DateRange | None = None
    weekday: int | None = None  # 0 = Monday

    def covers(self, day: date) -> bool:
        if self.weekday is not None:
            return day.weekday() == self.weekday
        return self.dates is not None and day in self.dates

    def __str__(self) -> str:
        if self.weekday is not None:
            return f"every {words.weekday_name('en', self.weekday)}"
        return str(self.dates)


class ChatIds(Mapping[str, str]):
    """Ids by chat target (``{"slack": "U0AIKO", "google-chat": "users/123..."}``), in the
    order of ``oncall.chats``: an immutable, hashable mapping, so a ``Member`` stays a
    frozen value. A plain class: the cron path creates one per member."""

    __slots__ = ("_ids",)

    def __init__(self, ids: Mapping[str, str] | None = None) -> None:
        given = dict(ids or {})
        self._ids = {name: given.pop(name) for name in chats.NAMES if name in given}
        if given:
            raise ValueError(f"not chat targets: {', '.join(sorted(given))}")

    def __getitem__(self, chat: str) -> str:
        return self._ids[chat]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __hash__(self) -> int:
        return hash(tuple(self._ids.items()))

    def __repr__(self) -> str:
        return f"ChatIds({self._ids!r})"


@dataclass(frozen=True)
class Member:
    """One person of the roster (``members[]``); ``handle`` is unique in a rotation."""

    handle: str
    name: str
    team: str
    email: str | None = None
    # Their id on each chat target that mentions people, by target (`slack`, `google-chat`):
    # the rotation file's `members[].slack`, `members[].google_chat`...
    chat_ids: ChatIds = field(default_factory=ChatIds)
    volunteer: bool = False
    new: bool = False
    unavailable: tuple[Unavailability, ...] = ()
    # Soft wishes (``prefers_not``): days kept free of duty when this costs no fairness.
    prefers_not: tuple[Unavailability, ...] = ()
    terms: tuple[date, ...] | None = None
    joined: date | None = None  # first day they may serve
    left: date | None = None  # the day they left: off duty from this day on

    def chat_id(self, chat: str) -> str | None:
        """The member's id on the chat target ``chat`` (one of CHAT_TARGETS), if given."""
        return self.chat_ids.get(chat)

    def unavailable_on(self, day: date) -> Unavailability | None:
        """The entry that keeps this member off duty on ``day``, if any (for explanations)."""
        for entry in self.unavailable:
            if entry.covers(day):
                return entry
        return None

    def available_on(self, day: date) -> bool:
        return self.unavailable_on(day) is None

    def serves_in_term(self, term_start: date) -> bool:
        return self.terms is None or term_start in self.terms

    def member_on(self, day: date) -> bool:
        """Whether ``day`` lies in their membership: from ``joined`` on, before ``left``."""
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day < self.left
        )

    def present_throughout(self, first: date, last: date) -> bool:
        """Whether they are a member on every day from ``first`` to ``last``."""
        return self.member_on(first) and self.member_on(last)


@dataclass(frozen=True)
class Window:
    """The hours of a duty day, in minutes after local midnight.

    ``end <= start`` means the window ends the next day; ``end == 1440`` is "24:00".
    """

    days: frozenset[int]
    start: int
    end: int

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start or self.end == 24 * 60

    def bounds(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The real start and end instants of the window of ``day``: the one definition
        that who, remind, show, the calendar and the spreadsheet all use, so they agree
        across DST changes (see ``wall_instant``)."""
        start = wall_instant(day, self.start, tz)
        end_day = day + timedelta(days=1) if self.end <= self.start else day
        if self.end == 24 * 60:
            end = wall_instant(day + timedelta(days=1), 0, tz)
        else:
            end = wall_instant(end_day, self.end, tz)
        return start, end

    def minutes_on(self, day: date, tz: ZoneInfo) -> int:
        """How long the window of ``day`` really lasts, in minutes: the time elapsed
        between its real instants, DST changes included (an 8-hour night across the
        spring change lasts 7 hours). What duty hours count, in the ledger (format 2),
        ``report``, the calendars and for ``rules.fairness: hours``. (Two aware times
        with one ``tzinfo`` subtract as wall clocks in Python: hence UTC.)"""
        start, end = self.bounds(day, tz)
        return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()) // 60

    def wall_minutes_on(self, day: date, tz: ZoneInfo) -> int:
        """How long the window of ``day`` lasts by the wall clock, ignoring a DST change:
        what ledgers of format 1 counted as its minutes (``core.schedule.LEDGER_FORMAT``)."""
        start, end = self.bounds(day, tz)
        return int((end - start).total_seconds()) // 60

    def wall_times(self, day: date, tz: ZoneInfo) -> tuple[str, str]:
        """``HH:MM`` of the window's start and end on ``day`` as a local clock shows them:
        the rotation's hours, unless a DST gap moved one (02:30 becomes 03:00)."""
        texts = []
        for minutes, instant in zip((self.start, self.end), self.bounds(day, tz), strict=True):
            real = instant.strftime("%H:%M")
            nominal = "00:00" if minutes == 24 * 60 else self.format_minutes(minutes)
            texts.append(self.format_minutes(minutes) if real == nominal else real)
        return texts[0], texts[1]

    @staticmethod
    def format_minutes(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def __str__(self) -> str:
        return f"{self.format_minutes(self.start)}-{self.format_minutes(self.end)}"


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def wall_instant(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The instant a local clock reading names on ``day``.

    A reading that happens twice (the hour repeated when DST ends) is its first
    occurrence, as RFC 5545 reads a local time. A reading that never happens (the hour
    skipped when DST starts) is the moment the clock jumps, the first real time after it:
    a 02:30-03:30 window on a spring-forward night runs 03:00-03:30, rather than
    collapsing to nothing or naming a time that does not exist."""
    wall = datetime.combine(day, _clock(minutes))
    first = wall.replace(tzinfo=tz)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # In a gap: the instants the offsets before and after it give bracket the jump.
    earlier = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    later = first.astimezone(UTC)
    return clock_change(tz, min(earlier, later), max(earlier, later))


def clock_change(tz: tzinfo, before: datetime, after: datetime) -> datetime:
    """The moment ``tz``'s clock changes (offset, DST or zone name) between ``before`` and
    ``after``, two aware instants on either side of one change, found by bisection to the
    second (tzdata changes fall on whole minutes), in ``tz``."""

    def phase(seconds: int) -> tuple[object, ...]:
        local = datetime.fromtimestamp(seconds, UTC).astimezone(tz)
        return local.utcoffset(), local.dst(), local.tzname()

    low, high = int(before.timestamp()), int(after.timestamp())
    changed = phase(high)
    while high - low > 1:
        middle = (low + high) // 2
        if phase(middle) == changed:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC).astimezone(tz)


def instant_within(start: datetime, end: datetime, moment: datetime) -> bool:
    """``start <= moment < end`` as instants. Python compares two datetimes of one zone by
    their wall time and ignores ``fold``, so the repeated hour of a DST change would count
    twice; UTC has no such hour."""
    return start.astimezone(UTC) <= moment.astimezone(UTC) < end.astimezone(UTC)


@dataclass(frozen=True)
class YearlyClosure:
    """Company days off that come back every year, ``12-29..01-03`` (a range may cross the
    new year), as (month, day) pairs."""

    start: tuple[int, int]
    end: tuple[int, int]

    def __str__(self) -> str:
        first = f"{self.start[0]:02d}-{self.start[1]:02d}"
        last = f"{self.end[0]:02d}-{self.end[1]:02d}"
        return first if self.start == self.end else f"{first}..{last}"

    def spans(self, first: date, last: date) -> list[DateRange]:
        """Each year's closure that touches ``first..last``."""
        found = []
        for year in range(first.year - 1, last.year + 1):
            start = date(year, *self.start)
            end = date(year + (self.end < self.start), *self.end)
            if start <= last and first <= end:
                found.append(DateRange(start, end))
        return found


@dataclass(frozen=True)
class Holidays:
    """Days off: a country's national holidays and the company's own closures, dated or
    (``yearly``) the same days every year."""

    country: str | None = None
    subdivision: str | None = None
    closures: tuple[DateRange, ...] = ()
    yearly: tuple[YearlyClosure, ...] = ()

    def closed_spans(self, first: date, last: date) -> list[DateRange]:
        """Every closure, dated or yearly, that touches ``first..last``."""
        spans = list(self.closures)
        for each in self.yearly:
            spans += each.spans(first, last)
        return spans


class ShiftUnit(StrEnum):
    DAYS = "d"
    WEEKS = "w"


@dataclass(frozen=True)
class ShiftRule:
    """How duty days group into shifts: ``length`` days or weeks (``unit``), the
    weekday a weekly shift starts on (``handoff``) and ``people`` primaries per shift."""

    length: int = 1
    unit: ShiftUnit = ShiftUnit.WEEKS
    handoff: int = 0  # weekday a weekly shift starts on
    people: int = 1
    cover: str = "none"  # "day": a primary away some days of the shift gets one-day covers


@dataclass(frozen=True)
class Term:
    """The planning period, both ends inclusive."""

    start: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class TermRule:
    """The rotation file's ``term:``: a template, its first term's start and its end or
    length (which term a command works on is ``oncall.core.term.choose_term``'s)."""

    start: date | None = None
    end: date | None = None
    length: tuple[int, str] | None = None
    handoff: int | None = None  # the weekday terms line up with (weekly shifts), or None
    written: bool = True  # False: the file has no ``term:`` at all


class DistinctTeams(StrEnum):
    REQUIRED = "required"
    PREFERRED = "preferred"
    OFF = "off"


@dataclass(frozen=True)
class Rules:
    """The hard rules the planner never breaks."""

    volunteers_only: bool = False
    distinct_teams: DistinctTeams = DistinctTeams.PREFERRED
    min_gap: int = 0
    max_shifts: int | None = None
    fairness: str = "days"  # what fairness balances: days, hours or shifts
    notice: int = 0  # days from today within which no re-plan changes a shift


@dataclass(frozen=True)
class Onboarding:
    """How newcomers start: ``shadow_shifts`` as shadow before primary duty."""

    shadow_shifts: int = 2


@dataclass(frozen=True)
class ReminderTime:
    """A time of day (minutes after midnight, the rotation's zone) at which `remind --due`
    posts one kind of reminder (``today``, ``next`` or ``handoff``)."""

    at: int
    kind: str = "today"

    def describe(self) -> str:
        return f"{self.at // 60:02d}:{self.at % 60:02d} {self.kind}"


@dataclass(frozen=True)
class Reminders:
    """The text of the reminders `oncall remind` prints, and when and where `remind --due`
    posts them (``times``; the webhook URL from ``webhook_url_env`` or
    ``webhook_url_file``; what was posted in ``state_file``)."""

    manual: str | None = None
    checklist: tuple[str, ...] = ()
    report: tuple[str, ...] = ()
    chat: str = "slack"  # one of CHAT_TARGETS: the payload and mentions `--post` sends
    times: tuple[ReminderTime, ...] = ()
    webhook_url_env: str | None = None
    webhook_url_file: Path | None = None  # resolved against the rotation file's folder
    state_file: Path | None = None  # resolved; None: <rotation file>.reminded.json beside it
    incidents_log: Path | None = None  # resolved: the relay's incident log, for --handoff


@dataclass(frozen=True)
class GroupMention:
    """A chat group the fallback or escalation text pings (``fallback_group``): its id on
    each chat that lets a webhook mention a group (Slack's user group, Discord's role...),
    by target. Teams and Google Chat do not."""

    ids: ChatIds

    def chat_id(self, chat: str) -> str | None:
        return self.ids.get(chat)


PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"


class EscalationStep:
    """One step of the relay's escalation (``escalation.after`` / ``escalation.then``):
    after how long an alert nobody acknowledged or resolved escalates, and to what: the
    environment variable holding another chat's webhook URL, or PagerDuty's routing key.
    ``where`` (file, line, column) and ``key`` place it for the relay's errors.

    A plain value class, not a dataclass: the cron path imports this module and creates
    no dataclass it does not use (tests/test_cron_imports.py)."""

    __slots__ = ("after_seconds", "key", "pagerduty_routing_key_env", "pagerduty_url",
                 "webhook_url_env", "where")

    def __init__(
        self,
        after_seconds: int,
        webhook_url_env: str | None = None,
        pagerduty_routing_key_env: str | None = None,
        pagerduty_url: str = PAGERDUTY_EVENTS_URL,
        where: tuple[str, int | None, int | None] = ("", None, None),
        key: str = "escalation",
    ) -> None:
        self.after_seconds = after_seconds
        self.webhook_url_env = webhook_url_env
        self.pagerduty_routing_key_env = pagerduty_routing_key_env
        self.pagerduty_url = pagerduty_url
        self.where = where
        self.key = key

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EscalationStep) and other._fields() == self._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"EscalationStep(after_seconds={self.after_seconds}, key={self.key!r})"


@dataclass(frozen=True)
class Rotation:
    """One rotation file: the roster and the rules (the duty, its calendar, its rules and
    its members). It holds no term: a term is a value of its own (``Term``), chosen by
    ``oncall.core.term.choose_term`` from ``term_rule``, the store's current term and the
    command line, and carried beside the rotation (``oncall.core.store.StoredTerm``, the
    duty calendar's ``term``)."""

    id: str
    timezone: str
    window: Window
    shift: ShiftRule
    members: tuple[Member, ...]
    description: str = ""
    language: str = "en"
    holidays: Holidays = field(default_factory=Holidays)
    rules: Rules = field(default_factory=Rules)
    onboarding: Onboarding = field(default_factory=Onboarding)
    fallback: str | None = None
    escalation: str | None = None
    fallback_group: GroupMention | None = None
    escalation_group: GroupMention | None = None
    reminders: Reminders = field(default_factory=Reminders)
    term_rule: TermRule = field(default_factory=TermRule)
    escalation_steps: tuple[EscalationStep, ...] = ()  # the relay's timers (escalation.after)
    # ``compensation:``: pay per hour by duty-hours category (``core.duty_hours``), and
    # the currency named beside amounts; empty when the file sets none.
    compensation: Mapping[str, float] = field(default_factory=dict)
    currency: str | None = None

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def by_handle(self) -> dict[str, Member]:
        return {member.handle: member for member in self.members}

    def member(self, handle: str) -> Member | None:
        return self.by_handle.get(handle)

    @property
    def names(self) -> dict[str, str]:
        """``handle: name`` for the roster (what a schedule records of its people)."""
        return {member.handle: member.name for member in self.members}


def member_hint(handle: str, handles: Sequence[str]) -> str:
    """What to suggest for a handle that is not in the roster: the member it names in other
    letter case, else the closest handle, else the whole roster (a typo is not an empty
    answer, so every "not a member" error carries this)."""
    return close_hint(handle, handles, "members")


def close_hint(word: str, choices: Sequence[str], listing: str) -> str:
    """"did you mean X?" for the choice ``word`` names in other letter case or is closest
    to, else every choice after ``listing`` (members, columns...)."""
    import difflib  # only on this error path

    lowered = {c.lower(): c for c in choices}
    close = [lowered[word.lower()]] if word.lower() in lowered else []
    close = close or difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"{listing}: {', '.join(choices)}"
