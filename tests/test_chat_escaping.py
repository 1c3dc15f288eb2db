"""Issue 20, finding 7 and its Low items: every chat target escapes what could ping or
link. A `text` target is plain text that pings nobody wherever its webhook points; the
lead's own text may ping people and groups but never the whole channel, on any chat;
Teams shows a Markdown link from an alert as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.chats.slack import user_text as _slack_user_text
from oncall.core import alerts
from oncall.core.duty import duty_at
from oncall.io.store import FileStore
from oncall.render import alerts as words
from tests.helpers.daily import make_rotation
from tests.helpers.relay import notification

HOSTILE = "<!channel> <!here> @channel @all @here <users/all> <at>Boss</at> [x](http://evil)"


def _duty(root: Path, moment: str, edit: tuple[str, str] | None = None):  # type: ignore[no-untyped-def]
    path = make_rotation(root)
    if edit is not None:
        text = path.read_text(encoding="utf-8")
        assert edit[0] in text
        path.write_text(text.replace(*edit, 1), encoding="utf-8")
    opened = FileStore().open(path, require_schedule=True)
    from datetime import datetime

    at = datetime.fromisoformat(moment).replace(tzinfo=opened.rotation.tz)
    return duty_at(opened.rotation, opened.calendar(), opened.schedule, at)


def _hostile() -> alerts.AlertGroup:
    return alerts.parse(notification(name=HOSTILE, summary=HOSTILE), "alertmanager")  # type: ignore[arg-type]


def test_a_text_post_of_alert_text_pings_nobody(tmp_path: Path) -> None:
    """Medium 7: `reminders.chat: text` posted `<!channel>` as written, live on Slack,
    Mattermost (@channel) and Google Chat (<users/all>)."""
    inside = _duty(tmp_path, "2027-01-05T11:00")
    posted = words.payload(_hostile(), inside, "text")["text"]
    for live in ("<!channel>", "<!here>", "<users/all>", "<at>", "@channel", "@all", "@here",
                 "@aiko"):
        assert live not in posted, (live, posted)
    assert "\uff1c!channel\uff1e" in posted and "@\u200bchannel" in posted
    # Printed (not posted), plain text stays as the sender wrote it.
    assert "<!channel>" in words.render(_hostile(), inside, "text")


def test_a_text_post_of_the_leads_fallback_pings_nobody(tmp_path: Path) -> None:
    outside = _duty(tmp_path, "2027-01-05T18:00", ('fallback: "@sre-oncall"',
                                                  'fallback: "<!channel> @all"'))
    group = alerts.parse(notification(), "alertmanager")  # type: ignore[arg-type]
    posted = words.payload(group, outside, "text")["text"]
    assert "<!channel>" not in posted and "@all" not in posted
    assert posted.endswith("Outside the window: \uff1c!channel\uff1e @\u200ball")


@pytest.mark.parametrize("chat", ["slack", "teams", "google-chat", "mattermost", "discord"])
@pytest.mark.parametrize("key", ["fallback", "escalation"])
def test_the_leads_own_broadcast_never_pings_the_channel(tmp_path: Path, chat: str, key: str):
    """Low: the lead's `<!here>` in escalation or fallback text pinged on Slack while
    @here was escaped on Mattermost and Discord. One rule now: people and groups, never
    the whole channel."""
    old = 'fallback: "@sre-oncall"' if key == "fallback" else "escalation: Escalate"
    new = ('fallback: "<!here> <!channel> <!everyone> @here @everyone @channel @all '
           '<users/all>"' if key == "fallback"
           else "escalation: <!here> <!channel> @here @everyone @channel @all Escalate")
    moment = "2027-01-05T18:00" if key == "fallback" else "2027-01-05T11:00"
    duty = _duty(tmp_path, moment, (old, new))
    text = words.render(alerts.parse(notification(), "alertmanager"), duty, chat)  # type: ignore[arg-type]
    assert ("@here" in text) == (chat in ("slack", "teams", "google-chat"))  # no @ syntax there
    for live in ("<!here>", "<!channel>", "<!everyone>", "<users/all>"):
        assert live not in text, (chat, live, text)
    if chat in ("mattermost", "discord"):
        for live in ("@here", "@everyone", "@channel", "@all"):
            assert live not in text, (chat, live, text)


def test_a_group_the_lead_wrote_on_purpose_still_pings_on_slack() -> None:
    assert _slack_user_text("<!subteam^S0123|@sre> <!here>") == (
        "<!subteam^S0123|@sre> &lt;!here&gt;"
    )


def test_teams_shows_a_markdown_link_from_an_alert_as_text(tmp_path: Path) -> None:
    """Low: `[x](http://evil)` in alert text rendered as a link in the Teams card."""
    inside = _duty(tmp_path, "2027-01-05T11:00")
    card = words.payload(_hostile(), inside, "teams")
    lines = [block["text"] for block in card["attachments"][0]["content"]["body"]]
    assert not any("[x](http://evil)" in line for line in lines), lines
    assert any("\uff3bx\uff3d(http://evil)" in line for line in lines)
    assert not any("<at>Boss</at>" in line for line in lines)
