"""`oncall who` through the real CLI: inside and outside the window, weekends, holidays,
windows across midnight, overrides, and the JSON shape alert routers rely on."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from oncall.core.duty import duty_at, next_duty_day
from oncall.core.model import DateRange
from oncall.core.schedule import Override
from oncall.io.store import FileStore
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

Who = Callable[..., tuple[int, str, str]]


@pytest.fixture
def who(cron_cli: Runner) -> Who:
    def who(cwd: Path, *args: str) -> tuple[int, str, str]:
        result = cron_cli("who", *args, cwd=cwd)
        return result.returncode, result.stdout, result.stderr

    return who


def test_inside_window_names_primaries_and_shadow(who: Who, workspace: Path):
    code, out, err = who(workspace, "--now", "2027-01-04T10:30")
    assert code == 0, err
    assert "app: on duty now (Mon 2027-01-04 10:00-17:00)" in out
    assert "primary: Aiko Sato (@aiko, payments), Ken <R&D> (@ken, search)" in out
    assert "shadow: Mei Ito (@mei, platform)" in out


def test_handles_lists_on_duty_people_and_nothing_outside(who: Who, workspace: Path):
    assert (
        who(workspace, "--now", "2027-01-04T16:59", "--format", "handles")[1] == "aiko\nken\nmei\n"
    )
    # The window ends at 17:00 sharp: an alert then is posted without a mention.
    assert who(workspace, "--now", "2027-01-04T17:00", "--format", "handles")[1] == ""
    assert who(workspace, "--now", "2027-01-04T09:59", "--format", "handles")[1] == ""


def test_json_shape_is_versioned_and_stable(who: Who, workspace: Path):
    code, out, _ = who(workspace, "--now", "2027-01-05T12:00", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 1
    assert data["rotation"] == "app"
    assert data["date"] == "2027-01-05"
    assert data["on_duty"] is True
    assert data["window"] == {
        "start": "2027-01-05T10:00:00+09:00",
        "end": "2027-01-05T17:00:00+09:00",
    }
    assert data["primary"] == [
        {"handle": "aiko", "name": "Aiko Sato", "team": "payments", "slack": "U0AIKO"},
        {"handle": "ken", "name": "Ken <R&D>", "team": "search", "slack": None},
    ]
    assert [p["handle"] for p in data["shadow"]] == ["mei"]
    assert data["fallback"] == "@sre-oncall"
    assert data["at"] == "2027-01-05T12:00:00+09:00"


def test_outside_window_gives_fallback_and_no_people(who: Who, workspace: Path):
    code, out, _ = who(workspace, "--now", "2027-01-04T18:00", "--format", "json")
    data = json.loads(out)
    assert (code, data["on_duty"], data["primary"], data["shadow"]) == (0, False, [], [])
    assert data["fallback"] == "@sre-oncall"
    assert data["window"]["start"] == "2027-01-04T10:00:00+09:00"
    text = who(workspace, "--now", "2027-01-04T18:00")[1]
    assert "nobody on duty at Mon 2027-01-04 18:00 (outside the window 10:00-17:00)" in text
    assert "fallback: @sre-oncall" in text


def test_weekend_and_holiday_are_not_duty_days(who: Who, workspace: Path):
    saturday = json.loads(who(workspace, "--now", "2027-01-09T12:00", "--format", "json")[1])
    assert saturday["on_duty"] is False and saturday["window"] is None
    holiday = json.loads(who(workspace, "--now", "2027-01-11T12:00", "--format", "json")[1])
    assert holiday["on_duty"] is False
    assert holiday["day_off"] == "Coming of Age Day"
    text = who(workspace, "--date", "2027-01-11", "--now", "2027-01-04T12:00")[1]
    assert "not a duty day: Coming of Age Day" in text


def test_date_asks_about_a_whole_day(who: Who, workspace: Path):
    code, out, _ = who(
        workspace, "--date", "tomorrow", "--now", "2027-01-11T12:00", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["date"] == "2027-01-12" and data["on_duty"] is True
    assert [p["handle"] for p in data["primary"]] == ["taro", "li"]


def test_at_overrides_now(who: Who, workspace: Path):
    out = who(
        workspace, "--at", "2027-01-13T11:00", "--now", "2027-01-04T18:00", "--format", "handles"
    )[1]
    assert out == "taro\nli\n"


def test_window_across_midnight_uses_the_day_it_started(who: Who, tmp_path: Path):
    make_rotation(tmp_path, start="22:00", end="06:00")
    # Tuesday 02:00 is inside Monday's 22:00-06:00 window.
    data = json.loads(who(tmp_path, "--now", "2027-01-05T02:00", "--format", "json")[1])
    assert data["on_duty"] is True and data["date"] == "2027-01-04"
    assert data["window"] == {
        "start": "2027-01-04T22:00:00+09:00",
        "end": "2027-01-05T06:00:00+09:00",
    }
    # Saturday 03:00 still belongs to Friday night.
    friday = json.loads(who(tmp_path, "--now", "2027-01-09T03:00", "--format", "json")[1])
    assert friday["on_duty"] is True and friday["date"] == "2027-01-08"
    # Monday 02:00 belongs to Sunday, which has no duty; 07:00 Tuesday is between windows.
    assert who(tmp_path, "--now", "2027-01-04T02:00", "--format", "handles")[1] == ""
    assert who(tmp_path, "--now", "2027-01-05T07:00", "--format", "handles")[1] == ""
    # After the holiday Monday, Tuesday 02:00 has no window in force.
    assert who(tmp_path, "--now", "2027-01-12T02:00", "--format", "handles")[1] == ""


def test_overrides_show_in_who(who: Who, tmp_path: Path):
    swap = Override(DateRange.single(date(2027, 1, 6)), "aiko", "raj", "school event")
    make_rotation(tmp_path, overrides=(swap,))
    assert who(tmp_path, "--now", "2027-01-06T12:00", "--format", "handles")[1] == "raj\nken\nmei\n"
    assert (
        who(tmp_path, "--now", "2027-01-07T12:00", "--format", "handles")[1] == "aiko\nken\nmei\n"
    )


def test_japanese_text(who: Who, tmp_path: Path):
    make_rotation(tmp_path, language="ja")
    out = who(tmp_path, "--now", "2027-01-04T11:00")[1]
    assert "app: 現在オンコール中（1月4日(月) 10:00〜17:00）" in out
    assert "担当: 佐藤 愛子 (@aiko, payments)" in out
    off = who(tmp_path, "--now", "2027-01-04T18:00")[1]
    assert "1月4日(月) 18:00 は担当時間外です" in off and "時間外: @sre-oncall" in off


@pytest.mark.parametrize(
    "args",
    [
        ("--at", "2027-01-04T10:00", "--date", "2027-01-04"),
        ("--format", "yaml"),
        ("--now", "next tuesday"),
        ("--date", "2027-13-01"),
    ],
)
def test_bad_options_are_exit_2_without_traceback(who: Who, workspace: Path, args: tuple[str, ...]):
    code, _, err = who(workspace, *args)
    assert code == 2
    assert err.startswith("oncall: ") and "Traceback" not in err


@pytest.mark.parametrize("at", ["2027-02-30T11:00", "2027-01-05 25:00", "2027-01-05T11:00+25:00"])
def test_a_bad_at_asks_for_a_date_time(who: Who, workspace: Path, at: str):
    code, _, err = who(workspace, "--at", at, "--now", "2027-01-04T12:00")
    assert code == 2, err
    assert f"--at: found {at!r}, expected a date-time such as 2027-01-04T11:00" in err


def test_missing_schedule_is_bad_input(who: Who, workspace: Path):
    (workspace / "rotations" / "app.schedule.yaml").unlink()
    code, _, err = who(workspace, "--now", "2027-01-04T12:00")
    assert code == 2 and "oncall plan" in err


def test_duty_at_accepts_moments_in_other_zones(workspace: Path):
    opened = FileStore().open(workspace / "rotations" / "app.yaml")
    calendar = opened.calendar()
    # 02:00 UTC is 11:00 in Tokyo.
    found = duty_at(
        opened.rotation,
        calendar,
        opened.schedule,
        datetime(2027, 1, 4, 2, 0, tzinfo=ZoneInfo("UTC")),
    )
    assert found.on_duty and [p.handle for p in found.primary] == ["aiko", "ken"]
    assert next_duty_day(calendar, date(2027, 1, 8)) == date(2027, 1, 12)
    assert next_duty_day(calendar, date(2027, 1, 29)) is None


def test_outside_the_term_says_so(who: Who, workspace: Path):
    code, out, _ = who(workspace, "--now", "2027-02-01T12:00")
    assert code == 0
    assert (
        "nobody on duty on Mon 2027-02-01: outside the planned term 2027-01-04..2027-01-29" in out
    )
    assert "fallback: @sre-oncall" in out
