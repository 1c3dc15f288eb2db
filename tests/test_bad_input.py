"""Every class of bad input names the file, line and column and says what was expected.

One small file per class lives in tests/bad/; the schedule cases (``*.schedule.yaml``) are
read against tests/bad/_rotation.yaml, which is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from oncall.core.errors import EXIT_BAD_INPUT, InputError
from oncall.io import yamlsafe
from oncall.io.files import read_text
from oncall.io.loading import load_rotation, load_schedule

BAD = Path(__file__).parent / "bad"

# (file, ":line:col" after the file name, fragment of the message, fragment of the hint)
CASES = [
    ("alias-bomb.yaml", ":6:4", "more than 10000 values once aliases are expanded", "aliases"),
    ("backwards-range.yaml", ":8:7", "ends before it starts", "2026-12-29..2027-01-03"),
    ("bad-distinct-teams.yaml", ":7:19", "found 'yes', expected one of: required", None),
    ("bad-handle.schedule.yaml", ":7:21", "found 'kenn', expected a member", "'ken'"),
    ("bad-language.yaml", ":6:11", "found 'jp', expected one of: en, ja", None),
    ("bad-rotation-id.yaml", ":1:11", "found 'App Daytime', expected an id", None),
    ("bad-weekday.yaml", ":11:19", "found 'monday', expected a date, a range", None),
    ("deep-nesting.yaml", ":1:42", "more than 32 levels of nesting", None),
    ("duplicate-handle.yaml", ":9:13", "handle 'aiko' twice (first on line 7)", None),
    ("duplicate-key.yaml", ":6:1", "key 'timezone' twice (first on line 2)", "last one"),
    ("duplicate-weekday.yaml", ":3:27", "found 'mon' twice", None),
    ("empty.yaml", "", "file is empty", "oncall init"),
    ("float-count.yaml", ":4:29", "found '1.5', expected a whole number", None),
    ("impossible-date.yaml", ":5:15", "'2027-02-30', which is not a real date", None),
    ("impossible-time.yaml", ":3:31", "'25:00', which is not a time of day", None),
    ("invalid-handle.yaml", ":9:13", "found 'ken tanaka', expected a handle", None),
    ("missing-members.yaml", ":1:1", "found no 'members' key", None),
    ("missing-required.yaml", ":9:5", "found no 'team' key, expected text", None),
    ("multiple-documents.yaml", ":11:1", "found a second document, expected one", "---"),
    ("naive-datetime.schedule.yaml", ":2:13", "without an offset", None),
    ("negative-gap.yaml", ":7:12", "found -1, expected a whole number >= 0", None),
    ("no-members.yaml", ":6:10", "expected at least one member", None),
    ("non-utf8.yaml", ":8:14", "byte 0xe9 that is not UTF-8", "UTF-8"),
    ("only-comments.yaml", "", "found only comments, expected a rotation", None),
    ("override-empty.schedule.yaml", ":4:5", "found neither out nor in", None),
    ("override-unknown.schedule.yaml", ":7:9", "found 'taro', expected a member", None),
    ("path-timezone.yaml", ":2:11", "expected an IANA time zone", None),
    ("python-tag.yaml", ":1:11", "found tag !!python/object/apply:os.system", None),
    ("quoted-count.yaml", ":4:29", "found quoted text '3', expected a whole number", "quotes"),
    ("recursive-alias.yaml", ":6:10", "alias that contains itself", None),
    ("start-at-24.yaml", ":3:17", "'24:00', which is not a time of day", None),
    ("syntax-error.yaml", ":9:1", "YAML syntax error: expected ',' or ']'", "indentation"),
    ("tab-indent.yaml", ":7:1", "YAML syntax error: found character '\\t'", None),
    ("term-end-before-start.yaml", ":5:32", "term.end 2026-12-31 before the term start", None),
    ("term-start-and-end.yaml", ":5:32", "found both end and length", None),
    ("unknown-key.yaml", ":2:1", "unknown key 'tiemzone'", "did you mean 'timezone'?"),
    ("unknown-member-key.yaml", ":10:5", "unknown key 'teem'", "did you mean 'team'?"),
    ("unknown-timezone.yaml", ":2:11", "found 'Asia/Tokio'", "did you mean 'Asia/Tokyo'?"),
    ("window-empty.yaml", ":3:31", "equal to the start", "24:00"),
    ("wrong-rotation.schedule.yaml", ":1:11", "found rotation 'other', expected 'demo'", None),
    ("wrong-type-count.yaml", ":4:29", "found 'many', expected a whole number", None),
    ("wrong-type-mapping.yaml", ":3:9", "found a list, expected a mapping", None),
    ("yes-for-bool.yaml", ":11:16", "found 'yes', expected true or false", "write true"),
    ("zero-length-shift.yaml", ":4:17", "found '0w', expected a length", None),
    ("zero-people.yaml", ":4:29", "found 0, expected a whole number >= 1", None),
]


def _load(path: Path) -> None:
    if path.name.endswith(".schedule.yaml"):
        load_schedule(path, load_rotation(BAD / "_rotation.yaml"))
    else:
        load_rotation(path)


@pytest.mark.parametrize(("name", "where", "message", "hint"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_with_its_place(
    name: str, where: str, message: str, hint: str | None
) -> None:
    path = BAD / name
    with pytest.raises(InputError) as caught:
        _load(path)
    error = caught.value
    assert str(error.mark) == f"{path}{where}"
    assert message in error.message
    if hint is not None:
        assert error.hint is not None and hint in error.hint
    assert error.exit_code == EXIT_BAD_INPUT
    assert str(error).startswith(f"{path}{where}: ")


def test_every_bad_file_has_a_case() -> None:
    on_disk = {p.name for p in BAD.iterdir() if not p.name.startswith("_")}
    assert on_disk == {case[0] for case in CASES}


@dataclass
class Work:
    """What reading a file cost, counted rather than timed: the nodes the YAML composers
    built (each one written, each alias; libyaml's quick composer and PyYAML's) and the
    nodes the graph check visited."""

    composed: int = 0
    visited: int = 0

    def assert_linear_in(self, path: Path) -> None:
        """A bomb expands to more than 10,000 values; refusing it "fast" means touching only
        what was written: the check visits no node more often than it was composed, and
        composing is bounded by the text (read at most twice: by libyaml, then by PyYAML
        for the error's wording)."""
        assert 0 < self.visited <= self.composed <= 2 * len(path.read_text(encoding="utf-8"))


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Work:
    counted = Work()
    compose_node = yamlsafe._Composer.compose_node
    size = yamlsafe._GraphCheck.size

    def counting_compose(self: object, *args: object) -> object:
        counted.composed += 1
        return compose_node(self, *args)

    def counting_size(self: object, *args: object) -> object:
        counted.visited += 1
        return size(self, *args)

    monkeypatch.setattr(yamlsafe._Composer, "compose_node", counting_compose)
    monkeypatch.setattr(yamlsafe._GraphCheck, "size", counting_size)
    if yamlsafe._CLoader is not None:  # libyaml's quick composer: one _attach per node
        attach = yamlsafe._CLoader._attach

        def counting_attach(*args: object) -> object:
            counted.composed += 1
            return attach(*args)

        monkeypatch.setattr(yamlsafe._CLoader, "_attach", staticmethod(counting_attach))
    return counted


def test_alias_bomb_fails_fast(work: Work) -> None:
    with pytest.raises(InputError, match="aliases are expanded"):
        load_rotation(BAD / "alias-bomb.yaml")
    work.assert_linear_in(BAD / "alias-bomb.yaml")


def test_bigger_alias_bomb_still_fails_fast(tmp_path: Path, work: Work) -> None:
    lines = ["rotation: demo", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 30)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="aliases are expanded"):
        load_rotation(path)
    work.assert_linear_in(path)


