"""CSV export: the spec's columns, RFC 4180 bytes, overrides applied, formulas defused."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oncall.core.calendar import DutyCalendar, build_calendar
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
from oncall.render.export import sheet_text
from oncall.render.spreadsheet import COLUMNS, neutralise, rows
from oncall.usecases.export import ExportFile, Feed
from tests.golden import ROTATION, SCHEDULE, assert_golden
from tests.helpers.builders import term_of

HEADER = "date,weekday,start,end,timezone,role,handle,name,team"


def golden_csv(**kwargs: object) -> str:
    rotation = load_rotation(ROTATION)
    schedule = load_schedule(SCHEDULE, rotation)
    calendar = build_calendar(rotation, schedule.term.start, schedule.term.end)
    return to_csv(rotation, schedule, calendar, **kwargs)  # type: ignore[arg-type]


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def make(
    names: dict[str, str],
    shifts: list[Shift],
    overrides: tuple[Override, ...] = (),
    window: Window | None = None,
) -> tuple[Rotation, Schedule]:
    start = date(2027, 1, 4)
    rotation = Rotation(
        id="ops",
        timezone="Europe/Berlin",
        window=window or Window(frozenset(range(5)), 600, 1020),
        shift=ShiftRule(1, ShiftUnit.WEEKS, 0, 2),
        term_rule=TermRule(start=start, end=start + timedelta(days=13)),
        members=tuple(
            Member(handle=h, name=n, team=f"team-{h}", volunteer=True) for h, n in names.items()
        ),
        holidays=Holidays(),
    )
    planned = datetime(2026, 11, 22, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    return rotation, Schedule("ops", planned, term_of(rotation), tuple(shifts), overrides)


def export(rotation: Rotation, schedule: Schedule, **kwargs: object) -> str:
    return to_csv(rotation, schedule, build_calendar(rotation), **kwargs)  # type: ignore[arg-type]


def to_csv(
    rotation: Rotation,
    schedule: Schedule,
    calendar: DutyCalendar,
    *,
    person: str | None = None,
    excel: bool = False,
    raw: bool = False,
) -> str:
    """One rotation's sheet as `oncall export --format csv` renders it (``sheet_text``)."""
    file = ExportFile((Feed(rotation, schedule, calendar),), person)
    return sheet_text(file, excel=excel, raw=raw)


def test_team_sheet_matches_golden_file() -> None:
    assert_golden("app-daytime.csv", golden_csv().encode("utf-8"))


def test_personal_excel_sheet_matches_golden_file() -> None:
    assert_golden("app-daytime-ken-excel.csv", golden_csv(person="ken", excel=True).encode("utf-8"))


def test_header_is_exactly_the_specs_columns_and_lines_end_in_crlf() -> None:
    text = golden_csv()
    assert text.startswith(HEADER + "\r\n")
    assert ",".join(COLUMNS) == HEADER
    assert text.endswith("\r\n")
    # the only bare LF is the one inside Mei's quoted name
    assert text.replace("\r\n", "").count("\n") == text.count("Mei 🐣\nIto")


def test_rows_have_overrides_applied_and_sorted_by_date_role_handle() -> None:
    table = parse(golden_csv())
    assert [row["date"] for row in table] == sorted(row["date"] for row in table)
    on_6th = [(r["role"], r["handle"]) for r in table if r["date"] == "2027-01-06"]
    assert on_6th == [("primary", "ken"), ("primary", "taro"), ("shadow", "mei")]
    on_13th = [(r["role"], r["handle"]) for r in table if r["date"] == "2027-01-13"]
    assert on_13th == [("primary", "aiko"), ("primary", "ken")]
    assert "2027-01-08" not in {row["date"] for row in table}  # closure
    first = table[0]
    assert first == {
        "date": "2027-01-04",
        "weekday": "Mon",
        "start": "10:00",
        "end": "17:00",
        "timezone": "Asia/Tokyo",
        "role": "primary",
        "handle": "aiko",
        "name": "佐藤 愛子",
        "team": "payments",
    }


