"""`oncall report` over a period: a scripted year of two rotations (four and two terms,
swaps, one-day covers, a night window over both DST changes) whose totals match totals
computed here, independently, from the schedule files (plain YAML, zoneinfo arithmetic
in UTC), and the period's edges (days no term holds: named, exit 6, never zeros)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

DAY = """\
rotation: day
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}
shift: {length: 1w, handoff: mon, people: 1, cover: day}
term: {start: 2027-01-04, length: 3mo}
rules: {distinct_teams: "off", min_gap: 1}
onboarding: {shadow_shifts: 0}
members:
  - {handle: aoi, name: Aoi, team: a, email: aoi@example.com}
  - {handle: ren, name: Ren, team: b, unavailable: [wed]}
  - {handle: yuna, name: Yuna, team: a}
  - {handle: sota, name: Sota, team: b}
"""
NIGHT = """\
rotation: night
timezone: Europe/Berlin
window: {days: [mon, tue, wed, thu, fri, sat, sun], start: "18:00", end: "08:00"}
shift: {length: 1w, handoff: mon, people: 1}
term: {start: 2027-01-04, length: 6mo}
rules: {distinct_teams: "off", min_gap: 1}
onboarding: {shadow_shifts: 0}
members:
  - {handle: aoi-b, name: Aoi B, team: x, email: AOI@example.com}
  - {handle: kai, name: Kai, team: x}
  - {handle: mio, name: Mio, team: y}
