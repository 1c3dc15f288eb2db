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


def test_replanning_around_a_leaver_gives_them_their_pro_rated_share(cli: Runner, tmp_path):
    """aiko leaves on 2027-02-17 and was told 02-22 and 03-29. Counting shifts, she is
    expected to carry a share pro-rated to her weeks as a member (2 of the 26 seats, the
    others 3): the re-plan gives her a week before she goes in place of 02-22 and hands
    her two later weeks on, so everyone holds exactly their share (before pro-rating she
    was not counted: a free place to put a seat or to leave empty)."""
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
    # the leaver: nothing after left, her share before it
    mine = [start for start, people in now.items() if "aiko" in people]
    assert all(start < "2027-02-17" for start in mine) and len(mine) == 2
    changed = sorted(start for start in told if now[start] != told[start])
    assert len(changed) <= 3 and all(start >= "2027-02-01" for start in changed), changed
    assert "aiko 2/0 (2)" in result.stdout
    assert "spread (most - fewest primary shifts less share): 0, proven optimal" in (
        result.stdout
    )
    check = cli("validate", "--now", "2027-02-01T09:00", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


# --- a leaver is never paged ------------------------------------------------------------
# The workspace (tests/helpers/daily.py), term 2027-01-04..2027-01-29, min_gap 1:
# 01-04 aiko+ken (mei shadow), 01-11 taro+li, 01-18 aiko+ken, 01-25 taro+mei.


def set_member(workspace: Path, handle: str, extra: str) -> Path:
    path = workspace / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"handle: {handle}," in ln)
    path.write_text(
        text.replace(line, line.replace("volunteer: true", f"volunteer: true, {extra}")),
        encoding="utf-8",
    )
    return path


def schedule_bytes(workspace: Path) -> bytes:
    return (workspace / "rotations" / "app.schedule.yaml").read_bytes()


def hinted(stderr: str, start: str) -> list[str]:
    """The `oncall ...` command after ``start`` in a line of ``stderr``, as argv."""
    line = next(ln for ln in stderr.splitlines() if start in ln)
    command = line.split(start, 1)[1].split(" (")[0]
    assert command.startswith("oncall "), line
    return command.split()


