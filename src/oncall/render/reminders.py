"""Reminder messages for the chat room: today's people, the next duty day's, the hand-off.

Pure: a ``Reminder`` (``oncall.usecases.remind``) in, the words (via ``messages``) out,
as plain text, one chat's markup (Slack, Teams, Google Chat, Mattermost, Discord) or a JSON
object, and ``payload`` wraps a chat's text in the body its webhook expects. Printing and
posting are the command's job. Each chat mentions members by their id for it and escapes
every piece of user text (names, checklist, fallback...) for its markup, so a name cannot
ping a channel or forge a mention.
On the cron path: standard library and the light modules only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from oncall.render import chat_limits, messages

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms) at start-up
if TYPE_CHECKING:
    from typing import Any

    from oncall.core.duty import Person
    from oncall.core.model import GroupMention, Rotation
    from oncall.usecases.remind import Reminder, TermOver

CHATS = ("slack", "teams", "google-chat", "mattermost", "discord", "text")
FORMATS = ("text", "slack", "teams", "google-chat", "mattermost", "discord", "json")
ADAPTIVE_CARD_VERSION = "1.4"

# A whole Slack mention or link token (a user, a user group, a channel link) that a team
# lead wrote on purpose, e.g. `fallback: "<!subteam^S0123|@sre>"`: escaping it would break
# the ping. The one rule on every chat: the lead's text may ping people and groups, never
# the whole channel, so `<!here>`, `<!channel>` and `<!everyone>` are escaped like
# Mattermost's and Discord's @here/@channel/@all/@everyone and Teams' and Google Chat's
# `<users/all>`.
_SLACK_TOKEN = re.compile(r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^<>]*)?>")


def slack_escape(value: str) -> str:
    """Slack's three control characters, so a name like `R&D <ops>` shows as written."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_user_text(value: str) -> str:
    """Escape user text, keeping whole Slack mention tokens the user wrote on purpose."""
    out: list[str] = []
    position = 0
    for match in _SLACK_TOKEN.finditer(value):
        out.append(slack_escape(value[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(slack_escape(value[position:]))
    return "".join(out)


# Discord and Mattermost markdown; a backslash shows the next character as written.
_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]<])")
# A zero-width space after the `@` shows the same text without the ping. A name never
# pings anyone; the lead's own text (fallback, escalation, checklist) may name a group such
# as `@sre-oncall` on purpose, but never the whole channel.
_AT = re.compile(r"@(?=\w)")
_BROADCAST = re.compile(r"@(?=(?:everyone|here|channel|all)\b)", re.IGNORECASE)


def markdown_escape(value: str) -> str:
    """Discord/Mattermost names: markdown shown as written, and no `@` mention at all."""
    return _AT.sub("@\u200b", _MARKDOWN.sub(r"\\\1", value))


def markdown_user_text(value: str) -> str:
    """Discord/Mattermost free text: markdown shown as written; no @everyone/@here/
    @channel/@all (Discord's allowed_mentions refuses any other ping anyway)."""
    return _BROADCAST.sub("@\u200b", _MARKDOWN.sub(r"\\\1", value))


def _url_text(value: str) -> str:
    """A link (the manual) keeps its characters, so the chat still links it."""
    return _BROADCAST.sub("@\u200b", value)


def angle_escape(value: str) -> str:
    """Teams and Google Chat read `<...>` as mentions (`<at>`, `<users/all>`) or markup and
    have no escape for it: the brackets become their full-width look-alikes."""
    return value.replace("<", "\uff1c").replace(">", "\uff1e")


def teams_escape(value: str) -> str:
    """Teams names and alert text: no mention, and no Markdown link (`[x](http://evil)`
    renders as a link in a TextBlock and there is no escape for it): the square brackets
    become their full-width look-alikes too. The lead's own text keeps its links."""
    return angle_escape(value).replace("[", "\uff3b").replace("]", "\uff3d")


def unping(message: str) -> str:
    """A ``text`` target's message as posted: plain text reaching a chat we do not know
    (a Slack, Mattermost or Google Chat webhook), so it pings nobody there: `<`, `>` become
    their full-width look-alikes (`<!channel>`, `<users/all>`) and every `@` before a word
    gets a zero-width space (`@channel`, `@all`, `@handle`)."""
    return _AT.sub("@\u200b", angle_escape(message))