compensation: {in_window: 4, night: 6.5, weekend: 8, currency: EUR}
"""
RATES = {"in_window": 4, "night": 6.5, "weekend": 8}
WINDOWS = {  # rotation -> (zone, weekdays, start, end): what the test knows of each file
    "day": (ZoneInfo("Asia/Tokyo"), range(5), time(10), time(17)),
    "night": (ZoneInfo("Europe/Berlin"), range(7), time(18), time(8)),
}
NOW = ("--now", "2027-10-15T12:00")
TODAY = date(2027, 10, 15)


def _holder(cli, folder: Path, rotation: str, day: str) -> str:
    ran = cli("who", f"rotations/{rotation}.yaml", "--date", day, "--format", "json",
              cwd=folder)
    return json.loads(ran.stdout)["primary"][0]["handle"]


def _swap(cli, folder: Path, rotation: str, dates: str, into: str, now: str) -> None:
    out = _holder(cli, folder, rotation, dates[:10])
    assert out != into
    ran = cli("swap", f"rotations/{rotation}.yaml", "--dates", dates, "--out", out, "--in",
              into, "--force", "--now", now, cwd=folder)
    assert ran.returncode == 0, ran.stderr


def _year(cli, folder: Path) -> None:
    (folder / "rotations").mkdir()
    (folder / "rotations" / "day.yaml").write_text(DAY, encoding="utf-8")
    (folder / "rotations" / "night.yaml").write_text(NIGHT, encoding="utf-8")
    for name in ("day", "night"):
        ran = cli("plan", f"rotations/{name}.yaml", "--now", "2027-01-01T09:00", cwd=folder)
        assert ran.returncode == 0, ran.stderr
    _swap(cli, folder, "day", "2027-02-10", "sota", "2027-01-02T09:00")
    _swap(cli, folder, "night", "2027-03-27..2027-03-28", "kai", "2027-01-02T09:00")
    for now in ("2027-03-20", "2027-06-20", "2027-09-20"):
        ran = cli("plan", "--next-term", "rotations/day.yaml", "--now", f"{now}T09:00",
                  cwd=folder)
        assert ran.returncode == 0, ran.stderr
    ran = cli("plan", "--next-term", "rotations/night.yaml", "--now", "2027-06-20T09:00",
              cwd=folder)
    assert ran.returncode == 0, ran.stderr
    _swap(cli, folder, "night", "2027-10-30..2027-10-31", "mio", "2027-09-21T09:00")
    _swap(cli, folder, "day", "2027-10-20", "yuna", "2027-09-21T09:00")


def _day_of(value: object) -> date:
    assert isinstance(value, date)
    return value


def _expected(folder: Path, rotation: str, first: date, last: date) -> dict[str, dict]:
    """Per handle: days, served days, minutes per category, covers, straight from YAML."""
    zone, weekdays, start, end = WINDOWS[rotation]
    files = sorted((folder / "rotations" / f"{rotation}.terms").glob("*.schedule.yaml"))
    files.append(folder / "rotations" / f"{rotation}.schedule.yaml")
    found: dict[str, dict] = {}

    def entry(handle: str) -> dict:
        return found.setdefault(handle, {
            "days": 0, "served": 0, "given": 0, "taken": 0,
            "in_window": 0, "night": 0, "weekend": 0, "holiday": 0,
        })

    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        term = data["term"]
        day = max(_day_of(term["start"]), first)
        while day <= min(_day_of(term["end"]), last):
            if day.weekday() in weekdays:
                shift = next(s for s in data["shifts"] if s["start"] <= day <= s["end"])
                holders = list(shift["primary"])
                for cover in shift.get("covers", []):
                    if cover["date"] == day:
                        holders[holders.index(cover["out"])] = cover["in"]
                        entry(cover["out"])["given"] += 1
                        entry(cover["in"])["taken"] += 1
                for override in data.get("overrides") or []:
                    text = str(override["dates"]).split("..")
                    if date.fromisoformat(text[0]) <= day <= date.fromisoformat(text[-1]):
                        holders[holders.index(override["out"])] = override["in"]
                begin = datetime.combine(day, start, zone).astimezone(UTC)
                next_day = day + timedelta(days=1) if end <= start else day
                finish = datetime.combine(next_day, end, zone).astimezone(UTC)
                midnight = datetime.combine(day + timedelta(days=1), time(0), zone)
                night = max(0, int((finish - midnight.astimezone(UTC)).total_seconds()) // 60)
                length = int((finish - begin).total_seconds()) // 60
                for handle in holders:
                    row = entry(handle)
                    row["days"] += 1
                    row["served"] += day < TODAY
                    if day.weekday() >= 5:
                        row["weekend"] += length
                    else:
                        row["night"] += night
                        row["in_window"] += length - night
            day += timedelta(days=1)
    return found


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    from tests.helpers.cli import run_in_process

    folder = tmp_path_factory.mktemp("year")
    _year(run_in_process, folder)
    return folder


def test_a_year_of_two_rotations_matches_the_schedule_files(cli, year: Path) -> None:
    ran = cli("report", "--from", "2027-01-04", "--to", "2027-12-31", "--format", "json",
              *NOW, cwd=year)
    assert ran.returncode == 0, ran.stderr
    data = json.loads(ran.stdout)
    assert data["version"] == 3
    assert data["period"] == {"from": "2027-01-04", "to": "2027-12-31"}
    people: dict[str, dict] = {}
    for rotation in data["rotations"]:
        expected = _expected(year, rotation["rotation"], date(2027, 1, 4), date(2027, 12, 31))
        assert rotation["uncovered"] == []
        total = rotation["total"]
        assert set(expected) <= set(total)
        for handle, want in expected.items():
            got = total[handle]
            assert got["duty_days"] == want["days"], handle
            assert got["served"]["duty_days"] == want["served"], handle
            assert (got["covers_given"], got["covers_taken"]) == (want["given"], want["taken"])
            for category in ("in_window", "night", "weekend", "holiday"):
                assert got["hours"][category] == round(want[category] / 60, 2), (
                    handle, category
                )
            minutes = sum(want[c] for c in ("in_window", "night", "weekend"))
            assert got["duty_hours"] == round(minutes / 60, 2)
            person = people.setdefault("aoi" if handle.startswith("aoi") else handle,
                                       {"days": 0, "minutes": 0})
            person["days"] += want["days"]
            person["minutes"] += minutes
    assert len(data["rotations"][0]["terms"]) == 4 and len(data["rotations"][1]["terms"]) == 2
    # The same person in both rotations (one email, in two letter cases) is one row.
    rows = {tuple(p["handles"]): p for p in data["people"]}
    aoi = rows["aoi", "aoi-b"]
    assert aoi["rotations"] == ["day", "night"]
    assert aoi["duty_days"] == people["aoi"]["days"]
    assert aoi["duty_hours"] == round(people["aoi"]["minutes"] / 60, 2)
    assert rows["kai",]["duty_days"] == people["kai"]["days"]


def test_dst_nights_count_real_elapsed_time(cli, year: Path) -> None:
    """The night of 2027-03-27 (clocks go forward) lasts 13 h; 2027-10-30 lasts 15 h."""
    for day, hours in (("2027-03-27", 13), ("2027-10-30", 15)):
        ran = cli("report", "rotations/night.yaml", "--from", day, "--to", day,
                  "--format", "json", *NOW, cwd=year)
        assert ran.returncode == 0, ran.stderr
        (rotation,) = json.loads(ran.stdout)["rotations"]
        held = {h: p for h, p in rotation["total"].items() if p["duty_days"]}
        (person,) = held.values()
        assert person["duty_hours"] == hours
        assert person["hours"]["weekend"] == hours  # a Saturday: all of it weekend
    weekday = "2027-03-29"  # a Monday: 6 h before midnight, 8 h after
    ran = cli("report", "rotations/night.yaml", "--from", weekday, "--to", weekday,
              "--format", "json", *NOW, cwd=year)
    (rotation,) = json.loads(ran.stdout)["rotations"]
    (person,) = [p for p in rotation["total"].values() if p["duty_days"]]
    assert person["hours"] == {"in_window": 6, "night": 8, "weekend": 0, "holiday": 0}


def test_a_year_with_days_no_term_holds_says_so_and_exits_6(cli, year: Path) -> None:
    ran = cli("report", "--year", "2027", *NOW, cwd=year)
    assert ran.returncode == 6
    assert "day: no term holds 2027-01-01..2027-01-03: those days are not counted" in (
        ran.stderr
    )
    assert "term 2027-01-04..2027-04-04 (finished" in ran.stdout  # the rest still printed
    ran = cli("report", "--year", "2030", "--format", "json", *NOW, cwd=year)
    assert ran.returncode == 6
    data = json.loads(ran.stdout)
    assert all(r["terms"] == [] for r in data["rotations"])
    assert all(r["total"] == {} or all(not p["duty_days"] for p in r["total"].values())
               for r in data["rotations"])
    assert "no term holds 2030-01-01..2030-12-31" in ran.stderr
    ran = cli("report", "--term", "2027-05-03", *NOW, cwd=year)
    assert ran.returncode == 6
    assert "day: no term starts on 2027-05-03: nothing counted" in ran.stderr


def test_one_term_by_its_start(cli, year: Path) -> None:
    ran = cli("report", "rotations/day.yaml", "--term", "2027-04-05", "--format", "json",
              *NOW, cwd=year)
    assert ran.returncode == 0, ran.stderr
    (rotation,) = json.loads(ran.stdout)["rotations"]
    assert [t["start"] for t in rotation["terms"]] == ["2027-04-05"]
    expected = _expected(year, "day", date(2027, 4, 5), date(2027, 7, 4))
    assert {h: p["duty_days"] for h, p in rotation["total"].items()} == {
        h: e["days"] for h, e in expected.items()
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2027", "--term", "2027-01-04"), "expected one way to give the period"),
        (("--from", "2027-01-04"), "expected --to too"),
        (("--year", "27"), "--year: found '27', expected a year such as 2027"),
        (("--from", "2027-02-01", "--to", "2027-01-01"), "expected a day on or after --from"),
    ],
)
def test_a_period_given_wrong_is_exit_2(cli, year: Path, args, message) -> None:
    ran = cli("report", *args, *NOW, cwd=year)
    assert ran.returncode == 2
    assert message in ran.stderr


def test_every_format_prints_the_period(cli, year: Path) -> None:
    args = ("--from", "2027-01-04", "--to", "2027-12-31", *NOW)
    text = cli("report", *args, cwd=year).stdout
    assert "people across rotations" in text
    assert any(line.split()[:3] == ["aoi", "=", "aoi-b"] for line in text.splitlines())
    markdown = cli("report", "--format", "markdown", *args, cwd=year).stdout
    assert "# People across rotations" in markdown and "| aoi = aoi-b | Aoi |" in markdown
    csv = cli("report", "--format", "csv", *args, cwd=year).stdout
    assert "covers_given,covers_taken,in_window_h,night_h,weekend_h,holiday_h" in csv
    html = cli("report", "--format", "html", *args, cwd=year).stdout
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "Aoi B" in html and 'href="style.css"' not in html


# ---- report --hours: per category and month, priced --------------------------------


def test_hours_per_month_add_up_and_are_priced(cli, year: Path) -> None:
    ran = cli("report", "--hours", "--from", "2027-01-04", "--to", "2027-12-31",
              "--format", "json", *NOW, cwd=year)
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)["rows"]
    for rotation in ("day", "night"):
        expected = _expected(year, rotation, date(2027, 1, 4), date(2027, 12, 31))
        for handle, want in expected.items():
            mine = [r for r in rows if (r["rotation"], r["person"]) == (rotation, handle)]
            (whole,) = [r for r in mine if r["month"] == "all"]
            months = [r for r in mine if r["month"] != "all"]
            for category in ("in_window", "night", "weekend", "holiday"):
                assert whole["hours"][category] == round(want[category] / 60, 2)
                assert round(sum(r["hours"][category] for r in months), 2) == (
                    whole["hours"][category]
                )
            if rotation == "day":
                assert whole["amount"] is None and whole["amounts"] is None
            else:
                priced = {c: round(want[c] / 60 * r, 2) for c, r in RATES.items()}
                assert whole["amounts"] == priced  # holiday has no rate: not priced
                assert whole["amount"] == round(sum(priced.values()), 2)
                assert whole["currency"] == "EUR"


def test_hours_csv_has_dates_and_plain_numbers(cli, year: Path) -> None:
    import csv
    import io

    ran = cli("report", "--hours", "--format", "csv", "rotations/night.yaml", "--term",
              "2027-01-04", *NOW, cwd=year)
    assert ran.returncode == 0, ran.stderr
    rows = list(csv.DictReader(io.StringIO(ran.stdout)))
    assert '"' not in ran.stdout  # nothing quoted: every number reads as a number
    months = [r for r in rows if r["month"] != "all"]
    assert months[0]["month"] == "2027-01-01"  # a date, the month's first day
    for row in rows:
        for key, value in row.items():
            if key.endswith("_h") or (key.endswith("amount") and value):
                assert float(value) >= 0 and "," not in value
        assert row["holiday_amount"] == ""  # no rate: empty, never 0


@pytest.mark.parametrize(
    ("value", "found"),
    [("-8", "found -8"), ('"8"', "found quoted text '8'"), ("lots", "found 'lots'")],
)
def test_a_bad_rate_is_exit_2_at_its_place(cli, tmp_path: Path, value: str, found: str) -> None:
    (tmp_path / "rotations").mkdir()
    text = NIGHT.replace("weekend: 8,", f"weekend: {value},")
    (tmp_path / "rotations" / "night.yaml").write_text(text, encoding="utf-8")
    ran = cli("report", "--hours", *NOW, cwd=tmp_path)
    assert ran.returncode == 2
    line = text.splitlines().index(next(x for x in text.splitlines() if "compensation" in x))
    column = text.splitlines()[line].index(value) + 1
    assert f"rotations/night.yaml:{line + 1}:{column}: compensation.weekend: {found}" in (
        ran.stderr
    )
    assert "expected a number from 0 to 1000000" in ran.stderr


def test_hours_cells_are_neutralised(cli, tmp_path: Path) -> None:
    (tmp_path / "rotations").mkdir()
    text = NIGHT.replace("name: Kai,", 'name: "=HYPERLINK(1)",')
    (tmp_path / "rotations" / "night.yaml").write_text(text, encoding="utf-8")
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    ran = cli("report", "--hours", "--format", "csv", *NOW, cwd=tmp_path)
    assert ",'=HYPERLINK(1),"  in ran.stdout and ",=HYPERLINK" not in ran.stdout


# ---- pictures: SVG with their numbers beside them, text bars -------------------------


def test_html_charts_are_accessible_and_match_the_numbers(cli, year: Path) -> None:
    import re

    args = ("--from", "2027-01-04", "--to", "2027-12-31", *NOW)
    data = json.loads(cli("report", "--format", "json", *args, cwd=year).stdout)
    html = cli("report", "--format", "html", *args, cwd=year).stdout
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 4  # per rotation: hours per person, cumulative spread
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        ids = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert ids is not None
        for ident in ids[1].split():
            assert f'id="{ident}"' in svg
    night = next(r for r in data["rotations"] if r["rotation"] == "night")
    kai = night["total"]["kai"]["hours"]
    row = "<tr><th scope=\"row\">Kai</th>" + "".join(
        f"<td>{value:.1f}</td>".replace(".0<", "<")
        for value in (*kai.values(), night["total"]["kai"]["duty_hours"])
    ) + "</tr>"
    assert row in html
    for term in night["terms"]:
        spread = f'<th scope="row">{term["start"]}</th><td>{term["cumulative_spread"]}</td>'
        assert spread in html


def test_names_in_charts_are_escaped(cli, tmp_path: Path) -> None:
    (tmp_path / "rotations").mkdir()
    text = NIGHT.replace("name: Kai,", 'name: "<b>Kai & co</b>",')
    (tmp_path / "rotations" / "night.yaml").write_text(text, encoding="utf-8")
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    html = cli("report", "--format", "html", *NOW, cwd=tmp_path).stdout
    assert "<b>Kai" not in html and "&lt;b&gt;Kai &amp; co&lt;/b&gt;" in html


def test_text_bars_without_colour_in_a_pipe(cli, year: Path) -> None:
    for env in ({}, {"NO_COLOR": "1"}):
        ran = cli("report", "rotations/night.yaml", *NOW, env=env, cwd=year)
        assert "\x1b" not in ran.stdout
        lines = ran.stdout.splitlines()
        start = lines.index(
            "night: duty hours per person (# in-window  = night  + weekend  * holiday)"
        )
        kai = next(line for line in lines[start:] if line.strip().startswith("Kai "))
        assert "#" in kai and "=" in kai and "+" in kai and kai.endswith(" h")


def test_text_bars_in_colour_for_a_terminal() -> None:
    from oncall.render.report_charts import ANSI, text_bars

    class One:
        def __init__(self) -> None:
            self.rotation = "r"
            self.names = {"aoi": "Aoi"}

        def hours(self) -> dict:
            from oncall.core.duty_hours import Hours

            found = Hours()
            found.add("2027-01", "night", 120)
            found.add("2027-01", "in_window", 60)
            return {"aoi": found}

    lines = text_bars([One()], colour=True, width=9)  # type: ignore[list-item]
    assert lines[1] == f"  Aoi  \x1b[{ANSI['in_window']}m###\x1b[0m\x1b[{ANSI['night']}m" \
        "======\x1b[0m 3 h"
    plain = text_bars([One()], colour=False, width=9)  # type: ignore[list-item]
    assert plain[1] == "  Aoi  ###====== 3 h"


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_text_bars_on_a_terminal_follow_no_color(year: Path, no_color, coloured) -> None:
    """On a real terminal (a pty) the bars are coloured, unless NO_COLOR is set."""
    import os
    import subprocess
    import sys

    main, child = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONPATH"] = str(Path(__file__).parents[1] / "src")
    env["COLUMNS"] = "120"
    if no_color is not None:
        env["NO_COLOR"] = no_color
    with subprocess.Popen(
        [sys.executable, "-m", "oncall", "report", "rotations/night.yaml", *NOW],
        cwd=year, env=env, stdout=child, stderr=subprocess.DEVNULL,
    ) as process:
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(main)
    out = b"".join(chunks).decode()
    assert "night: duty hours per person" in out
    assert ("\x1b[34m#" in out) is coloured
