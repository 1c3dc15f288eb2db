"""Rotations that share people: `validate` over several rotations reports one person on
duty in two at overlapping instants (and only then)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from oncall.core.model import DateRange
from oncall.core.schedule import Override
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

# aiko is "asato" here, the same person by Slack id; she watches both weeks of this term
WATCH = """\
rotation: watch
timezone: Asia/Tokyo
window:
  days: [mon, tue, wed, thu, fri]
  start: "08:00"
  end: "{end}"
shift:
  length: 1w
  handoff: mon
  people: 1
term:
  start: 2027-01-04
  end: 2027-01-15
members:
  - {{handle: asato, name: Aiko Sato, team: ops, slack: U0AIKO}}
  - {{handle: bo, name: Bo Berg, team: ops}}
"""
WATCH_SCHEDULE = """\
rotation: watch
term: {start: 2027-01-04, end: 2027-01-15}
shifts:
  - {start: 2027-01-04, end: 2027-01-10, primary: [asato]}
  - {start: 2027-01-11, end: 2027-01-15, primary: [asato]}
"""
BEFORE = ("--now", "2026-12-01T09:00")


def two_rotations(root: Path, watch_end: str) -> Path:
    """app (10:00-17:00, aiko on duty 2027-01-04..08 except the 6th, handed to raj) and
    watch (08:00-``watch_end``, asato = aiko both weeks)."""
    swap = Override(DateRange.single(date(2027, 1, 6)), "aiko", "raj", "dentist")
    make_rotation(root, overrides=(swap,))
    folder = root / "rotations"
    (folder / "watch.yaml").write_text(WATCH.format(end=watch_end), encoding="utf-8")
    (folder / "watch.schedule.yaml").write_text(WATCH_SCHEDULE, encoding="utf-8")
    return root


def test_overlapping_duty_in_two_rotations_fails_naming_both(cli: Runner, tmp_path: Path):
    root = two_rotations(tmp_path, "10:30")
    result = cli("validate", *BEFORE, cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    # app.yaml's one warning: members on duty without a slack id (see test_mentions.py)
    assert "rotations/app.yaml: 1 warning" in out and "rotations/watch.yaml: ok" in out
    assert "across rotations: 4 overlaps" in out
    assert (
        "  aiko = asato is on duty in watch as asato (2027-01-05 08:00-10:30) and app as aiko "
        "(2027-01-05 10:00-17:00), overlapping 2027-01-05T10:00:00+09:00.."
        "2027-01-05T10:30:00+09:00 [overlap]"
    ) in out
    # the override gave the 6th to raj; the second week aiko is not on app's duty
    assert "2027-01-06" not in out
    assert "2027-01-1" not in out.split("across rotations")[1]


def test_overlap_in_json(cli: Runner, tmp_path: Path):
    root = two_rotations(tmp_path, "10:30")
    result = cli("validate", *BEFORE, "--format", "json", cwd=root)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    days = [o["duty"][0]["date"] for o in data["overlaps"]]
    assert days == ["2027-01-04", "2027-01-05", "2027-01-07", "2027-01-08"]
    first = data["overlaps"][0]
    assert first["people"] == ["aiko", "asato"] and first["severity"] == "error"
    assert first["start"] == "2027-01-04T10:00:00+09:00"
    assert first["end"] == "2027-01-04T10:30:00+09:00"
    assert {d["rotation"] for d in first["duty"]} == {"app", "watch"}


@pytest.mark.parametrize("end", ["09:30", "10:00"])
def test_a_watch_that_ends_before_the_duty_starts_does_not_clash(
    cli: Runner, tmp_path: Path, end: str
):
    root = two_rotations(tmp_path, end)
    result = cli("validate", *BEFORE, cwd=root)
    assert result.returncode == 0, result.stdout
    assert "across rotations" not in result.stdout


def test_one_rotation_named_is_not_compared(cli: Runner, tmp_path: Path):
    root = two_rotations(tmp_path, "10:30")
    result = cli("validate", "rotations/app.yaml", *BEFORE, cwd=root)
    assert result.returncode == 0, result.stdout


def test_overlap_on_served_days_is_history(cli: Runner, tmp_path: Path):
    root = two_rotations(tmp_path, "10:30")
    result = cli("validate", "--now", "2027-01-08T09:00", cwd=root)
    assert result.returncode == 1  # the 8th is today
    out = result.stdout
    assert "across rotations: 1 overlap, 3 warnings" in out
    assert "warning: aiko = asato is on duty in watch as asato (2027-01-04" in out
    later = cli("validate", "--now", "2027-01-09T09:00", cwd=root)
    assert later.returncode == 0, later.stdout


def test_a_person_is_one_by_handle_email_or_slack_id():
    from oncall.core.overlap import people
    from tests.helpers.builders import member

    identity = people({
        "a": [member("aiko", email="Aiko@Example.com"), member("ken", slack="U0KEN")],
        "b": [member("asato", email="aiko@example.com"), member("kenji", slack="U0KEN"),
              member("li")],
        "c": [member("ken"), member("mei")],
    })
    assert identity["b", "asato"] == ("aiko", "asato")
    assert identity["a", "ken"] == identity["b", "kenji"] == identity["c", "ken"]
    assert identity["a", "ken"] == ("ken", "kenji")
    assert identity["b", "li"] == ("li",) and identity["c", "mei"] == ("mei",)


def test_a_person_is_one_by_their_id_on_any_chat_but_not_across_chats():
    """Every chat id names one person, not only Slack's (SPEC: "by handle, or email / chat
    id"); the same text as ids on two different chats says nothing."""
    from oncall.core.overlap import people
    from tests.helpers.builders import member

    identity = people({
        "a": [member("aiko", teams="aiko@example.com"), member("ken", mattermost="ken.m"),
              member("li", discord="123456789012345678")],
        "b": [member("asato", teams="aiko@example.com"), member("kenji", mattermost="ken.m"),
              member("wei", slack="123456789012345678")],
    })
    assert identity["a", "aiko"] == identity["b", "asato"] == ("aiko", "asato")
    assert identity["a", "ken"] == ("ken", "kenji")
    assert identity["a", "li"] == ("li",) and identity["b", "wei"] == ("wei",)