def test_primary_sorts_before_shadow_whatever_the_handles() -> None:
    rotation, schedule = make(
        {"zed": "Zed", "amy": "Amy", "bob": "Bob"},
        [Shift(date(2027, 1, 4), date(2027, 1, 17), ("zed", "bob"), ("amy",))],
    )
    day = [(row.role, row.handle) for row in rows(rotation, schedule, build_calendar(rotation))][:3]
    assert day == [("primary", "bob"), ("primary", "zed"), ("shadow", "amy")]


def test_person_filter_keeps_only_their_days() -> None:
    table = parse(golden_csv(person="aiko"))
    assert {row["handle"] for row in table} == {"aiko"}
    assert [row["date"] for row in table] == [
        "2027-01-04",
        "2027-01-05",
        "2027-01-07",
        "2027-01-13",
        "2027-01-14",
    ]


def test_excel_flag_adds_a_bom_and_nothing_else() -> None:
    plain, excel = golden_csv(), golden_csv(excel=True)
    assert excel == "\ufeff" + plain
    assert not plain.startswith("\ufeff")


def test_midnight_window_keeps_the_local_clock_times() -> None:
    rotation, schedule = make(
        {"amy": "Amy"},
        [Shift(date(2027, 1, 4), date(2027, 1, 17), ("amy",))],
        window=Window(frozenset(range(7)), 22 * 60, 6 * 60),
    )
    row = parse(export(rotation, schedule))[0]
    assert (row["start"], row["end"], row["timezone"]) == ("22:00", "06:00", "Europe/Berlin")


def test_full_day_window_ends_at_24_00() -> None:
    rotation, schedule = make(
        {"amy": "Amy"},
        [Shift(date(2027, 1, 4), date(2027, 1, 17), ("amy",))],
        window=Window(frozenset(range(7)), 0, 24 * 60),
    )
    row = parse(export(rotation, schedule))[0]
    assert (row["start"], row["end"]) == ("00:00", "24:00")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann=Lee", "Ann=Lee"),
        ("'quoted", "'quoted"),
        (" =1+1", "' =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("\u3000=1+1", "'\u3000=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\uff0bx", "'\uff0bx"),
        (" \x1bx", "' \x1bx"),
        ("a\x00b", "a\ufffdb"),
        ("\x00=1", "'\ufffd=1"),
        ("  Ann", "  Ann"),
        ("佐藤", "佐藤"),
        ("", ""),
    ],
)
def test_neutralise_defuses_exactly_the_formula_starts(cell: str, shown: str) -> None:
    assert neutralise(cell) == shown


HOSTILE = {
    "f1": '=HYPERLINK("http://evil","x")',
    "f2": "+cmd|' /C calc'!A0",
    "f3": "-2+3",
    "f4": "@SUM(1)",
    "f5": "\t=tab",
    "f6": "\r=cr",
    "c1": 'O\'Neil, "Ken"; Jr.',
    "c2": "two\nlines",
    "c3": "Mei 🐣",
    "c4": "佐藤 愛子",
}


def test_hostile_names_come_back_as_data() -> None:
    rotation, schedule = make(HOSTILE, [Shift(date(2027, 1, 4), date(2027, 1, 17), tuple(HOSTILE))])
    text = export(rotation, schedule)
    table = parse(text)
    names = {row["handle"]: row["name"] for row in table}
    for handle, name in HOSTILE.items():
        expected = "'" + name if name[0] in "=+-@\t\r" else name
        assert names[handle] == expected
    # a spreadsheet would see no cell starting with a formula character
    for row in table:
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())
    assert len(table) == 10 * len(HOSTILE)


def test_swap_moves_the_row_to_the_new_person() -> None:
    shifts = [Shift(date(2027, 1, 4), date(2027, 1, 17), ("amy", "bob"))]
    swap = Override(DateRange.single(date(2027, 1, 6)), "amy", "cat", "dentist")
    rotation, schedule = make({"amy": "Amy", "bob": "Bob", "cat": "Cat"}, shifts, (swap,))
    on_6th = [r["handle"] for r in parse(export(rotation, schedule)) if r["date"] == "2027-01-06"]
    assert on_6th == ["bob", "cat"]


def test_same_input_same_text() -> None:
    assert golden_csv() == golden_csv()
