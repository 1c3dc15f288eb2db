"""Every rotation-file key and every option, set to hostile values: no command prints a
traceback, every exit code is one the docs promise, and a failed run leaves the files it
found byte-identical. (This is the test that would have found dates past 9999, a
runaway min_gap and an escape sequence in a name.)"""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.core.errors import InputError
from oncall.io.keys import ROTATION_KEYS
from oncall.io.loading import load_rotation
from tests.helpers.cli import run_in_process

BASE = {
    "rotation": "demo",
    "timezone": "Asia/Tokyo",
    "language": "en",
    "description": "Daytime duty",
    "window": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "10:00", "end": "17:00"},
    "holidays": {"closures": ["2027-01-11"]},
    "shift": {"length": "1w", "handoff": "mon", "people": 1},
    "term": {"start": "2027-01-04", "end": "2027-02-12"},
    "rules": {"volunteers_only": False, "distinct_teams": "preferred", "min_gap": 0},
    "onboarding": {"shadow_shifts": 1},
    "fallback": "@sre",
    "escalation": "Escalate after 30 minutes",
    "reminders": {"manual": "https://wiki.example.com/oncall", "checklist": ["Mentions"],
                  "report": ["Hand-off notes"]},
    "members": [
        {"handle": "aiko", "name": "Aiko Sato", "team": "payments", "slack": "U012AB3CD",
         "email": "aiko@example.com", "unavailable": ["2027-01-20"]},
        {"handle": "ken", "name": "Ken Suzuki", "team": "search", "new": True},
        {"handle": "taro", "name": "Taro Tanaka", "team": "mobile"},
    ],
}
NOW = "2026-12-01T09:00"
# Exit codes the docs promise (1: violations or a refused swap, 3: impossible rules,
# 4: a post not delivered, 5: remind after the last planned term ended).
DOCUMENTED = {0, 1, 2, 3, 4, 5}

HOSTILE_TEXT = [
    "", " ", "10:00", "24:00", "25:61", "-1", "0", "1e309", "nan", "inf", "999999999w",
    "999999999mo", "0d", "9999-12-20", "0001-01-01", "0001-01-01..9999-12-31",
    "2027-02-30", "2027-01-29..2027-01-04", "yes", "off", "~", "null", "mon", "xyz",
    "Aiko\nOn call today: mallory", "\x1b]0;title\x07", "a\x00b", "U1>|x <!channel",
    "=HYPERLINK(\"x\")", "\u202eevil", "<@U123>", "a" * 5000, "Europe/Nowhere", "ZZ",
    "../../etc/passwd", "{{ jinja }}", "!!python/object:os.system",
]
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([10**9, 10**18, 2**31, -(2**31) - 1, 2**63, -(2**63), 0, -1, 10**4299]),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not math.isfinite(x) or x),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(st.sampled_from(HOSTILE_TEXT[:12]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "start", "x"]), st.sampled_from(HOSTILE_TEXT[:6]),
                    max_size=2),
    st.text(max_size=20),
)
KEY_PATHS = sorted(key.path for key in ROTATION_KEYS.keys)


