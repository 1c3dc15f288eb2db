"""`oncall init --from-csv`: a roster spreadsheet becomes the members of a starter that
loads and plans; every bad cell is reported with its row, column and what was expected,
and nothing is written; Excel's BOM, `;` separators and Japanese names read as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.io.loading import load_rotation
from tests.helpers.cli import Runner

TEAMS = ("payments", "search", "platform", "mobile", "data")
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村")
GIVEN = ("愛子", "健", "太郎", "芽衣", "翔", "陽菜", "蓮", "結衣", "大和", "さくら")
HEADER = "handle,name,team,email,slack,volunteer,new,unavailable,discord"
NOW = "2027-01-01T09:00"


def forty(tmp_path: Path, *, bom: bool = True) -> Path:
    """40 people in five teams: Japanese names, one of them with a comma, three newcomers,
    a few days and weekdays off, two who did not volunteer."""
    rows = [HEADER]
    for n in range(40):
        name = f"{SURNAMES[n % 8]} {GIVEN[n % 10]}"
        if n == 7:
            name = "Tanaka, Ken (田中)"
        rows.append(
            ",".join(
                [
                    f"dev{n:02d}",
                    f'"{name}"' if "," in name else name,
                    TEAMS[n % 5],
                    f"dev{n:02d}@example.com",
                    f"U0DEV{n:02d}",
                    "no" if n in (38, 39) else "TRUE",
                    "x" if n in (10, 20, 30) else "",
                    "2027-02-10..2027-02-12; fri" if n % 9 == 0 else "",
                    f"1{n:017d}" if n % 2 else "",
                ]
            )
        )
    path = tmp_path / "roster.csv"
    text = "\r\n".join(rows) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_a_forty_person_roster_imports_and_plans(tmp_path: Path, cli: Runner):
    forty(tmp_path)
    made = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "rotations" / "app-daytime.yaml"
    rotation = load_rotation(path)
    assert len(rotation.members) == 40
    assert rotation.by_handle["dev01"].name == "鈴木 健"
    assert rotation.by_handle["dev07"].name == "Tanaka, Ken (田中)"
    assert rotation.by_handle["dev01"].chat_id("discord") == "1" + "0" * 16 + "1"
    assert rotation.by_handle["dev10"].new and not rotation.by_handle["dev38"].volunteer
    assert [str(e) for e in rotation.by_handle["dev09"].unavailable] == [
        "2027-02-10..2027-02-12", "every Friday",
    ]
    assert rotation.rules.volunteers_only  # someone volunteered: the starter's rule stays
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# An oncall rotation")  # the starter's comments are kept
    assert "# 40 members from roster.csv" in text
    planned = cli("plan", "--seed", "1", "--now", NOW, cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_no_volunteer_column_means_everyone_serves(tmp_path: Path, cli: Runner):
    (tmp_path / "roster.csv").write_text(
        "Handle;Team\nA1;one\nb2;two\nc3;one\nd4;two\n", encoding="utf-8"
    )
    made = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    rotation = load_rotation(tmp_path / "rotations" / "app-daytime.yaml")
    assert not rotation.rules.volunteers_only
    assert cli("plan", "--seed", "1", "--now", NOW, cwd=tmp_path).returncode == 0


def test_a_misspelt_header_suggests_the_column(tmp_path: Path, cli: Runner):
    (tmp_path / "roster.csv").write_text("handle,nmae,team\na,A,t\n", encoding="utf-8")
    result = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2
    assert "roster.csv:1:2: found column 'nmae'" in result.stderr
    assert "did you mean 'name'?" in result.stderr
    assert not (tmp_path / "rotations").exists()


def test_every_bad_cell_is_listed_with_row_and_column(tmp_path: Path, cli: Runner):
    (tmp_path / "roster.csv").write_text(
        "handle,name,team,slack,volunteer,unavailable\n"
        "aiko,Aiko,pay,U1x,yes,\n"
        "ken,Ken,,,maybe,\n"
        "taro,Taro,search,,no,2027-13-01\n"
        "aiko,Again,pay,,,\n"
        "mei Ito,Mei,pay,,,\n",
        encoding="utf-8",
    )
    result = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr
    assert "found 6 bad cells, nothing was written" in err
    assert "roster.csv:2:4: row 2, column slack (D): found 'U1x', expected a Slack member id" in err
    assert "roster.csv:3:3: row 3, column team (C): found nothing, expected a team" in err
    assert "roster.csv:3:5: row 3, column volunteer (E): found 'maybe'" in err
    assert "roster.csv:4:6: row 4, column unavailable (F): found '2027-13-01'" in err
    assert "roster.csv:5:1: row 5, column handle (A): found handle 'aiko' again" in err
    assert "(first on row 2)" in err
    assert "roster.csv:6:1: row 6, column handle (A): found 'mei Ito', expected a handle" in err
    assert not (tmp_path / "rotations").exists()


def test_an_existing_file_is_never_overwritten_without_force(tmp_path: Path, cli: Runner):
    forty(tmp_path)
    target = tmp_path / "rotations" / "app-daytime.yaml"
    target.parent.mkdir()
    target.write_text("# mine\n", encoding="utf-8")
    refused = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"
    forced = cli("init", "--from-csv", "roster.csv", "--force", "--now", NOW, cwd=tmp_path)
    assert forced.returncode == 0 and len(load_rotation(target).members) == 40


@pytest.mark.parametrize("bom", [True, False])
def test_the_same_sheet_gives_the_same_bytes(tmp_path: Path, cli: Runner, bom: bool):
    forty(tmp_path, bom=bom)
    outputs = []
    for name in ("a/team.yaml", "b/team.yaml"):  # one id per folder: the file names it
        made = cli("init", name, "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
        assert made.returncode == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_japanese_excels_plain_csv_reads_as_cp932(tmp_path: Path, cli: Runner):
    """It was refused as "not UTF-8"; Japanese Excel's "CSV" is CP932 (Shift_JIS).
    Undecodable and ambiguous files: tests/test_roster_sheets.py."""
    (tmp_path / "roster.csv").write_bytes("handle,name,team\na,佐藤,t\n".encode("cp932"))
    result = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load_rotation(tmp_path / "rotations" / "app-daytime.yaml").members[0].name == "佐藤"


# ---- the rotation id: from the file name or --id, and one per folder ---------------------


def _bundled(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(Path(__file__).parents[1] / "rotations", tmp_path / "rotations")
    return tmp_path / "rotations"


def test_the_id_comes_from_the_file_name_and_both_rotations_plan(tmp_path: Path, cli: Runner):
    """It was `rotation: app-daytime` whatever the file, and plan then died with a
    KeyError traceback beside the bundled app-daytime.yaml."""
    folder = _bundled(tmp_path)
    forty(tmp_path)
    made = cli("init", "rotations/morning-watch.yaml", "--from-csv", "roster.csv", "--now", NOW,
               cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert load_rotation(folder / "morning-watch.yaml").id == "morning-watch"
    planned = cli("plan", "--now", NOW, cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    assert "Traceback" not in planned.stderr
    assert "\nrotation: morning-watch\n" in (folder / "morning-watch.schedule.yaml").read_text()


def test_id_option_and_an_id_the_folder_already_has(tmp_path: Path, cli: Runner):
    folder = _bundled(tmp_path)
    forty(tmp_path)
    made = cli("init", "rotations/team.yaml", "--id", "night-desk", "--from-csv", "roster.csv",
               "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert load_rotation(folder / "team.yaml").id == "night-desk"
    for args in (("rotations/other.yaml", "--id", "app-daytime"), ("rotations/x.yaml", "--id",
                                                                      "night-desk")):
        taken = cli("init", *args, "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
        assert taken.returncode == 2
        assert f"the rotation id {args[2]!r} is already the id" in taken.stderr
        assert not (tmp_path / args[0]).exists()
    bad = cli("init", "rotations/Team_B.yaml", "--now", NOW, cwd=tmp_path)
    assert bad.returncode == 2 and "--id team-b" in bad.stderr
    assert not (folder / "Team_B.yaml").exists()


@pytest.mark.parametrize(
    "command",
    [
        ("plan",),
        ("validate",),
        ("who",),
        ("remind",),
        ("show",),
        ("export", "--format", "csv"),
        ("report",),
        ("swap", "rotations/app-daytime.yaml", "--dates", "2027-01-05", "--out", "ken",
         "--in", "aiko"),
        ("who", "rotations/app-daytime.yaml"),
    ],
)
def test_every_command_refuses_two_rotation_files_with_one_id(
    tmp_path: Path, cli: Runner, command
):
    folder = _bundled(tmp_path)
    assert cli("plan", "--now", NOW, cwd=tmp_path).returncode == 0
    text = (folder / "app-daytime.yaml").read_text(encoding="utf-8")
    (folder / "copy.yaml").write_text("# a copy\n" + text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    ran = cli(*command, "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, (ran.stdout, ran.stderr)
    assert "Traceback" not in ran.stderr
    assert ran.stderr.startswith(
        "oncall: rotations/copy.yaml:5:11: found rotation id 'app-daytime' again (first in "
        "rotations/app-daytime.yaml:4:11)"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
