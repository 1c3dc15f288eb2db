"""Each rule has a schedule that breaks it; the check must name that rule, and only the
clean schedule passes. Dropping any rule from rules.py makes one of these fail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.core.calendar import build_calendar
from oncall.core.model import DateRange, DistinctTeams, ShiftUnit
from oncall.core.roster import roster_warnings
from oncall.core.rules import (
    ERROR,
    RULES,
    WARNING,
    check,
    format_dates,
    new_violations,
)
from oncall.core.schedule import Override, Schedule, Shift
from tests.helpers.builders import MONDAY, away, every, member, rotation, term_of, with_rules

WEEK = timedelta(weeks=1)


def weekly(rot, *people_per_week, shadows=None):
    shifts = []
    for number, people in enumerate(people_per_week):
        start = term_of(rot).start + number * WEEK
        shadow = tuple(shadows.get(number, ())) if shadows else ()
        shifts.append(Shift(start, start + timedelta(days=6), tuple(people), shadow))
    return Schedule(rot.id, None, term_of(rot), tuple(shifts))


def errors(rot, schedule):
    return [v for v in check(rot, build_calendar(rot), schedule) if v.severity == ERROR]


def rules_broken(rot, schedule):
    return {v.rule for v in errors(rot, schedule)}


TEAM = [member("aiko", "pay"), member("ken", "pay"), member("taro", "web"), member("mei", "web")]


def test_clean_schedule_has_no_violation():
    rot = rotation(TEAM, people=2, distinct=DistinctTeams.REQUIRED, min_gap=1)
    schedule = weekly(rot, ["aiko", "taro"], ["ken", "mei"], ["aiko", "taro"], ["ken", "mei"])
    assert errors(rot, schedule) == []


def test_volunteers_only():
    team = [*TEAM[:3], member("sho", "web", volunteer=False)]
    rot = rotation(team)
    schedule = weekly(rot, ["aiko"], ["sho"], ["ken"], ["taro"])
    assert rules_broken(rot, schedule) == {"volunteers_only"}
    assert errors(with_rules(rot, volunteers_only=False), schedule) == []


def test_availability_date_range_and_weekday():
    team = [
        member("aiko", unavailable=(away(MONDAY + WEEK + timedelta(days=2)),)),
        member("ken", unavailable=(every(4),)),
        member("taro"),
    ]
    rot = rotation(team)
    schedule = weekly(rot, ["taro"], ["aiko"], ["ken"], ["taro"])
    found = errors(rot, schedule)
    assert {v.rule for v in found} == {"availability"}
    aiko = next(v for v in found if v.people == ("aiko",))
    assert aiko.dates == (MONDAY + WEEK + timedelta(days=2),)
    ken = next(v for v in found if v.people == ("ken",))
    assert ken.dates == (MONDAY + 2 * WEEK + timedelta(days=4),)
    assert "every Friday" in ken.message


def test_terms_limit_members():
    team = [member("aiko", terms=(date(2027, 4, 5),)), member("ken")]
    rot = rotation(team)
    schedule = weekly(rot, ["aiko"], ["ken"], ["ken"], ["ken"])
    assert rules_broken(rot, schedule) == {"terms"}


@pytest.mark.parametrize(
    "dates", [{"joined": MONDAY + WEEK}, {"left": MONDAY + 3 * WEEK + timedelta(days=4)}]
)
def test_membership_limits_members(dates):
    team = [member("aiko", **dates), member("ken")]
    rot = rotation(team)
    # aiko serves the first and the last week: before joining, or on the day she left
    schedule = weekly(rot, ["aiko"], ["ken"], ["ken"], ["aiko"])
    assert rules_broken(rot, schedule) == {"membership"}
    assert rules_broken(rot, weekly(rot, ["ken"], ["aiko"], ["aiko"], ["ken"])) == set()


@pytest.mark.parametrize("people", [["aiko"], ["aiko", "taro", "ken"], []])
def test_people_per_shift(people):
    rot = rotation(TEAM, people=2)
    schedule = weekly(rot, people, ["ken", "mei"], ["aiko", "taro"], ["ken", "mei"])
    assert rules_broken(rot, schedule) == {"people"}


def test_uncovered_duty_days_are_violations():
    rot = rotation(TEAM)
    schedule = weekly(rot, ["aiko"], ["ken"])  # weeks 3 and 4 missing
    found = errors(rot, schedule)
    assert {v.rule for v in found} == {"people"}
    assert len(found[0].dates) == 10


def test_distinct_teams_required_preferred_off():
    def schedule_for(rot):
        return weekly(rot, ["aiko", "ken"], ["taro", "mei"], ["aiko", "taro"], ["ken", "mei"])

    required = rotation(TEAM, people=2, distinct=DistinctTeams.REQUIRED)
    assert rules_broken(required, schedule_for(required)) == {"distinct_teams"}
    for mode in (DistinctTeams.PREFERRED, DistinctTeams.OFF):
        rot = rotation(TEAM, people=2, distinct=mode)
        assert errors(rot, schedule_for(rot)) == []


def test_min_gap_counts_shifts_not_weeks():
    rot = rotation(TEAM, min_gap=1, weeks=5)
    schedule = weekly(rot, ["aiko"], ["ken"], ["ken"], ["taro"], ["aiko"])
    found = errors(rot, schedule)
    assert [(v.rule, v.people) for v in found] == [("min_gap", ("ken",))]
    assert errors(with_rules(rot, min_gap=0), schedule) == []
    # min_gap 2: aiko at shifts 0 and 4 is fine, ken 1 and 2 is not, taro alone is fine
    assert {v.people for v in errors(with_rules(rot, min_gap=3), schedule)} == {("ken",)}
    assert {v.people for v in errors(with_rules(rot, min_gap=4), schedule)} == {
        ("ken",),
        ("aiko",),
    }


def test_min_gap_skips_blocks_without_duty_days():
    # Week 2 is a company closure: it has no shift, so weeks 1 and 3 are back to back.
    closure = (DateRange(MONDAY + WEEK, MONDAY + WEEK + timedelta(days=6)),)
    rot = rotation(TEAM, min_gap=1, closures=closure)
    schedule = weekly(rot, ["aiko"], [], ["aiko"], ["ken"])
    assert rules_broken(rot, schedule) == {"min_gap"}


def test_max_shifts():
    rot = rotation(TEAM, max_shifts=1)
    schedule = weekly(rot, ["aiko"], ["ken"], ["aiko"], ["taro"])
    found = errors(rot, schedule)
    assert [(v.rule, v.people) for v in found] == [("max_shifts", ("aiko",))]
    assert errors(with_rules(rot, max_shifts=2), schedule) == []


def test_new_member_shadows_first():
    team = [*TEAM[:3], member("mei", "web", new=True)]
    rot = rotation(team, shadow_shifts=2)
    early = weekly(rot, ["aiko"], ["mei"], ["ken"], ["taro"], shadows={0: ["mei"]})
    assert rules_broken(rot, early) == {"shadow_first"}
    enough = weekly(rot, ["aiko"], ["ken"], ["mei"], ["taro"], shadows={0: ["mei"], 1: ["mei"]})
    assert errors(rot, enough) == []


def test_shadow_beside_experienced_primary():
    team = [member("aiko", new=True), member("mei", new=True), member("ken")]
    rot = rotation(team, shadow_shifts=1)
    schedule = weekly(rot, ["ken"], ["aiko"], ["ken"], ["aiko"], shadows={0: ["aiko"], 1: ["mei"]})
    assert rules_broken(rot, schedule) == {"shadow_beside_experienced"}


def test_one_person_one_seat():
    rot = rotation(TEAM, people=2)
    schedule = weekly(rot, ["aiko", "aiko"], ["ken", "mei"], ["aiko", "taro"], ["ken", "mei"])
    assert "one_role" in rules_broken(rot, schedule)


def test_shift_dates_overlap():
    rot = rotation(TEAM)
    shifts = weekly(rot, ["aiko"], ["ken"], ["taro"], ["mei"]).shifts
    overlapping = (*shifts, Shift(MONDAY + timedelta(days=3), MONDAY + timedelta(days=9), ("mei",)))
    schedule = Schedule("test", None, term_of(rot), overlapping)
    assert "shift_dates" in rules_broken(rot, schedule)


def test_overrides_win_and_are_checked():
    team = [*TEAM, member("sho", "web", unavailable=(away(MONDAY + timedelta(days=1)),))]
    rot = rotation(team)
    base = weekly(rot, ["aiko"], ["ken"], ["taro"], ["mei"])
    day = MONDAY + timedelta(days=1)
    swapped = base.with_override(Override(DateRange.single(day), "aiko", "sho"))
    assert swapped.duty_on(day).primary == ("sho",)
    found = new_violations(rot, build_calendar(rot), base, swapped)
    assert [(v.rule, v.dates) for v in found] == [("availability", (day,))]
    fine = base.with_override(Override(DateRange.single(day), "aiko", "taro"))
    assert new_violations(rot, build_calendar(rot), base, fine) == []


def test_override_naming_someone_off_duty_is_reported():
    rot = rotation(TEAM)
    base = weekly(rot, ["aiko"], ["ken"], ["taro"], ["mei"])
    stale = base.with_override(Override(DateRange.single(MONDAY), "ken", "mei"))
    warnings = [v for v in check(rot, build_calendar(rot), stale) if v.rule == "override"]
    assert warnings and warnings[0].severity == WARNING


def test_daily_shifts_and_weekday_unavailability():
    team = [member("aiko", unavailable=(every(2),)), member("ken")]
    rot = rotation(team, unit=ShiftUnit.DAYS, weeks=1)
    days = [term_of(rot).start + timedelta(days=i) for i in range(5)]
    shifts = tuple(Shift(d, d, ("aiko",)) for d in days)
    found = errors(rot, Schedule("test", None, term_of(rot), shifts))
    assert [(v.rule, v.dates) for v in found] == [("availability", (days[2],))]


def test_roster_warnings():
    team = [
        member("aiko", "pay"),
        member("ken", "pay"),
        member("sho", "pay", volunteer=False),
        member("li", "pay", unavailable=(every(2),)),
    ]
    rot = rotation(team, people=2, distinct=DistinctTeams.REQUIRED)
    warnings = roster_warnings(rot, build_calendar(rot))
    text = " | ".join(v.message for v in warnings)
    assert "li can never take a whole shift" in text
    assert "needs 2 teams, but all 3 eligible member(s) are in team pay" in text
    few = rotation([member("aiko")], people=2)
    assert any(
        "1 eligible member(s) for 2 seat(s)" in v.message
        for v in roster_warnings(few, build_calendar(few))
    )


def test_every_rule_is_described():
    for rule in RULES.values():
        assert rule.title and rule.why


def test_format_dates_compacts_runs():
    days = [date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 8)]
    assert format_dates(days) == "2027-01-04..2027-01-06, 2027-01-08"


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_can_take_table_is_can_take_slot_for_every_member_and_slot(data) -> None:
    """The planner's table (worked out per member) answers exactly as the rule per slot."""
    from oncall.core.availability import can_take_slot, can_take_table

    def day(n: int) -> date:
        return MONDAY + timedelta(days=n)

    people = []
    for i in range(data.draw(st.integers(1, 5))):
        unavailable = [
            away(day(a), day(a + data.draw(st.integers(0, 9))))
            for a in data.draw(st.lists(st.integers(-5, 40), max_size=3))
        ] + [every(w) for w in data.draw(st.lists(st.integers(0, 6), max_size=2))]
        joined = data.draw(st.one_of(st.none(), st.integers(-3, 30).map(day)))
        left = data.draw(st.one_of(st.none(), st.integers(0, 40).map(day)))
        people.append(member(f"m{i}", volunteer=data.draw(st.booleans()),
                             unavailable=tuple(unavailable), joined=joined, left=left,
                             new=data.draw(st.booleans())))
    unit = data.draw(st.sampled_from([ShiftUnit.DAYS, ShiftUnit.WEEKS]))
    rot = rotation(people, weeks=5, unit=unit, length=data.draw(st.integers(1, 3)))
    # With one-day covers, experienced members may take a shift they can serve in part.
    cover = data.draw(st.sampled_from(["none", "day"]))
    rot = replace(rot, shift=replace(rot.shift, cover=cover))
    calendar = build_calendar(rot, off={})
    slots, term = calendar.slots, calendar.term
    assert can_take_table(rot, term, rot.members, slots) == [
        [can_take_slot(rot, term, m, slot) for slot in slots] for m in rot.members
    ]