class _Style:
    """How one output format words people: the chat's escaping and mention syntax.

    ``mentioned`` collects ``(id, text)`` of each mention made, for the payloads that list
    them (Teams' mention entities, Discord's allowed users)."""

    __slots__ = (
        "bullet", "chat", "escape", "language", "mentioned", "roles", "url", "user_text"
    )

    def __init__(
        self,
        language: str,
        chat: str,
        escape: Callable[[str], str],
        user_text: Callable[[str], str],
        bullet: str,
        url: Callable[[str], str] | None = None,
    ) -> None:
        self.language = language
        self.chat = chat
        self.escape = escape
        self.user_text = user_text
        self.bullet = bullet
        self.url = url or user_text
        self.mentioned: list[tuple[str, str]] = []
        self.roles: list[str] = []  # Discord roles mentioned (the fallback's group)

    def group_text(self, text: str, group: GroupMention | None) -> str:
        """The lead's text, after the group's mention in this chat's syntax if it has one."""
        body = self.user_text(text)
        chat_id = group.chat_id(self.chat) if group is not None else None
        if chat_id is None:
            return body
        if self.chat == "slack":
            token = f"<!subteam^{chat_id}>"
        elif self.chat == "discord":
            token = f"<@&{chat_id}>"
            if chat_id not in self.roles:
                self.roles.append(chat_id)
        else:
            token = f"@{chat_id}"  # Mattermost
        return f"{token} {body}"

    def _id_mention(self, who: Person, chat_id: str) -> str:
        if self.chat == "teams":
            return f"<at>{self.escape(who.name)}</at>"
        if self.chat == "google-chat":
            return f"<{chat_id}>"
        if self.chat == "mattermost":
            return f"@{chat_id}"
        return f"<@{chat_id}>"  # Slack and Discord

    def mention(self, who: Person) -> str:
        chat_id = who.chat_id(self.chat) if self.chat != "text" else None
        if chat_id:
            token = self._id_mention(who, chat_id)
            if (chat_id, token) not in self.mentioned:
                self.mentioned.append((chat_id, token))
            return messages.honorific(self.language, token)
        named = messages.honorific(self.language, self.escape(who.name))
        handle = self.escape(who.handle) if self.chat in ("discord", "mattermost") else who.handle
        at = "@\u200b" if self.chat == "mattermost" else "@"  # `@handle` pings in Mattermost
        if who.name == who.handle:
            return messages.honorific(self.language, f"{at}{handle}")
        return f"{named} ({at}{handle})"

    def people(self, people: tuple[Person, ...]) -> str:
        return messages.join(self.language, [self.mention(p) for p in people])


def _style(rotation: Rotation, output_format: str) -> _Style:
    lang = rotation.language
    if output_format == "slack":
        return _Style(lang, "slack", slack_escape, _slack_user_text, "•")
    if output_format == "teams":
        return _Style(lang, output_format, teams_escape, angle_escape, "-")
    if output_format == "google-chat":
        return _Style(lang, output_format, angle_escape, angle_escape, "-")
    if output_format in ("discord", "mattermost"):
        return _Style(lang, output_format, markdown_escape, markdown_user_text, "-", _url_text)
    return _Style(lang, "text", str, str, "-")


def render(reminder: Reminder, output_format: str = "text") -> str:
    """The message as plain text or a chat's markup (its mentions, escaped user text),
    within that chat's size limit (``chat_limits``)."""
    return _message(reminder, _style(reminder.rotation, output_format))


def _message(reminder: Reminder, style: _Style) -> str:
    return fitted(style, _render(reminder, style))


def fitted(style: _Style, lines: chat_limits.Lines, notice: str = "left_out") -> str:
    """``lines`` as one message within ``style``'s chat's size limit (``chat_limits``);
    ``notice`` says what was left out."""
    card = (lambda text: _teams_card(text, style.mentioned)) if style.chat == "teams" else None
    return chat_limits.fit(style.chat, style.language, lines, card, notice)


def payload(reminder: Reminder, chat: str) -> dict[str, Any]:
    """The JSON body the chat's incoming webhook expects, with the message in it."""
    style = _style(reminder.rotation, chat)
    return chat_payload(chat, _message(reminder, style), style)


def chat_style(rotation: Rotation, chat: str) -> _Style:
    """How ``chat`` words people and user text, for another message (an alert) to reuse."""
    return _style(rotation, chat)


def chat_payload(chat: str, message: str, style: _Style) -> dict[str, Any]:
    """The JSON body ``chat``'s incoming webhook expects for ``message``, declaring the
    mentions ``style`` made while wording it (and no others)."""
    if chat == "teams":
        return _teams_card(message, style.mentioned)
    if chat == "discord":
        # Only the people the reminder names (and the fallback's or escalation's role) may
        # be pinged: never @everyone, another role or a user id some text happens to hold.
        allowed: dict[str, list[str]] = {
            "parse": [],
            "users": list(dict.fromkeys(chat_id for chat_id, _ in style.mentioned))[:100],
        }
        if style.roles:
            allowed["roles"] = style.roles[:100]
        return {"content": message, "allowed_mentions": allowed}
    if chat == "text":
        return {"text": unping(message)}
    return {"text": message}  # Slack, Google Chat and Mattermost


