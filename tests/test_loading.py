"""Loading rotation and schedule files: values as written, defaults, the term, round trips."""

from __future__ import annotations

import os
import re
import stat
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.core.errors import InputError
from oncall.core.model import DateRange, DistinctTeams, ShiftUnit, Term, Unavailability
from oncall.core.schedule import Override, Schedule, Shift
from oncall.io.files import read_text, write_atomic
from oncall.io.key_reference import render_docs
from oncall.io.keys import ROTATION_KEYS
from oncall.io.loading import (
    load_rotation,
    load_rotation_and_term,
    load_schedule,
    schedule_path_for,
)
from oncall.io.schedule_text import dump_schedule

ROOT = Path(__file__).resolve().parents[1]
# The contract lies in shared/ beside the checkout (as on developer machines and in CI).
SPEC = Path(__file__).resolve().parents[2] / "shared" / "SPEC.md"

MINIMAL = """\
rotation: demo
timezone: Asia/Tokyo
window: {start: "10:00", end: "17:00"}
shift: {length: 1w}
term: {start: 2027-01-04}
members:
  - {handle: aiko, team: payments}
"""


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def rotation_with(tmp_path: Path, old: str, new: str) -> Path:
    assert old in MINIMAL
    return write(tmp_path, MINIMAL.replace(old, new))


# ---- rotation files ------------------------------------------------------------------


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not here")
def test_spec_example_loads(tmp_path: Path) -> None:
    example = re.findall(r"```yaml\n(.*?)```", SPEC.read_text(encoding="utf-8"), re.S)[0]
    rotation, term = load_rotation_and_term(write(tmp_path, example))
    assert rotation.id == "app-daytime"
    assert rotation.language == "ja"
    assert (rotation.window.start, rotation.window.end) == (600, 1020)
    assert rotation.window.days == frozenset(range(5))
    assert rotation.holidays.country == "JP" and rotation.holidays.subdivision is None
    assert rotation.holidays.closures == (DateRange(date(2026, 12, 29), date(2027, 1, 3)),)
    assert rotation.shift.people == 2 and rotation.shift.unit is ShiftUnit.WEEKS
    # 3 months, lined up with the Monday handoff: 04-05 is the Monday nearest 04-04.
    assert term == Term(date(2027, 1, 4), date(2027, 4, 4))
    assert rotation.rules.distinct_teams is DistinctTeams.REQUIRED
    assert rotation.rules.volunteers_only and rotation.rules.min_gap == 1
    assert rotation.rules.max_shifts is None
    assert rotation.fallback == "@sre-oncall"
    assert len(rotation.reminders.checklist) == 3
    (aiko,) = rotation.members
    assert aiko.unavailable == (
        Unavailability(dates=DateRange(date(2027, 2, 10), date(2027, 2, 14))),
        Unavailability(weekday=0),
    )
    assert aiko.terms is None and aiko.chat_id("slack") == "U012AB3CD"


def test_repository_rotations_load() -> None:
    for path in sorted((ROOT / "rotations").glob("*.yaml")):
        if not path.name.endswith(".schedule.yaml"):
            assert load_rotation(path).members


def test_defaults(tmp_path: Path) -> None:
    rotation, term = load_rotation_and_term(write(tmp_path, MINIMAL))
    assert rotation.language == "en" and rotation.description == ""
    assert rotation.window.days == frozenset(range(5))
    assert rotation.shift.handoff == 0 and rotation.shift.people == 1
    # 3 months, lined up with the Monday handoff: 04-05 is the Monday nearest 04-04.
    assert term == Term(date(2027, 1, 4), date(2027, 4, 4))
    assert not rotation.rules.volunteers_only
    assert rotation.rules.distinct_teams is DistinctTeams.PREFERRED
    assert rotation.rules.min_gap == 0 and rotation.rules.max_shifts is None
    assert rotation.onboarding.shadow_shifts == 2
    assert rotation.fallback is None and rotation.reminders.checklist == ()
    (aiko,) = rotation.members
    assert aiko.name == "aiko" and not aiko.volunteer and not aiko.new
    assert aiko.unavailable == () and aiko.terms is None


@pytest.mark.parametrize(
    ("written", "minutes"),
    [("10:00", 600), ('"10:00"', 600), ("'08:30'", 510), ("9:30", 570), ("00:00", 0)],
)
def test_times_are_read_as_written(tmp_path: Path, written: str, minutes: int) -> None:
    # Unquoted 10:00 is the YAML 1.1 integer 600 (base 60); we read the text instead.
    path = rotation_with(tmp_path, 'start: "10:00"', f"start: {written}")
    assert load_rotation(path).window.start == minutes


