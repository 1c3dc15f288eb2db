"""`oncall export` end to end: the CLI, real files, the golden bytes (also from a real
`python -m oncall` in the C locale)."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from oncall.cli.app import app
from tests.golden import HERE, ROTATION, SCHEDULE
from tests.helpers.cli import Runner


@pytest.fixture
def run(cli: Runner) -> Runner:
    # a cron-like, non-UTF-8 locale (what it does to the bytes only a real process shows)
    return functools.partial(cli, env={"NO_COLOR": "1", "LC_ALL": "C"}, text=False)


@pytest.fixture
def run_process(cli_process: Runner) -> Runner:
    """A real `python -m oncall` in the C locale: the bytes still come out UTF-8."""
    return functools.partial(cli_process, env={"NO_COLOR": "1", "LC_ALL": "C"}, text=False)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working directory with the golden rotation where `oncall` looks by default."""
    folder = tmp_path / "rotations"
    folder.mkdir()
    shutil.copy(ROTATION, folder / ROTATION.name)
    shutil.copy(SCHEDULE, folder / SCHEDULE.name)
    return tmp_path


def golden(name: str) -> bytes:
    return (HERE / name).read_bytes()


def test_ics_to_stdout_is_the_golden_bytes(run_process: Runner, workdir: Path) -> None:
    result = run_process("export", "--format", "ics", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden("app-daytime.ics")
    assert result.stderr == b""


def test_ics_dash_and_file_give_the_same_bytes_every_time(run: Runner, workdir: Path) -> None:
    dash = run("export", "--format", "ics", "--person", "aiko", "-o", "-", cwd=workdir)
    assert dash.stdout == golden("app-daytime-aiko.ics")
    again = run(
        "export", "rotations/app-daytime.yaml", "--person", "aiko", "-o", "me.ics", cwd=workdir
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == b""  # the format came from the file's extension
    assert (workdir / "me.ics").read_bytes() == dash.stdout


def test_csv_to_file_and_excel_flag(run_process: Runner, workdir: Path) -> None:
    result = run_process("export", "--format", "csv", "-o", "sheet.csv", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / "sheet.csv").read_bytes() == golden("app-daytime.csv")
    excel = run_process("export", "--format", "csv", "--excel", "--person", "ken", cwd=workdir)
    assert excel.stdout == golden("app-daytime-ken-excel.csv")


def test_schedule_option_points_at_another_file(run: Runner, workdir: Path) -> None:
    moved = workdir / "elsewhere.yaml"
    (workdir / "rotations" / SCHEDULE.name).rename(moved)
    result = run(
        "export",
        "rotations/app-daytime.yaml",
        "--format",
        "csv",
        "--schedule",
        str(moved),
        cwd=workdir,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden("app-daytime.csv")


def test_per_person_writes_one_feed_per_member(run: Runner, workdir: Path) -> None:
    feeds = workdir / "feeds"
    feeds.mkdir()
    result = run("export", "--format", "ics", "-o", "feeds", "--per-person", cwd=workdir)
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in feeds.iterdir())
    assert names == [f"app-daytime-{h}.ics" for h in ("aiko", "ken", "mei", "taro")]
    assert (feeds / "app-daytime-aiko.ics").read_bytes() == golden("app-daytime-aiko.ics")
    for path in feeds.iterdir():
        handle = path.stem.removeprefix("app-daytime-")
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert all(
            str(e["UID"]).endswith(f"-{handle}@app-daytime.oncall") for e in cal.walk("VEVENT")
        )
    assert b"wrote " in result.stdout


def test_directory_without_per_person_writes_one_file_per_rotation(
    run: Runner, workdir: Path
) -> None:
    out = workdir / "out"
    out.mkdir()
    result = run("export", "--format", "csv", "-o", "out", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (out / "app-daytime.csv").read_bytes() == golden("app-daytime.csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "ics", "--person", "aikoo"], b"did you mean 'aiko'?"),
        (["--format", "ics", "--person", "Ken"], b"did you mean 'ken'?"),
        (["--format", "pdf"], b"expected ics or csv"),
        ([], b"--format: missing"),
        (["--format", "ics", "--per-person"], b"needs -o DIR"),
        (["--format", "ics", "--excel"], b"--excel applies to --format csv only"),
        (["--format", "ics", "-o", "missing/"], b"expected an existing directory"),
        (["--format", "ics", "-o", "no/such/dir/cal.ics"], b"cannot write the file"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(
    run: Runner,
    workdir: Path, args: list[str], message: bytes
) -> None:
    result = run("export", *args, cwd=workdir)
    assert result.returncode == 2
    assert message in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stdout == b""


def test_unplanned_rotation_says_to_plan_first(run: Runner, workdir: Path) -> None:
    (workdir / "rotations" / SCHEDULE.name).unlink()
    result = run("export", "--format", "ics", cwd=workdir)
    assert result.returncode == 2
    assert b"oncall plan" in result.stderr


def test_failed_write_leaves_the_old_file(run: Runner, workdir: Path) -> None:
    target = workdir / "cal.ics"
    target.write_bytes(b"old")
    result = run("export", "--format", "ics", "--person", "nobody", "-o", "cal.ics", cwd=workdir)
    assert result.returncode == 2
    assert target.read_bytes() == b"old"


def test_csv_refuses_to_mix_two_rotations_in_one_sheet(run: Runner, workdir: Path) -> None:
    text = ROTATION.read_text(encoding="utf-8").replace("rotation: app-daytime", "rotation: night")
    (workdir / "rotations" / "night.yaml").write_text(text, encoding="utf-8")
    schedule = SCHEDULE.read_text(encoding="utf-8").replace("app-daytime", "night")
    (workdir / "rotations" / "night.schedule.yaml").write_text(schedule, encoding="utf-8")
    result = run("export", "--format", "csv", cwd=workdir)
    assert result.returncode == 2
    assert b"one rotation" in result.stderr
    both = run("export", "--format", "ics", cwd=workdir)
    assert both.returncode == 0, both.stderr
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(both.stdout).walk("VEVENT")}
    assert "20270104@app-daytime.oncall" in uids and "20270104@night.oncall" in uids


def test_help_names_the_options() -> None:
    result = CliRunner().invoke(app, ["export", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--person", "--output", "--per-person", "--excel", "--schedule"):
        assert option in result.output


def test_swap_then_reexport_updates_events_in_place(run: Runner, workdir: Path) -> None:
    def events(*args: str) -> dict[str, icalendar.Event]:
        result = run("export", "--format", "ics", *args, cwd=workdir)
        assert result.returncode == 0, result.stderr
        cal = icalendar.Calendar.from_ical(result.stdout)
        return {str(event["UID"]): event for event in cal.walk("VEVENT")}

    team, aiko = events(), events("--person", "aiko")
    swapped = run(
        "swap",
        "--dates",
        "2027-01-07",
        "--out",
        "aiko",
        "--in",
        "ken",
        "--force",
        "--now",
        "2026-12-10T10:00",
        cwd=workdir,
    )
    assert swapped.returncode == 0, swapped.stderr
    team_after, aiko_after, ken_after = (
        events(),
        events("--person", "aiko"),
        events("--person", "ken"),
    )
    assert team_after.keys() == team.keys()
    uid = "20270107@app-daytime.oncall"
    assert team_after[uid]["SEQUENCE"] > team[uid]["SEQUENCE"]
    assert "O'Neil" in str(team_after[uid]["SUMMARY"])
    mine = "20270107-aiko@app-daytime.oncall"
    assert str(aiko[mine]["STATUS"]) == "CONFIRMED"
    assert str(aiko_after[mine]["STATUS"]) == "CANCELLED"
    assert aiko_after[mine]["SEQUENCE"] > aiko[mine]["SEQUENCE"]
    assert str(ken_after["20270107-ken@app-daytime.oncall"]["STATUS"]) == "CONFIRMED"
    # the swap's recorded time, not the wall clock
    assert team_after[uid].decoded("DTSTAMP").date().isoformat() == "2026-12-10"


def _add_member(workdir: Path, line: str) -> None:
    path = workdir / "rotations" / ROTATION.name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("members:\n", f"members:\n  - {line}\n"), encoding="utf-8")


def test_per_person_writes_no_empty_feed_and_says_who_has_no_duty(
    run: Runner, workdir: Path
) -> None:
    _add_member(workdir, "{handle: zoe, name: Zoe, team: search, volunteer: true}")
    for fmt in ("ics", "csv"):
        feeds = workdir / f"feeds-{fmt}"
        feeds.mkdir()
        result = run("export", "--format", fmt, "-o", feeds.name, "--per-person", cwd=workdir)
        assert result.returncode == 0, result.stderr
        names = sorted(path.stem for path in feeds.iterdir())
        assert names == [f"app-daytime-{h}" for h in ("aiko", "ken", "mei", "taro")]
        assert b"no duty in app-daytime for zoe: no file written for them" in result.stdout


def test_raw_csv_writes_values_untouched_and_only_for_csv(run: Runner, workdir: Path) -> None:
    safe = run("export", "--format", "csv", cwd=workdir)
    raw = run("export", "--format", "csv", "--raw", cwd=workdir)
    assert raw.returncode == 0, raw.stderr
    assert b',"\'=HYPERLINK(""http://evil"")",\'+search' in safe.stdout
    assert b',"=HYPERLINK(""http://evil"")",+search' in raw.stdout
    assert raw.stdout.replace(b"'=", b"=").replace(b"'+", b"+") == safe.stdout.replace(
        b"'=", b"="
    ).replace(b"'+", b"+")
    refused = run("export", "--format", "ics", "--raw", cwd=workdir)
    assert refused.returncode != 0 and b"--raw applies to --format csv only" in refused.stderr


def test_export_use_case_renders_every_file_before_writing_one(workdir: Path) -> None:
    """The use case the CLI calls writes the files and says which; a file that cannot be
    rendered stops the export before the first one is written."""
    from oncall.core.calendar import days_off
    from oncall.io.store import FileStore
    from oncall.render.export import file_text
    from oncall.usecases.export import Exported, ExportFile, export_files

    feeds = workdir / "feeds"
    feeds.mkdir()
    rotation = workdir / "rotations" / ROTATION.name
    seen: list[str | None] = []

    def fails_on_the_second(file: ExportFile) -> str:
        seen.append(file.person)
        if len(seen) == 2:
            raise RuntimeError("cannot render")
        return file_text("ics")(file)

    def export(render: Callable[[ExportFile], str]) -> Exported:
        return export_files(
            FileStore([rotation], holiday_tables=days_off), output=str(feeds), fmt="ics",
            person=None, per_person=True, excel=False, term=None, raw=False, render=render,
        )

    with pytest.raises(RuntimeError):
        export(fails_on_the_second)
    assert list(feeds.iterdir()) == []
    done = export(file_text("ics"))
    assert sorted(p.name for p in done.written) == sorted(p.name for p in feeds.iterdir())
    assert done.folder == feeds and done.printed == () and len(done.written) == 4
