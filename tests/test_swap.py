"""`oncall swap` through the real CLI: accepted, refused by the rules engine, forced, and
the refusals that no --force can make meaningful."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from oncall.io.loading import load_rotation, load_schedule
from tests.helpers.cli import Runner

Swap = Callable[..., tuple[int, str, str]]


def schedule_file(root: Path) -> Path:
    return root / "rotations" / "app.schedule.yaml"


def overrides(root: Path):
    path = root / "rotations" / "app.yaml"
    return load_schedule(schedule_file(root), load_rotation(path)).overrides


def swapper(run: Runner) -> Swap:
    def swap(cwd: Path, *args: str) -> tuple[int, str, str]:
        result = run("swap", *args, "--now", "2027-01-04T12:00", cwd=cwd)
        return result.returncode, result.stdout, result.stderr

    return swap


@pytest.fixture
def swap(cron_cli: Runner) -> Swap:
    return swapper(cron_cli)


@pytest.fixture
def swap_process(cron_cli_process: Runner) -> Swap:
    """`oncall swap` in real processes: only they contend for the schedule's file lock."""
    return swapper(cron_cli_process)


def test_accepted_swap_is_recorded_and_seen_by_who(swap: Swap, cron_cli: Runner, workspace: Path):
    code, out, err = swap(
        workspace,
        "--dates",
        "2027-01-06..2027-01-07",
        "--out",
        "aiko",
        "--in",
        "raj",
        "--reason",
        "school event",
    )
    assert code == 0, err
    assert "2027-01-06..2027-01-07 aiko -> raj (school event)" in out
    assert "2027-01-06: raj, ken (shadow: mei)" in out
    [recorded] = overrides(workspace)
    assert (recorded.out, recorded.in_, recorded.reason, recorded.forced) == (
        "aiko",
        "raj",
        "school event",
        False,
    )
    assert recorded.recorded_at is not None and recorded.recorded_at.utcoffset() is not None
    assert recorded.recorded_at.isoformat() == "2027-01-04T12:00:00+09:00"
    handles = cron_cli("who", "--now", "2027-01-07T12:00", "--format", "handles", cwd=workspace)
    assert handles.stdout == "raj\nken\nmei\n"
    shown = cron_cli(
        "show", "--month", "2027-01", "--list", cwd=workspace, env={"NO_COLOR": "1"}
    ).stdout
    assert "raj*, ken" in shown and "* aiko -> raj (school event)" in shown
    assert cron_cli("validate", cwd=workspace).returncode == 0


def test_overrides_are_appended_never_lost(swap: Swap, workspace: Path):
    assert swap(workspace, "--dates", "2027-01-06", "--out", "aiko", "--in", "raj")[0] == 0
    assert swap(workspace, "--dates", "2027-01-22", "--out", "ken", "--in", "raj")[0] == 0
    assert [(o.out, o.in_) for o in overrides(workspace)] == [("aiko", "raj"), ("ken", "raj")]


def test_concurrent_swaps_both_land(swap_process: Swap, workspace: Path):
    results: list[int] = []

    def one(day: str, out: str, incoming: str) -> None:
        results.append(swap_process(workspace, "--dates", day, "--out", out, "--in", incoming)[0])

    threads = [
        threading.Thread(target=one, args=("2027-01-05", "aiko", "raj")),
        threading.Thread(target=one, args=("2027-01-19", "ken", "raj")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [0, 0]
    assert sorted((o.out, o.in_) for o in overrides(workspace)) == [("aiko", "raj"), ("ken", "raj")]


def test_swap_breaking_a_rule_is_refused_and_writes_nothing(swap: Swap, workspace: Path):
    before = schedule_file(workspace).read_bytes()
    # li cannot serve on 2027-01-06, and serves the next week (min_gap 1).
    code, out, err = swap(workspace, "--dates", "2027-01-06", "--out", "ken", "--in", "li")
    assert code == 1 and out == ""
    assert "swap refused" in err
    assert "li (primary) is unavailable 2027-01-06 [availability]" in err
    assert "[min_gap]" in err and "--force" in err
    assert schedule_file(workspace).read_bytes() == before


def test_swap_breaking_distinct_teams_is_refused(swap: Swap, workspace: Path):
    code, _, err = swap(workspace, "--dates", "2027-01-20", "--out", "aiko", "--in", "taro")
    assert code == 1
    assert "taro and ken are both in team search [distinct_teams]" in err


def test_force_records_it_marked_forced(swap: Swap, cron_cli: Runner, workspace: Path):
    code, out, err = swap(
        workspace, "--dates", "2027-01-06", "--out", "ken", "--in", "li", "--force"
    )
    assert code == 0, err
    assert "[forced]" in out and "[availability]" in out
    [recorded] = overrides(workspace)
    assert recorded.forced is True
    assert "forced: true" in schedule_file(workspace).read_text(encoding="utf-8")
    assert cron_cli("validate", cwd=workspace).returncode == 1


def test_unknown_handle_is_exit_2_with_did_you_mean(swap: Swap, workspace: Path):
    code, _, err = swap(workspace, "--dates", "2027-01-06", "--out", "aiko", "--in", "rja")
    assert code == 2
    assert "--in: 'rja' is not a member of rotation app" in err and "did you mean 'raj'?" in err


def test_out_not_on_duty_is_refused(swap: Swap, workspace: Path):
    code, _, err = swap(workspace, "--dates", "2027-01-12", "--out", "aiko", "--in", "raj")
    assert code == 1
    assert "aiko is not on duty on 2027-01-12" in err
    # --force cannot make a swap that changes nothing meaningful.
    assert (
        swap(workspace, "--dates", "2027-01-12", "--out", "aiko", "--in", "raj", "--force")[0] == 1
    )
    assert overrides(workspace) == ()


def test_out_on_duty_on_only_part_of_the_range_is_refused(swap: Swap, workspace: Path):
    code, _, err = swap(
        workspace, "--dates", "2027-01-08..2027-01-12", "--out", "aiko", "--in", "raj"
    )
    assert code == 1
    assert "aiko is on duty on 2027-01-08 but not on 2027-01-12" in err


def test_dates_without_duty_day_are_refused(swap: Swap, workspace: Path):
    code, _, err = swap(workspace, "--dates", "2027-01-11", "--out", "taro", "--in", "raj")
    assert code == 1 and "Coming of Age Day" in err
    code, _, err = swap(
        workspace, "--dates", "2027-01-09..2027-01-10", "--out", "aiko", "--in", "raj"
    )
    assert code == 1 and "holds no duty day" in err


@pytest.mark.parametrize(
    "args",
    [
        ("--dates", "2027-01-07..2027-01-06", "--out", "aiko", "--in", "raj"),
        ("--dates", "6 Jan", "--out", "aiko", "--in", "raj"),
        ("--dates", "2027-01-06", "--out", "aiko", "--in", "aiko"),
        ("--out", "aiko", "--in", "raj"),  # without --in it lists candidates (test_cover)
    ],
)
def test_bad_input_is_exit_2(swap: Swap, workspace: Path, args: tuple[str, ...]):
    code, _, err = swap(workspace, *args)
    assert code == 2 and "Traceback" not in err


def test_in_already_on_duty_is_refused(swap: Swap, workspace: Path):
    code, _, err = swap(workspace, "--dates", "2027-01-06", "--out", "aiko", "--in", "mei")
    assert code == 1 and "mei is already on duty on 2027-01-06" in err