def test_end_may_be_24_00_and_before_start(tmp_path: Path) -> None:
    assert load_rotation(rotation_with(tmp_path, 'end: "17:00"', "end: 24:00")).window.end == 1440
    late = load_rotation(rotation_with(tmp_path, 'end: "17:00"', "end: 02:00")).window
    assert late.end == 120 and late.crosses_midnight


@pytest.mark.parametrize("handle", ["007", "yes", "on", "no", "1e3", "0x1F", "2027-01-04"])
def test_text_keys_keep_their_text(tmp_path: Path, handle: str) -> None:
    path = rotation_with(tmp_path, "handle: aiko", f"handle: {handle}, name: {handle}")
    (member,) = load_rotation(path).members
    assert member.handle == handle and member.name == handle


def test_country_no_is_norway(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "holidays: {country: NO}\n")
    assert load_rotation(path).holidays.country == "NO"


def test_null_means_absent(tmp_path: Path) -> None:
    text = MINIMAL + "description: ~\nfallback: null\nrules: {max_shifts: null}\nholidays:\n"
    path = write(tmp_path, text.replace("team: payments}", "team: payments, name: null}"))
    rotation = load_rotation(path)
    assert rotation.description == "" and rotation.fallback is None
    assert rotation.members[0].name == "aiko"


def test_quoted_and_bare_dates(tmp_path: Path) -> None:
    path = rotation_with(tmp_path, "term: {start: 2027-01-04}", 'term: {start: "2027-01-04"}')
    assert load_rotation_and_term(path)[1].start == date(2027, 1, 4)


def test_member_details(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL
        + """\
  - handle: ken.t
    name: 田中 健
    team: search
    volunteer: true
    new: true
    unavailable: [2027-02-01, "2027-03-01..2027-03-03", fri]
    terms: [2027-01-04, 2027-04-05]
""",
    )
    ken = load_rotation(path).members[1]
    assert ken.name == "田中 健" and ken.volunteer and ken.new
    assert ken.unavailable == (
        Unavailability(dates=DateRange.single(date(2027, 2, 1))),
        Unavailability(dates=DateRange(date(2027, 3, 1), date(2027, 3, 3))),
        Unavailability(weekday=4),
    )
    assert ken.terms == (date(2027, 1, 4), date(2027, 4, 5))


@pytest.mark.parametrize(
    ("term", "end"),
    [
        ("{start: 2027-01-04, length: 2w}", date(2027, 1, 17)),
        ("{start: 2027-01-04, length: 10d}", date(2027, 1, 13)),
        # Months end before the Monday nearest the month's end (1w shifts, handoff mon).
        ("{start: 2027-01-31, length: 1mo}", date(2027, 2, 28)),
        ("{start: 2027-01-04, length: 6mo}", date(2027, 7, 4)),
        ("{start: 2027-01-04, length: 4mo}", date(2027, 5, 2)),  # 05-04 Tue: back to Mon
        ("{start: 2027-01-06, length: 13w}", date(2027, 4, 4)),  # from a Wednesday
        ("{start: 2027-01-04, length: 90d}", date(2027, 4, 3)),  # days: as given
        ("{start: 2027-01-04, end: 2027-04-02}", date(2027, 4, 2)),
    ],
)
def test_term_lengths(tmp_path: Path, term: str, end: date) -> None:
    path = rotation_with(tmp_path, "term: {start: 2027-01-04}", f"term: {term}")
    assert load_rotation_and_term(path)[1].end == end


