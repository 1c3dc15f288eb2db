"""Who holds the duty at a moment or on a day, and which duty day comes next.

Pure functions over the rotation, its duty calendar and its schedule: `who`, `remind`
and an alert router must agree on exactly who gets mentioned, so the answer is computed
in one place. A window may cross midnight, so the duty day in force at 02:00 can be the
day before. The answers are plain classes: creating a dataclass costs ~0.5 ms, on every
cron run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Member, Rotation, Term, instant_within
from oncall.core.schedule import Duty, Schedule


class Person:
    """A member as messages and scripts show them; unknown handles still get a line."""

    __slots__ = ("handle", "member", "name", "slack", "team")

    def __init__(
        self,
        handle: str,
        name: str,
        team: str | None,
        slack: str | None = None,
        member: Member | None = None,
    ) -> None:
        self.handle = handle
        self.name = name
        self.team = team
        self.slack = slack
        self.member = member

    def chat_id(self, chat: str) -> str | None:
        """Their id on the chat target ``chat`` (``slack``, ``teams``, ...), if known."""
        if chat == "slack":
            return self.slack
        return self.member.chat_id(chat) if self.member is not None else None

    def as_json(self) -> dict[str, str | None]:
        return {"handle": self.handle, "name": self.name, "team": self.team, "slack": self.slack}


class OnDuty:
    """The answer to "who is on duty": a duty day with its window and people, or nobody.

    ``day`` is the duty day in force (or the day asked about); ``window`` is that day's
    window when it is a duty day. ``on_duty`` is true only when someone holds the duty
    right then, so a router mentions ``primary``/``shadow`` only when it is true.
    ``day_off`` is the holiday or closure name when ``day`` is one; ``term`` the term
    whose calendar answered.
    """

    __slots__ = (
        "day", "day_off", "dropped", "duty", "moment", "on_duty", "primary", "rotation",
        "shadow", "term", "window",
    )

    def __init__(
        self,
        rotation: Rotation,
        day: date,
        on_duty: bool,
        window: tuple[datetime, datetime] | None,
        primary: tuple[Person, ...],
        shadow: tuple[Person, ...],
        duty: Duty | None = None,
        moment: datetime | None = None,
        day_off: str | None = None,
        dropped: tuple[Person, ...] = (),
        *,
        term: Term,
    ) -> None:
        self.rotation = rotation
        self.term = term
        self.day = day
        self.on_duty = on_duty
        self.window = window
        self.primary = primary
        self.shadow = shadow
        self.duty = duty
        self.moment = moment
        self.day_off = day_off
        # People the schedule names that day who are no longer (or not yet) members
        # (``left``/``joined``): never named as on duty; the caller warns about them.
        self.dropped = dropped

    @property
    def people(self) -> tuple[Person, ...]:
        return self.primary + self.shadow


def person(rotation: Rotation, handle: str) -> Person:
    member: Member | None = rotation.member(handle)
    if member is None:
        return Person(handle, handle, None)
    return Person(member.handle, member.name, member.team, member.chat_id("slack"), member)


def duty_of_day(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule | None, day: date
) -> OnDuty:
    """Who serves ``day`` (overrides applied); nobody when it is not a duty day."""
    off = calendar.days_off.get(day)
    if not calendar.is_duty_day(day):
        return OnDuty(rotation, day, False, None, (), (), day_off=off, term=calendar.term)
    window = rotation.window.bounds(day, rotation.tz)
    if schedule is None:
        return OnDuty(rotation, day, False, window, (), (), term=calendar.term)
    duty = schedule.duty_on(day)
    primary = tuple(person(rotation, h) for h in duty.primary)
    shadow = tuple(person(rotation, h) for h in duty.shadow)
    dropped = tuple(p for p in primary + shadow if not member_on(rotation, p.handle, day))
    if dropped:
        primary = tuple(p for p in primary if p not in dropped)
        shadow = tuple(p for p in shadow if p not in dropped)
    on_duty = bool(primary or shadow)
    return OnDuty(
        rotation, day, on_duty, window, primary, shadow, duty, dropped=dropped,
        term=calendar.term,
    )


def member_on(rotation: Rotation, handle: str, day: date) -> bool:
    """Whether ``handle`` may be named on ``day``: someone who has left (or not joined yet)
    is never named as on duty, whatever a stale schedule says (``validate`` flags the day);
    someone deleted from the roster is named as the schedule records them."""
    found = rotation.member(handle)
    return found is None or found.member_on(day)


def named_duty(rotation: Rotation, schedule: Schedule, day: date) -> Duty:
    """``schedule``'s duty on ``day`` (overrides applied) as every reader names it: without
    the people ``duty_of_day`` leaves out (``member_on``). The sheet, the calendars and
    what they were told (``core.published``) ask this, so they name who `who` names."""
    duty = schedule.duty_on(day)
    if all(member_on(rotation, h, day) for h in duty.people):
        return duty
    return Duty(
        day,
        tuple(h for h in duty.primary if member_on(rotation, h, day)),
        tuple(h for h in duty.shadow if member_on(rotation, h, day)),
        duty.shift, duty.overrides, duty.unmatched, duty.covers,
    )


# The term that holds a day: its rotation (rules, window, roster), duty calendar and
# schedule; for a day no term holds, any term (its calendar has no duty on that day).
TermDuty = tuple[Rotation, DutyCalendar, Schedule | None]


def duty_at(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule | None, moment: datetime
) -> OnDuty:
    """Who is on duty at ``moment`` (aware) in one term: inside a window, its day's people;
    outside every window, nobody (the fallback answers), reported against the moment's own
    day."""
    term = (rotation, calendar, schedule)
    return duty_at_terms(lambda _day: term, moment)


def duty_at_terms(term_of: Callable[[date], TermDuty], moment: datetime) -> OnDuty:
    """Who is on duty at ``moment`` (aware) over a rotation's terms, ``term_of`` giving the
    term that holds a day: the one question `who`, `publish` and its feeds ask. A window
    that crosses midnight on a term's first day still runs from the term before."""
    local = moment.astimezone(term_of(moment.date())[0].tz)
    today = local.date()
    # The window of the day before may still run (22:00-06:00 at 02:00).
    for day in (today - timedelta(days=1), today):
        rotation, calendar, schedule = term_of(day)
        if not calendar.is_duty_day(day):
            continue
        start, end = rotation.window.bounds(day, rotation.tz)
        if instant_within(start, end, local):
            found = duty_of_day(rotation, calendar, schedule, day)
            return _at(found, local)
    rotation, calendar, schedule = term_of(today)
    found = duty_of_day(rotation, calendar, schedule, today)
    return OnDuty(
        rotation, today, False, found.window, (), (), None, local, found.day_off,
        term=found.term,
    )


def _at(found: OnDuty, moment: datetime) -> OnDuty:
    return OnDuty(
        found.rotation,
        found.day,
        found.on_duty,
        found.window,
        found.primary,
        found.shadow,
        found.duty,
        moment,
        found.day_off,
        found.dropped,
        term=found.term,
    )


def next_duty_day(calendar: DutyCalendar, after: date) -> date | None:
    """The first duty day strictly after ``after`` (weekends, holidays and closures are not
    duty days), or None when the calendar has none left."""
    for day in calendar.duty_days:
        if day > after:
            return day
    return None


def skipped_days_off(
    rotation: Rotation, calendar: DutyCalendar, after: date, until: date
) -> dict[date, str]:
    """Holidays and closures on window weekdays strictly between two days: why the next
    duty day is later than people expect (a Saturday holiday changes nothing)."""
    return {
        day: name
        for day, name in calendar.days_off.items()
        if after < day < until and day.weekday() in rotation.window.days
    }
