"""Every text an exported calendar shows, keyed by the rotation's language.

Titles and descriptions are what people read in their calendar, so a `language: ja`
rotation gets them in Japanese; UIDs, categories' rotation id and the file's structure
stay the same in every language.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "On call: {names}",
        "category": "On call",
        "summary": "{rotation}: {people}",
        "summary_shadow": " (shadow: {people})",
        "summary_nobody": "{rotation}: nobody on duty",
        "summary_fallback": " (fallback {fallback})",
        "no_primary": "no primary",
        "nobody": "nobody",
        "role": "Your role: {role}",
        "with": "With: {people}",
        "on_duty": "On duty: {people}",
        "hours": "Hours: {window} {timezone}",
        "length": "Length: {hours} h of real time (the clocks change)",
        "fallback": "Fallback: {fallback}",
        "escalation": "Escalation: {text}",
        "manual": "Manual: {url}",
        "changed": "Changed: {out} -> {in_}",
        "changed_reason": " ({reason})",
        "cancelled_person": "Cancelled: {rotation}: {name} no longer on duty",
        "cancelled_person_text": "{name} is no longer on duty on {day}.",
        "cancelled_day": "Cancelled: {rotation}: no duty on {day}",
        "cancelled_day_text": "{day} is no longer a duty day.",
        "day_off": "{day} is a day off: {name}.",
        "on_duty_now": "On duty now: {people}",
        "primary": "primary",
        "shadow": "shadow",
        "who": "{name} (@{handle}, {team}, {role})",
        "who_unknown": "@{handle} ({role})",
        "separator": ", ",
    },
    "ja": {
        "title": "オンコール: {names}",
        "category": "オンコール",
        "summary": "{rotation}: {people}",
        "summary_shadow": "（シャドー: {people}）",
        "summary_nobody": "{rotation}: 担当者なし",
        "summary_fallback": "（時間外: {fallback}）",
        "no_primary": "担当なし",
        "nobody": "なし",
        "role": "あなたの役割: {role}",
        "with": "一緒に担当: {people}",
        "on_duty": "担当: {people}",
        "hours": "時間: {window} {timezone}",
        "length": "実時間: {hours}時間（時計の切り替えがあります）",
        "fallback": "時間外: {fallback}",
        "escalation": "エスカレーション: {text}",
        "manual": "手順書: {url}",
        "changed": "変更: {out} → {in_}",
        "changed_reason": "（{reason}）",
        "cancelled_person": "取消: {rotation}: {name} さんの担当はなくなりました",
        "cancelled_person_text": "{day} の {name} さんの担当はなくなりました。",
        "cancelled_day": "取消: {rotation}: {day} はオンコールなし",
        "cancelled_day_text": "{day} はオンコール日ではなくなりました。",
        "day_off": "{day} は休日です: {name}",
        "on_duty_now": "現在の担当: {people}",
        "primary": "担当",
        "shadow": "シャドー",
        "who": "{name}（@{handle}、{team}、{role}）",
        "who_unknown": "@{handle}（{role}）",
        "separator": "、",
    },
}


def say(language: str, key: str, **values: str) -> str:
    """The text ``key`` in ``language`` (English for a language without calendar text)."""
    return TEXT.get(language, TEXT["en"])[key].format(**values)