def test_command_line_term_wins(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    assert load_rotation_and_term(path, term_start=date(2027, 4, 5))[1] == Term(
        date(2027, 4, 5), date(2027, 7, 4)
    )
    assert load_rotation_and_term(path, term_end=date(2027, 1, 31))[1].end == date(2027, 1, 31)
    with pytest.raises(InputError, match="--end 2026-01-01 before the term start"):
        load_rotation(path, term_end=date(2026, 1, 1))


def test_term_may_come_from_the_command_line_only(tmp_path: Path) -> None:
    path = rotation_with(tmp_path, "term: {start: 2027-01-04}\n", "")
    assert load_rotation_and_term(path, term_start=date(2027, 1, 4))[1].start == date(2027, 1, 4)
    with pytest.raises(InputError, match=r"expected term\.start in the file or --start") as caught:
        load_rotation(path)
    assert str(caught.value.mark) == f"{path}:1:1"


def test_file_end_before_command_line_start(tmp_path: Path) -> None:
    path = rotation_with(
        tmp_path, "term: {start: 2027-01-04}", "term: {start: 2027-01-04, end: 2027-04-02}"
    )
    with pytest.raises(InputError, match=r"term\.end 2027-04-02 before the term start") as caught:
        load_rotation(path, term_start=date(2027, 4, 5))
    assert caught.value.path == "term.end"


def test_error_carries_key_path(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "  - {handle: ken, team: [a, b]}\n")
    with pytest.raises(InputError) as caught:
        load_rotation(path)
    assert caught.value.path == "members[1].team"
    assert str(caught.value.mark) == f"{path}:8:25"
    assert "found a list, expected text" in caught.value.message


@pytest.mark.parametrize("spelling", ["true", "True", "TRUE"])
def test_true_spellings(tmp_path: Path, spelling: str) -> None:
    path = write(tmp_path, MINIMAL + f"rules: {{volunteers_only: {spelling}}}\n")
    assert load_rotation(path).rules.volunteers_only


@pytest.mark.parametrize("value", ["off", "'true'", "1", "[true]"])
def test_bool_keys_refuse_lookalikes(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, MINIMAL + f"rules: {{volunteers_only: {value}}}\n")
    with pytest.raises(InputError, match="expected true or false"):
        load_rotation(path)


def test_off_is_a_distinct_teams_choice_not_false(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "rules: {distinct_teams: off}\n")
    assert load_rotation(path).rules.distinct_teams is DistinctTeams.OFF


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "rules:\n  <<: {min_gap: 1}\n")
    with pytest.raises(InputError, match="merge key"):
        load_rotation(path)


def test_plain_aliases_are_fine(tmp_path: Path) -> None:
    text = MINIMAL.replace("team: payments}", "team: &t payments}") + "  - {handle: b, team: *t}\n"
    assert load_rotation(write(tmp_path, text)).members[1].team == "payments"


@pytest.mark.slow  # a rotation file near the size limit
def test_large_rotation_is_not_mistaken_for_a_bomb(tmp_path: Path) -> None:
    # 1500 members are over 10,000 values; aliases expanding nothing much are fine.
    members = "".join(
        f"  - {{handle: m{n}, team: &t{n} t{n % 7}, unavailable: [mon, 2027-02-0{n % 9 + 1}]}}\n"
        for n in range(1500)
    )
    path = write(tmp_path, MINIMAL + members + "fallback: *t3\n")
    rotation = load_rotation(path)
    assert len(rotation.members) == 1501 and rotation.fallback == "t3"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_rotation(path).id == "demo"


# ---- schedule files ------------------------------------------------------------------

HANDLES = ("aiko", "yes", "007", "on", "null", "True", "1.5", "2027-01-04", "ken.t", "-x")


def tricky_rotation(tmp_path: Path) -> Path:
    members = "".join(f"  - {{handle: '{h}', team: t{n}}}\n" for n, h in enumerate(HANDLES))
    return write(tmp_path, MINIMAL.split("members:")[0] + "members:\n" + members)


def sample_schedule() -> Schedule:
    jst = timezone(timedelta(hours=9))
    return Schedule(
        rotation="demo",
        planned_at=datetime(2026, 11, 22, 10, 0, tzinfo=jst),
        term=Term(date(2027, 1, 4), date(2027, 4, 2)),
        shifts=(
            Shift(date(2027, 1, 4), date(2027, 1, 8), ("yes", "007"), ("on",)),
            Shift(date(2027, 1, 11), date(2027, 1, 15), ("null", "2027-01-04")),
            Shift(date(2027, 1, 18), date(2027, 1, 22), ("True", "-x")),
        ),
        overrides=(
            Override(DateRange.single(date(2027, 1, 6)), "yes", "aiko", "学校行事: 運動会"),
            Override(
                DateRange(date(2027, 1, 12), date(2027, 1, 13)),
                "null",
                None,
                "yes",
                forced=True,
                recorded_at=datetime(2027, 1, 5, 9, 30, 15, tzinfo=jst),
            ),
            Override(DateRange.single(date(2027, 1, 20)), None, "1.5", "line one; line: two"),
        ),
        days_off={date(2027, 1, 11): "成人の日", date(2027, 2, 11): "建国記念の日"},
        calendar_basis="0123456789abcdef",
    )