def test_bomb_hidden_in_a_long_file_is_refused(tmp_path: Path, work: Work) -> None:
    lines = ["rotation: demo", "members:"]
    lines += [f"  - {{handle: m{n}, team: t}}" for n in range(2000)]
    lines.append("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]")
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 12)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="aliases are expanded"):
        load_rotation(path)
    work.assert_linear_in(path)


def test_aliases_that_nest_deeply_are_refused(tmp_path: Path) -> None:
    lines = ["rotation: demo", "a0: &a0 [[[[[[[[x]]]]]]]]"]
    lines += [f"a{n}: &a{n} [[[[[[[[*a{n - 1}]]]]]]]]" for n in range(1, 6)]
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="levels of nesting"):
        load_rotation(path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:  # sparse: big on paper, nothing to read
        handle.truncate(50_000_000)
    with pytest.raises(InputError, match="expected at most 16000000") as caught:
        load_rotation(path)
    assert str(caught.value.mark) == str(path)


def test_small_limit_applies(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("x" * 101)
    with pytest.raises(InputError, match="101 bytes"):
        read_text(path, max_bytes=100)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found") as caught:
        load_rotation(tmp_path / "nope.yaml")
    assert str(caught.value.mark) == str(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="found a directory"):
        load_rotation(tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("rotation: demo\n")
    path.chmod(0)
    try:
        if _can_read(path):
            pytest.skip("running with privileges that ignore file modes")
        with pytest.raises(InputError, match="cannot read"):
            load_rotation(path)
    finally:
        path.chmod(0o644)


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True
