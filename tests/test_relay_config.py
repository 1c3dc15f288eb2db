"""The relay's config and options are checked before it listens: every mistake is exit 2
with the file, line and column, and a "did you mean" where one helps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation
from tests.helpers.relay import TOKEN

ROTATIONS = (
    "rotations:\n"
    "  - file: rotations/app.yaml\n"
    "    webhook_url_env: APP_CHAT_URL\n"
)
ENV = {"APP_CHAT_URL": "https://hooks.example.com/services/T0/B0/SECRET",
       "RELAY_TOKEN": TOKEN}


def _relay(root: Path, config: str, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    (root / "relay.yaml").write_text(config, encoding="utf-8")
    return oncall("relay", "--config", "relay.yaml", "--listen", "127.0.0.1:0",
                  *(args or ("--token-env", "RELAY_TOKEN")), cwd=root,
                  env=env if env is not None else ENV)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (ROTATIONS + "default: ap\n",
         "relay.yaml:4:10: default: found rotation 'ap', expected one of the rotations "
         "listed: app\n  hint: did you mean 'app'?"),
        (ROTATIONS + "routes:\n  - match: {team: app}\n    rotation: payments\ndefault: app\n",
         "relay.yaml:6:15: routes[0].rotation: found rotation 'payments'"),
        (ROTATIONS + "routes:\n  - match_re: {severity: 'page|('}\n    rotation: app\n"
         "default: app\n",
         "relay.yaml:5:26: routes[0].match_re.severity: found 'page|(', which is not a "
         "regular expression"),
        (ROTATIONS + "routes:\n  - match: {team-name: app}\n    rotation: app\ndefault: app\n",
         "relay.yaml:5:13: routes[0].match.team-name: found label name 'team-name'"),
        (ROTATIONS + "routes:\n  - match: {}\n    rotation: app\ndefault: app\n",
         "relay.yaml:5:12: routes[0].match: found an empty mapping"),
        (ROTATIONS + "routes:\n  - rotation: app\ndefault: app\n",
         "relay.yaml:5:5: routes[0]: found a route without match or match_re"),
        (ROTATIONS + "route:\n  - rotation: app\ndefault: app\n",
         "relay.yaml:4:1: route: found unknown key 'route', expected one of: rotations, routes, "
         "default, spool, delivery, ack, incidents, max_body_bytes, max_connections\n"
         "  hint: did you mean 'routes'?"),
        (ROTATIONS.replace("app.yaml", "ap.yaml") + "default: app\n",
         "relay.yaml:2:11: rotations[0].file: found no rotation file at rotations/ap.yaml"),
        (ROTATIONS.replace("APP_CHAT_URL", "NO_SUCH_VAR") + "default: app\n",
         "relay.yaml:3:22: rotations[0].webhook_url_env: the environment variable "
         "NO_SUCH_VAR is not set"),
        (ROTATIONS + "default: app\nincidents:\n  log: nowhere/incidents.log\n",
         "relay.yaml:6:8: incidents.log: found nowhere/incidents.log, whose folder does not "
         "exist; expected a file in an existing folder\n  hint: mkdir -p nowhere"),
        (ROTATIONS + "default: app\nincidents:\n  max_bytes: 100\n",
         "relay.yaml:6:14: incidents.max_bytes: found 100, expected a whole number >= 4096"),
        (ROTATIONS + "default: app\ndelivery:\n  workers: 0\n",
         "relay.yaml:6:12: delivery.workers: found 0, expected a whole number >= 1"),
    ],
)
def test_a_bad_config_is_exit_2_with_its_place(
    tmp_path: Path, config: str, message: str
) -> None:
    make_rotation(tmp_path)
    ran = _relay(tmp_path, config)
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("oncall: " + message), ran.stderr
    assert "Traceback" not in ran.stderr
    assert not (tmp_path / "relay-spool").exists()


def test_a_broken_rotation_file_stops_the_start(tmp_path: Path) -> None:
    rotation = make_rotation(tmp_path)
    rotation.write_text(rotation.read_text().replace("window:", "windw:"), encoding="utf-8")
    ran = _relay(tmp_path, ROTATIONS + "default: app\n")
    assert ran.returncode == 2
    assert "rotations/app.yaml:" in ran.stderr and "did you mean 'window'?" in ran.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ((), ENV, "give the bearer token with exactly one of --token-env"),
        (("--token-env", "NOPE"), ENV, "--token-env: the environment variable NOPE is not set"),
        (("--token-env", "SHORT"), {**ENV, "SHORT": "abc"}, "shorter than 16 characters"),
        (("--token-env", "RELAY_TOKEN", "--listen", "localhost"), ENV,
         "--listen: found 'localhost', expected HOST:PORT"),
        (("--token-env", "RELAY_TOKEN", "--now", "tomorrowish"), ENV,
         "--now: found 'tomorrowish', expected an ISO date-time"),
    ],
)
def test_bad_options_are_exit_2(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    make_rotation(tmp_path)
    (tmp_path / "relay.yaml").write_text(ROTATIONS + "default: app\n", encoding="utf-8")
    ran = oncall("relay", "--config", "relay.yaml", "--listen", "127.0.0.1:0", *args,
                 cwd=tmp_path, env=env)
    assert ran.returncode == 2, ran.stderr
    assert message in ran.stderr
    assert "SECRET" not in ran.stderr and TOKEN not in ran.stderr


def test_routes_pick_the_first_match_else_the_default(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from oncall.relay.config import load_config

    make_rotation(tmp_path)
    second = tmp_path / "rotations" / "db.yaml"
    second.write_text((tmp_path / "rotations" / "app.yaml").read_text().replace(
        "rotation: app", "rotation: db"), encoding="utf-8")
    (tmp_path / "relay.yaml").write_text(
        ROTATIONS + "  - file: rotations/db.yaml\n    webhook_url_env: APP_CHAT_URL\n"
        "routes:\n"
        "  - match: {team: db}\n    match_re: {severity: 'page|critical'}\n    rotation: db\n"
        "  - match_re: {service: 'app-.*'}\n    rotation: app\n"
        "default: db\n", encoding="utf-8")
    monkeypatch.setenv("APP_CHAT_URL", ENV["APP_CHAT_URL"])
    config = load_config(tmp_path / "relay.yaml")
    assert config.route({"team": "db", "severity": "page"}) == "db"
    assert config.route({"team": "db", "severity": "pager"}) == "db"  # default
    assert config.route({"service": "app-api"}) == "app"
    assert config.route({"service": "my-app-api"}) == "db"  # anchored, like Alertmanager
    assert sorted(config.targets) == ["app", "db"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        # Python's re would take this lookahead; RE2, as Alertmanager, does not.
        (ROTATIONS + "routes:\n  - match_re: {severity: '(?!info).*'}\n    rotation: app\n"
         "default: app\n",
         "relay.yaml:5:26: routes[0].match_re.severity: found '(?!info).*', which is not a "
         "regular expression RE2 (Alertmanager's syntax) accepts"),
        # Issue 20, Low: retry settings this large killed the workers (a wait too long for
        # a float) while /healthz said ok.
        (ROTATIONS + "default: app\ndelivery:\n  max_retry_seconds: 1000000000\n",
         "relay.yaml:6:22: delivery.max_retry_seconds: found 1000000000, expected "
         "at most 86400 seconds (a day)"),
        (ROTATIONS + "default: app\ndelivery:\n  deadline_seconds: 1000000000\n",
         "relay.yaml:6:21: delivery.deadline_seconds: found 1000000000, expected "
         "at most 2592000 seconds (30 days)"),
        # Past the one integer limit of every YAML reader, the limit speaks first.
        (ROTATIONS + "default: app\ndelivery:\n  max_retry_seconds: 100000000000000000000\n",
         "relay.yaml:6:22: delivery.max_retry_seconds: found 100000000000... (21 digits), "
         "expected a whole number from 1 to 2147483647"),
        (ROTATIONS + "default: app\ndelivery:\n  workers: 17\n",
         "relay.yaml:6:12: delivery.workers: found 17, expected at most 16 workers per "
         "rotation"),
    ],
)
def test_issue_20_limits_in_the_config_are_exit_2_with_their_place(
    tmp_path: Path, config: str, message: str
) -> None:
    make_rotation(tmp_path)
    ran = _relay(tmp_path, config)
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("oncall: " + message), ran.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (ROTATIONS + "default: app\ndelivery:\n  workers: 100000\n",
         "relay.yaml:6:12: delivery.workers: found 100000, expected"),
        (ROTATIONS + "default: app\nspool:\n  max_messages: " + "9" * 5000 + "\n",
         "relay.yaml:6:17: spool.max_messages: found 999999999999... (5000 digits), expected a "
         "whole number from 1 to 2147483647"),
    ],
)
def test_huge_numbers_in_the_relay_config_are_exit_2_with_their_place(
    tmp_path: Path, config: str, message: str
) -> None:
    """Issue 20, finding 12: these gave a traceback (or 100,000 threads) at start."""
    make_rotation(tmp_path)
    (tmp_path / "relay.yaml").write_text(config, encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    ran = _relay(tmp_path, config)
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("oncall: " + message), ran.stderr
    assert "Traceback" not in ran.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
