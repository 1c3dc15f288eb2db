"""`oncall remind` through the real CLI: today's people, the next duty day across weekends
and holidays, the hand-off, Slack mentions and escaping, Japanese, and `--post` to a real
local HTTP server (and to a port nobody listens on)."""

from __future__ import annotations

import functools
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from oncall.chats.slack import escape as slack_escape
from oncall.chats.slack import user_text as _slack_user_text
from oncall.io import webhook
from oncall.render import messages
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation
from tests.helpers.hook import Hook

Remind = Callable[..., tuple[int, str, str]]


def reminder(run: Runner) -> Remind:
    def remind(cwd: Path, *args: str) -> tuple[int, str, str]:
        result = run("remind", *args, cwd=cwd)
        return result.returncode, result.stdout, result.stderr

    return remind


@pytest.fixture
def remind(cron_cli: Runner) -> Remind:
    return reminder(cron_cli)


@pytest.fixture
def remind_process(cron_cli_process: Runner) -> Remind:
    """`oncall remind` in a real process: exit 4 through the interpreter, as cron sees it."""
    return reminder(cron_cli_process)


def test_today_names_todays_people(remind: Remind, workspace: Path):
    code, out, err = remind(workspace, "--today", "--now", "2027-01-04T10:00")
    assert code == 0, err
    assert out.splitlines() == [
        "On call today, Mon 2027-01-04 10:00-17:00: Aiko Sato (@aiko) and Ken <R&D> (@ken).",
        "Shadowing: Mei Ito (@mei).",
        "Escalation: Escalate to SRE after 30 minutes",
        "Outside the window: @sre-oncall",
    ]


def test_today_is_the_default(remind: Remind, workspace: Path):
    assert remind(workspace, "--now", "2027-01-04T10:00") == remind(
        workspace, "--today", "--now", "2027-01-04T10:00"
    )


@pytest.mark.parametrize("now", ["2027-01-09T10:00", "2027-01-11T10:00"])
def test_no_duty_prints_nothing_and_exits_0(remind: Remind, workspace: Path, now: str):
    # Saturday and the Coming of Age Day holiday (after the term, see below).
    for kind in ("--today", "--handoff"):
        code, out, err = remind(workspace, kind, "--now", now)
        assert (code, out, err) == (0, "", "")


def test_next_on_thursday_names_friday(remind: Remind, workspace: Path):
    out = remind(workspace, "--next", "--now", "2027-01-07T17:00")[1]
    assert out.startswith("Next on call, Fri 2027-01-08 10:00-17:00: Aiko Sato (@aiko)")
    assert "No duty on" not in out


def test_next_on_friday_skips_weekend_and_monday_holiday(remind: Remind, workspace: Path):
    code, out, _ = remind(workspace, "--next", "--now", "2027-01-08T17:00")
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "Next on call, Tue 2027-01-12 10:00-17:00: Taro Tanaka (@taro) and Li Wei (@li)."
    )
    assert "No duty on Mon 2027-01-11 (Coming of Age Day)." in lines
    assert "Before your shift:" in lines
    assert "- Mentions reach you in real time" in lines
    assert "Manual: https://wiki.example.com/oncall/manual?a=1&b=2" in lines


def test_next_on_friday_names_monday_when_no_holiday(remind: Remind, workspace: Path):
    out = remind(workspace, "--next", "--now", "2027-01-22T17:00")[1]
    assert out.startswith(
        "Next on call, Mon 2027-01-25 10:00-17:00: Taro Tanaka (@taro) and Mei Ito"
    )


def test_next_names_shadows_as_such(remind: Remind, workspace: Path):
    out = remind(workspace, "--next", "--now", "2027-01-04T17:00")[1]
    assert "Shadowing: Mei Ito (@mei)." in out.splitlines()


def test_next_after_the_last_duty_day_prints_nothing(remind: Remind, workspace: Path):
    code, out, err = remind(workspace, "--next", "--now", "2027-01-29T17:00")
    assert (code, out) == (0, "")
    assert "the planned term 2027-01-04..2027-01-29 has no duty day left" in err


def test_handoff_addresses_outgoing_and_names_who_takes_over(remind: Remind, workspace: Path):
    out = remind(workspace, "--handoff", "--now", "2027-01-08T17:00")[1]
    assert out.splitlines() == [
        "Aiko Sato (@aiko), Ken <R&D> (@ken) and Mei Ito (@mei): thank you for your on-call "
        "duty today (Fri 2027-01-08). Please post your end-of-duty report:",
        "- Request count change:",
        "- Hand-off notes:",
        "Taking over: Taro Tanaka (@taro) and Li Wei (@li), Tue 2027-01-12 10:00-17:00.",
    ]
    last = remind(workspace, "--handoff", "--now", "2027-01-29T17:00")[1]
    assert last.splitlines()[-1] == "No later duty day is planned yet."


