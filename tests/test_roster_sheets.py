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


# ---- roster sync ------------------------------------------------------------------------


def _rotation(tmp_path: Path) -> Path:
    return tmp_path / "rotations" / "app-daytime.yaml"


def _init(tmp_path: Path, cli: Runner, rows: list[list[str]]) -> Path:
    write_sheet(tmp_path / "名簿.csv", rows)
    made = cli("init", "--from-csv", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return _rotation(tmp_path)


def test_the_forty_person_cp932_sheet_round_trips_through_init_and_sync(
    tmp_path: Path, cli: Runner
):
    path = _init(tmp_path, cli, japanese_rows())
    before = path.read_bytes()
    same = cli("roster", "sync", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert "already matches 名簿.csv: nothing to change" in same.stdout
    assert path.read_bytes() == before
    # dev05 leaves, dev40 joins: exactly those two change.
    rows = japanese_rows(41, skip=(5,))
    write_sheet(tmp_path / "名簿.csv", rows)
    synced = cli("roster", "sync", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr
    out = synced.stdout
    assert "changed rotations/app-daytime.yaml: 1 added: dev40; 1 left: dev05" in out
    removed = [line for line in out.splitlines() if line.startswith("-") and
               not line.startswith("---")]
    added = [line for line in out.splitlines() if line.startswith("+") and
             not line.startswith("+++")]
    assert len(removed) == 1 and "handle: dev05" in removed[0]
    assert len(added) == 2 and "handle: dev05" in added[0] and "left: 2027-01-01}" in added[0]
    assert added[1].startswith("+  - {handle: dev40, name: 佐藤 愛子, team: 決済,")
    rotation = load_rotation(path)
    assert len(rotation.members) == 41 and str(rotation.by_handle["dev05"].left) == "2027-01-01"
    old, new = before.decode().splitlines(), path.read_text(encoding="utf-8").splitlines()
    assert [line for line in new if line not in old] == [a[1:] for a in added]
    again = cli("roster", "sync", "名簿.csv", "--now", "2027-01-09T09:00", cwd=tmp_path)
    assert again.returncode == 0 and "nothing to change" in again.stdout  # left stays
    assert cli("plan", "--seed", "1", "--now", NOW, cwd=tmp_path).returncode == 0


def test_sync_changes_cells_in_place_and_keeps_comments(tmp_path: Path, cli: Runner):
    import shutil

    shutil.copytree(Path(__file__).parents[1] / "rotations", tmp_path / "rotations")
    path = _rotation(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("    new: true\n", "    new: true  # first term\n", 1)
    path.write_text(text, encoding="utf-8")
    rotation = load_rotation(path)
    header = ("handle", "氏名", "チーム", "不在", "新人")
    # The sheet now: mei (a block member) moves team, li (a block list) has no leave
    # left, raj (a flow member) is new, aiko is gone; everyone else as in the file.
    sheet = []
    for m in rotation.members:
        if m.handle == "aiko":
            continue
        leave = {"daiki": "2027-03-15..2027-03-19; 2027-01-25..2027-01-29"}.get(m.handle, "")
        team = "基盤" if m.handle == "mei" else m.team
        new = "はい" if m.new or m.handle == "raj" else "いいえ"
        sheet.append([m.handle, m.name, team, leave, new])
    write_sheet(tmp_path / "roster.csv", sheet, header=header, encoding="utf-8-sig")
    dry = cli("roster", "sync", "roster.csv", "--dry-run", "--now", NOW, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert path.read_text(encoding="utf-8") == text
    assert "dry run: nothing was written" in dry.stdout
    assert "would change rotations/app-daytime.yaml: 3 changed: mei (team), raj (new), " \
           "li (unavailable); 1 left: aiko\n" in dry.stdout
    synced = cli("roster", "sync", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr
    diff = dry.stdout[: dry.stdout.index("would change")]
    assert synced.stdout.startswith(diff) and diff.startswith("--- rotations/app-daytime.yaml")
    after = path.read_text(encoding="utf-8")
    assert "    team: 基盤\n    slack: U012AB3D1\n" in after
    assert "    new: true  # first term\n" in after  # mei's comment stays
    assert "{handle: raj, name: Raj Patel, team: platform, slack: U012AB3D2, volunteer: " \
           "true, new: true}" in after
    assert "  - {handle: aiko, name: 佐藤 愛子, team: payments, slack: U012AB3CD, volunteer: " \
           "true, left: 2027-01-01}" in after
    assert "    slack: U012AB3D3\n    volunteer: true\n  - {handle: hana" in after  # cut
    # Outside the members, not a byte moved.
    assert text[: text.index("\nmembers:")] == after[: after.index("\nmembers:")]
    rotation = load_rotation(path)
    assert rotation.by_handle["mei"].team == "基盤" and not rotation.by_handle["li"].unavailable
    again = cli("roster", "sync", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert "nothing to change" in again.stdout and path.read_text(encoding="utf-8") == after


def test_sync_refuses_a_handle_that_differs_from_the_rotations_only_in_case(
    tmp_path: Path, cli: Runner
):
    path = _init(tmp_path, cli, japanese_rows(6))
    before = path.read_bytes()
    rows = japanese_rows(6)
    rows[2][0] = "DEV02"  # (ｄｅｖ０２ is not a handle: a bad cell)
    write_sheet(tmp_path / "名簿.csv", rows)
    refused = cli("roster", "sync", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "名簿.csv:4:1: found handle 'DEV02' on row 4, which differs from the " \
           "rotation's 'dev02' (rotations/app-daytime.yaml:" in refused.stderr
    assert path.read_bytes() == before


def test_a_sheet_that_makes_a_rotation_that_does_not_load_writes_nothing(
    tmp_path: Path, cli: Runner
):
    path = _init(tmp_path, cli, japanese_rows(6))
    before = path.read_bytes()
    rows = [[*row, "2027-03-01", "2027-02-01"] for row in japanese_rows(6)]
    write_sheet(tmp_path / "名簿.csv", rows, header=(*JA_HEADER, "参加日", "離任日"))
    refused = cli("roster", "sync", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("oncall: rotations/app-daytime.yaml: the rotation as "
                                     "名簿.csv makes it would not load (")
    assert "found left 2027-02-01 before joined 2027-03-01" in refused.stderr
    assert "nothing was written" in refused.stderr and refused.stdout == ""
    assert path.read_bytes() == before


def test_the_last_member_leaving_and_a_new_one_keep_their_order(tmp_path: Path, cli: Runner):
    """daiki, a block member, is last: his `left` goes under his keys, the new member after."""
    import shutil

    shutil.copytree(Path(__file__).parents[1] / "rotations", tmp_path / "rotations")
    path = _rotation(tmp_path)
    members = [m for m in load_rotation(path).members if m.handle != "daiki"]
    rows = [[m.handle, m.team] for m in members] + [["new1", "mobile"]]
    write_sheet(tmp_path / "r.csv", rows, header=("handle", "team"), encoding="utf-8")
    synced = cli("roster", "sync", "r.csv", "--now", NOW, cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr
    assert path.read_text(encoding="utf-8").endswith(
        "      - 2027-01-25..2027-01-29\n    left: 2027-01-01\n  - {handle: new1, team: mobile}\n"
    )


# ---- export --format csv --by shift -----------------------------------------------------

SICK = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:sick@t\r\n"
    "DTSTAMP:20270101T000000Z\r\nDTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{next}\r\n"
    "SUMMARY:off\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _weekly_sheet(tmp_path: Path, cli: Runner) -> list[dict[str, str]]:
    """A Japanese rotation, one primary a week, a handle 007 and a team 1e3, planned, with
    a swap and a one-day cover recorded, exported by shift and read back."""
    import csv
    import io

    import yaml

    rows = [[f"dev{n:02d}", f"名{n}", ("1e3", "決済", "検索")[n % 3], "○"] for n in range(8)]
    rows.append(["007", "Bond", "1e3", "○"])
    _ = write_sheet(tmp_path / "r.csv", rows, header=("handle", "氏名", "チーム", "ボランティア"))
    assert cli("init", "--from-csv", "r.csv", "--now", NOW, cwd=tmp_path).returncode == 0
    path = _rotation(tmp_path)
    text = path.read_text(encoding="utf-8").replace("language: en ", "language: ja ", 1)
    text = text.replace("  people: 2 ", "  people: 1 ", 1).replace(
        "  handoff: mon", "  cover: day\n  handoff: mon", 1)
    path.write_text(text, encoding="utf-8")
    assert cli("plan", "--seed", "1", "--now", NOW, cwd=tmp_path).returncode == 0
    shifts = yaml.safe_load(path.with_name("app-daytime.schedule.yaml").read_text())["shifts"]
    first, second = shifts[0]["primary"][0], shifts[1]["primary"][0]
    other = next(h for h in ("dev00", "dev01", "dev02") if h not in (first, second))
    swapped = cli("swap", "--dates", "2027-01-05..2027-01-06", "--out", first, "--in", other,
                  "--now", NOW, cwd=tmp_path)
    assert swapped.returncode == 0, swapped.stderr
    (tmp_path / "off.ics").write_text(SICK.format(day="20270113", next="20270114"))
    leave = cli("leave", "import", "off.ics", "--member", second, "--now", NOW, cwd=tmp_path)
    assert leave.returncode == 0, leave.stderr
    exported = cli("export", "--format", "csv", "--by", "shift", "-o", "week.csv", "--now", NOW,
                   cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    data = (tmp_path / "week.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(data, newline="")))


def test_the_weekly_sheet_has_a_row_per_shift_with_markers_in_the_rotations_language(
    tmp_path: Path, cli: Runner
):
    table = _weekly_sheet(tmp_path, cli)
    rotation = load_rotation(_rotation(tmp_path))
    assert [r["start"] for r in table[:2]] == ["2027-01-04", "2027-01-11"]
    assert len(table) == len({r["start"] for r in table}) > 8  # one row per shift
    week1, week2 = table[0], table[1]
    assert week1["weekdays"] == "月-金"
    assert week2["weekdays"] == "火-金"  # 2027-01-11 is 成人の日
    assert week1["changes"].startswith("交代 1月5日(火)..1月6日(水): ")
    first = rotation.by_handle[week1["primary_handles"].lstrip("'")]
    assert week1["primary"] == first.name and week1["primary_teams"].lstrip("'") == first.team
    assert week2["changes"].startswith(f"代理 1月13日(水): {week2['primary']} → ")


def test_number_like_handles_and_teams_stay_text(tmp_path: Path, cli: Runner):
    table = _weekly_sheet(tmp_path, cli)
    bond = [r for r in table if r["primary"] == "Bond"]
    assert bond, table
    assert {r["primary_handles"] for r in bond} == {"'007"}
    assert {r["primary_teams"] for r in bond} == {"'1e3"}
    assert all(r["start"][:4] == "2027" for r in table)  # dates stay dates


@pytest.mark.parametrize(
    ("cell", "written"),
    [("007", "'007"), ("1e3", "'1e3"), ("1,5", "'1,5"), ("３", "'３"), ("1/2", "'1/2"),
     ("10:00", "'10:00"), ("TRUE", "'TRUE"), ("=1+1", "'=1+1"), ("-5", "'-5"),
     ("dev01", "dev01"), ("決済", "決済"), ("a1", "a1"), ("1e3; 検索", "1e3; 検索")],
)
def test_textual_marks_exactly_what_a_spreadsheet_would_convert(cell: str, written: str):
    from oncall.render.spreadsheet import textual

    assert textual(cell) == written


def test_by_shift_is_for_csv_only(tmp_path: Path, cli: Runner):
    import shutil

    shutil.copytree(Path(__file__).parents[1] / "rotations", tmp_path / "rotations")
    assert cli("plan", "--now", NOW, cwd=tmp_path).returncode == 0
    ics = cli("export", "--format", "ics", "--by", "shift", "--now", NOW, cwd=tmp_path)
    assert ics.returncode == 2 and "--by applies to --format csv only" in ics.stderr
    bad = cli("export", "--format", "csv", "--by", "week", "--now", NOW, cwd=tmp_path)
    assert bad.returncode == 2 and "--by: found 'week', expected day or shift" in bad.stderr
    ja = cli("export", "--format", "csv", "--by", "shift", "--now", NOW, cwd=tmp_path)
    assert ja.returncode == 0 and "\n2027-01-04,2027-01-10,月-金," in ja.stdout
    path = _rotation(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nlanguage: ja", "\nlanguage: en", 1), encoding="utf-8")
    en = cli("export", "--format", "csv", "--by", "shift", "--now", NOW, cwd=tmp_path)
    assert en.returncode == 0 and "\n2027-01-04,2027-01-10,Mon-Fri," in en.stdout


def test_sync_keeps_a_bom_and_crlf_rotation_file_as_it_is(tmp_path: Path, cli: Runner):
    path = _init(tmp_path, cli, japanese_rows(6))
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    write_sheet(tmp_path / "名簿.csv", japanese_rows(7, skip=(0,)), encoding="euc-jp")
    refused = cli("roster", "sync", "名簿.csv", "--now", NOW, cwd=tmp_path)
    assert refused.returncode == 2 and "cannot read this file" in refused.stderr
    synced = cli("roster", "sync", "名簿.csv", "--encoding", "euc-jp", "--now", NOW,
                 cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    after = data.decode("utf-8-sig").replace("\r\n", "\n")
    assert "  - {handle: dev06, name: 山本 蓮" in after and "dev00@example.com, " in after
    assert [line for line in after.splitlines() if line not in text.splitlines()] == [
        line for line in after.splitlines() if "dev06" in line or "left: 2027-01-01" in line
    ]


def test_the_day_sheet_keeps_number_like_handles_and_teams_as_text(tmp_path: Path, cli: Runner):
    import csv
    import io

    rows = [[f"dev{n:02d}", f"名{n}", ("1e3", "決済", "検索")[n % 3], "○"] for n in range(8)]
    rows.append(["007", "Bond", "1e3", "○"])
    write_sheet(tmp_path / "r.csv", rows, header=("handle", "氏名", "チーム", "ボランティア"))
    assert cli("init", "--from-csv", "r.csv", "--now", NOW, cwd=tmp_path).returncode == 0
    assert cli("plan", "--seed", "1", "--now", NOW, cwd=tmp_path).returncode == 0
    exported = cli("export", "--format", "csv", "--now", NOW, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    table = list(csv.DictReader(io.StringIO(exported.stdout)))
    bond = [r for r in table if r["name"] == "Bond"]
    assert bond and {(r["handle"], r["team"]) for r in bond} == {("'007", "'1e3")}
    assert {r["start"] for r in table} == {"10:00"}  # times stay times


def test_a_utf8_sheet_that_is_also_valid_cp932_is_decided_by_its_header(
    tmp_path: Path, cli: Runner
):
    data = "handle,team,氏名\na,t,x\n".encode()
    assert data.decode("cp932") != data.decode("utf-8")  # 氏名 reads as 豌丞錐 in CP932
    (tmp_path / "roster.csv").write_bytes(data)
    made = cli("init", "--from-csv", "roster.csv", "--now", NOW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert load_rotation(_rotation(tmp_path)).members[0].name == "x"
