"""`oncall show`: plain text into pipes, rich on a terminal, filters, load bars, JSON."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from oncall.core.model import DateRange
from oncall.core.schedule import Override
from oncall.io.store import FileStore
from oncall.render import show as drawing
from oncall.render import terminal
from oncall.usecases.show import build_view
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

SWAP = Override(DateRange.single(date(2027, 1, 6)), "aiko", "raj", "dentist")


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    make_rotation(tmp_path, overrides=(SWAP,))
    return tmp_path


Show = Callable[..., tuple[int, str, str]]


@pytest.fixture
def show(cron_cli: Runner) -> Show:
    def show(cwd: Path, *args: str) -> tuple[int, str, str]:
        result = cron_cli("show", *args, "--now", "2027-01-04T12:00", cwd=cwd)
        return result.returncode, result.stdout, result.stderr

    return show


def test_plain_table_into_a_pipe(show: Show, workspace: Path):
    code, out, err = show(workspace)
    assert code == 0, err
    assert "\x1b[" not in out  # no colour codes into a pipe
    lines = out.splitlines()
    assert lines[0] == "app: 2027-01-04..2027-01-29 (Asia/Tokyo, 10:00-17:00)"
    assert lines[1].split() == ["Date", "Day", "Primary", "Shadow", "Note"]
    row = next(line for line in lines if line.startswith("2027-01-06"))
    assert row.split()[:4] == ["2027-01-06", "Wed", "raj*,", "ken"]
    assert "* aiko -> raj (dentist)" in row
    holiday = next(line for line in lines if line.startswith("2027-01-11"))
    assert holiday.split()[2] == "-" and holiday.endswith("Coming of Age Day")
    assert not any(line.startswith("2027-01-09") for line in lines)  # Saturday


def test_load_bars_count_primary_shifts_over_the_term(show: Show, workspace: Path):
    out = show(workspace)[1]
    load = out[out.index("Load over the term") :].splitlines()
    rows = {line.split()[0]: line for line in load[2:]}
    assert set(rows) == {"aiko", "ken", "taro", "li", "raj", "mei"}
    assert "█" * drawing.BAR_WIDTH + " 2" in rows["aiko"]
    assert "█" * (drawing.BAR_WIDTH // 2) + " 1 +1 shadow" in rows["mei"]
    assert rows["raj"].rstrip().endswith("1")  # one day covered by the override


def test_person_and_month_filters(show: Show, workspace: Path):
    out = show(workspace, "--person", "taro", "--month", "2027-01", "--list")[1]
    days = [line.split()[0] for line in out.splitlines() if line.startswith("2027-")]
    assert days[0] == "2027-01-12" and len(days) == 9
    assert "Coming of Age Day" not in out
    load = out[out.index("Load over the term") :].splitlines()
    assert [line.split()[0] for line in load[2:]] == ["taro"]
    empty = show(workspace, "--month", "2027-03", "--list")[1]
    assert "no duty days in this range" in empty


def test_japanese_holiday_names(show: Show, tmp_path: Path):
    make_rotation(tmp_path, language="ja")
    out = show(tmp_path, "--month", "2027-01", "--list")[1]
    holiday = next(line for line in out.splitlines() if line.startswith("2027-01-11"))
    assert holiday.split()[1] == "月" and holiday.endswith("成人の日")


def test_json(show: Show, workspace: Path):
    code, out, _ = show(workspace, "--format", "json", "--month", "2027-01")
    data = json.loads(out)
    assert code == 0 and data["version"] == 1 and data["rotation"] == "app"
    day = next(d for d in data["days"] if d["date"] == "2027-01-06")
    assert day["primary"] == ["raj", "ken"] and day["shadow"] == ["mei"]
    assert day["overrides"] == [
        {"dates": "2027-01-06", "out": "aiko", "in": "raj", "reason": "dentist", "forced": False}
    ]
    holiday = next(d for d in data["days"] if d["date"] == "2027-01-11")
    assert holiday == {
        "date": "2027-01-11",
        "duty": False,
        "day_off": "Coming of Age Day",
        "primary": [],
        "shadow": [],
        "overrides": [],
        "covers": [],
    }
    aiko = next(entry for entry in data["load"] if entry["handle"] == "aiko")
    assert (aiko["primary_shifts"], aiko["primary_days"]) == (2, 9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--person", "aikoo"), "did you mean 'aiko'?"),
        (("--month", "January"), "expected a month such as 2027-01"),
        (("--month", "2027-13"), "expected a month"),
        (("--format", "html"), "expected one of: text, json"),
    ],
)
def test_bad_input_is_exit_2(show: Show, workspace: Path, args: tuple[str, ...], message: str):
    code, _, err = show(workspace, *args)
    assert code == 2 and message in err and "Traceback" not in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def view(root: Path):
    opened = FileStore().open(root / "rotations" / "app.yaml")
    assert opened.schedule is not None
    return build_view(
        opened.rotation,
        opened.calendar(),
        opened.schedule,
        span=None,
        person=None,
        today=date(2027, 1, 6),
    )


def test_rich_table_on_a_terminal(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = Terminal()
    drawing.print_views([view(workspace)], stream)
    drawn = stream.getvalue()
    assert "┃" in drawn or "│" in drawn  # rich's box drawing
    assert "[dentist]" not in drawn and "aiko -> raj (dentist)" in drawn


def test_no_color_gives_plain_text_even_on_a_terminal(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("NO_COLOR", "1")
    stream = Terminal()
    drawing.print_views([view(workspace)], stream)
    drawn = stream.getvalue()
    assert "│" not in drawn and "\x1b[" not in drawn
    assert drawn.splitlines()[1].split() == ["Date", "Day", "Primary", "Shadow", "Note"]


def test_wide_characters_line_up():
    assert terminal.width("佐藤 愛子") == 9
    lines = terminal.columns(("A", "B"), [["佐藤", "x"], ["ab", "y"]])
    assert terminal.width(lines[1][: lines[1].index("x")]) == lines[2].index("y")


def test_a_japanese_rotation_is_shown_in_japanese(show: Show, tmp_path: Path):
    """Headers, notes and the load table come from the ja catalogue, like the weekdays."""
    make_rotation(tmp_path, language="ja", overrides=(SWAP,))
    out = show(tmp_path, "--month", "2027-01", "--list", "--person", "ken")[1].splitlines()
    assert out[1].split() == ["日付", "曜日", "担当", "シャドー", "メモ"]
    swapped = next(line for line in out if line.startswith("2027-01-06"))
    assert swapped.endswith("* aiko → raj（dentist）")
    assert "期間 2027-01-04..2027-01-29 の担当数（担当シフト）" in out
    assert out[out.index("期間 2027-01-04..2027-01-29 の担当数（担当シフト）") + 1].split() == [
        "メンバー", "名前", "チーム", "シフト", "日数"
    ]
    assert "Date" not in "\n".join(out) and "Load over" not in "\n".join(out)