def test_schedule_round_trip(tmp_path: Path) -> None:
    rotation = load_rotation(tricky_rotation(tmp_path))
    schedule = sample_schedule()
    text = dump_schedule(schedule)
    path = tmp_path / "demo.schedule.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_schedule(path, rotation)
    assert loaded == schedule
    assert loaded.days_off == schedule.days_off
    assert dump_schedule(loaded) == text


def test_schedule_text_shape() -> None:
    text = dump_schedule(sample_schedule())
    lines = text.splitlines()
    assert lines[0].startswith("# Written by `oncall plan`") and "by hand" in lines[0]
    assert lines[1:4] == [
        "rotation: demo",
        "planned_at: 2026-11-22T10:00:00+09:00",
        "term: {start: 2027-01-04, end: 2027-04-02}",
    ]
    assert "    primary: ['yes', '007']" in lines
    assert "  - start: 2027-01-04" in lines
    assert "    reason: '学校行事: 運動会'" in lines
    keys = [line.split(":")[0] for line in lines if line[:1].isalpha()]
    assert keys == ["rotation", "planned_at", "term", "shifts", "overrides", "calendar"]


def test_minimal_schedule_round_trip(tmp_path: Path) -> None:
    rotation = load_rotation(write(tmp_path, MINIMAL))
    schedule = Schedule("demo", None, Term(date(2027, 1, 4), date(2027, 1, 31)), ())
    path = tmp_path / "demo.schedule.yaml"
    path.write_text(dump_schedule(schedule), encoding="utf-8")
    assert load_schedule(path, rotation) == schedule
    assert "shifts: []" in path.read_text(encoding="utf-8")


def test_hand_written_schedule(tmp_path: Path) -> None:
    rotation = load_rotation(write(tmp_path, MINIMAL))
    path = write(
        tmp_path,
        """\
        rotation: demo
        term: {start: 2027-01-04, end: 2027-04-02}
        shifts:
        - {start: 2027-01-04, end: 2027-01-08, primary: [aiko]}
        overrides:
        - {dates: "2027-01-06", out: aiko}
        """,
        "demo.schedule.yaml",
    )
    schedule = load_schedule(path, rotation)
    assert schedule.planned_at is None and schedule.days_off is None
    assert schedule.overrides == (Override(DateRange.single(date(2027, 1, 6)), "aiko", None),)


# Long text with YAML's own punctuation exercises line folding and quoting choices.
# (Control characters are refused at load, so the text is one printable line.)
_YAMLISH = st.text(alphabet=st.sampled_from(list("ab :#'\"-　 日")), max_size=250)
_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), max_size=30)


@pytest.mark.slow
@settings(
    max_examples=80,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(reason=st.one_of(_LINE, _YAMLISH), name=_LINE.filter(bool))
def test_any_reason_round_trips(tmp_path: Path, reason: str, name: str) -> None:
    rotation = load_rotation(write(tmp_path, MINIMAL))
    schedule = Schedule(
        "demo",
        None,
        Term(date(2027, 1, 4), date(2027, 1, 31)),
        (),
        (Override(DateRange.single(date(2027, 1, 6)), "aiko", None, reason),),
        days_off={date(2027, 1, 11): name},
    )
    path = tmp_path / "demo.schedule.yaml"
    path.write_text(dump_schedule(schedule), encoding="utf-8")
    assert load_schedule(path, rotation) == schedule


def test_schedule_path_for() -> None:
    assert schedule_path_for(Path("rotations/x.yaml")) == Path("rotations/x.schedule.yaml")
    assert schedule_path_for(Path("x.yml")) == Path("x.schedule.yml")


# ---- files ---------------------------------------------------------------------------


def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    write_atomic(path, "first ✓\n")
    assert read_text(path) == "first ✓\n"
    path.chmod(0o640)
    write_atomic(path, "second\n")
    assert path.read_text() == "second\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_write_atomic_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("old\n")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="cannot write the file: No space left"):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_write_atomic_interrupted_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("old\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_write_atomic_into_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_atomic(tmp_path / "nope" / "s.yaml", "x")


# ---- the key table and its docs ------------------------------------------------------


def test_docs_are_generated_from_the_key_table() -> None:
    doc = ROOT / "docs" / "rotation-file.md"
    assert doc.read_text(encoding="utf-8") == render_docs(), (
        "regenerate: python -m oncall.io.key_reference > docs/rotation-file.md"
    )


def test_every_key_is_documented() -> None:
    for key in ROTATION_KEYS.keys:
        assert key.doc.endswith("."), key.path
        assert f"`{key.path}`" in render_docs()
