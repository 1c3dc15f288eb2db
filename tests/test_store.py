"""The schedule store: every command reads a rotation's files through it, each file once,
and finds the term that holds a day whether it is kept or current."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import oncall.io.files
import oncall.io.loading
from oncall.core.calendar import days_off
from oncall.core.clock import Clock
from oncall.core.errors import InputError
from oncall.core.model import DateRange
from oncall.core.schedule import Override
from oncall.io.store import FileStore
from tests.helpers.cli import Runner

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-01T09:00"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two rotations that share people: the bundled daytime pairs and the morning watch."""
    rotations = tmp_path / "rotations"
    rotations.mkdir()
    shutil.copy(ROOT / "rotations" / "app-daytime.yaml", rotations)
    shutil.copy(ROOT / "examples" / "morning-watch.yaml", rotations)
    return tmp_path


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every file the loader reads, by name, from now on."""
    reads: Counter[str] = Counter()
    original = oncall.io.files.read_text

    def counted(path: Path, **kwargs: object) -> str:
        reads[Path(path).name] += 1
        return original(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(oncall.io.files, "read_text", counted)
    monkeypatch.setattr(oncall.io.loading, "read_text", counted)
    return reads


def test_plan_reads_each_rotation_and_schedule_once(
    cli: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("plan", "--now", NOW, cwd=folder).returncode == 0
    reads = _count_reads(monkeypatch)
    # A re-plan of both: each is also the other's neighbour, read once all the same.
    result = cli("plan", "--now", "2027-01-20T09:00", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert reads == {
        "app-daytime.yaml": 1,
        "morning-watch.yaml": 1,
        "app-daytime.schedule.yaml": 1,
        "morning-watch.schedule.yaml": 1,
    }


def test_next_term_reads_once_and_keeps_the_current_term(
    cli: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rotation = "rotations/app-daytime.yaml"
    assert cli("plan", rotation, "--now", NOW, cwd=folder).returncode == 0
    current = (folder / "rotations" / "app-daytime.schedule.yaml").read_bytes()
    reads = _count_reads(monkeypatch)
    result = cli("plan", rotation, "--next-term", "--now", "2027-03-15T09:00", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert reads["app-daytime.yaml"] == 1 and reads["app-daytime.schedule.yaml"] == 1
    kept = list((folder / "rotations" / "app-daytime.terms").iterdir())
    assert [k.read_bytes() for k in kept] == [current]


def test_store_finds_the_term_of_a_day(cli: Runner, folder: Path) -> None:
    rotation = folder / "rotations" / "app-daytime.yaml"
    assert cli("plan", str(rotation), "--now", NOW, cwd=folder).returncode == 0
    assert cli("plan", str(rotation), "--next-term", "--now", NOW, cwd=folder).returncode == 0
    store = FileStore([rotation], holiday_tables=days_off)
    (current,) = store.planned()
    first, second = current.terms()
    assert second is current
    assert current.on(first.term.start).schedule_path == first.schedule_path
    assert current.on(first.term.end).term == first.term
    assert current.on(second.term.start) is current
    assert first.schedule_path.parent.name == "app-daytime.terms"


def test_a_save_is_read_back_by_the_same_store(cli: Runner, folder: Path) -> None:
    rotation = folder / "rotations" / "app-daytime.yaml"
    assert cli("plan", str(rotation), "--now", NOW, cwd=folder).returncode == 0
    store = FileStore([rotation], holiday_tables=days_off)
    (current,) = store.planned()
    assert current.schedule is not None
    out = current.schedule.duty_on(date(2027, 1, 5)).primary[0]
    override = Override(DateRange.single(date(2027, 1, 5)), out=out, in_=None, reason="x")
    store.save(current, current.schedule.with_override(override))
    (again,) = store.planned()
    assert again.schedule is not None and again.schedule.overrides == (override,)


def test_schedule_option_names_one_rotation(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)  # no rotation named: every rotations/*.yaml, two here
    store = FileStore(None, schedule=folder / "x.schedule.yaml")
    with pytest.raises(InputError, match="one schedule, but 2 rotations"):
        store.rotation_sources()


def test_clock_reads_a_naive_now_in_each_rotations_zone() -> None:
    from zoneinfo import ZoneInfo

    clock = Clock.parse("2027-01-04T10:30")
    tokyo, berlin = ZoneInfo("Asia/Tokyo"), ZoneInfo("Europe/Berlin")
    assert clock.now(tokyo).hour == 10 and clock.now(berlin).hour == 10
    assert clock.now(tokyo) != clock.now(berlin)
    aware = Clock.parse("2027-01-04T01:30+00:00")
    assert aware.now(tokyo).hour == 10
    with pytest.raises(InputError, match="ISO date-time"):
        Clock.parse("yesterday-ish")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_clock_before_what_the_rotation_records_is_refused_for_changes(
    cli: Runner, folder: Path
) -> None:
    """A swap recorded on 2027-02-01 makes a re-plan "from 2027-01-10" a rewrite of what
    was served in between: a --now before the records is refused for every change, and
    still answers every reading command."""
    rotation = "rotations/app-daytime.yaml"
    assert cli("plan", rotation, "--now", NOW, cwd=folder).returncode == 0
    who = json.loads(cli("who", rotation, "--date", "2027-02-02", "--format", "json",
                         cwd=folder).stdout)
    out = who["primary"][0]["handle"]
    taker = next(h for h in ("li", "hana", "taro", "aiko", "yui") if h != out and h not in
                 {p["handle"] for p in who["primary"]})
    swap = cli("swap", rotation, "--dates", "2027-02-02", "--out", out, "--in", taker,
               "--force", "--now", "2027-02-01T09:00", cwd=folder)
    assert swap.returncode == 0, swap.stderr
    before = _snapshot(folder)
    for args in (
        ("plan", rotation, "--now", "2027-01-10T09:00"),
        ("swap", rotation, "--dates", "2027-03-02", "--out", out, "--in", taker,
         "--now", "2027-01-10T09:00"),
        ("plan", rotation, "--next-term", "--now", "2027-01-10T09:00"),
    ):
        result = cli(*args, cwd=folder)
        assert result.returncode == 2, (args, result.stderr)
        assert "app-daytime.schedule.yaml:" in result.stderr  # file:line of the record
        assert "already records 2027-02-01T09:00" in result.stderr
        assert _snapshot(folder) == before
    for args in (("who", rotation), ("validate", rotation), ("show", rotation)):
        assert cli(*args, "--now", "2027-01-10T11:00", cwd=folder).returncode in (0, 1)


def test_plan_keeps_people_clear_of_a_neighbours_kept_terms(cli: Runner, tmp_path: Path) -> None:
    """The daytime rotation planned its next term early, so the term still running is a
    kept file: the second rotation (same people, overlapping hours) must keep clear of it
    too, not only of the neighbour's current file."""
    rotations = tmp_path / "rotations"
    rotations.mkdir()
    text = (ROOT / "rotations" / "app-daytime.yaml").read_text(encoding="utf-8")
    (rotations / "app-daytime.yaml").write_text(text, encoding="utf-8")
    other = text.replace("rotation: app-daytime", "rotation: app-early", 1)
    other = other.replace('  start: "10:00"', '  start: "09:00"', 1)
    other = other.replace('  end: "17:00"', '  end: "11:00"', 1)
    (rotations / "app-early.yaml").write_text(other, encoding="utf-8")
    now = ("--now", "2026-12-01T09:00")
    assert cli("plan", "rotations/app-daytime.yaml", *now, cwd=tmp_path).returncode == 0
    assert cli("plan", "rotations/app-daytime.yaml", "--next-term", *now,
               cwd=tmp_path).returncode == 0
    result = cli("plan", "rotations/app-early.yaml", *now, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    checked = cli("validate", "--now", "2026-12-01T09:00", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
