"""Duty days, shift blocks and windows: holidays, closures, handoff days, DST, midnight."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall.core.calendar import blocks, build_calendar, calendar_basis, days_off
from oncall.core.model import DateRange, Holidays, ShiftRule, ShiftUnit, Term, Window
from tests.helpers.builders import member, rotation, term_of, with_term

TEAM = [member("aiko"), member("ken")]


def test_japanese_holidays_and_closures_are_not_duty_days():
    rot = rotation(TEAM, start=date(2026, 12, 28), weeks=3)
    rot = replace(
        rot,
        holidays=Holidays("JP", None, (DateRange(date(2026, 12, 29), date(2027, 1, 3)),)),
    )
    cal = build_calendar(rot)
    assert date(2026, 12, 28) in cal.duty_days
    assert date(2026, 12, 29) not in cal.duty_days  # closure
    assert date(2027, 1, 11) not in cal.duty_days  # Coming of Age Day
    assert cal.days_off[date(2027, 1, 11)] == "Coming of Age Day"
    assert cal.days_off[date(2026, 12, 30)] == "Company closure"
    assert date(2027, 1, 9) not in cal.duty_days  # Saturday


def test_holiday_names_follow_the_rotation_language_not_the_locale():
    rot = rotation(TEAM, start=date(2027, 1, 4))
    ja = replace(rot, language="ja", holidays=Holidays("JP"))
    assert days_off(ja, date(2027, 1, 1), date(2027, 1, 31))[date(2027, 1, 11)] == "成人の日"
    # the same call under a Japanese locale environment (as cron might have) still gives English
    code = (
        "from datetime import date; from oncall.core.calendar import days_off; "
        "from oncall.core.model import *; "
        "from tests.helpers.builders import rotation, member; from dataclasses import replace; "
        "r = replace(rotation([member('a')]), holidays=Holidays('JP')); "
        "print(days_off(r, date(2027,1,1), date(2027,1,31))[date(2027,1,11)])"
    )
    env = {**os.environ, "LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8", "LANGUAGE": "ja"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "Coming of Age Day"


def test_weekly_blocks_start_on_the_handoff_day_and_the_first_may_be_short():
    rot = rotation(TEAM, start=date(2027, 1, 6))  # a Wednesday
    rot = with_term(rot, Term(date(2027, 1, 6), date(2027, 1, 24)))
    spans = [str(b) for b in blocks(rot, term_of(rot).start, term_of(rot).end)]
    assert spans == ["2027-01-06..2027-01-10", "2027-01-11..2027-01-17", "2027-01-18..2027-01-24"]
    thursday = replace(rot, shift=ShiftRule(1, ShiftUnit.WEEKS, 3, 1))
    spans = [str(b) for b in blocks(thursday, term_of(rot).start, term_of(rot).end)]
    assert spans[:2] == ["2027-01-06", "2027-01-07..2027-01-13"]


def test_two_week_and_daily_blocks():
    rot = rotation(TEAM, length=2, weeks=5)
    assert [len(b) for b in blocks(rot, term_of(rot).start, term_of(rot).end)] == [14, 14, 7]
    daily = rotation(TEAM, unit=ShiftUnit.DAYS, length=1, weeks=1)
    cal = build_calendar(daily)
    assert [s.duty_days for s in cal.slots] == [
        (term_of(daily).start + timedelta(days=i),) for i in range(5)
    ]


def test_blocks_without_duty_days_have_no_shift():
    closure = (DateRange(date(2027, 1, 11), date(2027, 1, 17)),)
    rot = rotation(TEAM, closures=closure)
    cal = build_calendar(rot)
    assert [str(s.span) for s in cal.slots] == [
        "2027-01-04..2027-01-10",
        "2027-01-18..2027-01-24",
        "2027-01-25..2027-01-31",
    ]
    assert [s.index for s in cal.slots] == [0, 1, 2]
    assert cal.slot_of(date(2027, 1, 12)) is None
    assert cal.slot_of(date(2027, 1, 23)).index == 1


def test_window_across_dst_in_two_zones():
    window = Window(frozenset(range(7)), 10 * 60, 17 * 60)
    ny = ZoneInfo("America/New_York")
    start, end = window.bounds(date(2027, 3, 14), ny)  # DST starts at 02:00 that Sunday
    assert start.utcoffset() == timedelta(hours=-4)
    assert (end - start) == timedelta(hours=7)
    berlin = ZoneInfo("Europe/Berlin")
    night = Window(frozenset(range(7)), 22 * 60, 6 * 60)
    start, end = night.bounds(date(2027, 10, 30), berlin)  # clocks go back at 03:00 on the 31st
    assert end.date() == date(2027, 10, 31)
    utc = UTC
    assert end.astimezone(utc) - start.astimezone(utc) == timedelta(hours=9)


def test_window_ending_at_midnight():
    window = Window(frozenset(range(7)), 18 * 60, 24 * 60)
    _start, end = window.bounds(date(2027, 1, 4), ZoneInfo("Asia/Tokyo"))
    assert end == datetime(2027, 1, 5, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert str(window) == "18:00-24:00"


def test_calendar_basis_changes_with_holiday_settings():
    rot = rotation(TEAM)
    first, last = term_of(rot).start, term_of(rot).end
    closed = replace(rot, holidays=Holidays(None, None, (DateRange.single(first),)))
    assert calendar_basis(rot, first, last) != calendar_basis(closed, first, last)
    assert calendar_basis(rot, first, last) == calendar_basis(replace(rot), first, last)


@pytest.mark.slow
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    days=st.integers(min_value=0, max_value=120),
    length=st.integers(min_value=1, max_value=3),
    unit=st.sampled_from(list(ShiftUnit)),
    handoff=st.integers(min_value=0, max_value=6),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_slots_partition_the_duty_days(start, days, length, unit, handoff, weekdays):
    rot = rotation(TEAM)
    rot = replace(
        with_term(rot, Term(start, start + timedelta(days=days))),
        shift=ShiftRule(length, unit, handoff, 1),
        window=Window(frozenset(weekdays), 600, 1020),
    )
    cal = build_calendar(rot, off={})
    spans = blocks(rot, term_of(rot).start, term_of(rot).end)
    assert spans[0].first == term_of(rot).start and spans[-1].last == term_of(rot).end
    for earlier, later in itertools.pairwise(spans):
        assert later.first == earlier.last + timedelta(days=1)
    if unit is ShiftUnit.WEEKS:
        assert all(b.first.weekday() == handoff for b in spans[1:])
    listed = [day for slot in cal.slots for day in slot.duty_days]
    assert listed == list(cal.duty_days)
    assert all(day.weekday() in weekdays for day in listed)
    for slot in cal.slots:
        assert all(cal.slot_of(day) == slot for day in slot.duty_days)
