"""`oncall show --month`: the month as a grid of weeks, plain into pipes (golden file),
rich on a terminal, Japanese weekdays, `--person` marked, the list still there with --list."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from oncall.core.clock import Clock
from oncall.core.model import DateRange
from oncall.core.schedule import Override
from oncall.io.store import FileStore
from oncall.render.month import plain_month, print_months, wrap
from oncall.usecases.month import Month, show_month
from oncall.usecases.show import View
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

GOLDEN = Path(__file__).parent / "golden" / "show-month-2027-01.txt"
SWAP = Override(DateRange.single(date(2027, 1, 6)), "aiko", "raj", "dentist")

Show = Callable[..., str]


@pytest.fixture
def show(cron_cli: Runner) -> Show:
    def show(cwd: Path, *args: str) -> str:
        ran = cron_cli("show", *args, "--now", "2027-01-05T12:00", cwd=cwd)
        assert ran.returncode == 0, ran.stderr
        return ran.stdout

    return show


def test_plain_grid_matches_the_golden_file(show: Show, tmp_path: Path):
    make_rotation(tmp_path, overrides=(SWAP,))
    out = show(tmp_path, "--month", "2027-01", "--person", "ken")
    assert "\x1b[" not in out
    if os.environ.get("ONCALL_REGEN_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_grid_cells_hold_the_days_people_and_marks(show: Show, tmp_path: Path):
    make_rotation(tmp_path, overrides=(SWAP,))
    lines = show(tmp_path, "--month", "2027-01").splitlines()
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines if line[0] == "|"]
    assert cells[0] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    week2 = cells[cells.index(["4", "5 today", "6", "7", "8", "9", "10"]) :][:4]
    assert [row[2] for row in week2[1:]] == ["raj*", "ken", "(mei)"]  # the swap, marked
    assert [row[0] for row in week2[1:]] == ["aiko", "ken", "(mei)"]
    week3 = next(i for i, row in enumerate(cells) if row[0] == "11")
    assert cells[week3 + 1][0] == "Coming of" and cells[week3 + 2][0] == "Age Day"
    assert cells[week3 + 1][1:3] == ["taro", "taro"]


def test_japanese_weekdays_and_holiday(show: Show, tmp_path: Path):
    make_rotation(tmp_path, language="ja")
    out = show(tmp_path, "--month", "2027-01")
    lines = out.splitlines()
    assert lines[0].startswith("app: 2027年1月")
    assert [c.strip() for c in lines[2].strip("|").split("|")] == list("月火水木金土日")
    assert "成人の日" in out and "5 今日" in out
    assert len({_columns(line) for line in lines[1:-1]}) == 1  # wide characters line up


def _columns(text: str) -> int:
    from oncall.render.terminal import width

    return width(text)


def test_list_stays_available(show: Show, tmp_path: Path):
    make_rotation(tmp_path, overrides=(SWAP,))
    out = show(tmp_path, "--month", "2027-01", "--list")
    assert out.splitlines()[1].split() == ["Date", "Day", "Primary", "Shadow", "Note"]
    assert "Load over the term" in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _month(root: Path, person: str | None = None) -> tuple[View, Month]:
    """January 2027 as `show --month 2027-01` draws it (``show_month``), on the 6th."""
    ((view, grid),) = show_month(
        FileStore([root / "rotations" / "app.yaml"]), Clock.parse("2027-01-06T12:00"),
        person=person, month="2027-01",
    )
    return view, grid


def test_rich_grid_on_a_terminal_highlights_the_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("NO_COLOR", raising=False)
    make_rotation(tmp_path, overrides=(SWAP,))
    view, grid = _month(tmp_path, "taro")
    stream = Terminal()
    print_months([view], [[grid]], stream)
    drawn = stream.getvalue()
    assert "│" in drawn and "\x1b[1;7;35mtaro" in drawn  # taro stands out
    assert "\x1b[1;7;35maiko" not in drawn and "\x1b[33mraj*" in drawn

    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    print_months([view], [[grid]], plain)
    assert "\x1b[" not in plain.getvalue() and ">taro" in plain.getvalue()


def test_weeks_start_on_monday_and_cover_the_month(tmp_path: Path):
    make_rotation(tmp_path)
    view, january = _month(tmp_path)
    assert january.weeks[0][0].day == date(2026, 12, 28)
    assert january.weeks[-1][-1].day == date(2027, 1, 31)
    assert [c.day.day for c in january.weeks[0] if c.in_month] == [1, 2, 3]
    assert "6 today" in plain_month(view, january)


def test_wrap_breaks_wide_words_by_columns():
    assert wrap("Coming of Age Day", 9) == ["Coming of", "Age Day"]
    assert wrap("建国記念の日", 6) == ["建国記", "念の日"]


def test_a_month_two_terms_share_is_one_grid(cli: Runner, tmp_path: Path):
    make_rotation(tmp_path)
    for now in ("2027-01-20T12:00", "2027-02-20T12:00"):
        ran = cli("plan", "--next-term", "--now", now, cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
    terms = sorted(p.name for p in (tmp_path / "rotations" / "app.terms").iterdir())
    assert terms == ["2027-01-04.schedule.yaml", "2027-01-30.schedule.yaml"]
    ran = cli("show", "--month", "2027-02", "--now", "2027-02-22T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines if line[0] == "|"]
    week = next(i for i, row in enumerate(cells) if row[:5] == ["22 today", "23", "24", "25", "26"])
    # Wednesday 24th is the second term's last day, Thursday 25th the third term's first
    assert cells[week + 1][2] != "" and cells[week + 1][3] != ""
    assert any("Foundation" in row for row in cells)  # the 11th: its words are not split
