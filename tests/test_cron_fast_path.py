"""The fast entry for `who` and `remind` (oncall.cli.entry, no typer) must behave exactly like
the typer CLI: same options (from one table), same output, same errors, same exit codes.
And the libyaml reader that speeds up loading must compose the same nodes as PyYAML's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from yaml.nodes import Node

from oncall.cli import cronargs
from oncall.cli.app import app
from oncall.core.errors import InputError
from oncall.io import yamlsafe
from oncall.render import reminders
from tests.helpers.daily import make_rotation

ROOT = Path(__file__).resolve().parent.parent

# The `oncall` script's entry (fast for well-formed who/remind calls), and the way every
# call ran before it: straight into the typer CLI. Same program name for both.
ENTRY = "import sys; from oncall.cli.entry import main; sys.argv[0] = 'oncall'; main()"
TYPER_PATH = "import sys; from oncall.cli.app import main; sys.argv[0] = 'oncall'; main()"


@pytest.mark.parametrize("name", sorted(cronargs.COMMANDS))
def test_the_table_and_the_typer_command_agree(name: str):
    """Names, flags, metavars, help texts, switches and defaults, in signature order."""
    params = typer.main.get_command(app).commands[name].params  # type: ignore[attr-defined]
    specs = cronargs.COMMANDS[name]
    assert [p.name for p in params] == [spec.dest for spec in specs]
    for param, spec in zip(params, specs, strict=True):
        assert param.help == spec.help, spec.dest
        assert param.default == spec.default, spec.dest
        if spec.flag is None:
            assert param.param_type_name == "argument" and param.nargs == -1
            continue
        assert param.opts == [spec.flag]
        assert param.metavar == spec.metavar
        assert bool(getattr(param, "is_flag", False)) == spec.switch
        assert not param.secondary_opts and not param.required


def test_the_choices_are_the_commands_own():
    assert cronargs.REMIND_FORMAT.choices == reminders.FORMATS


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["who", "--help"],
        ["who", "-h"],
        ["--debug", "who"],
        ["show"],
        ["who", "--today"],
        ["who", "--now"],
        ["who", "--now", "--format", "json"],
        ["who", "--format", "xml"],
        ["who", "--format=xml"],
        ["who", "--format", "json", "--format", "text"],
        ["who", "--", "rotations/app.yaml"],
        ["who", "-"],
        ["who", ""],
        ["who", "--now", ""],
        ["remind", "--today=yes"],
        ["remind", "--post"],
        ["who", "--at", "-1"],
    ],
)
def test_what_the_fast_parser_leaves_to_typer(argv: list[str]):
    assert cronargs.parse(argv) is None


def test_the_fast_parser_reads_what_typer_reads():
    assert cronargs.parse(["who", "a.yaml", "--now=2027-01-04T12:00", "b.yaml", "--format",
                           "json"]) == (
        "who",
        {
            "rotations": [Path("a.yaml"), Path("b.yaml")],
            "schedule": None,
            "now": "2027-01-04T12:00",
            "at": None,
            "on_date": None,
            "output_format": "json",
        },
    )
    command, values = cronargs.parse(["remind", "--next", "--schedule", "s.yaml"]) or ("", {})
    assert command == "remind" and values["upcoming"] is True and values["today"] is False
    assert values["schedule"] == Path("s.yaml") and values["rotations"] is None


# Each call runs twice in fresh interpreters: through the entry (fast when cronargs.parse
# accepts the call) and forced through the typer CLI; everything must match.
CALLS = [
    ("who", "--now", "2027-01-04T12:00"),
    ("who", "--now", "2027-01-04T18:00", "--format", "handles"),
    ("who", "rotations/app.yaml", "--date", "2027-01-11", "--now", "2027-01-04T12:00"),
    ("who", "--at=2027-01-05T11:00", "--now", "2027-01-04T12:00", "--format=json"),
    ("who", "--now", "2027-02-15T12:00"),
    ("who", "--now", "yesterday-ish"),
    ("who", "--at", "2027-01-05T11:00", "--date", "2027-01-05", "--now", "2027-01-04T12:00"),
    ("who", "missing.yaml", "--now", "2027-01-04T12:00"),
    ("who", "--schedule", "nowhere.schedule.yaml", "--now", "2027-01-04T12:00"),
    ("remind", "--now", "2027-01-04T10:00"),
    ("remind", "--next", "--now", "2027-01-08T17:00", "--format", "slack"),
    ("remind", "--handoff", "--now", "2027-01-08T17:00", "--format", "json"),
    ("remind", "--today", "--now", "2027-01-09T10:00"),
    ("remind", "--today", "--next", "--now", "2027-01-04T10:00"),
    ("remind", "--post", "ftp://example.com/hook", "--now", "2027-01-04T10:00"),
    ("remind", "--post", "https://hooks.example.com/x", "--format", "json"),
    # Not for the fast entry: typer answers both ways, so these must match too.
    ("who", "--format", "xml"),
    ("who", "--bogus"),
    ("remind", "--help"),
]
# The quick run (-m "not slow") compares one call of each kind: who, remind, an error.
QUICK = {0, 3, 7, 10, 17}
CALL_PARAMS = [
    pytest.param(args, marks=() if index in QUICK else pytest.mark.slow)
    for index, args in enumerate(CALLS)
]


def _run(cwd: Path, command: list[str]) -> tuple[int, str, str]:
    (result,) = _run_together(cwd, command)
    return result


def _run_together(cwd: Path, *commands: list[str]) -> list[tuple[int, str, str]]:
    """Each command in a fresh interpreter, all started at once (they only read files):
    exit code, stdout and stderr of each."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["COLUMNS"] = "100"
    running = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env
        )
        for command in commands
    ]
    try:
        results = []
        for process in running:
            out, err = process.communicate(timeout=60)
            results.append((process.returncode, out, err))
        return results
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.mark.parametrize("args", CALL_PARAMS, ids=lambda args: " ".join(args))
def test_fast_entry_and_typer_give_the_same_bytes_and_exit_code(
    tmp_path: Path, args: tuple[str, ...]
):
    make_rotation(tmp_path, language="ja")
    fast, typer_path = _run_together(
        tmp_path,
        [sys.executable, "-c", ENTRY, *args],
        [sys.executable, "-c", TYPER_PATH, *args],
    )
    assert fast == typer_path


