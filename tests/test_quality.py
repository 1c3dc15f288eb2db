"""The plan's quality score (core/quality.py): 100 for a plan with nothing to fault, and
every lost point on a line of its own (the lines add up to 100 minus the score)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from oncall.core.calendar import build_calendar
from oncall.core.model import DistinctTeams, Rotation
from oncall.core.quality import quality
from oncall.core.schedule import Schedule, Shift
from tests.helpers.builders import MONDAY, member, rotation, term_of

WEEK = timedelta(days=6)


def _weeks(rot: Rotation, *people: tuple[str, ...]) -> Schedule:
    shifts = tuple(
        Shift(MONDAY + timedelta(weeks=i), MONDAY + timedelta(weeks=i) + WEEK, who)
        for i, who in enumerate(people)
    )
    return Schedule(rot.id, None, term_of(rot), shifts)


def _score(rot: Rotation, schedule: Schedule) -> tuple[int, list[str]]:
    counted = [m.handle for m in rot.members]
    result = quality(rot, build_calendar(rot), schedule, counted)
    assert sum(x.points for x in result.lost) == 100 - result.score
    return result.score, [str(x) for x in result.lost]


def test_an_even_plan_scores_100() -> None:
    rot = rotation([member("aoi"), member("ren")], weeks=4)
    assert _score(rot, _weeks(rot, ("aoi",), ("ren",), ("aoi",), ("ren",))) == (100, [])


def test_gaps_and_balance_are_each_explained() -> None:
    rot = rotation([member("aoi"), member("ren"), member("yuna")], weeks=4)
    score, lines = _score(rot, _weeks(rot, ("aoi",), ("aoi",), ("aoi",), ()))
    assert lines[0] == (
        "-10 gaps: 5 duty day(s) short of people (5 of 20 people-days): 2027-01-25, "
        "2027-01-26, 2027-01-27 and 2 more"
    )
    assert "-10 balance: aoi holds 15 duty days, an equal share is 5.0 (of 3 who can serve)" in (
        lines
    )
    assert any(line.startswith("-8 balance: ren holds 0 duty days") for line in lines)
    assert any(line.startswith("-8 balance: yuna holds 0 duty days") for line in lines)
    assert score == 100 - 10 - 10 - 8 - 8


def test_team_mix_and_partner_repetition() -> None:
    members = [member("aoi", "a"), member("ren", "a"), member("yuna", "b"), member("sota", "b")]
    rot = rotation(members, people=2, weeks=4, distinct=DistinctTeams.PREFERRED)
    schedule = _weeks(rot, ("aoi", "yuna"), ("aoi", "yuna"), ("ren", "sota"), ("ren", "sota"))
    score, lines = _score(rot, schedule)
    assert score == 92
    assert "-8 partners: 2 shift(s) repeat a pair while 4 pair(s) of members never " \
        "served together" in lines
    assert not any(line.split()[1] == "team" for line in lines)
    same = _weeks(rot, ("aoi", "ren"), ("yuna", "sota"), ("aoi", "yuna"), ("ren", "sota"))
    score, lines = _score(rot, same)
    assert lines == [
        "-8 team mix: 10 duty day(s) with two primaries of one team: 2027-01-04, 2027-01-05, "
        "2027-01-06 and 7 more"
    ]
    assert score == 92


def test_the_report_prints_the_score_and_its_lines(cli, tmp_path: Path) -> None:
    (tmp_path / "rotations").mkdir()
    (tmp_path / "rotations" / "r.yaml").write_text(
        "rotation: r\ntimezone: Asia/Tokyo\n"
        'window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}\n'
        "shift: {length: 1w, handoff: mon, people: 1}\n"
        "term: {start: 2027-01-04, length: 4w}\n"
        'rules: {distinct_teams: "off", min_gap: 0}\n'
        "members:\n  - {handle: aoi, name: Aoi, team: a}\n  - {handle: ren, name: Ren, team: b}\n",
        encoding="utf-8",
    )
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    for day in ("2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14"):
        out = _holder(cli, tmp_path, day)  # the other one takes four days of a week
        ran = cli("swap", "--dates", day, "--out", out, "--in", {"aoi": "ren"}.get(out, "aoi"),
                  "--force", "--now", "2027-01-01T09:00", cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
    data = json.loads(cli("report", "--format", "json", cwd=tmp_path).stdout)
    (term,) = data["rotations"][0]["terms"]
    score = term["quality"]["score"]
    assert score < 100 and term["quality"]["lost"][0]["reason"].startswith("balance: ")
    assert sum(x["points"] for x in term["quality"]["lost"]) == 100 - score
    text = cli("report", cwd=tmp_path).stdout
    assert f"plan quality: {score}/100" in text
    for lost in term["quality"]["lost"]:
        assert f"-{lost['points']} {lost['reason']}" in text


def _holder(cli, folder: Path, day: str) -> str:
    ran = cli("who", "--date", day, "--format", "json", cwd=folder)
    return json.loads(ran.stdout)["primary"][0]["handle"]


def test_plan_summary_gives_the_score(cli, tmp_path: Path) -> None:
    (tmp_path / "rotations").mkdir()
    (tmp_path / "rotations" / "r.yaml").write_text(
        "rotation: r\ntimezone: Asia/Tokyo\n"
        'window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}\n'
        "shift: {length: 1w, handoff: mon, people: 1}\n"
        "term: {start: 2027-01-04, length: 3w}\n"
        'rules: {distinct_teams: "off", min_gap: 0}\n'
        "members:\n  - {handle: aoi, name: Aoi, team: a}\n  - {handle: ren, name: Ren, team: b}\n",
        encoding="utf-8",
    )
    ran = cli("plan", "--now", "2027-01-01T09:00", "--format", "json", cwd=tmp_path)
    found = json.loads(ran.stdout)["quality"]
    # Three weeks for two: one holds 10 days, the other 5 (an equal share is 7.5).
    assert found["score"] == 94
    assert sorted((x["points"], x["reason"].split(" duty")[0]) for x in found["lost"]) == [
        (3, "balance: aoi holds 10"), (3, "balance: ren holds 5")
    ] or sorted((x["points"], x["reason"].split(" duty")[0]) for x in found["lost"]) == [
        (3, "balance: aoi holds 5"), (3, "balance: ren holds 10")
    ]
    text = cli("plan", "--now", "2027-01-01T09:00", "--dry-run", cwd=tmp_path).stdout
    assert f"Plan quality: {found['score']}/100" in text


def test_a_joiner_is_held_to_a_pro_rated_share_not_an_equal_one() -> None:
    """Seven weekly shifts; three members all term and one who joins for the last four
    weeks (pro-rated share 5.6 of 35 duty days, where an equal share is 8.75). One shift
    for the joiner and two for each of the others loses no balance point."""
    from tests.helpers.builders import member as make_member

    team = [make_member(f"m{i}", f"t{i}") for i in range(3)]
    team.append(make_member("late", "t3", joined=MONDAY + timedelta(weeks=3)))
    rot = rotation(team, people=1, weeks=7, distinct=DistinctTeams.OFF)
    weeks = (("m0",), ("m1",), ("m2",), ("m0",), ("late",), ("m1",), ("m2",))
    _, lost = _score(rot, _weeks(rot, *weeks))
    assert not [line for line in lost if "balance" in line], lost