def mutated(path: str, value: object) -> dict:
    """BASE with the key at ``path`` (``members[].x`` means the first member's) set."""
    data = copy.deepcopy(BASE)
    target: dict = data
    parts = path.replace("[]", "").split(".")
    for part in parts[:-1]:
        nxt = target.get(part)
        if isinstance(nxt, list):
            nxt = nxt[0]
        elif not isinstance(nxt, dict):
            nxt = {}
            target[part] = nxt
        target = nxt
    target[parts[-1]] = value
    return data


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    """The command in this process, through the one error guard of the `oncall` script:
    anything but a user error escapes it and fails the test with its traceback."""
    ran = run_in_process(*args, cwd=cwd, env={"NO_COLOR": "1"})
    output = ran.stdout + ran.stderr
    assert "Traceback" not in output, output
    assert ran.returncode in DOCUMENTED, (args, ran.returncode, output)
    return ran.returncode, output


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A workspace with a good schedule, whose bytes every failed run must leave alone."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "rotations").mkdir()
    (root / "rotations" / "demo.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    code, output = run(["plan", "--now", NOW], root)
    assert code == 0, output
    return root, (root / "rotations" / "demo.schedule.yaml").read_bytes()


COMMANDS = [
    ["validate"],
    ["plan", "--dry-run", "--now", NOW],
    ["who", "--at", "2027-01-05T11:00"],
    ["remind", "--next", "--now", "2027-01-08T17:00"],
    ["show", "--month", "2027-01"],
    ["export", "--format", "csv"],
    ["export", "--format", "ics"],
]
# One value of each hostile kind, for every key (the random tests below try many more).
SWEEP_VALUES: list[object] = [
    10**18, 2**31, 10**4299, -1, 0, "9999-12-20", "0001-01-01..9999-12-31", "999999999w",
    "999999999mo",
    "Aiko\nOn call today: mallory", "\x1b]0;title\x07", "U1>|x <!channel", "10:00",
    dt.date(9999, 12, 31), ["9999-12-31"], {"a": 1}, None,
]
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def case_folder(root: Path, path: str, value: object, schedule_bytes: bytes) -> Path:
    work = root / f"{path.replace('[]', '')}-{abs(hash(repr(value))) % 10**8}"
    (work / "rotations").mkdir(parents=True, exist_ok=True)
    text = yaml.dump(mutated(path, value), Dumper=DUMPER, allow_unicode=True)
    (work / "rotations" / "demo.yaml").write_text(text, encoding="utf-8")
    (work / "rotations" / "demo.schedule.yaml").write_bytes(schedule_bytes)
    return work


def loads(work: Path) -> bool:
    """Whether the rotation loads; a refusal must name the file and the place in it."""
    rotation = work / "rotations" / "demo.yaml"
    try:
        load_rotation(rotation)
    except InputError as error:
        assert str(error).startswith(f"{rotation}:"), str(error)
        return False
    return True


def check_case(work: Path, schedule_bytes: bytes, commands: list[list[str]]) -> None:
    """Each command on the case: documented exit codes, nothing written by a failure."""
    rotation = work / "rotations" / "demo.yaml"
    rotation_text = rotation.read_text(encoding="utf-8")
    for command in commands:
        code, _ = run(command, work)
        assert rotation.read_text(encoding="utf-8") == rotation_text
        schedule = work / "rotations" / "demo.schedule.yaml"
        if code != 0 or "--dry-run" in command:
            assert schedule.read_bytes() == schedule_bytes, command


# Where a hostile value that loads can still do harm: the planner, the calendar, the
# chat text. (Each command runs on every loaded value in the random test below.)
SWEEP_COMMANDS = [COMMANDS[0], COMMANDS[1], COMMANDS[3], COMMANDS[6]]
# A text key takes most values as text alike: a few of them show what it does.
LOADED_PER_KEY = 3


@pytest.mark.slow
def test_every_key_with_every_hostile_value(planned, tmp_path: Path):
    """The sweep: each key of the rotation file set to each value of a fixed hostile list."""
    _, schedule_bytes = planned
    failures = []
    for path in KEY_PATHS:
        loaded = 0
        for value in SWEEP_VALUES:
            work = case_folder(tmp_path, path, value, schedule_bytes)
            try:
                if loads(work) and loaded < LOADED_PER_KEY:
                    loaded += 1
                    check_case(work, schedule_bytes, SWEEP_COMMANDS)
            except AssertionError as error:
                failures.append(f"{path} = {value!r}: {str(error).splitlines()[0][:200]}")
    assert failures == [], "\n".join(failures)


@pytest.mark.slow
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(KEY_PATHS), value=HOSTILE)
def test_any_key_set_to_anything(planned, tmp_path_factory, path, value):
    _, schedule_bytes = planned
    work = case_folder(tmp_path_factory.mktemp("case"), path, value, schedule_bytes)
    check_case(work, schedule_bytes, COMMANDS if loads(work) else COMMANDS[:1])


OPTION_CASES = [
    (["who", "--at", "{}"], None),
    (["who", "--date", "{}"], None),
    (["show", "--month", "{}"], None),
    (["show", "--person", "{}"], None),
    (["plan", "--start", "{}", "--now", NOW], None),
    (["plan", "--end", "{}", "--now", NOW], None),
    (["plan", "--from", "{}", "--now", NOW], None),
    (["plan", "--seed", "{}", "--now", NOW], None),
    (["remind", "--now", "{}"], None),
    (["remind", "--post", "{}", "--now", "2027-01-05T10:00"], None),
    (["export", "--format", "{}"], None),
    (["export", "--format", "ics", "--person", "{}"], None),
    (["swap", "--dates", "{}", "--out", "aiko", "--in", "ken", "--now", NOW], None),
    (["swap", "--dates", "2027-01-05", "--out", "{}", "--in", "ken", "--now", NOW], None),
    (["swap", "--dates", "2027-01-05", "--out", "aiko", "--in", "ken", "--reason", "{}",
      "--now", NOW], None),
]
OPTION_VALUES = st.one_of(
    st.sampled_from([t for t in HOSTILE_TEXT if "\x00" not in t]),
    st.integers().map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.isoformat()),
    st.text(st.characters(blacklist_characters="\x00"), max_size=30),
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.sampled_from(OPTION_CASES), value=OPTION_VALUES)
def test_any_option_set_to_anything(planned, tmp_path_factory, case, value):
    root, schedule_bytes = planned
    work = tmp_path_factory.mktemp("opt")
    (work / "rotations").mkdir()
    (work / "rotations" / "demo.yaml").write_bytes((root / "rotations" / "demo.yaml")
                                                   .read_bytes())
    schedule = work / "rotations" / "demo.schedule.yaml"
    schedule.write_bytes(schedule_bytes)
    args = [value if part == "{}" else part for part in case[0]]
    code, _ = run(args, work)
    if code != 0:
        assert schedule.read_bytes() == schedule_bytes
