"""`oncall plan` end to end through the CLI: what it writes, keeps and says (and exit 3
from a real `python -m oncall`)."""

from __future__ import annotations

import functools
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from oncall.cli.app import app
from oncall.core.calendar import build_calendar, days_off
from oncall.core.clock import Clock
from oncall.core.rules import ERROR, check
from oncall.io.loading import load_rotation, load_schedule
from oncall.io.store import FileStore
from oncall.usecases.plan import PlanOptions, plan_files
from tests.helpers.cli import Runner
from tests.helpers.files import assert_unchanged, snapshot

ROTATION = """\
rotation: pairs
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}
holidays:
  closures: [2027-01-11]
shift: {length: 1w, handoff: mon, people: 2}
term: {start: 2027-01-04, end: 2027-02-26}
rules: {volunteers_only: true, distinct_teams: required, min_gap: 1}
onboarding: {shadow_shifts: 1}
members:
  - {handle: aiko, name: Aiko Sato, team: payments, volunteer: true}
  - {handle: ken, name: Ken Suzuki, team: payments, volunteer: true}
  - {handle: taro, name: 田中 太郎, team: search, volunteer: true}
  - {handle: mei, name: Mei Ito, team: search, volunteer: true, new: true}
  - {handle: raj, name: "[bold]Raj[/bold]", team: platform, volunteer: true}
  - {handle: li, name: Li Wei, team: platform, volunteer: true}
  - {handle: hana, name: Hana Yamamoto, team: mobile, volunteer: true}
  - {handle: sho, name: Sho Watanabe, team: mobile, volunteer: false}
"""
NOW = "2026-12-01T09:00"


@pytest.fixture
def run(cli: Runner) -> Runner:
    return functools.partial(cli, env={"NO_COLOR": "1"})


@pytest.fixture
def run_process(cli_process: Runner) -> Runner:
    """For what only a real `python -m oncall` shows: its exit codes, no traceback."""
    return functools.partial(cli_process, env={"NO_COLOR": "1"})


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "rotations").mkdir()
    (tmp_path / "rotations" / "pairs.yaml").write_text(ROTATION, encoding="utf-8")
    return tmp_path


ROT = "rotations/pairs.yaml"
SCHED = "rotations/pairs.schedule.yaml"


def shifts_of(workdir: Path) -> list[dict[str, object]]:
    data = yaml.safe_load((workdir / SCHED).read_text(encoding="utf-8"))
    return data["shifts"]


