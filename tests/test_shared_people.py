"""`plan` keeps a person clear of duty they already have in another rotation of the folder,
at overlapping instants only, and says so."""

from __future__ import annotations

import json
from pathlib import Path

DAYTIME = """\
rotation: daytime
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}
shift: {length: 1d, people: 1}
term: {start: 2027-01-04, end: 2027-01-15}
members:
  - {handle: aiko, name: Aiko Sato, team: payments}
  - {handle: ken, name: Ken Suzuki, team: search}
"""
# Support duty in another rotation: aiko on the 5th and 12th, overlapping the daytime window.
SUPPORT = """\
rotation: support
timezone: Asia/Tokyo
window: {days: [tue], start: "{start}", end: "{end}"}
shift: {length: 1w, handoff: mon, people: 1}
term: {start: 2027-01-04, end: 2027-01-15}
members:
  - {handle: sato, name: Aiko Sato, team: payments, email: aiko@example.com}
  - {handle: raj, name: Raj Patel, team: platform}
"""
NOW = "2026-12-01T09:00"


def folder(tmp_path: Path, start: str, end: str) -> Path:
    rotations = tmp_path / "rotations"
    rotations.mkdir()
    (rotations / "daytime.yaml").write_text(
        DAYTIME.replace("team: payments}", "team: payments, email: Aiko@example.com}"),
        encoding="utf-8",
    )
    (rotations / "support.yaml").write_text(
        SUPPORT.replace("{start}", start).replace("{end}", end), encoding="utf-8"
    )
    return tmp_path


def aiko_days(cli, workdir: Path) -> set[str]:
    result = cli("plan", "rotations/daytime.yaml", "--now", NOW, "--format", "json",
                 cwd=workdir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return {s["start"] for s in data["shifts"] if s["primary"][0]["handle"] == "aiko"}, data


def test_a_person_on_duty_elsewhere_is_not_planned_over_it(cli, tmp_path: Path):
    workdir = folder(tmp_path, "09:00", "11:00")  # overlaps 10:00-17:00 on Tuesdays
    support = cli("plan", "rotations/support.yaml", "--now", NOW, "--format", "json", cwd=workdir)
    sato = [s["start"] for s in json.loads(support.stdout)["shifts"]
            if s["primary"][0]["handle"] == "sato"]
    busy = {"2027-01-04": "2027-01-05", "2027-01-11": "2027-01-12"}
    sato_days = {busy[start] for start in sato}
    days, data = aiko_days(cli, workdir)
    assert sato_days and not days & sato_days  # she is sato in support
    assert [e["date"] for e in data["elsewhere"]] == sorted(sato_days)
    text = cli("plan", "rotations/daytime.yaml", "--now", NOW, "--dry-run", cwd=workdir)
    assert "Kept clear of duty in other rotations" in text.stdout
    assert f"aiko: {', '.join(sorted(sato_days))} (support)" in text.stdout
    check = cli("validate", "--now", NOW, cwd=workdir)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_morning_watch_before_the_window_does_not_clash(cli, tmp_path: Path):
    workdir = folder(tmp_path, "08:00", "09:30")
    assert cli("plan", "rotations/support.yaml", "--now", NOW, cwd=workdir).returncode == 0
    _, data = aiko_days(cli, workdir)
    assert data["elsewhere"] == []


def test_planning_both_in_one_run_keeps_them_apart(cli, tmp_path: Path):
    workdir = folder(tmp_path, "09:00", "11:00")
    result = cli("plan", "--now", NOW, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert cli("validate", "--now", NOW, cwd=workdir).returncode == 0


def test_a_broken_neighbour_stops_the_plan_and_says_why(cli, tmp_path: Path):
    workdir = folder(tmp_path, "09:00", "11:00")
    (workdir / "rotations" / "broken.yaml").write_text("rotation: [\n", encoding="utf-8")
    before = sorted(p.name for p in (workdir / "rotations").iterdir())
    result = cli("plan", "rotations/daytime.yaml", "--now", NOW, cwd=workdir)
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and "keep people clear of duty" in result.stderr
    assert sorted(p.name for p in (workdir / "rotations").iterdir()) == before


def _planned_both(cli, tmp_path: Path, start: str, end: str) -> tuple[Path, str]:
    """Both rotations planned; the Tuesday aiko serves support (as sato), when ken holds
    the daytime duty."""
    workdir = folder(tmp_path, start, end)
    assert cli("plan", "--now", NOW, cwd=workdir).returncode == 0
    tuesdays = ("2027-01-05", "2027-01-12")
    for day in tuesdays:
        support = cli("who", "rotations/support.yaml", "--date", day, "--format", "json",
                      cwd=workdir)
        if json.loads(support.stdout)["primary"][0]["handle"] == "sato":
            return workdir, day
    raise AssertionError("sato serves no Tuesday")


def test_a_swap_that_double_books_someone_elsewhere_is_refused(cli, tmp_path: Path):
    workdir, day = _planned_both(cli, tmp_path, "09:00", "11:00")
    # support plans its next term early: the running one, with sato's Tuesday, is kept
    early = cli("plan", "rotations/support.yaml", "--next-term", "--now", NOW, cwd=workdir)
    assert early.returncode == 0, early.stderr
    assert (workdir / "rotations" / "support.terms" / "2027-01-04.schedule.yaml").exists()
    schedule = workdir / "rotations" / "daytime.schedule.yaml"
    before = schedule.read_bytes()
    swap = ("swap", "rotations/daytime.yaml", "--dates", day, "--out", "ken", "--in", "aiko",
            "--now", NOW)
    refused = cli(*swap, cwd=workdir)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert (
        f"{day}: aiko = sato is on duty in support as sato ({day} 09:00-11:00) and daytime "
        f"as aiko ({day} 10:00-17:00), overlapping {day}T10:00:00+09:00..{day}T11:00:00+09:00"
    ) in refused.stderr
    assert "[overlap]" in refused.stderr and "--force" in refused.stderr
    assert schedule.read_bytes() == before
    forced = cli(*swap, "--force", cwd=workdir)
    assert forced.returncode == 0, forced.stderr
    assert "[forced]" in forced.stdout and "support as sato" in forced.stdout
    check = cli("validate", "--now", NOW, cwd=workdir)
    assert check.returncode == 1 and "[overlap]" in check.stdout  # what validate sees too


def test_a_swap_at_hours_that_do_not_overlap_is_recorded(cli, tmp_path: Path):
    workdir, day = _planned_both(cli, tmp_path, "08:00", "09:30")
    ran = cli("swap", "rotations/daytime.yaml", "--dates", day, "--out", "ken", "--in", "aiko",
              "--now", NOW, cwd=workdir)
    assert ran.returncode == 0, ran.stderr


def test_a_broken_neighbour_stops_the_swap(cli, tmp_path: Path):
    workdir, day = _planned_both(cli, tmp_path, "09:00", "11:00")
    (workdir / "rotations" / "broken.yaml").write_text("rotation: [\n", encoding="utf-8")
    schedule = workdir / "rotations" / "daytime.schedule.yaml"
    before = schedule.read_bytes()
    ran = cli("swap", "rotations/daytime.yaml", "--dates", day, "--out", "ken",
              "--in", "aiko", "--now", NOW, "--force", cwd=workdir)
    assert ran.returncode == 2
    assert "broken.yaml" in ran.stderr and "swap reads every rotation" in ran.stderr
    assert "Traceback" not in ran.stderr and schedule.read_bytes() == before
