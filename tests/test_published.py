"""Every change reaches every calendar: the schedule's `published` record, kept by `plan`
and `swap`, raises SEQUENCE on changed events and withdraws removed ones as cancelled.

The export reads only committed files, so two exports of one state are byte-identical.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from oncall.core.published import CANCELLED, changes, parse_stem, update
from oncall.io.loading import load_rotation, load_schedule, schedule_path_for
from tests.helpers.calendars import (
    add_closure,
    confirmed_days,
    events_of,
    expected_duty,
    sequences,
    set_member,
)
from tests.helpers.cli import Runner

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
TERM = (date(2027, 1, 4), date(2027, 1, 29))


# ---- the record, pure -------------------------------------------------------------------


def test_update_bumps_changed_cancels_removed_and_keeps_the_rest() -> None:
    before = update({}, {"20270104": "a", "20270104-aiko": "b", "20270105": "c"}, T0, TERM)
    assert before == {
        "20270104": (0, T0, "a"),
        "20270104-aiko": (0, T0, "b"),
        "20270105": (0, T0, "c"),
    }
    after = update(before, {"20270104": "a2", "20270105": "c", "20270104-ken": "d"}, T1, TERM)
    assert after["20270104"] == (1, T1, "a2")  # changed: one higher, modified now
    assert after["20270104-aiko"] == (1, T1, CANCELLED)  # gone: cancelled, one higher
    assert after["20270105"] == (0, T0, "c")  # untouched: as it was
    assert after["20270104-ken"] == (0, T1, "d")  # new
    # a cancelled event stays cancelled (same SEQUENCE) until it comes back, one higher
    again = update(after, {"20270104": "a2", "20270105": "c", "20270104-ken": "d"}, T1, TERM)
    assert again["20270104-aiko"] == (1, T1, CANCELLED)
    back = update(again, {"20270104-aiko": "b"}, T1, TERM)
    assert back["20270104-aiko"] == (2, T1, "b")
    assert changes(before, after).team and changes(before, after).people == ("aiko", "ken")


def test_a_record_lasts_as_long_as_its_term() -> None:
    record = update({}, {"20270104": "a", "20270201-aiko": "b"}, T0, (date(2027, 1, 4), TERM[1]))
    assert list(update(record, {}, T1, (date(2027, 1, 4), date(2027, 1, 31)))) == ["20270104"]


def test_event_stems_name_the_day_and_the_person() -> None:
    assert parse_stem("20270104") == (date(2027, 1, 4), None)
    assert parse_stem("20270104-ken.ito") == (date(2027, 1, 4), "ken.ito")
    with pytest.raises(ValueError):
        parse_stem("20270104x")


# ---- plan, swap and export from the command line ------------------------------------------


def _export(cli: Runner, root: Path, *extra: str) -> bytes:
    result = cli("export", "--format", "ics", *extra, cwd=root)
    assert result.returncode == 0, result.stderr
    return result.stdout.encode("utf-8")


def _record(root: Path) -> dict[str, tuple[int, datetime, str]]:
    path = root / "rotations" / "app.yaml"
    schedule = load_schedule(schedule_path_for(path), load_rotation(path))
    assert schedule.published is not None
    return dict(schedule.published)


def _planned(cli: Runner, root: Path, now: str = "2026-12-01T10:00") -> str:
    result = cli("plan", "--seed", "1", "--now", now, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_plan_writes_the_record_and_exports_are_byte_identical(cli: Runner, workspace: Path):
    out = _planned(cli, workspace)
    assert "calendars changed: team feed; personal: " in out
    record = _record(workspace)
    assert record and all(entry[1] == datetime.fromisoformat("2026-12-01T10:00+09:00")
                          for entry in record.values())
    first = _export(cli, workspace)
    assert first == _export(cli, workspace)
    text = (workspace / "rotations" / "app.schedule.yaml").read_text(encoding="utf-8")
    # one line per event, in UID order, readable in a diff
    assert re.search(r"\npublished:\n  '20270104': [01] 2026-12-01T10:00:00\+09:00 [0-9a-f]{10}\n"
                     r"  20270104-[a-z]+: ", text)
    # planning again with nothing changed changes no calendar and no byte
    assert "calendars: no event changed" in _planned(cli, workspace, "2026-12-01T11:00")
    assert _export(cli, workspace) == first


def test_swap_bumps_exactly_the_events_it_changed(cli: Runner, workspace: Path):
    _planned(cli, workspace)
    before = sequences(_export(cli, workspace))
    aiko_before = sequences(_export(cli, workspace, "--person", "aiko"))
    duty = expected_duty(workspace / "rotations" / "app.yaml")
    day = sorted(duty["aiko"])[0]
    cover = next(h for h in ("raj", "li", "taro", "ken") if day not in duty[h])
    swap = cli("swap", "--dates", day.isoformat(), "--out", "aiko", "--in", cover, "--force",
               "--now", "2026-12-05T09:00", cwd=workspace)
    assert swap.returncode == 0, swap.stderr
    assert "calendars changed: team feed; personal: aiko, " in swap.stdout
    assert cover in swap.stdout.splitlines()[-1]
    after = sequences(_export(cli, workspace))
    stem = day.strftime("%Y%m%d")
    changed = {uid for uid in after if before.get(uid) != after[uid]}
    assert all(uid.startswith(stem) for uid in changed)
    assert after[f"{stem}@app.oncall"][0] == before[f"{stem}@app.oncall"][0] + 1
    aiko = sequences(_export(cli, workspace, "--person", "aiko"))
    uid = f"{stem}-aiko@app.oncall"
    assert aiko[uid] == (aiko_before[uid][0] + 1, "CANCELLED")
    taker = events_of([_export(cli, workspace, "--person", cover)])
    (gained,) = [e for e in taker if str(e["UID"]) == f"{stem}-{cover}@app.oncall"]
    assert gained.decoded("LAST-MODIFIED") == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("change", ["unavailable", "closure", "left"])
def test_a_replan_reaches_every_personal_feed(cli: Runner, workspace: Path, change: str):
    """Someone away for a week, a new closure, a leaver: each person's feed shows exactly
    their new duty, and each day they lost is withdrawn (cancelled, same UID)."""
    path = workspace / "rotations" / "app.yaml"
    _planned(cli, workspace)
    old = expected_duty(path)
    if change == "unavailable":
        set_member(path, "aiko", "unavailable: [2027-01-18..2027-01-22]")
    elif change == "left":
        set_member(path, "aiko", "left: 2027-01-18")
    else:
        add_closure(path, "2027-01-20")
    out = _planned(cli, workspace, "2026-12-10T10:00")
    new = expected_duty(path)
    assert new != old
    assert "calendars changed: team feed" in out
    for handle, days in new.items():
        feed = _export(cli, workspace, "--person", handle)
        events = events_of([feed])
        assert confirmed_days(events) == sorted(days), handle
        withdrawn = [e for e in events if str(e["STATUS"]) == CANCELLED.upper()]
        cancelled = {e.decoded("DTSTART").date() for e in withdrawn}
        assert old[handle] - days <= cancelled, handle
        assert handle in out.split("calendars changed:")[1].splitlines()[0] or old[handle] == days
    team = events_of([_export(cli, workspace)])
    if change == "closure":
        (gone,) = [e for e in team if e.decoded("DTSTART").date() == date(2027, 1, 20)]
        assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 1


def test_an_old_schedule_without_a_record_still_exports_and_swaps(cli: Runner, workspace: Path):
    """Files written before the record: nothing recorded yet; the history is replayed."""
    text = (workspace / "rotations" / "app.schedule.yaml").read_text(encoding="utf-8")
    assert "published" not in text
    first = sequences(_export(cli, workspace))
    assert {status for _, status in first.values()} == {"CONFIRMED"}
    assert {sequence for sequence, _ in first.values()} == {0}
    swap = cli("swap", "--dates", "2027-01-05", "--out", "aiko", "--in", "raj",
               "--now", "2026-12-05T09:00", cwd=workspace)
    assert swap.returncode == 0, swap.stderr
    after = sequences(_export(cli, workspace))
    assert after["20270105@app.oncall"] == (1, "CONFIRMED")
    assert after["20270104@app.oncall"] == (0, "CONFIRMED")


def test_a_hand_edit_after_the_record_still_raises_sequence(cli: Runner, workspace: Path):
    """An override typed into the file by hand, no `swap`: the export still raises the
    changed events, deterministically (as of the schedule's last recorded moment)."""
    _planned(cli, workspace)
    before = sequences(_export(cli, workspace))
    path = workspace / "rotations" / "app.schedule.yaml"
    text = path.read_text(encoding="utf-8")
    duty = expected_duty(workspace / "rotations" / "app.yaml")
    day = sorted(duty["aiko"])[0]
    cover = next(h for h in ("raj", "li", "taro", "ken") if day not in duty[h])
    edited = text.replace(
        "overrides: []", f"overrides:\n  - {{dates: {day.isoformat()}, out: aiko, in: {cover}}}"
    )
    path.write_text(edited, encoding="utf-8")
    after = _export(cli, workspace)
    assert after == _export(cli, workspace)
    uid = f"{day.strftime('%Y%m%d')}@app.oncall"
    assert sequences(after)[uid][0] == before[uid][0] + 1


def test_a_broken_record_is_an_error_at_its_line(cli: Runner, workspace: Path):
    _planned(cli, workspace)
    path = workspace / "rotations" / "app.schedule.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" 2026-12-01T10:00:00+09:00 ", " yesterday ", 1), encoding="utf-8")
    result = cli("export", "--format", "ics", cwd=workspace)
    assert result.returncode != 0
    assert "app.schedule.yaml:" in result.stderr and "yesterday" in result.stderr


def test_who_reads_no_record_and_errors_keep_their_lines(cli: Runner, workspace: Path):
    """`who` and `remind` (the cron path) skip the record without parsing it; commands
    that read it still point at the right line."""
    _planned(cli, workspace)
    path = workspace / "rotations" / "app.schedule.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" 2026-12-01T10:00:00+09:00 ", " yesterday ", 1), encoding="utf-8")
    assert cli("who", "--at", "2027-01-05T11:00", cwd=workspace).returncode == 0
    rotation = load_rotation(workspace / "rotations" / "app.yaml")
    assert load_schedule(path, rotation, record=False).published is None
    line = next(n for n, ln in enumerate(path.read_text().splitlines(), 1) if "yesterday" in ln)
    result = cli("export", "--format", "ics", cwd=workspace)
    assert f"app.schedule.yaml:{line}:" in result.stderr
