"""`who` at any moment, against an oracle that works in absolute (UTC) time.

Moments are drawn across DST changes in zones with and without them, for windows that
end the same day, at midnight or the next morning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from oncall.core.calendar import build_calendar
from oncall.core.duty import duty_at
from oncall.core.model import DateRange, ShiftUnit, Window
from oncall.core.schedule import Schedule, Shift
from tests.helpers.builders import member, rotation, term_of, with_term

ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Lord_Howe", "UTC"]
FIRST = date(2027, 3, 1)
LAST = date(2027, 11, 30)


def _schedule(rot, calendar):
    names = [m.handle for m in rot.members]
    shifts = tuple(
        Shift(slot.first, slot.last, (names[slot.index % len(names)],)) for slot in calendar.slots
    )
    return Schedule(rot.id, None, term_of(rot), shifts)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.integers(min_value=0, max_value=23 * 4).map(lambda q: q * 15),
    length=st.integers(min_value=15, max_value=24 * 60).map(lambda m: m - m % 15),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    moment=st.datetimes(
        min_value=datetime(2027, 3, 2), max_value=datetime(2027, 11, 28), timezones=st.just(UTC)
    ),
    closed=st.integers(min_value=0, max_value=200),
)
# Berlin falls back at 03:00 on 2027-10-31: 02:15 happens twice, and only the first one
# lies inside a 02:00-02:30 window.
@example("Europe/Berlin", 120, 30, {6}, datetime(2027, 10, 31, 1, 15, tzinfo=UTC), 0)
@example("Europe/Berlin", 120, 30, {6}, datetime(2027, 10, 31, 0, 15, tzinfo=UTC), 0)
def test_who_agrees_with_an_absolute_time_oracle(zone, start, length, weekdays, moment, closed):
    end = start + length
    end = end if end <= 24 * 60 else end - 24 * 60
    if end == start:
        return
    rot = rotation(
        [member("aiko"), member("ken"), member("taro")],
        unit=ShiftUnit.DAYS,
        timezone=zone,
        window=Window(frozenset(weekdays), start, end),
    )
    closure = FIRST + timedelta(days=closed)
    rot = replace(
        with_term(rot, replace(term_of(rot), start=FIRST, end=LAST)),
        holidays=replace(rot.holidays, closures=(DateRange.single(closure),)),
    )
    calendar = build_calendar(rot)
    schedule = _schedule(rot, calendar)
    answer = duty_at(rot, calendar, schedule, moment)

    expected_day = None
    for day in calendar.duty_days:
        first, last = rot.window.bounds(day, rot.tz)
        if first.astimezone(UTC) <= moment < last.astimezone(UTC):
            expected_day = day
    assert answer.on_duty == (expected_day is not None)
    if expected_day is not None:
        assert answer.day == expected_day
        assert [p.handle for p in answer.primary] == list(schedule.duty_on(expected_day).primary)
    else:
        assert answer.primary == () and answer.shadow == ()