def _teams_card(message: str, mentioned: list[tuple[str, str]]) -> dict[str, Any]:
    """A Teams Workflows ("Post to a channel when a webhook request is received") message:
    one Adaptive Card, a TextBlock per line, each `<at>` mention declared as an entity."""
    body = [{"type": "TextBlock", "text": line, "wrap": True} for line in message.split("\n")]
    entities = [
        {"type": "mention", "text": token, "mentioned": {"id": chat_id, "name": token[4:-5]}}
        for chat_id, token in mentioned
    ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": ADAPTIVE_CARD_VERSION,
                    "body": body,
                    "msteams": {"width": "Full", "entities": entities},
                },
            }
        ],
    }


def _render(reminder: Reminder, style: _Style) -> chat_limits.Lines:
    """The reminder's lines, each with its priority should the chat's limit need some left
    out: 0 (people, escalation, fallback) always stays; 1 (checklist, report fields) goes
    first, then 2 (the days without duty), then 3 (the manual link)."""
    rotation = reminder.rotation
    lang = rotation.language
    duty = reminder.duty
    when = {
        "date": messages.day(lang, duty.day),
        "window": messages.window(lang, rotation.window),
    }
    lines: chat_limits.Lines = []
    if reminder.kind == "handoff":
        lines.append((messages.text(lang, "handoff", people=style.people(duty.people), **when), 0))
        for item in rotation.reminders.report:
            field = messages.text(lang, "report_item", item=style.user_text(item))
            lines.append((f"{style.bullet} {field}", 1))
        nxt = reminder.takes_over
        if nxt is None:
            lines.append((messages.text(lang, "nobody_next"), 0))
        else:
            words = messages.text(
                lang,
                "takes_over",
                people=style.people(nxt.primary),
                date=messages.day(lang, nxt.day),
                window=when["window"],
            )
            lines.append((words, 0))
            if nxt.shadow:
                lines.append((messages.text(lang, "shadows", people=style.people(nxt.shadow)), 0))
        return lines
    key = "today" if reminder.kind == "today" else "next"
    lines.append((messages.text(lang, key, people=style.people(duty.primary), **when), 0))
    if duty.shadow:
        lines.append((messages.text(lang, "shadows", people=style.people(duty.shadow)), 0))
    if reminder.no_duty:
        days = messages.join(
            lang,
            [
                messages.text(
                    lang, "day_note", day=messages.day(lang, d), name=style.user_text(name)
                )
                for d, name in sorted(reminder.no_duty.items())
            ],
        )
        lines.append((messages.text(lang, "no_duty_between", days=days), 2))
    reminders = rotation.reminders
    if reminder.kind == "next" and reminders.checklist:
        lines.append((messages.text(lang, "checklist"), 1))
        lines += [(f"{style.bullet} {style.user_text(item)}", 1) for item in reminders.checklist]
    if reminder.kind == "next" and reminders.manual:
        lines.append((messages.text(lang, "manual", url=style.url(reminders.manual)), 3))
    if rotation.escalation:
        escalation = style.group_text(rotation.escalation, rotation.escalation_group)
        lines.append((messages.text(lang, "escalation", text=escalation), 0))
    if rotation.fallback:
        fallback = style.group_text(rotation.fallback, rotation.fallback_group)
        lines.append((messages.text(lang, "fallback", fallback=fallback), 0))
    return lines


def as_json(reminder: Reminder) -> dict[str, Any]:
    """The versioned object `remind --format json` prints: `who`'s shape plus the words."""
    from oncall.render.who import duty_json  # the shape `who` prints too; text needs none

    rotation = reminder.rotation
    out = duty_json(reminder.duty)
    out["kind"] = reminder.kind
    out["language"] = rotation.language
    out["escalation"] = rotation.escalation
    out["manual"] = rotation.reminders.manual
    out["checklist"] = list(rotation.reminders.checklist)
    out["report"] = list(rotation.reminders.report)
    out["no_duty"] = [
        {"date": d.isoformat(), "name": name} for d, name in sorted(reminder.no_duty.items())
    ]
    if reminder.kind == "handoff":
        out["takes_over"] = duty_json(reminder.takes_over) if reminder.takes_over else None
    out["text"] = render(reminder, "text")
    return out


def term_over(notice: TermOver) -> str:
    """Said on stderr (stdout stays empty, exit stays 0), so cron mails the lead to plan the
    next term."""
    return (
        f"oncall: {notice.rotation}: the planned term {notice.first}..{notice.last} has no "
        f"duty day left; plan the next term (oncall plan --next-term {notice.path})"
    )
