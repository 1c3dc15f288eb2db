"""`oncall plan` keeps every rule on every day not yet served, and the hints name commands
that do what they say (issue 19, point 2), through the real CLI with `--now`."""

from __future__ import annotations

from pathlib import Path

from oncall.io.loading import load_rotation, load_schedule, schedule_path_for
from tests.helpers.cli import Runner

BUNDLED = Path(__file__).resolve().parents[1] / "rotations" / "app-daytime.yaml"


def bundled(root: Path, fairness: str = "days") -> Path:
    """The bundled rotation (term 2027-01-04..2027-04-02, weekly pairs from distinct
    teams, min_gap 1) in ``root/rotations/``, counting ``fairness``."""
    folder = root / "rotations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "app-daytime.yaml"
    text = BUNDLED.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  max_shifts: null\n", f"  max_shifts: null\n  fairness: {fairness}\n"),
        encoding="utf-8",
    )
    return path


def add_to_member(path: Path, handle: str, extra: str) -> None:
    """Add ``extra`` (e.g. ``left: 2027-02-17``) to the flow mapping of ``handle``."""
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"{{handle: {handle}," in ln)
    path.write_text(text.replace(line, line.replace("}", f", {extra}}}")), encoding="utf-8")


def primaries(path: Path) -> dict[str, tuple[str, ...]]:
    """Each shift's start -> its primaries, as the schedule on disk says."""
    rotation = load_rotation(path)
    schedule = load_schedule(schedule_path_for(path), rotation)
    return {str(s.start): s.primary for s in schedule.shifts}


# --- re-planning around a leaver -------------------------------------------------------


def test_replanning_around_a_leaver_moves_only_their_later_shifts(cli: Runner, tmp_path):
    """aiko leaves on 2027-02-17 and was told 02-22 and 03-29. Counting shifts, the fair
    re-plan replaces her on those two and changes nothing else: before, the planner gave
    her a new week before she left (not counted in the spread, she was a free place to
    put a seat) and moved a third shift."""
    path = bundled(tmp_path, fairness="shifts")
    first = cli("plan", "--seed", "0", "--now", "2027-01-01T09:00", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    told = primaries(path)
    theirs = [start for start, people in told.items() if "aiko" in people]
    assert [s for s in theirs if s >= "2027-02-17"] == ["2027-02-22", "2027-03-29"]
    add_to_member(path, "aiko", "left: 2027-02-17")
    result = cli("plan", "--seed", "0", "--now", "2027-02-01T09:00", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    now = primaries(path)
    # the leaver: nothing after left, and nothing new before it
    assert [start for start, people in now.items() if "aiko" in people] == [
        s for s in theirs if s < "2027-02-17"
    ]
    changed = sorted(start for start in told if now[start] != told[start])
    assert changed == ["2027-02-22", "2027-03-29"], result.stdout
    for start in changed:  # the other primary of each stays
        assert set(told[start]) - {"aiko"} <= set(now[start])
    assert "spread (most - fewest primary shifts): 1, proven optimal" in result.stdout
    check = cli("validate", "--now", "2027-02-01T09:00", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
