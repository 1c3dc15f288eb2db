"""iCalendar export: exact bytes, interoperability with independent parsers, DST,
midnight windows, swaps updating events in place, and hostile names."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from oncall.core.calendar import build_calendar
from oncall.core.model import (
    DateRange,
    Holidays,
    Member,
    Rotation,
    ShiftRule,
    ShiftUnit,
    TermRule,
    Window,
)
from oncall.core.schedule import Override, Schedule, Shift
from oncall.io.loading import load_rotation, load_schedule
from oncall.render.ics import Feed, event_uid, to_ics
from tests.golden import ROTATION, SCHEDULE, assert_golden
from tests.helpers.builders import term_of

PLANNED = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
HOSTILE = {
    "aiko": "佐藤 愛子",
    "ken": 'O\'Neil, "Ken"; Jr.',
    "taro": '=HYPERLINK("http://evil")',
    "mei": "Mei 🐣 Ito",
    "bob": "-1+2 @bob\ttab\rcr",
}


def golden_feed(language: str | None = None) -> Feed:
    """The golden rotation (a `language: ja` team), or the same team in ``language``."""
    rotation = load_rotation(ROTATION)
    if language is not None:
        rotation = replace(rotation, language=language)
    schedule = load_schedule(SCHEDULE, rotation)
    return Feed(
        rotation, schedule, build_calendar(rotation, schedule.term.start, schedule.term.end)
    )


def make_rotation(
    timezone: str = "Asia/Tokyo",
    window: Window | None = None,
    start: date = date(2027, 1, 4),
    days: int = 14,
    names: dict[str, str] | None = None,
) -> Rotation:
    names = names or {"aiko": "Aiko Sato", "ken": "Ken Ito", "taro": "Taro Tanaka"}
    members = tuple(
        Member(handle=h, name=n, team=f"team-{i}", volunteer=True)
        for i, (h, n) in enumerate(names.items())
    )
    return Rotation(
        id="ops",
        timezone=timezone,
        window=window or Window(frozenset(range(5)), 600, 1020),
        shift=ShiftRule(1, ShiftUnit.WEEKS, 0, 1),
        term_rule=TermRule(start=start, end=start + timedelta(days=days - 1)),
        members=members,
        holidays=Holidays(),
        fallback="@sre",
        escalation="Escalate after 30 minutes",
    )


def make_feed(
    rotation: Rotation, shifts: list[Shift], overrides: tuple[Override, ...] = ()
) -> Feed:
    schedule = Schedule(rotation.id, PLANNED, term_of(rotation), tuple(shifts), overrides)
    return Feed(rotation, schedule, build_calendar(rotation))


def one_shift(rotation: Rotation, *people: str) -> list[Shift]:
    return [Shift(*_span(rotation), tuple(people))]


def _span(rotation: Rotation) -> tuple[date, date]:
    term = term_of(rotation)
    return term.start, term.end


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in events(data)}


# ---- exact bytes -----------------------------------------------------------------------


def test_team_calendar_matches_golden_file() -> None:
    assert_golden("app-daytime.ics", to_ics([golden_feed()]))


def test_personal_calendar_matches_golden_file() -> None:
    assert_golden("app-daytime-aiko.ics", to_ics([golden_feed()], person="aiko"))


def test_output_is_byte_identical_run_to_run_and_has_no_wall_clock() -> None:
    feed = golden_feed()
    first = to_ics([feed])
    assert first == to_ics([golden_feed()])
    stamps = {str(event.decoded("DTSTAMP")) for event in events(first)}
    # planned_at and the two overrides' recorded_at, nothing else
    assert stamps == {
        "2026-11-22 01:00:00+00:00",
        "2026-12-01 00:30:00+00:00",
        "2026-12-02 09:00:00+00:00",
    }


def test_without_any_recorded_time_dtstamp_falls_back_to_the_term_start() -> None:
    rotation = make_rotation()
    feed = make_feed(rotation, one_shift(rotation, "aiko"))
    feed = replace(feed, schedule=replace(feed.schedule, planned_at=None))
    stamps = {event.decoded("DTSTAMP") for event in events(to_ics([feed]))}
    assert stamps == {datetime(2027, 1, 4, tzinfo=UTC)}


# ---- calendar structure ------------------------------------------------------------------


def test_calendar_properties_and_one_event_per_duty_day() -> None:
    feed = golden_feed("en")
    data = to_ics([feed])
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["PRODID"]).startswith("-//oncall//")
    assert str(cal["X-WR-CALNAME"]) == "On call: app-daytime"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    days = [event.decoded("DTSTART").date() for event in cal.walk("VEVENT")]
    # 2027-01-08 is a closure: no event; weekends: no event
    assert days == list(feed.calendar.duty_days)
    assert date(2027, 1, 8) not in days
    assert len(days) == 9
    assert all(b"\r\n" in line + b"\r\n" for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_every_line_is_folded_within_75_octets() -> None:
    for line in to_ics([golden_feed()], person="ken").split(b"\r\n"):
        assert len(line) <= 75, line


def test_events_carry_tzid_and_description_facts() -> None:
    data = to_ics([golden_feed("en")], person="aiko")
    assert b"DTSTART;TZID=Asia/Tokyo:20270104T100000" in data
    assert b"DTEND;TZID=Asia/Tokyo:20270104T170000" in data
    event = by_uid(data)["20270104-aiko@app-daytime.oncall"]
    description = str(event["DESCRIPTION"])
    assert "Your role: primary" in description
    assert HOSTILE["taro"] in description  # partner
    assert "shadow" in description
    assert "Fallback: @sre-oncall" in description
    assert "Escalation: Escalate to SRE after 30 minutes" in description
    assert "Manual: https://wiki.example.com/oncall/manual" in description
    assert str(event["SUMMARY"]).startswith("app-daytime: 佐藤 愛子")


def test_uid_is_stable_per_rotation_day_and_person() -> None:
    assert event_uid("app-daytime", date(2027, 1, 4), "aiko") == "20270104-aiko@app-daytime.oncall"
    assert event_uid("app-daytime", date(2027, 1, 4)) == "20270104@app-daytime.oncall"
    uids = [str(event["UID"]) for event in events(to_ics([golden_feed()]))]
    assert len(uids) == len(set(uids))


def test_nobody_on_duty_names_the_fallback() -> None:
    rotation = make_rotation()
    feed = make_feed(rotation, [])
    summaries = {str(event["SUMMARY"]) for event in events(to_ics([feed]))}
    assert summaries == {"ops: nobody on duty (fallback @sre)"}


def test_multiline_rotation_descriptions_are_escaped() -> None:
    rotation = replace(make_rotation(), description="Line one;\nline two, with comma")
    data = to_ics([make_feed(rotation, one_shift(rotation, "aiko"))])
    assert b"X-WR-CALDESC:Line one\\;\\nline two\\, with comma\r\n" in data
    # read as TEXT, as calendar clients do, it is the original
    caldesc = vobject.readOne(data.decode("utf-8")).x_wr_caldesc.value
    assert caldesc == "Line one;\nline two, with comma"


def test_two_rotations_share_one_calendar_with_a_timezone_each() -> None:
    tokyo = replace(make_rotation(), description="tokyo")
    berlin = replace(make_rotation("Europe/Berlin"), id="night", description="berlin")
    data = to_ics(
        [make_feed(tokyo, one_shift(tokyo, "aiko")), make_feed(berlin, one_shift(berlin, "ken"))]
    )
    cal = icalendar.Calendar.from_ical(data)
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == [
        "Asia/Tokyo",
        "Europe/Berlin",
    ]
    assert "X-WR-TIMEZONE" not in cal
    assert vobject.readOne(data.decode("utf-8")).x_wr_caldesc.value == "tokyo\nberlin"
    assert len(cal.walk("VEVENT")) == 20


# ---- interoperability: a second parser and a client-style expansion --------------------------


def test_vobject_reads_every_event_and_name_back() -> None:
    data = to_ics([golden_feed("en")])
    parsed = vobject.readOne(data.decode("utf-8"))
    vevents = parsed.vevent_list
    assert len(vevents) == 9
    first = vevents[0]
    assert first.uid.value == "20270104@app-daytime.oncall"
    assert first.summary.value == (
        f"app-daytime: {HOSTILE['aiko']}, {HOSTILE['taro']} (shadow: {HOSTILE['mei']})"
    )
    assert first.dtstart.value.astimezone(UTC) == datetime(2027, 1, 4, 1, 0, tzinfo=UTC)
    assert first.dtend.value.astimezone(UTC) == datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
    swapped = next(v for v in vevents if v.uid.value == "20270106@app-daytime.oncall")
    assert swapped.sequence.value == "1"
    assert HOSTILE["ken"] in swapped.summary.value


def test_client_style_expansion_sees_each_duty_window() -> None:
    cal = icalendar.Calendar.from_ical(to_ics([golden_feed()], person="ken"))
    found = recurring_ical_events.of(cal).between(date(2027, 1, 1), date(2027, 2, 1))
    confirmed = sorted(
        event.decoded("DTSTART").date() for event in found if str(event["STATUS"]) == "CONFIRMED"
    )
    assert confirmed == [date(2027, 1, 6), *(date(2027, 1, d) for d in (11, 12, 13, 14, 15))]


@pytest.mark.parametrize("name", list(HOSTILE.values()))
def test_hostile_names_round_trip_through_both_parsers(name: str) -> None:
    rotation = make_rotation(names={"x": name, "y": "Plain"})
    data = to_ics(
        [make_feed(rotation, [Shift(*_span(rotation), ("x",), ("y",))])]
    )
    # iCalendar writes every line break as LF; everything else comes back as it was, but
    # a title is one line: a name over several lines is joined with spaces there
    name = name.replace("\r", "\n")
    title = " ".join(p.strip() for p in name.splitlines() if p.strip()) if "\n" in name else name
    expected = f"ops: {title} (shadow: Plain)"
    assert {str(event["SUMMARY"]) for event in events(data)} == {expected}
    parsed = vobject.readOne(data.decode("utf-8"))
    assert {v.summary.value for v in parsed.vevent_list} == {expected}
    description = parsed.vevent_list[0].description.value
    assert f"{name} (@x, team-0, primary)" in description


def test_control_characters_are_dropped_not_written_raw() -> None:
    rotation = make_rotation(names={"x": "Bell\x07 Null\x00 Esc\x1b", "y": "Plain"})
    data = to_ics([make_feed(rotation, one_shift(rotation, "x"))])
    assert not any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0D) for byte in data)
    assert {str(e["SUMMARY"]) for e in events(data)} == {"ops: Bell Null Esc"}


# ---- time zones ---------------------------------------------------------------------------


def utc_bounds(data: bytes) -> dict[date, tuple[datetime, datetime]]:
    """Start and end of every event in UTC, as a second parser reads them."""
    out = {}
    for vevent in vobject.readOne(data.decode("utf-8")).vevent_list:
        start = vevent.dtstart.value.astimezone(UTC)
        end = vevent.dtend.value.astimezone(UTC)
        out[vevent.dtstart.value.date()] = (start, end)
    return out


@pytest.mark.parametrize(
    ("zone", "before", "after", "offsets"),
    [
        # spring forward: Sunday 2027-03-14 in New York, 2027-03-28 in Berlin
        ("America/New_York", date(2027, 3, 12), date(2027, 3, 15), (-5, -4)),
        ("Europe/Berlin", date(2027, 3, 26), date(2027, 3, 29), (1, 2)),
        # fall back: 2027-11-07 in New York, 2027-10-31 in Berlin
        ("America/New_York", date(2027, 11, 5), date(2027, 11, 8), (-4, -5)),
        ("Europe/Berlin", date(2027, 10, 29), date(2027, 11, 1), (2, 1)),
    ],
)
def test_daytime_window_keeps_local_hours_across_dst(
    zone: str, before: date, after: date, offsets: tuple[int, int]
) -> None:
    rotation = make_rotation(zone, start=before - timedelta(days=before.weekday()), days=14)
    data = to_ics([make_feed(rotation, one_shift(rotation, "aiko"))])
    assert f"TZID:{zone}".encode() in data
    bounds = utc_bounds(data)
    for day, offset in ((before, offsets[0]), (after, offsets[1])):
        start, end = bounds[day]
        assert start == datetime.combine(day, datetime.min.time(), UTC) + timedelta(
            hours=10 - offset
        )
        assert end - start == timedelta(hours=7)


def test_midnight_crossing_window_ends_next_morning_across_dst() -> None:
    night = Window(frozenset(range(7)), 22 * 60, 6 * 60)
    rotation = make_rotation("Europe/Berlin", night, start=date(2027, 3, 22), days=14)
    data = to_ics([make_feed(rotation, one_shift(rotation, "aiko"))])
    assert b"DTSTART;TZID=Europe/Berlin:20270327T220000" in data
    assert b"DTEND;TZID=Europe/Berlin:20270328T060000" in data
    bounds = utc_bounds(data)
    # the night clocks jump forward is one hour short; the nights around it are 8 hours
    assert bounds[date(2027, 3, 26)][1] - bounds[date(2027, 3, 26)][0] == timedelta(hours=8)
    assert bounds[date(2027, 3, 27)] == (
        datetime(2027, 3, 27, 21, tzinfo=UTC),
        datetime(2027, 3, 28, 4, tzinfo=UTC),
    )
    assert bounds[date(2027, 3, 28)][1] - bounds[date(2027, 3, 28)][0] == timedelta(hours=8)
    cal = icalendar.Calendar.from_ical(data)
    berlin = ZoneInfo("Europe/Berlin")
    early = datetime(2027, 3, 28, 5, 30, tzinfo=berlin)
    seen = recurring_ical_events.of(cal).between(early, early + timedelta(minutes=1))
    # at 05:30 on the 28th the window that started on the 27th is still running
    assert [event.decoded("DTSTART").date() for event in seen] == [date(2027, 3, 27)]


def test_timezone_covers_the_exported_years_transition_by_transition() -> None:
    rotation = make_rotation("America/New_York", start=date(2027, 12, 20), days=21)
    cal = icalendar.Calendar.from_ical(to_ics([make_feed(rotation, one_shift(rotation, "ken"))]))
    (zone,) = cal.walk("VTIMEZONE")
    starts = [(sub.name, sub.decoded("DTSTART").date()) for sub in zone.subcomponents]
    assert starts == [
        ("STANDARD", date(2027, 1, 1)),
        ("DAYLIGHT", date(2027, 3, 14)),
        ("STANDARD", date(2027, 11, 7)),
        ("DAYLIGHT", date(2028, 3, 12)),
        ("STANDARD", date(2028, 11, 5)),
        ("DAYLIGHT", date(2029, 3, 11)),
        ("STANDARD", date(2029, 11, 4)),
    ]
    # RFC 5545: an onset is given in the local time before it, 02:00 both ways in New York
    assert {sub.decoded("DTSTART").hour for sub in zone.subcomponents[1:]} == {2}
    assert all("RDATE" not in sub and "RRULE" not in sub for sub in zone.subcomponents)


def test_negative_dst_zone_is_all_standard_time_and_converts_right() -> None:
    rotation = make_rotation("Europe/Dublin", start=date(2027, 3, 22), days=14)
    data = to_ics([make_feed(rotation, one_shift(rotation, "ken"))])
    (zone,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert {sub.name for sub in zone.subcomponents} == {"STANDARD"}
    bounds = utc_bounds(data)
    assert bounds[date(2027, 3, 26)][0] == datetime(2027, 3, 26, 10, tzinfo=UTC)
    assert bounds[date(2027, 3, 29)][0] == datetime(2027, 3, 29, 9, tzinfo=UTC)


# ---- swaps: events update in place ---------------------------------------------------------


def swap(day: date, out: str, into: str, at: datetime) -> Override:
    return Override(DateRange.single(day), out, into, "swap", recorded_at=at)


def test_swap_updates_the_team_event_in_place() -> None:
    rotation = make_rotation()
    before = make_feed(rotation, one_shift(rotation, "aiko"))
    moment = datetime(2026, 12, 24, 12, tzinfo=UTC)
    after = make_feed(
        rotation, one_shift(rotation, "aiko"), (swap(date(2027, 1, 6), "aiko", "ken", moment),)
    )
    old, new = by_uid(to_ics([before])), by_uid(to_ics([after]))
    assert old.keys() == new.keys()
    uid = "20270106@ops.oncall"
    assert new[uid]["SEQUENCE"] > old[uid]["SEQUENCE"]
    assert new[uid].decoded("DTSTAMP") == moment
    assert "Ken Ito" in str(new[uid]["SUMMARY"]) and "Aiko" not in str(new[uid]["SUMMARY"])
    untouched = [u for u in old if u != uid]
    assert all(old[u].to_ical() == new[u].to_ical() for u in untouched)


def test_second_swap_on_a_day_raises_sequence_again() -> None:
    rotation = make_rotation()
    day = date(2027, 1, 6)
    at = datetime(2026, 12, 24, tzinfo=UTC)
    once = (swap(day, "aiko", "ken", at),)
    twice = (*once, swap(day, "ken", "taro", at + timedelta(days=1)))
    sequences = [
        by_uid(to_ics([make_feed(rotation, one_shift(rotation, "aiko"), o)]))[
            "20270106@ops.oncall"
        ]["SEQUENCE"]
        for o in ((), once, twice)
    ]
    assert sequences == [0, 1, 2]


def test_personal_feed_loses_the_day_after_a_swap_and_the_taker_gains_it() -> None:
    rotation = make_rotation()
    day = date(2027, 1, 6)
    shifts = one_shift(rotation, "aiko")
    before = make_feed(rotation, shifts)
    after = make_feed(
        rotation, shifts, (swap(day, "aiko", "ken", datetime(2026, 12, 24, tzinfo=UTC)),)
    )
    uid = "20270106-aiko@ops.oncall"
    old = by_uid(to_ics([before], person="aiko"))[uid]
    new = by_uid(to_ics([after], person="aiko"))[uid]
    assert str(old["STATUS"]) == "CONFIRMED"
    assert str(new["STATUS"]) == "CANCELLED"
    assert new["SEQUENCE"] > old["SEQUENCE"]
    assert new.decoded("DTSTART") == old.decoded("DTSTART")
    # a client showing the feed no longer sees aiko on duty that day
    cal = icalendar.Calendar.from_ical(to_ics([after], person="aiko"))
    live = [e for e in recurring_ical_events.of(cal).at(day) if str(e.get("STATUS")) != "CANCELLED"]
    assert live == []
    gained = by_uid(to_ics([after], person="ken"))
    assert list(gained) == ["20270106-ken@ops.oncall"]
    assert str(gained["20270106-ken@ops.oncall"]["STATUS"]) == "CONFIRMED"
    assert "Your role: primary" in str(gained["20270106-ken@ops.oncall"]["DESCRIPTION"])


def test_people_never_on_a_day_get_nothing_for_it() -> None:
    rotation = make_rotation()
    feed = make_feed(rotation, one_shift(rotation, "aiko"))
    assert events(to_ics([feed], person="taro")) == []


def test_cover_brought_in_then_taken_away_is_cancelled_for_the_cover() -> None:
    rotation = make_rotation()
    day = date(2027, 1, 6)
    at = datetime(2026, 12, 24, tzinfo=UTC)
    overrides = (swap(day, "aiko", "ken", at), swap(day, "ken", "taro", at))
    shift = one_shift(rotation, "aiko")
    (brought,) = events(to_ics([make_feed(rotation, shift, overrides[:1])], person="ken"))
    data = to_ics([make_feed(rotation, shift, overrides)], person="ken")
    (event,) = events(data)
    assert str(brought["STATUS"]) == "CONFIRMED"
    assert str(event["STATUS"]) == "CANCELLED"
    # the copy ken got when brought in is replaced: one SEQUENCE higher
    assert event["SEQUENCE"] == brought["SEQUENCE"] + 1


def test_calendar_text_follows_the_rotation_language() -> None:
    japanese = by_uid(to_ics([golden_feed()], person="aiko"))
    english = by_uid(to_ics([golden_feed("en")], person="aiko"))
    uid = "20270104-aiko@app-daytime.oncall"
    assert str(japanese[uid]["DESCRIPTION"]).startswith("あなたの役割: 担当\n一緒に担当: ")
    assert "（シャドー: Mei 🐣 Ito）" in str(japanese[uid]["SUMMARY"])
    assert str(english[uid]["DESCRIPTION"]).startswith("Your role: primary\nWith: ")
    assert str(english[uid]["SUMMARY"]).endswith("(shadow: Mei 🐣 Ito)")
    cancelled = "20270106-aiko@app-daytime.oncall"
    assert str(japanese[cancelled]["SUMMARY"]).startswith("取消: app-daytime: 佐藤 愛子")
    summary = str(english[cancelled]["SUMMARY"])
    assert summary == "Cancelled: app-daytime: 佐藤 愛子 no longer on duty"
    # UIDs, times and SEQUENCE do not depend on the language
    assert {u: e["SEQUENCE"] for u, e in japanese.items()} == {
        u: e["SEQUENCE"] for u, e in english.items()
    }


def test_a_name_over_several_lines_is_one_line_in_the_title_only() -> None:
    rotation = make_rotation(names={"aiko": "Aiko\nSato", "ken": "Ken Ito"})
    feed = make_feed(rotation, [Shift(*_span(rotation), ("aiko",), ("ken",))])
    event = events(to_ics([feed], person="ken"))[0]
    assert str(event["SUMMARY"]) == "ops: Aiko Sato (shadow: Ken Ito)"
    assert "Aiko\nSato (@aiko" in str(event["DESCRIPTION"])