def test_a_swap_to_someone_who_then_left_refuses_the_plan_naming_the_fix(
    cli: Runner, workspace: Path
):
    swapped = cli("swap", "--dates", "2027-01-20", "--out", "ken", "--in", "raj",
                  "--now", "2027-01-04T12:00", cwd=workspace)
    assert swapped.returncode == 0, swapped.stderr
    set_member(workspace, "raj", "left: 2027-01-19")
    before = schedule_bytes(workspace)
    refused = cli("plan", "--now", "2027-01-05T09:00", cwd=workspace)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert schedule_bytes(workspace) == before  # nothing written
    assert "nothing was written" in refused.stderr
    assert "2027-01-20: raj (primary) is no longer a member: raj left on 2027-01-19" in (
        refused.stderr
    )
    assert "override #1 (2027-01-20: ken -> raj)" in refused.stderr
    assert "fix: oncall swap --dates 2027-01-20 --out raj --in ken (who may take it: ken)" in (
        refused.stderr
    )
    assert "or delete override #1" in refused.stderr
    assert "Traceback" not in refused.stderr
    # the hinted command does what it says; then plan writes a file validate accepts
    command = hinted(refused.stderr, "fix: ")
    fixed = cli(*command[1:], "--now", "2027-01-05T09:00", cwd=workspace)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    planned = cli("plan", "--now", "2027-01-05T09:00", cwd=workspace)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    check = cli("validate", "--now", "2027-01-05T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout
    who = cli("who", "--now", "2027-01-20T11:00", cwd=workspace)
    assert "Raj" not in who.stdout


def test_a_running_shift_of_someone_who_left_refuses_the_plan(cli: Runner, workspace: Path):
    """li leaves on Wednesday 2027-01-13 inside the running shift 01-11..01-17: plan keeps
    a started shift, so it cannot move her days; it names the swap that does."""
    set_member(workspace, "li", "left: 2027-01-13")
    before = schedule_bytes(workspace)
    refused = cli("plan", "--now", "2027-01-12T09:00", cwd=workspace)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert schedule_bytes(workspace) == before
    assert "2027-01-13..2027-01-15: li (primary) is no longer a member" in refused.stderr
    assert "cause: the shift 2027-01-11..2027-01-17, which has started" in refused.stderr
    command = hinted(refused.stderr, "fix: ")
    assert command[:6] == ["oncall", "swap", "--dates", "2027-01-13..2027-01-15", "--out", "li"]
    fixed = cli(*command[1:], "--now", "2027-01-12T09:00", cwd=workspace)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    planned = cli("plan", "--now", "2027-01-12T09:00", cwd=workspace)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    check = cli("validate", "--now", "2027-01-12T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout


def test_a_kept_shift_before_from_names_the_replan_that_moves_it(
    cli: Runner, workspace: Path
):
    set_member(workspace, "ken", "left: 2027-01-20")
    before = schedule_bytes(workspace)
    refused = cli("plan", "--from", "2027-01-25", "--now", "2027-01-05T09:00", cwd=workspace)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert schedule_bytes(workspace) == before
    assert "cause: the shift 2027-01-18..2027-01-24, which starts before --from" in (
        refused.stderr
    )
    command = hinted(refused.stderr, "or re-plan it too: ")
    assert command == ["oncall", "plan", "--from", "2027-01-18"]
    planned = cli(*command[1:], "--now", "2027-01-05T09:00", cwd=workspace)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    check = cli("validate", "--now", "2027-01-05T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout


def test_breaks_on_days_already_served_never_block_a_plan(cli: Runner, workspace: Path):
    """li left on 2027-01-12, recorded only after her shift 01-11..01-17 was served: the
    days are history (as `validate --now` says), and plan goes ahead."""
    set_member(workspace, "li", "left: 2027-01-12")
    planned = cli("plan", "--now", "2027-01-18T09:00", cwd=workspace)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    check = cli("validate", "--now", "2027-01-18T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout


def test_who_and_remind_never_name_someone_after_they_left(
    cli: Runner, cli_process: Runner, workspace: Path
):
    """The schedule still names raj on 2027-01-20 (a swap recorded before he left, no plan
    since): `who` and `remind` leave him out and say on stderr how to mend it."""
    swapped = cli("swap", "--dates", "2027-01-20", "--out", "ken", "--in", "raj",
                  "--now", "2027-01-04T12:00", cwd=workspace)
    assert swapped.returncode == 0, swapped.stderr
    set_member(workspace, "raj", "left: 2027-01-19")
    for run in (cli, cli_process):  # typer and the cron fast path
        who = run("who", "--now", "2027-01-20T11:00", cwd=workspace)
        assert who.returncode == 0, who.stderr
        assert "Aiko Sato" in who.stdout and "Raj" not in who.stdout
        assert "the schedule names raj on 2027-01-20, but raj left on 2027-01-19" in who.stderr
        assert "oncall swap --dates 2027-01-20 --out raj --in HANDLE" in who.stderr
        handles = run("who", "--now", "2027-01-20T11:00", "--format", "handles", cwd=workspace)
        assert handles.stdout.split() == ["aiko"]
    for args in (("--now", "2027-01-20T10:00"), ("--next", "--now", "2027-01-19T17:00")):
        remind = cli("remind", *args, cwd=workspace)
        assert remind.returncode == 0, remind.stderr
        assert "Aiko Sato" in remind.stdout and "Raj" not in remind.stdout
        assert "raj left on 2027-01-19" in remind.stderr


def test_remind_with_only_leavers_planned_names_nobody_and_warns(cli: Runner, workspace: Path):
    set_member(workspace, "aiko", "left: 2027-01-18")
    set_member(workspace, "ken", "left: 2027-01-18")
    remind = cli("remind", "--now", "2027-01-19T10:00", cwd=workspace)
    assert remind.returncode == 0
    assert remind.stdout == ""
    assert "aiko left on 2027-01-18" in remind.stderr and "ken left" in remind.stderr


# --- --start beside the terms already planned -------------------------------------------


def kept_file(workspace: Path, start: str) -> Path:
    return workspace / "rotations" / "app.terms" / f"{start}.schedule.yaml"


def test_start_over_a_running_term_is_refused_naming_next_term_and_from(
    cli: Runner, workspace: Path
):
    """The workspace's term 2027-01-04..2027-01-29 is running on 2027-01-25: a term from
    --start would replace it, served days and all, so it is refused; each hinted command
    does what the hint says."""
    before = schedule_bytes(workspace)
    now = ("--now", "2027-01-25T09:00")
    refused = cli("plan", "--start", "2027-01-25", *now, cwd=workspace)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert schedule_bytes(workspace) == before
    assert not kept_file(workspace, "2027-01-04").exists()
    assert "the term 2027-01-04..2027-01-29 in rotations/app.schedule.yaml is running" in (
        refused.stderr
    )
    assert "`oncall plan --next-term` plans the term after it (from 2027-01-30)" in (
        refused.stderr
    )
    assert "`oncall plan --from 2027-01-25` re-plans this one from 2027-01-25" in refused.stderr
    # --from re-plans the rest of the running term and keeps the served days
    dry = cli("plan", "--from", "2027-01-25", *now, "--dry-run", cwd=workspace)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "re-planned from 2027-01-25 (3 kept)" in dry.stdout
    # --next-term keeps the running term in X.terms/ and carries the ledger
    following = cli("plan", "--next-term", *now, cwd=workspace)
    assert following.returncode == 0, following.stdout + following.stderr
    assert kept_file(workspace, "2027-01-04").read_bytes() == before
    assert "\nledger:" in schedule_bytes(workspace).decode()


def test_start_over_a_term_not_started_yet_is_refused(cli: Runner, workspace: Path):
    before = schedule_bytes(workspace)
    refused = cli("plan", "--start", "2027-02-01", "--end", "2027-02-26",
                  "--now", "2027-01-01T09:00", cwd=workspace)
    assert refused.returncode == 2, refused.stderr
    assert schedule_bytes(workspace) == before
    assert "is planned and not started yet" in refused.stderr
    assert "`oncall plan --next-term` plans the term after it" in refused.stderr


def test_start_with_the_current_terms_own_start_re_plans_it(cli: Runner, workspace: Path):
    result = cli("plan", "--start", "2027-01-04", "--now", "2027-01-12T09:00", "--dry-run",
                 cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "re-planned from 2027-01-12 (2 kept)" in result.stdout


def test_start_after_a_finished_term_plans_it_as_the_next_term(cli: Runner, workspace: Path):
    """Everything of 2027-01-04..2027-01-29 is served on 2027-02-03: --start keeps that term
    in X.terms/ and carries its ledger, as --next-term does, instead of losing it."""
    before = schedule_bytes(workspace)
    result = cli("plan", "--start", "2027-02-01", "--end", "2027-02-26",
                 "--now", "2027-02-03T09:00", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert kept_file(workspace, "2027-01-04").read_bytes() == before
    written = schedule_bytes(workspace).decode()
    assert "term: {start: 2027-02-01, end: 2027-02-26}" in written or (
        "start: 2027-02-01" in written and "end: 2027-02-26" in written
    )
    assert "\nledger:" in written
    check = cli("validate", "--now", "2027-02-03T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout
    # and --start inside that kept term is refused, naming its file
    inside = cli("plan", "--start", "2027-01-11", "--now", "2027-02-03T09:00", cwd=workspace)
    assert inside.returncode == 2, inside.stderr
    assert "rotations/app.terms/2027-01-04.schedule.yaml" in inside.stderr
    assert "a kept term is never rewritten" in inside.stderr


# --- every hint names a command that does what it says ----------------------------------


def test_remind_after_the_term_names_next_term_which_plans_it(cli: Runner, workspace: Path):
    now = ("--now", "2027-02-01T10:00")
    over = cli("remind", *now, cwd=workspace)
    assert over.returncode == 5  # the term has ended and no next one is planned
    assert "oncall plan --next-term rotations/app.yaml" in over.stderr
    assert "--start" not in over.stderr
    before = schedule_bytes(workspace)
    planned = cli("plan", "--next-term", *now, cwd=workspace)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert kept_file(workspace, "2027-01-04").read_bytes() == before
    remind = cli("remind", *now, cwd=workspace)
    assert remind.returncode == 0 and remind.stdout.startswith("On call today"), remind.stderr
    assert "no duty day left" not in remind.stderr


def test_next_term_over_unplanned_days_names_the_from_that_plans_them(
    cli: Runner, workspace: Path
):
    path = workspace / "rotations" / "app.schedule.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("  - start: 2027-01-25")
    rest = text.index("\noverrides:") if "\noverrides:" in text else text.index("\ncalendar:")
    path.write_text(text[:cut].rstrip("\n") + text[rest:], encoding="utf-8")
    now = ("--now", "2027-01-20T09:00")
    refused = cli("plan", "--next-term", *now, cwd=workspace)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    line = next(ln for ln in refused.stderr.splitlines() if "hint:" in ln)
    command = line.split("`")[1].split()
    assert command == ["oncall", "plan", "--from", "2027-01-25"]
    filled = cli(*command[1:], *now, cwd=workspace)
    assert filled.returncode == 0, filled.stdout + filled.stderr
    assert cli("plan", "--next-term", *now, cwd=workspace).returncode == 0


def test_next_term_with_start_names_a_command_that_plans_the_next_term(
    cli: Runner, workspace: Path
):
    refused = cli("plan", "--next-term", "--start", "2027-02-01",
                  "--now", "2027-01-20T09:00", cwd=workspace)
    assert refused.returncode == 2
    assert "`oncall plan --next-term` plans the whole term after the current one" in (
        refused.stderr
    )
