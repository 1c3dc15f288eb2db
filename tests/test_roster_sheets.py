"""The roster spreadsheet both ways: Japanese Excel's CP932 and Japanese headers read by
`init --from-csv`, `roster sync` keeping the rotation in step with the sheet, and
`export --format csv --by shift` as the weekly sheet the teams kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.io.loading import load_rotation
from tests.helpers.cli import Runner

TEAMS = ("決済", "検索", "基盤", "モバイル", "007")
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村")
GIVEN = ("愛子", "健", "太郎", "芽衣", "翔", "陽菜", "蓮", "結衣", "大和", "さくら")
JA_HEADER = ("handle", "氏名", "チーム", "メール", "ボランティア", "新人", "不在")
NOW = "2027-01-01T09:00"


def japanese_rows(count: int = 40, *, skip: tuple[int, ...] = ()) -> list[list[str]]:
    """``count`` people in five teams, Japanese names, ○/× and はい/いいえ booleans."""
    rows = []
    for n in range(count):
        if n in skip:
            continue
        rows.append([
            f"dev{n:02d}",
            f"{SURNAMES[n % 8]} {GIVEN[n % 10]}",
            TEAMS[n % 5],
            f"dev{n:02d}@example.com",
            "×" if n in (38, 39) else ("はい" if n % 2 else "○"),
            "いいえ" if n not in (10, 20, 30) else "○",
            "2027-02-10..2027-02-12; fri" if n % 9 == 0 else "",
        ])
    return rows


def write_sheet(
    path: Path, rows: list[list[str]], *, header=JA_HEADER, encoding: str = "cp932"
) -> Path:
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# ---- reading: encodings, Japanese headers, ○/× ------------------------------------------


def test_a_cp932_sheet_with_japanese_headers_imports(tmp_path: Path, cli: Runner):
    write_sheet(tmp_path / "名簿.csv", japanese_rows())
    made = cli("init", "--from-csv", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    rotation = load_rotation(tmp_path / "rotations" / "app-daytime.yaml")
    assert len(rotation.members) == 40
    assert rotation.by_handle["dev01"].name == "鈴木 健"
    assert rotation.by_handle["dev04"].team == "007"
    assert rotation.by_handle["dev00"].volunteer and rotation.by_handle["dev01"].volunteer
    assert not rotation.by_handle["dev38"].volunteer
    assert rotation.by_handle["dev10"].new and not rotation.by_handle["dev11"].new
    assert rotation.by_handle["dev09"].unavailable


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_each_encoding_gives_the_same_rotation(tmp_path: Path, cli: Runner, encoding: str):
    write_sheet(tmp_path / "roster.csv", japanese_rows(), encoding=encoding)
    made = cli("init", "x/team.yaml", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    write_sheet(tmp_path / "ref.csv", japanese_rows(), encoding="utf-8")
    ref = cli("init", "y/team.yaml", "--from-csv", "ref.csv", "--now", NOW, cwd=tmp_path)
    assert ref.returncode == 0
    made_text = (tmp_path / "x/team.yaml").read_text(encoding="utf-8")
    ref_text = (tmp_path / "y/team.yaml").read_text(encoding="utf-8")
    assert made_text.replace("roster.csv", "ref.csv") == ref_text


def test_full_width_headers_and_booleans_read(tmp_path: Path, cli: Runner):
    (tmp_path / "roster.csv").write_text(
        "ＨＡＮＤＬＥ,所属,ボランティア\na,one,ＹＥＳ\nb,two,◯\nc,one,✕\n", encoding="utf-8"
    )
    made = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    rotation = load_rotation(tmp_path / "rotations" / "app-daytime.yaml")
    assert [m.volunteer for m in rotation.members] == [True, True, False]


def test_an_undecodable_sheet_names_the_encodings_tried(tmp_path: Path, cli: Runner):
    (tmp_path / "roster.csv").write_bytes(b"handle,name,team\na,M\xfcller,t\n")  # Latin-1
    result = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    err = result.stderr
    assert "roster.csv:2:4: cannot read this file in the encodings tried" in err
    assert "UTF-8 at line 2, byte 4 (0xfc)" in err and "CP932 (Shift_JIS)" in err
    assert "CSV UTF-8" in err and "--encoding" in err
    assert not (tmp_path / "rotations").exists()
    latin = cli("init", "--from-csv", "roster.csv", "--encoding", "latin-1", "--now", NOW,
                cwd=tmp_path)
    assert latin.returncode == 0, latin.stderr
    assert load_rotation(tmp_path / "rotations" / "app-daytime.yaml").members[0].name == "Müller"


def test_an_ambiguous_sheet_is_refused(tmp_path: Path, cli: Runner):
    # "ﾃｽ氏名" style: half-width katakana in CP932 that is also valid UTF-8, in the header.
    data = "handle,team,ﾃｩ\na,t,x\n".encode("cp932")
    assert data.decode("utf-8") != data.decode("cp932")  # both read, differently
    (tmp_path / "roster.csv").write_bytes(data)
    result = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "roster.csv:1: found a file that reads as UTF-8 and as CP932 (Shift_JIS)" in (
        result.stderr
    )
    assert "--encoding" in result.stderr and not (tmp_path / "rotations").exists()


def test_an_unknown_encoding_name_is_refused(tmp_path: Path, cli: Runner):
    write_sheet(tmp_path / "roster.csv", japanese_rows(4))
    result = cli("init", "--from-csv", "roster.csv", "--encoding", "klingon", "--now", NOW,
                 cwd=tmp_path)
    assert result.returncode == 2
    assert "--encoding: found 'klingon', expected an encoding such as utf-8, cp932" in (
        result.stderr
    )
    wrong = cli("init", "--from-csv", "roster.csv", "--encoding", "utf-8", "--now", NOW,
                cwd=tmp_path)
    assert wrong.returncode == 2 and "in the encoding given: utf-8 at line 1" in wrong.stderr
    assert not (tmp_path / "rotations").exists()


def test_handles_that_differ_in_case_or_width_are_refused_naming_both_rows(
    tmp_path: Path, cli: Runner
):
    (tmp_path / "roster.csv").write_text(
        "handle,team\ndev01,a\nDev02,b\nｄｅｖ０１,a\ndev02,b\n", encoding="utf-8"
    )
    result = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr
    assert ("roster.csv:4:1: row 4, column handle (A): found handle 'ｄｅｖ０１', which "
            "differs from 'dev01' (row 2) only in letter case or width") in err
    assert "roster.csv:5:1: row 5, column handle (A): found handle 'dev02', which differs " \
           "from 'Dev02' (row 3)" in err
    assert not (tmp_path / "rotations").exists()
