"""The rotation-file keys that name chat ids: each member's id on each chat, and the group
the fallback or escalation text mentions. Kept apart from ``oncall.io.keys`` (which splices
them into the rotation table) because every chat adds one of each.

Teams and Google Chat have a group key only to refuse it at load: their webhooks can
mention users (Teams: UPN or Entra id; Google Chat: ``users/ID`` or everyone) but no group,
and a reminder that seems to page SRE but pings nobody is worse than none.
"""

from __future__ import annotations

from oncall.io.readers import (
    discord_id,
    discord_role_id,
    google_chat_id,
    mattermost_group,
    mattermost_username,
    no_group,
    slack_group_id,
    slack_id,
    teams_id,
)
from oncall.io.schema import Key

MEMBER_CHAT_KEYS = (
    Key(
        "members[].slack",
        "text",
        "Slack member id (`U...` or `W...`) for `<@...>` mentions.",
        slack_id,
        default_doc="none",
    ),
    Key(
        "members[].teams",
        "text",
        "Microsoft Teams user for `<at>` mentions: sign-in address (UPN) or Entra "
        "object id (a GUID).",
        teams_id,
        default_doc="none",
    ),
    Key(
        "members[].google_chat",
        "text",
        "Google Chat user id `users/DIGITS` for `<users/...>` mentions.",
        google_chat_id,
        default_doc="none",
    ),
    Key(
        "members[].mattermost",
        "text",
        "Mattermost username for `@username` mentions.",
        mattermost_username,
        default_doc="none",
    ),
    Key(
        "members[].discord",
        "text",
        "Discord user id (17 to 20 digits) for `<@...>` mentions.",
        discord_id,
        default_doc="none",
    ),
)

_TEAMS_WHY = (
    "Teams webhooks (Workflows) mention users only; tags can be mentioned by bots, not webhooks"
)
_GOOGLE_WHY = "Google Chat webhooks mention one user (<users/ID>) or everyone, never a group"


def group_keys(name: str, text_key: str) -> tuple[Key, ...]:
    """``fallback_group`` or ``escalation_group``: the group ``text_key``'s text pings."""
    return (
        Key(
            name,
            "mapping",
            f"The chat group to mention before the `{text_key}` text, by its id on each "
            f"chat (needs `{text_key}`). A chat without an id here shows the text only.",
        ),
        Key(
            f"{name}.slack",
            "text",
            "Slack user group id (`S...`), mentioned as `<!subteam^ID>`.",
            slack_group_id,
            default_doc="none",
        ),
        Key(
            f"{name}.discord",
            "text",
            "Discord role id, mentioned as `<@&ID>`; `allowed_mentions` lets only this role "
            "ping (the role must be mentionable).",
            discord_role_id,
            default_doc="none",
        ),
        Key(
            f"{name}.mattermost",
            "text",
            "Mattermost custom user group name, mentioned as `@name`.",
            mattermost_group,
            default_doc="none",
        ),
        Key(
            f"{name}.teams",
            "(refused)",
            "Refused: Teams webhooks cannot mention a group or tag.",
            no_group("Teams", _TEAMS_WHY),
            default_doc="none",
        ),
        Key(
            f"{name}.google_chat",
            "(refused)",
            "Refused: Google Chat webhooks cannot mention a group.",
            no_group("Google Chat", _GOOGLE_WHY),
            default_doc="none",
        ),
    )
