"""`oncall cover` and `oncall swap --trade` through the real CLI: who could take a day
(every rule kept, the least loaded first), the request posted to a real local webhook,
`swap` without --in, and trades whose halves break `min_gap` while the whole keeps it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.cli import Runner
from tests.helpers.hook import Hook

NOW = "2027-01-04T09:00"

DAILY = """\
rotation: desk
timezone: Asia/Tokyo
language: {language}
window: {{days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}}
holidays: {{closures: []}}
shift: {{length: 1d, people: 1}}
term: {{start: 2027-01-04, length: 4w}}
rules: {{volunteers_only: false, distinct_teams: off, min_gap: {min_gap}}}
fallback: "@sre"
members:
  - {{handle: aiko, name: Aiko Sato, team: a, slack: U0AIKO, unavailable: [{away}]}}
  - {{handle: ken, name: Ken Ito, team: a, slack: U0KEN, unavailable: [{away}]}}
  - {{handle: taro, name: Taro Kato, team: b}}
  - {{handle: li, name: Li Wei, team: b, unavailable: [wed, {away}]}}
  - {{handle: mei, name: Mei Chen, team: c, left: 2027-01-06}}
"""


def planned(
    cli: Runner, root: Path, *, language: str = "en", min_gap: int = 1, away: str = "2026-12-31"
) -> Path:
    folder = root / "rotations"
    folder.mkdir(parents=True)
    path = folder / "desk.yaml"
    path.write_text(DAILY.format(language=language, min_gap=min_gap, away=away), encoding="utf-8")
    result = cli("plan", "--now", "2026-12-20T10:00", cwd=root)
    assert result.returncode == 0, result.stderr
    return folder / "desk.schedule.yaml"


def duty(cli: Runner, root: Path) -> dict[date, str]:
    """Who holds each duty day, as `show --format json` tells it."""
    shown = json.loads(cli("show", "--format", "json", "--now", NOW, cwd=root).stdout)
    return {
        date.fromisoformat(day["date"]): day["primary"][0]
        for day in shown["days"]
        if day["primary"]
    }


def candidates(cli: Runner, root: Path, member: str, dates: str) -> dict[str, Any]:
    result = cli("cover", "--member", member, "--dates", dates, "--format", "json",
                 "--now", NOW, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_cover_lists_who_keeps_every_rule_least_loaded_first(cli: Runner, tmp_path: Path):
    planned(cli, tmp_path)
    days = duty(cli, tmp_path)
    wednesday = min(d for d in days if d.weekday() == 2 and d > date(2027, 1, 6))
    holder = days[wednesday]
    found = candidates(cli, tmp_path, holder, wednesday.isoformat())
    [day] = found["days"]
    names = [c["handle"] for c in day["candidates"]]
    # li cannot serve Wednesdays, mei has left, the holder cannot cover themselves, and
    # neighbours of the day's shifts would break min_gap: each one of those is a rule.
    assert "li" not in names and "mei" not in names and holder not in names
    before = wednesday - timedelta(days=1)
    after = wednesday + timedelta(days=1)
    for neighbour in (days.get(before), days.get(after)):
        assert neighbour not in names
    assert names, "somebody can take the day"
    loads = [(c["days"], c["carried"], c["handle"]) for c in day["candidates"]]
    assert loads == sorted(loads)
    # Every listed candidate is really accepted by `swap`; nothing was written by cover.
    schedule = tmp_path / "rotations" / "desk.schedule.yaml"
    untouched = schedule.read_bytes()
    assert cli("cover", "--member", holder, "--dates", wednesday.isoformat(), "--now", NOW,
               cwd=tmp_path).returncode == 0
    assert schedule.read_bytes() == untouched
    swapped = cli("swap", "--dates", wednesday.isoformat(), "--out", holder, "--in", names[0],
                  "--now", NOW, cwd=tmp_path)
    assert swapped.returncode == 0, swapped.stderr


def test_cover_exits_1_for_a_day_nobody_can_take(cli: Runner, tmp_path: Path):
    # Everyone but taro is away (or has left) on Thursday 2027-01-14: taro holds it alone.
    planned(cli, tmp_path, away="2027-01-14")
    days = duty(cli, tmp_path)
    first = date(2027, 1, 14)
    assert days[first] == "taro"
    result = cli("cover", "--member", days[first], "--dates", first.isoformat(), "--now", NOW,
                 cwd=tmp_path)
    assert result.returncode == 1
    assert "nobody can take it without breaking a rule" in result.stdout
    assert f"nobody can take {first}" in result.stderr
    assert "to record one" not in result.stdout


def test_cover_text_names_the_swap_that_records_the_best(cli: Runner, tmp_path: Path):
    planned(cli, tmp_path)
    days = duty(cli, tmp_path)
    first = min(d for d in days if d > date(2027, 1, 6) and d.weekday() != 2)
    found = candidates(cli, tmp_path, days[first], first.isoformat())
    best = found["days"][0]["candidates"][0]["handle"]
    result = cli("cover", "--member", days[first], "--dates", first.isoformat(), "--now", NOW,
                 cwd=tmp_path)
    assert result.returncode == 0
    assert f"oncall swap --dates {first} --out {days[first]} --in {best}" in result.stdout


def test_swap_without_in_lists_the_candidates_and_exits_1(cli: Runner, tmp_path: Path):
    schedule = planned(cli, tmp_path)
    days = duty(cli, tmp_path)
    day = min(d for d in days if d > date(2027, 1, 5))
    before = schedule.read_bytes()
    listed = cli("cover", "--member", days[day], "--dates", day.isoformat(), "--now", NOW,
                 cwd=tmp_path)
    result = cli("swap", "--dates", day.isoformat(), "--out", days[day], "--now", NOW,
                 cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.strip() == listed.stdout.strip()
    assert "swap needs --in" in result.stderr
    assert schedule.read_bytes() == before


@pytest.mark.parametrize("args, expected", [
    (("--member", "nobody", "--dates", "2027-01-11"), "'nobody' is not a member"),
    (("--member", "aiko", "--dates", "2027-13-01"), "--dates"),
])
def test_cover_bad_input_is_exit_2(cli: Runner, tmp_path: Path, args: tuple[str, ...],
                                   expected: str):
    planned(cli, tmp_path)
    result = cli("cover", *args, "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr


def test_cover_of_a_day_the_member_does_not_hold_is_refused(cli: Runner, tmp_path: Path):
    planned(cli, tmp_path)
    days = duty(cli, tmp_path)
    day = min(d for d in days if d > date(2027, 1, 5))
    other = next(h for h in ("aiko", "ken", "taro") if h != days[day])
    result = cli("cover", "--member", other, "--dates", day.isoformat(), "--now", NOW,
                 cwd=tmp_path)
    assert result.returncode == 1 and f"{other} holds no duty day" in result.stderr


@pytest.mark.parametrize("language, asked", [
    ("en", "Cover needed: "),
    ("ja", "代理のお願い: "),
])
def test_cover_post_mentions_each_candidate(cli: Runner, tmp_path: Path, language: str,
                                            asked: str):
    planned(cli, tmp_path, language=language)
    days = duty(cli, tmp_path)
    week = sorted(d for d in days if date(2027, 1, 11) <= d <= date(2027, 1, 15))
    holder = days[week[0]]
    mine = [d for d in week if days[d] == holder]
    span = f"{mine[0]}..{mine[-1]}"
    found = candidates(cli, tmp_path, holder, span)
    with Hook([]) as hook:
        result = cli("cover", "--member", holder, "--dates", span, "--post", hook.url,
                     "--now", NOW, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    [posted] = hook.received
    text = posted["body"]["text"]  # type: ignore[index]
    assert text.startswith(asked)
    slack = {"aiko": "<@U0AIKO>", "ken": "<@U0KEN>"}
    for day in found["days"]:
        for candidate in day["candidates"]:
            handle = candidate["handle"]
            assert slack.get(handle, f"@{handle}") in text
    assert "mei" not in text  # left the rotation before these days


def trade_pairs(days: dict[date, str]) -> list[tuple[date, date]]:
    ordered = sorted(d for d in days if d > date(2027, 1, 5))
    return [(a, b) for a, b in pairwise(ordered) if days[a] != days[b]]


def test_trade_of_adjacent_days_checks_the_end_state_not_each_half(
    cli: Runner, tmp_path: Path
):
    schedule = planned(cli, tmp_path)
    days = duty(cli, tmp_path)
    traded = None
    for first, second in trade_pairs(days):
        one, two = days[first], days[second]
        before = schedule.read_bytes()
        # Each half alone puts one person on two days running: min_gap refuses it.
        half = cli("swap", "--dates", first.isoformat(), "--out", one, "--in", two,
                   "--now", NOW, cwd=tmp_path)
        assert half.returncode == 1 and "min_gap" in half.stderr
        assert schedule.read_bytes() == before
        result = cli("swap", "--trade", f"{one}:{first}", f"{two}:{second}",
                     "--now", NOW, cwd=tmp_path)
        if result.returncode == 0:
            traded = (first, second, one, two, result.stdout)
            break
        assert result.returncode == 1 and schedule.read_bytes() == before
    assert traded is not None, "some adjacent pair trades cleanly"
    first, second, one, two, out = traded
    assert "recorded a trade" in out
    assert f"{first} {one} -> {two}" in out and f"{second} {two} -> {one}" in out
    after = duty(cli, tmp_path)
    assert (after[first], after[second]) == (two, one)
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0
    recorded = yaml.safe_load(schedule.read_text(encoding="utf-8"))["overrides"]
    assert len(recorded) == 2 and not any(o.get("forced") for o in recorded)


@pytest.mark.parametrize("trade, expected", [
    (("aiko:2027-01-11", "aiko:2027-01-12"), "both sides name 'aiko'"),
    (("aiko", "ken:2027-01-12"), "is not HANDLE:DATES"),
    (("aiko:2027-01-11..2027-01-13", "ken:2027-01-12"), "overlap"),
    (("ghost:2027-01-11", "ken:2027-01-12"), "'ghost' is not a member"),
])
def test_bad_trades_are_exit_2_and_write_nothing(
    cli: Runner, tmp_path: Path, trade: tuple[str, str], expected: str
):
    schedule = planned(cli, tmp_path)
    before = schedule.read_bytes()
    result = cli("swap", "--trade", *trade, "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert schedule.read_bytes() == before


def test_trade_of_a_day_that_is_not_theirs_is_refused(cli: Runner, tmp_path: Path):
    schedule = planned(cli, tmp_path)
    days = duty(cli, tmp_path)
    first, second = trade_pairs(days)[0]
    stranger = next(h for h in ("aiko", "ken", "taro", "li") if h not in (days[first],
                                                                           days[second]))
    before = schedule.read_bytes()
    result = cli("swap", "--trade", f"{stranger}:{first}", f"{days[second]}:{second}",
                 "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1 and f"{stranger} is not on duty" in result.stderr
    assert schedule.read_bytes() == before
