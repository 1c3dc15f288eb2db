"""Writes never replace what is not a regular file, follow a symlinked schedule to its
target, and leave no temporary file behind a killed run."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from oncall.core.errors import InputError
from oncall.io.files import sweep_stale_temps, write_atomic, write_output
from tests.helpers.cli import run_in_process as oncall

ROTATION = """\
rotation: pairs
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}
shift: {length: 1w, handoff: mon, people: 1}
term: {start: 2027-01-04, end: 2027-01-29}
members:
  - {handle: aiko, name: Aiko Sato, team: payments}
  - {handle: ken, name: Ken Suzuki, team: search}
"""
NOW = "2026-12-01T09:00"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "rotations").mkdir()
    (tmp_path / "rotations" / "pairs.yaml").write_text(ROTATION, encoding="utf-8")
    return tmp_path


def null_device(folder: Path) -> Path:
    """A private copy of /dev/null (same device numbers), so a bug cannot break the real one."""
    device = folder / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (needs root)")
    return device


def read_fifo(fifo: Path, into: list[bytes]) -> threading.Thread:
    def reader() -> None:
        with fifo.open("rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread


def test_write_atomic_refuses_a_device_and_a_fifo(tmp_path: Path):
    device = null_device(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, kind in ((device, "character device"), (fifo, "FIFO")):
        with pytest.raises(InputError) as caught:
            write_atomic(target, "text")
        assert kind in str(caught.value) and str(target) in str(caught.value)
    assert stat.S_ISCHR(device.stat().st_mode) and stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "pipe"]


def test_write_output_writes_through_a_device_and_a_fifo(tmp_path: Path):
    device = null_device(tmp_path)
    write_output(device, "gone")
    assert stat.S_ISCHR(device.stat().st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    thread = read_fifo(fifo, got)
    write_output(fifo, "through the pipe")
    thread.join(10)
    assert got == [b"through the pipe"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path):
    real = tmp_path / "store" / "real.yaml"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.yaml"]


def test_stale_temporary_files_are_swept_but_a_live_writers_are_kept(tmp_path: Path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = tmp_path / f".s.yaml.{gone.stdout.strip()}.x1y2z3.tmp"
    legacy = tmp_path / ".s.yaml.k3j_8a9q.tmp"  # named by an older oncall, without a pid
    live = tmp_path / f".s.yaml.{os.getppid()}.abcdef.tmp"
    other = tmp_path / ".t.yaml.123.abcdef.tmp"
    for path in (dead, legacy, live, other):
        path.write_text("partial", encoding="utf-8")
    write_atomic(tmp_path / "s.yaml", "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [live.name, other.name, "s.yaml"]
    )
    assert sweep_stale_temps(tmp_path, "s.yaml") == []


def test_init_force_onto_a_fifo_is_refused_and_the_fifo_stays(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = oncall("init", str(fifo), "--force", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "FIFO" in result.stderr and stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_writes_through_a_fifo(workdir: Path):
    assert oncall("plan", "--now", NOW, cwd=workdir).returncode == 0
    fifo = workdir / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    thread = read_fifo(fifo, got)
    result = oncall("export", "--format", "csv", "-o", str(fifo), cwd=workdir)
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert got and got[0].startswith(b"date,weekday,start,end")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_swap_through_a_symlinked_schedule_updates_the_target(workdir: Path):
    assert oncall("plan", "--now", NOW, cwd=workdir).returncode == 0
    schedule = workdir / "rotations" / "pairs.schedule.yaml"
    store = workdir / "store"
    store.mkdir()
    real = store / "pairs.schedule.yaml"
    schedule.rename(real)
    schedule.symlink_to(real)
    who = yaml.safe_load(real.read_text(encoding="utf-8"))["shifts"][0]["primary"][0]
    other = "ken" if who == "aiko" else "aiko"
    result = oncall("swap", "--dates", "2027-01-05", "--out", who, "--in", other, "--force",
                    "--now", NOW, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert schedule.is_symlink()
    assert "overrides:" in real.read_text(encoding="utf-8")


def test_a_killed_plan_leaves_no_temporary_file_after_the_next_run(workdir: Path):
    folder = workdir / "rotations"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    # What kill -9 between writing the temporary file and renaming it leaves behind.
    (folder / f".pairs.schedule.yaml.{gone.stdout.strip()}.q9w8e7.tmp").write_text("half")
    assert oncall("plan", "--now", NOW, cwd=workdir).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == ["pairs.schedule.yaml", "pairs.yaml"]