def test_python_dash_m_oncall_takes_the_fast_entry(tmp_path: Path):
    make_rotation(tmp_path)
    code, out, err = _run(
        tmp_path, [sys.executable, "-X", "importtime", "-m", "oncall", "who", "--now",
                   "2027-01-04T12:00", "--format", "handles"]
    )
    assert (code, out) == (0, "aiko\nken\nmei\n")
    imported = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines()}
    assert "oncall.cli.entry" in imported and "oncall.cli.duty_commands" in imported
    assert "typer" not in imported and "oncall.cli.app" not in imported


def test_the_calls_above_exercise_the_fast_entry():
    """Most of CALLS must really take the fast entry, or the comparison proves little."""
    fast = [args for args in CALLS if cronargs.parse(list(args)) is not None]
    assert len(fast) == len(CALLS) - 3


# ---- libyaml composes what PyYAML composes ------------------------------------------------


def _shape(node: Node) -> list[tuple[object, ...]]:
    """Everything the loader reads from a node graph: kind, tag, text, style, positions."""
    out: list[tuple[object, ...]] = []
    todo = [node]
    while todo:
        current = todo.pop()
        start, end = current.start_mark, current.end_mark
        value = current.value if isinstance(current.value, str) else None
        out.append(
            (
                type(current).__name__, current.tag, value, getattr(current, "style", None),
                getattr(current, "flow_style", None), start.line, start.column, end.line,
                end.column,
            )
        )
        if isinstance(current.value, list):
            for item in reversed(current.value):
                todo.extend(reversed(item) if isinstance(item, tuple) else [item])
    return out


def _corpus() -> list[Path]:
    files = [
        *sorted((ROOT / "tests").rglob("*.yaml")),
        *sorted((ROOT / "rotations").glob("*.yaml")),
        ROOT / "src" / "oncall" / "starter.yaml",
    ]
    return [path for path in files if path.is_file()]


def _variants(text: str) -> list[str]:
    return [text, text.replace("\n", "\r\n"), text.replace("\n", "\u2028"), "\ufeff" + text]


def _assert_same_nodes(text: str, name: str) -> None:
    for number, variant in enumerate(_variants(text)):
        try:
            expected = yamlsafe._compose(yamlsafe._PyLoader, variant, name, yamlsafe.MAX_NODES)
        except InputError as error:
            with pytest.raises(InputError) as caught:  # compose() falls back to PyYAML
                yamlsafe.compose(variant, name)
            assert str(caught.value) == str(error)
            continue
        fast = yamlsafe._compose(yamlsafe._CLoader, variant, name, yamlsafe.MAX_NODES)
        assert (fast is None) == (expected is None), number
        if expected is not None and fast is not None:
            assert _shape(fast) == _shape(expected), number


needs_libyaml = pytest.mark.skipif(yamlsafe._CLoader is None, reason="PyYAML without libyaml")


@needs_libyaml
@pytest.mark.parametrize("path", _corpus(), ids=lambda path: path.name)
def test_libyaml_and_pyyaml_compose_the_same_nodes(path: Path):
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: files.read_text refuses it before YAML sees it")
    _assert_same_nodes(text, path.name)


@needs_libyaml
@pytest.mark.parametrize("language", ["en", "ja"])
def test_libyaml_and_pyyaml_compose_the_cron_fixture_alike(tmp_path: Path, language: str):
    rotation = make_rotation(tmp_path, language=language)
    for path in (rotation, rotation.with_name("app.schedule.yaml")):
        _assert_same_nodes(path.read_text(encoding="utf-8"), path.name)


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        'a: "tab\\there \\x85 \\u2028 \\N \\_ \\L \\P"\n',
        "a: |+\n  keep\n\n\nb: >-\n  folded\n  text\n\n  more\n",
        "a: plain\n  continued   \n  lines\n",
        "- [a, b, {c: d}]\n- ? complex\n  : key\n- !!str 007\n- &x 1\n- *x\n",
        "a: 'it''s'\nb: ''\nc:\nd: ~\n",
        "# only a comment\n",
        "a: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a: *nowhere\n",
        "a:\n\t- b\n",
        "a: \x07\n",
    ],
)
def test_libyaml_and_pyyaml_agree_on_edge_cases(text: str):
    _assert_same_nodes(text, "edge.yaml")


def test_a_control_character_is_an_input_error_not_a_traceback():
    expected = r"found character '\\x07' that YAML does not allow"
    with pytest.raises(InputError, match=expected) as caught:
        yamlsafe.compose("rotation: app\nname: a\x07b\n", "demo.yaml")
    assert str(caught.value.mark) == "demo.yaml:2:8"