def test_slack_mentions_ids_and_escapes_user_text(remind: Remind, workspace: Path):
    out = remind(workspace, "--today", "--format", "slack", "--now", "2027-01-04T10:00")[1]
    first = out.splitlines()[0]
    assert "<@U0AIKO>" in first and "Aiko Sato" not in first
    # No Slack id: the name, escaped, and a plain @handle.
    assert "Ken &lt;R&amp;D&gt; (@ken)" in first
    nxt = remind(workspace, "--next", "--format", "slack", "--now", "2027-01-08T17:00")[1]
    assert "• Mentions reach you in real time" in nxt
    assert "manual?a=1&amp;b=2" in nxt


def test_json_has_the_who_shape_plus_the_reminder(remind: Remind, workspace: Path):
    code, out, _ = remind(workspace, "--next", "--format", "json", "--now", "2027-01-08T17:00")
    data = json.loads(out)
    assert code == 0
    assert data["version"] == 1 and data["kind"] == "next"
    assert data["date"] == "2027-01-12" and data["on_duty"] is True
    assert data["window"]["start"] == "2027-01-12T10:00:00+09:00"
    assert [p["handle"] for p in data["primary"]] == ["taro", "li"]
    assert data["shadow"] == [] and data["fallback"] == "@sre-oncall"
    assert data["no_duty"] == [{"date": "2027-01-11", "name": "Coming of Age Day"}]
    assert data["checklist"][0] == "Mentions reach you in real time"
    assert data["text"].startswith("Next on call, Tue 2027-01-12")


def test_japanese_reads_like_japanese(remind: Remind, tmp_path: Path):
    make_rotation(tmp_path, language="ja")
    today = remind(tmp_path, "--format", "slack", "--now", "2027-01-04T10:00")[1].splitlines()
    assert today[0] == (
        "本日 1月4日(月) のオンコール担当は <@U0AIKO> さん、Ken &lt;R&amp;D&gt; さん (@ken) "
        "です（10:00〜17:00）。よろしくお願いします！"
    )
    assert today[1] == "シャドーとして Mei Ito さん (@mei) も入ります。"
    assert today[-1] == "時間外は @sre-oncall が対応します。"
    nxt = remind(tmp_path, "--next", "--now", "2027-01-08T17:00")[1].splitlines()
    assert (
        nxt[0] == "次のオンコール担当は Taro Tanaka さん (@taro)、Li Wei さん (@li) "
        "です（1月12日(火) 10:00〜17:00）。"
    )
    assert "1月11日(月)（成人の日）はオンコールお休みです。" in nxt
    assert "開始前に次の確認をお願いします：" in nxt
    handoff = remind(tmp_path, "--handoff", "--now", "2027-01-08T17:00")[1].splitlines()
    assert handoff[0].endswith(
        "本日（1月8日(金)）のオンコールお疲れさまでした！終了報告をお願いします："
    )
    assert "- リクエスト数の変化：" in handoff


def test_every_message_exists_in_every_language():
    keys = {language: set(table) for language, table in messages.TEXT.items()}
    assert keys["ja"] == keys["en"]


@pytest.mark.parametrize(
    "args",
    [
        ("--today", "--next"),
        ("--format", "markdown"),
        ("--post", "ftp://example.com/hook"),
        ("--post", "not a url"),
        ("--post", "http://127.0.0.1:9/hook", "--format", "json"),
    ],
)
def test_bad_options_are_exit_2(remind: Remind, workspace: Path, args: tuple[str, ...]):
    code, out, err = remind(workspace, *args, "--now", "2027-01-04T10:00")
    assert code == 2 and out == ""
    assert err.startswith("oncall: ") and "Traceback" not in err


# --- --post to a real local HTTP server -------------------------------------------------------


@pytest.fixture()
def hook() -> Iterator[Hook]:
    with Hook([]) as server:
        yield server


def test_post_sends_slack_text_and_prints_nothing(remind: Remind, workspace: Path, hook: Hook):
    code, out, err = remind(workspace, "--next", "--post", hook.url, "--now", "2027-01-08T17:00")
    assert (code, out, err) == (0, "", "")
    assert len(hook.received) == 1
    posted = hook.received[0]
    assert str(posted["type"]).startswith("application/json")
    text = posted["body"]["text"]  # type: ignore[index]
    assert text.startswith("Next on call, Tue 2027-01-12 10:00-17:00: <@U0TARO> and Li Wei (@li).")


def test_post_with_text_format_posts_plain_handles(remind: Remind, workspace: Path, hook: Hook):
    code, _, _ = remind(
        workspace, "--format", "text", "--post", hook.url, "--now", "2027-01-04T10:00"
    )
    assert code == 0
    # Plain text pings nobody, whichever chat the webhook belongs to (see unping).
    assert "Aiko Sato (@\u200baiko)" in hook.received[0]["body"]["text"]  # type: ignore[index]