def test_plan_writes_a_schedule_that_keeps_every_rule(run: Runner, workdir: Path) -> None:
    result = run("plan", ROT, "--now", NOW, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"wrote {SCHED}" in result.stdout
    rotation = load_rotation(workdir / ROT)
    schedule = load_schedule(workdir / SCHED, rotation)
    errors = [v for v in check(rotation, build_calendar(rotation), schedule) if v.severity == ERROR]
    assert errors == []
    assert schedule.planned_at is not None and schedule.planned_at.isoformat() == (
        "2026-12-01T09:00:00+09:00"
    )
    # Stored days off let the cron-path commands skip the holiday tables.
    assert schedule.days_off is not None
    assert schedule.days_off[date(2027, 1, 11)] == "Company closure"
    assert schedule.calendar_basis
    validated = run("validate", ROT, cwd=workdir)
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_plan_prints_the_table_fairness_and_no_markup(run: Runner, workdir: Path) -> None:
    result = run("plan", ROT, "--now", NOW, cwd=workdir)
    out = result.stdout
    assert "\x1b[" not in out  # plain text into a pipe
    assert re.search(r"^2027-01-04\.\.2027-01-10 ", out, re.M)
    assert "(payments)" in out or "(search)" in out
    assert "spread (most - fewest primary shifts):" in out
    assert "primaries from distinct teams:" in out
    assert re.search(r"\baiko \d+/\d+", out)
    assert "sho" not in out  # not a volunteer: neither planned nor counted
    assert "Changes" not in out  # nothing to compare with on a first plan


def test_dry_run_writes_nothing(run: Runner, workdir: Path) -> None:
    result = run("plan", ROT, "--now", NOW, "--dry-run", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "dry run, nothing written" in result.stdout
    assert not (workdir / SCHED).exists()
    assert sorted(p.name for p in (workdir / "rotations").iterdir()) == ["pairs.yaml"]


def test_same_inputs_and_seed_give_identical_bytes(
    run: Runner, workdir: Path, tmp_path_factory
) -> None:
    other = tmp_path_factory.mktemp("again")
    (other / "rotations").mkdir()
    (other / ROT).write_text(ROTATION, encoding="utf-8")
    for place in (workdir, other):
        assert run("plan", ROT, "--now", NOW, "--seed", "7", cwd=place).returncode == 0
    assert (workdir / SCHED).read_bytes() == (other / SCHED).read_bytes()
    first = run(
        "plan", ROT, "--now", NOW, "--seed", "7", "--dry-run", "--format", "json", cwd=workdir
    ).stdout
    second = run(
        "plan", ROT, "--now", NOW, "--seed", "7", "--dry-run", "--format", "json", cwd=other
    ).stdout
    assert first == second


def test_json_is_a_stable_versioned_object(run: Runner, workdir: Path) -> None:
    result = run("plan", ROT, "--now", NOW, "--format", "json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert data["rotation"] == "pairs"
    assert data["term"] == {"start": "2027-01-04", "end": "2027-02-26"}
    assert data["written"] == SCHED
    assert data["changes"] == []
    fairness = data["fairness"]
    assert set(fairness) >= {
        "load",
        "shadow_load",
        "counted",
        "spread",
        "best_possible",
        "optimal",
        "distinct_team_shifts",
        "shifts",
    }
    assert "sho" not in fairness["counted"]
    first = data["shifts"][0]
    assert first["start"] == "2027-01-04"
    assert {p["handle"] for p in first["primary"]} <= {
        "aiko",
        "ken",
        "taro",
        "mei",
        "raj",
        "li",
        "hana",
    }
    assert set(first["primary"][0]) == {"handle", "name", "team"}
    assert sum(len(s["primary"]) == 2 for s in data["shifts"]) == len(data["shifts"])


def test_replan_keeps_history_and_overrides_and_names_who_moved(run: Runner, workdir: Path) -> None:
    assert run("plan", ROT, "--now", NOW, cwd=workdir).returncode == 0
    before = shifts_of(workdir)
    # Someone holding a later shift becomes unavailable for it: re-planning must move them.
    target = next(s for s in before if str(s["start"]) == "2027-02-08")
    leaver = target["primary"][0]
    text = (workdir / ROT).read_text(encoding="utf-8")
    text = re.sub(
        rf"(\{{handle: {leaver}, [^}}]*)\}}",
        r"\1, unavailable: [2027-02-08..2027-02-12]}",
        text,
    )
    (workdir / ROT).write_text(text, encoding="utf-8")
    schedule_text = (workdir / SCHED).read_text(encoding="utf-8")
    past = before[0]
    override = (
        f"overrides:\n  - dates: 2027-01-05\n    out: {past['primary'][0]}\n"
        f"    in: {past['primary'][0]}\n    reason: kept as written\n"
    )
    assert "overrides: []\n" in schedule_text
    (workdir / SCHED).write_text(schedule_text.replace("overrides: []\n", override), "utf-8")

    result = run("plan", ROT, "--now", "2027-01-20T09:00", "--from", "2027-01-25", cwd=workdir)
    assert result.returncode == 0, result.stderr
    after = shifts_of(workdir)
    kept = [s for s in before if str(s["start"]) < "2027-01-25"]
    assert after[: len(kept)] == kept
    written = yaml.safe_load((workdir / SCHED).read_text(encoding="utf-8"))
    assert written["overrides"] == [
        {
            "dates": date(2027, 1, 5),
            "out": past["primary"][0],
            "in": past["primary"][0],
            "reason": "kept as written",
        }
    ]
    moved = next(s for s in after if str(s["start"]) == "2027-02-08")
    assert leaver not in moved["primary"]
    assert "re-planned from 2027-01-25 (3 kept)" in result.stdout
    assert re.search(
        rf"^  2027-02-08\.\.2027-02-14: [^\n]*\b{leaver}\b[^\n]* -> ", result.stdout, re.M
    ), result.stdout
    assert re.search(
        r"^Changes: \d+ of \d+ planned assignments kept; tell .*\b" + leaver, result.stdout, re.M
    )
    data = json.loads(
        run(
            "plan",
            ROT,
            "--now",
            "2027-01-20T09:00",
            "--from",
            "2027-01-25",
            "--dry-run",
            "--format",
            "json",
            cwd=workdir,
        ).stdout
    )
    assert data["changes"] == []  # planned again with the same inputs: nobody moves
    assert [s["kept"] for s in data["shifts"]][:3] == [True, True, True]


def test_term_change_keeps_only_history_inside_the_new_term(run: Runner, workdir: Path) -> None:
    """The running term gets a later end (same start): its started shifts stay as they
    were. A --start inside it would replace the running term, so that is refused."""
    assert run("plan", ROT, "--now", NOW, cwd=workdir).returncode == 0
    before = shifts_of(workdir)
    old = (workdir / SCHED).read_bytes()
    moved = run("plan", ROT, "--now", "2027-01-20T09:00", "--start", "2027-01-18",
                "--end", "2027-03-26", cwd=workdir)
    assert moved.returncode == 2, moved.stdout + moved.stderr
    assert "oncall plan --next-term" in moved.stderr
    assert (workdir / SCHED).read_bytes() == old
    result = run(
        "plan",
        ROT,
        "--now",
        "2027-01-20T09:00",
        "--start",
        "2027-01-04",
        "--end",
        "2027-03-26",
        cwd=workdir,
    )
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load((workdir / SCHED).read_text(encoding="utf-8"))
    assert str(written["term"]["start"]) == "2027-01-04"
    assert str(written["term"]["end"]) == "2027-03-26"
    after = written["shifts"]
    started = [s for s in before if str(s["start"]) < "2027-01-20"]
    assert after[: len(started)] == started
    assert str(after[-1]["start"]) == "2027-03-22"


def test_day_words_are_accepted_for_the_term(run: Runner, workdir: Path) -> None:
    result = run(
        "plan",
        ROT,
        "--now",
        "2027-01-03T23:30",
        "--start",
        "tomorrow",
        "--dry-run",
        "--format",
        "json",
        cwd=workdir,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["term"]["start"] == "2027-01-04"


def test_infeasible_exits_3_and_leaves_the_old_schedule_untouched(
    run: Runner, run_process: Runner, workdir: Path
) -> None:
    assert run("plan", ROT, "--now", NOW, cwd=workdir).returncode == 0
    old = (workdir / SCHED).read_bytes()
    # Every experienced volunteer is away in the same week: nobody can staff it.
    away = "volunteer: true, unavailable: [2027-02-01..2027-02-05]}"
    text = (workdir / ROT).read_text(encoding="utf-8").replace("volunteer: true}", away)
    (workdir / ROT).write_text(text, encoding="utf-8")
    result = run_process("plan", ROT, "--now", "2027-01-20T09:00", cwd=workdir)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert (workdir / SCHED).read_bytes() == old
    assert [p.name for p in (workdir / "rotations").iterdir() if p.name.startswith(".")] == []


def test_missing_rotation_is_bad_input(run: Runner, workdir: Path) -> None:
    result = run("plan", "rotations/nope.yaml", "--now", NOW, cwd=workdir)
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workdir / "rotations" / "nope.schedule.yaml").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [("--from", "someday"), ("--start", "2027-13-01"), ("--format", "xml"), ("--now", "noon")],
)
def test_bad_options_are_bad_input(run: Runner, workdir: Path, option: str, value: str) -> None:
    result = run("plan", ROT, option, value, cwd=workdir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert option in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workdir / SCHED).exists()


def test_without_arguments_every_rotation_is_planned(run: Runner, workdir: Path) -> None:
    result = run("plan", "--now", NOW, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / SCHED).exists()


def test_schedule_option_writes_where_told(run: Runner, workdir: Path) -> None:
    result = run("plan", ROT, "--now", NOW, "--schedule", "elsewhere.yaml", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / "elsewhere.yaml").exists()
    assert not (workdir / SCHED).exists()


def test_cli_runner_reports_infeasible_as_the_error_the_edge_maps_to_exit_3(workdir: Path) -> None:
    from oncall.core.errors import Infeasible

    text = (workdir / ROT).read_text(encoding="utf-8").replace("people: 2", "people: 5")
    (workdir / ROT).write_text(text, encoding="utf-8")
    before = snapshot(workdir)
    result = CliRunner().invoke(app, ["plan", str(workdir / ROT), "--now", NOW])
    assert isinstance(result.exception, Infeasible)
    assert result.exception.exit_code == 3
    assert not (workdir / SCHED).exists()
    assert_unchanged(workdir, before)


def test_planning_api_returns_data_without_writing_on_dry_run(workdir: Path) -> None:
    store = FileStore([workdir / ROT], holiday_tables=days_off)
    options = PlanOptions(now=Clock.parse(NOW), seed=3)
    (planned,) = plan_files(store, options, dry_run=True)
    assert planned.written is None
    assert not (workdir / SCHED).exists()
    assert planned.schedule.term.start.isoformat() == "2027-01-04"
    assert planned.previous is None and planned.changes == () and planned.kept == ()
    assert planned.fairness.shifts >= 1


def test_replanning_after_adding_a_member_tells_only_a_few_people(
    run: Runner, tmp_path: Path
) -> None:
    """The bundled rotation: plan, add nao mid-term, re-plan. Fairness stays optimal and
    only the shifts nao takes change (the old planner moved all 9 future shifts)."""
    bundled = Path(__file__).resolve().parents[1] / "rotations" / "app-daytime.yaml"
    (tmp_path / "rotations").mkdir()
    rot = tmp_path / "rotations" / "app-daytime.yaml"
    rot.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("plan", str(rot), "--now", "2026-11-23T10:00", cwd=tmp_path).returncode == 0
    with rot.open("a", encoding="utf-8") as out:
        out.write("  - {handle: nao, name: Nao Mori, team: mobile, volunteer: true}\n")
    result = run(
        "plan",
        str(rot),
        "--from",
        "2027-02-01",
        "--now",
        "2027-01-20T10:00",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["fairness"]["optimal"] and data["fairness"]["spread"] == 1
    assert data["fairness"]["load"]["nao"] == 2
    assert len(data["changes"]) <= 2
    assert all([s["handle"] for s in change["joined"]] == ["nao"] for change in data["changes"])
    assert data["previous_assignments"] == 18
    assert data["kept_assignments"] == 16


NEVER_FREE = """\
rotation: r
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}
shift: {length: 1w, handoff: mon, people: 1}
term: {start: 2027-01-04, length: 4w}
rules: {distinct_teams: "off", volunteers_only: true}
members:
  - {handle: aoi, name: Aoi, team: a, volunteer: true}
  - {handle: ren, name: Ren, team: b, volunteer: true}
  - {handle: kai, name: Kai, team: b, volunteer: true, unavailable: [wed]}
  - {handle: sho, name: Sho, team: a}
"""


def test_a_member_who_can_take_no_shift_stays_in_the_summary(cli: Runner, tmp_path: Path):
    """kai volunteers but is away every Wednesday, so no weekly shift is theirs: the
    summary names them with the reason instead of dropping them; sho, no volunteer, is not
    eligible at all and stays out."""
    (tmp_path / "rotations").mkdir()
    (tmp_path / "rotations" / "r.yaml").write_text(NEVER_FREE, encoding="utf-8")
    ran = cli("plan", "--now", "2027-01-01T09:00", "--dry-run", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "not counted, can take no shift: kai (never available for a whole shift)" in (
        ran.stdout
    )
    assert "sho" not in ran.stdout
    ran = cli("plan", "--now", "2027-01-01T09:00", "--dry-run", "--format", "json", cwd=tmp_path)
    fairness = json.loads(ran.stdout)["fairness"]
    assert fairness["idle"] == {"kai": "never available for a whole shift"}
    assert fairness["counted"] == ["aoi", "ren"]
