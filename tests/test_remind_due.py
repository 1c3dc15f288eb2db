"""`oncall remind --due` through the real CLI, against real local webhooks: each rotation's
reminders at its own times and to its own chat, exactly once per slot, caught up after a
missed cron run, safe against two crons at once; and `oncall crontab`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation
from tests.helpers.hook import Hook

APP_TIMES = '  times: [09:45, "17:00 handoff", "17:05 next"]\n  webhook_url_env: APP_HOOK\n'
WATCH_TIMES = '  times: ["07:50 today"]\n  webhook_url_env: WATCH_HOOK\n'


def two_rotations(root: Path) -> tuple[Path, Path]:
    """``app`` (10:00-17:00) and ``watch`` (08:00-09:30), each with its times and chat."""
    app = make_rotation(root)
    watch_root = root / "watch-src"
    make_rotation(watch_root, start="08:00", end="09:30")
    folder = root / "rotations"
    for name in ("app.yaml", "app.schedule.yaml"):
        text = (watch_root / "rotations" / name).read_text(encoding="utf-8")
        text = text.replace("rotation: app", "rotation: watch")
        if name == "app.yaml":
            text = text.replace("reminders:\n", "reminders:\n" + WATCH_TIMES)
        (folder / name.replace("app", "watch")).write_text(text, encoding="utf-8")
    text = app.read_text(encoding="utf-8").replace("reminders:\n", "reminders:\n" + APP_TIMES)
    app.write_text(text, encoding="utf-8")
    return app, folder / "watch.yaml"


@pytest.fixture()
def hooks() -> Iterator[tuple[Hook, Hook]]:
    with Hook([]) as app, Hook([]) as watch:
        yield app, watch


def texts(hook: Hook) -> list[str]:
    return [str(item["body"]["text"]) for item in hook.received]  # type: ignore[index]


def due(cli: Runner, root: Path, hooks: tuple[Hook, Hook], now: datetime, *args: str):
    env = {"APP_HOOK": hooks[0].url, "WATCH_HOOK": hooks[1].url}
    return cli("remind", "--due", *args, "--now", now.isoformat(timespec="minutes"),
               cwd=root, env=env)


def test_a_day_of_cron_every_5_minutes_posts_each_slot_once_with_a_40_minute_gap(
    cron_cli: Runner, tmp_path: Path, hooks: tuple[Hook, Hook]
):
    two_rotations(tmp_path)
    moment = datetime(2027, 1, 4, 7, 0)
    gap = (datetime(2027, 1, 4, 9, 35), datetime(2027, 1, 4, 10, 15))  # cron was down
    while moment <= datetime(2027, 1, 5, 18, 0):
        if not gap[0] <= moment < gap[1]:
            result = due(cron_cli, tmp_path, hooks, moment)
            assert result.returncode == 0, result.stderr
        moment += timedelta(minutes=5)
    app, watch = (texts(hook) for hook in hooks)
    # Monday 09:45 was missed by cron and sent at 10:15, within the hour of catch-up.

    def kind(text: str) -> str:
        day = re.search(r"\d{4}-\d{2}-\d{2}", text)
        assert day is not None
        if text.startswith("On call today"):
            return f"today {day[0]}"
        if "thank you for your on-call duty today" in text:
            return f"handoff {day[0]}"
        assert text.startswith("Next on call"), text
        return f"next {day[0]}"

    assert [kind(t) for t in app] == [
        "today 2027-01-04", "handoff 2027-01-04", "next 2027-01-05",
        "today 2027-01-05", "handoff 2027-01-05", "next 2027-01-06",
    ]
    assert len(watch) == 2 and all(t.startswith("On call today") for t in watch)
    assert "08:00-09:30" in watch[0] and "10:00-17:00" in app[0]
    state = json.loads((tmp_path / "rotations" / "app.reminded.json").read_text())
    assert state["rotation"] == "app" and state["handled_through"].startswith("2027-01-05T18:00")


def test_a_slot_older_than_the_catch_up_is_reported_and_skipped(
    cron_cli: Runner, tmp_path: Path, hooks: tuple[Hook, Hook]
):
    two_rotations(tmp_path)
    assert due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 7, 0)).returncode == 0
    late = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 11, 0), "--catch-up", "30m")
    assert late.returncode == 0, late.stderr
    assert "app: missed the 2027-01-04 09:45 today reminder" in late.stderr
    assert "watch: missed the 2027-01-04 07:50 today reminder" in late.stderr
    assert hooks[0].received == [] and hooks[1].received == []
    again = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 11, 5))
    assert again.returncode == 0 and again.stderr == ""  # said once
    assert hooks[0].received == []


def test_a_failed_post_is_sent_on_the_next_run_and_the_other_rotation_still_goes(
    cron_cli: Runner, tmp_path: Path
):
    two_rotations(tmp_path)
    with Hook([500, 500]) as app, Hook([]) as watch:
        failed = due(cron_cli, tmp_path, (app, watch), datetime(2027, 1, 4, 9, 50),
                     "--catch-up", "3h")
        assert failed.returncode == 4 and "app: could not post" in failed.stderr
        assert len(texts(watch)) == 1  # watch's 07:50 went out
        assert not (tmp_path / "rotations" / "app.reminded.json").exists()
        retried = due(cron_cli, tmp_path, (app, watch), datetime(2027, 1, 4, 9, 55))
        assert retried.returncode == 0, retried.stderr
        assert "app: posted the 2027-01-04 09:45 today reminder" in retried.stdout
        assert texts(app)[-1].startswith("On call today") and len(texts(watch)) == 1


def test_two_crons_at_once_post_each_slot_once(cron_cli_process: Runner, tmp_path: Path):
    two_rotations(tmp_path)
    codes: list[int] = []
    # Each post takes a second, so the three runs overlap while one of them posts.
    with Hook([], delay=1.0) as app, Hook([]) as watch:
        _three_at_once(cron_cli_process, tmp_path, (app, watch), codes)
    assert codes == [0, 0, 0]
    # 17:00 handoff and 17:05 next for app (09:45 is older than the hour of catch-up).
    assert len(texts(app)) == 2 and watch.received == []


def _three_at_once(cron_cli_process: Runner, tmp_path: Path, hooks: tuple[Hook, Hook],
                   codes: list[int]) -> None:

    def run() -> None:
        result = due(cron_cli_process, tmp_path, hooks, datetime(2027, 1, 4, 17, 30))
        codes.append(result.returncode)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.parametrize("times, expected", [
    ('["25:00"]', "not a time of day"),
    ('["09:45 lunch"]', "found the kind 'lunch'"),
    ('["09:45", "09:45 today"]', "found 09:45 today twice"),
    ("[945]", "expected a time HH:MM"),
])
def test_bad_times_are_exit_2_at_their_place(cron_cli: Runner, tmp_path: Path,
                                             hooks: tuple[Hook, Hook], times: str,
                                             expected: str):
    app, _ = two_rotations(tmp_path)
    text = app.read_text(encoding="utf-8").replace(
        '[09:45, "17:00 handoff", "17:05 next"]', times
    )
    app.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("  times:"))
    result = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 9, 50))
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert f"app.yaml:{line}:" in result.stderr
    assert hooks[0].received == [] and hooks[1].received == []


def test_two_rotations_claiming_one_state_file_are_refused(
    cron_cli: Runner, tmp_path: Path, hooks: tuple[Hook, Hook]
):
    app, watch = two_rotations(tmp_path)
    for path in (app, watch):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("reminders:\n", "reminders:\n  state_file: sent.json\n"),
                        encoding="utf-8")
    result = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 9, 50))
    assert result.returncode == 2
    assert "both keep their reminder state in" in result.stderr and "watch.yaml:" in result.stderr
    assert hooks[0].received == [] and hooks[1].received == []


def test_a_rotation_without_a_webhook_stops_the_run_before_anything_is_posted(
    cron_cli: Runner, tmp_path: Path, hooks: tuple[Hook, Hook]
):
    _, watch = two_rotations(tmp_path)
    text = watch.read_text(encoding="utf-8").replace("  webhook_url_env: WATCH_HOOK\n", "")
    watch.write_text(text, encoding="utf-8")
    result = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 9, 50))
    assert result.returncode == 2 and "rotation watch names no webhook" in result.stderr
    assert hooks[0].received == [] and hooks[1].received == []
    fallback = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 9, 50),
                   "--post", hooks[1].url, "--catch-up", "3h")
    assert fallback.returncode == 0, fallback.stderr
    assert len(texts(hooks[0])) == 1 and len(texts(hooks[1])) == 1


@pytest.mark.parametrize("args, expected", [
    (("--catch-up", "2d"), "at most one day"),
    (("--catch-up", "soon"), "expected a length of time"),
    (("--today",), "--today go without --due"),
    (("--format", "slack"), "--format go without --due"),
])
def test_bad_due_options_are_exit_2(cron_cli: Runner, tmp_path: Path,
                                    hooks: tuple[Hook, Hook], args: tuple[str, ...],
                                    expected: str):
    two_rotations(tmp_path)
    result = due(cron_cli, tmp_path, hooks, datetime(2027, 1, 4, 9, 50), *args)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert hooks[0].received == []


def test_due_without_any_times_says_so(cron_cli: Runner, tmp_path: Path):
    make_rotation(tmp_path)
    result = cron_cli("remind", "--due", "--now", "2027-01-04T09:50", cwd=tmp_path)
    assert result.returncode == 2 and "no rotation names reminders.times" in result.stderr


def test_crontab_prints_one_line_that_posts_every_rotation(
    cli: Runner, tmp_path: Path, hooks: tuple[Hook, Hook]
):
    two_rotations(tmp_path)
    program = str(Path(sys.executable).with_name("oncall"))
    result = cli("crontab", "--program", program, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "#   app (Asia/Tokyo): 09:45 today, 17:00 handoff, 17:05 next; posted to the URL " \
        "in $APP_HOOK" in lines
    assert "#   watch (Asia/Tokyo): 07:50 today; posted to the URL in $WATCH_HOOK" in lines
    assert "# APP_HOOK=https://..." in lines and "# WATCH_HOOK=https://..." in lines
    [job] = [line for line in lines if not line.startswith("#")]
    schedule, command = job[: len("*/5 * * * *")], job[len("*/5 * * * * "):]
    assert schedule == "*/5 * * * *"
    # What cron would run, run by a shell from elsewhere: it posts today's 09:45 slot.
    env = {**os.environ, "APP_HOOK": hooks[0].url, "WATCH_HOOK": hooks[1].url}
    ran = subprocess.run(["sh", "-c", command + " --now 2027-01-04T09:50"], cwd="/",
                         env=env, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "app: posted the 2027-01-04 09:45 today reminder\n"
    assert len(hooks[0].received) == 1


def test_crontab_bad_input(cli: Runner, tmp_path: Path):
    make_rotation(tmp_path)
    none = cli("crontab", cwd=tmp_path)
    assert none.returncode == 2 and "no rotation names reminders.times" in none.stderr
    two_rotations(tmp_path / "two")
    every = cli("crontab", "--every", "0", cwd=tmp_path / "two")
    assert every.returncode == 2 and "expected minutes from 1 to 30" in every.stderr


@pytest.mark.slow
def test_a_whole_term_of_cron_posts_every_reminder_once_at_each_rotations_times(
    cron_cli: Runner, tmp_path: Path, hooks: tuple[Hook, Hook]
):
    """The term of both rotations (four weeks, a holiday and weekends in it), cron every
    5 minutes around the reminder times, one 40-minute outage: each rotation's reminders
    come at its own times, each exactly once, none missed."""
    two_rotations(tmp_path)
    day = datetime(2027, 1, 4)
    outage = (datetime(2027, 1, 13, 9, 30), datetime(2027, 1, 13, 10, 10))
    while day.date() <= datetime(2027, 1, 29).date():
        for first, last in (((7, 30), (8, 10)), ((9, 30), (10, 30)), ((16, 50), (17, 30))):
            moment = day.replace(hour=first[0], minute=first[1])
            while moment <= day.replace(hour=last[0], minute=last[1]):
                if not outage[0] <= moment < outage[1]:
                    result = due(cron_cli, tmp_path, hooks, moment)
                    assert result.returncode == 0, result.stderr
                moment += timedelta(minutes=5)
        day += timedelta(days=1)
    app, watch = (texts(hook) for hook in hooks)
    duty_days = 19  # 20 weekdays less Coming of Age Day (2027-01-11)
    assert sum(t.startswith("On call today") for t in app) == duty_days
    assert sum("thank you for your on-call duty today" in t for t in app) == duty_days
    # "next" names the next duty day: none after the term's last one.
    assert sum(t.startswith("Next on call") for t in app) == duty_days - 1
    assert len(watch) == duty_days and all(t.startswith("On call today") for t in watch)
    assert len(set(app)) == len(app) and len(set(watch)) == len(watch)  # never twice