def test_post_posts_nothing_without_duty(remind: Remind, workspace: Path, hook: Hook):
    assert remind(workspace, "--post", hook.url, "--now", "2027-01-09T10:00") == (0, "", "")
    assert hook.received == []


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The wait before the retry, recorded instead of slept (in this process only: the real
    process of test_post_fails_with_exit_4_after_one_retry sleeps it)."""
    waited: list[float] = []
    monkeypatch.setattr(webhook, "post", functools.partial(webhook.post, sleep=waited.append))
    return waited


def test_post_retries_once_on_server_error(remind: Remind, workspace: Path, waits: list[float]):
    with Hook([503]) as server:
        code, _, err = remind(workspace, "--post", server.url, "--now", "2027-01-04T10:00")
    assert code == 0, err
    assert len(server.received) == 2
    assert waits == [webhook.RETRY_DELAY_SECONDS]


@pytest.mark.slow  # a real one-second wait; the retry itself is checked in-process above
def test_post_fails_with_exit_4_after_one_retry(remind_process: Remind, workspace: Path):
    with Hook([500, 429]) as server:
        code, _, err = remind_process(workspace, "--post", server.url, "--now", "2027-01-04T10:00")
    assert code == 4
    assert len(server.received) == 2
    assert "could not post to http://127.0.0.1" in err and "HTTP 429" in err
    assert "SECRET" not in err  # the webhook's key never reaches cron mail


def test_post_client_error_is_not_retried(remind: Remind, workspace: Path):
    with Hook([400]) as server:
        code, _, err = remind(workspace, "--post", server.url, "--now", "2027-01-04T10:00")
    assert code == 4 and len(server.received) == 1
    assert "refused the message: HTTP 400" in err and "invalid_payload" in err


def test_post_to_refused_connection_is_exit_4(
    remind: Remind, workspace: Path, waits: list[float]
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nobody listens on the port now: the connection is refused, twice.
    code, out, err = remind(
        workspace, "--post", f"http://127.0.0.1:{port}/hook/SECRET", "--now", "2027-01-04T10:00"
    )
    assert code == 4 and out == ""
    assert "connection refused" in err and "tried twice" in err
    assert waits == [webhook.RETRY_DELAY_SECONDS]
    assert "SECRET" not in err and "Traceback" not in err


def test_slack_escaping_keeps_deliberate_mention_tokens():
    assert slack_escape("R&D <ops>") == "R&amp;D &lt;ops&gt;"
    assert (
        _slack_user_text("<!subteam^S0123|@sre> & <b>") == "<!subteam^S0123|@sre> &amp; &lt;b&gt;"
    )
    assert _slack_user_text("ask <@U0AIKO>") == "ask <@U0AIKO>"
    assert _slack_user_text("<script>") == "&lt;script&gt;"


def test_one_failed_post_does_not_stop_the_other_rotations(remind: Remind, tmp_path: Path):
    make_rotation(tmp_path)
    folder = tmp_path / "rotations"
    for name in ("app.yaml", "app.schedule.yaml"):
        text = (folder / name).read_text(encoding="utf-8")
        target = folder / name.replace("app", "web")
        target.write_text(text.replace("rotation: app", "rotation: web"), encoding="utf-8")
    # The first post (rotation app) is refused; the second (rotation web) still goes out.
    with Hook([400]) as server:
        code, out, err = remind(tmp_path, "--post", server.url, "--now", "2027-01-04T10:00")
    assert code == 4 and out == ""
    assert len(server.received) == 2
    assert err.startswith("oncall: app: ") and "web:" not in err


def test_after_the_term_remind_is_silent_on_stdout_but_fails_for_cron(
    cron_cli_process: Runner, workspace: Path
):
    """Once the last planned term has ended nobody is reminded: exit 5 (docs/refusals.md),
    so cron mails the lead the command that plans the next term."""
    for kind in ("--today", "--next", "--handoff"):
        result = cron_cli_process("remind", kind, "--now", "2027-06-01T10:00", cwd=workspace)
        assert result.returncode == 5, result.stderr
        assert result.stdout == ""
        assert result.stderr.startswith(
            "oncall: app: the term 2027-01-04..2027-01-29 ended on 2027-01-29 and no next "
            "term is planned"
        )
        assert "plan it: oncall plan --next-term rotations/app.yaml" in result.stderr
    # The term's last day itself is still the term: a note (no duty left), exit 0.
    last = cron_cli_process("remind", "--next", "--now", "2027-01-29T17:00", cwd=workspace)
    assert last.returncode == 0 and last.stdout == ""
    assert "has no duty day left; plan the next term (oncall plan --next-term " in last.stderr
    quiet = cron_cli_process(  # a Saturday
        "remind", "--today", "--now", "2027-01-09T10:00", cwd=workspace
    )
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
