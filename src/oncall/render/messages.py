"""Every sentence `who`, `remind` and the alert relay say, keyed by the rotation's language.

Kept in one module so a translator reads one file, and so a Japanese team gets Japanese
written the way it is written in Slack, not a word-for-word copy of the English. The
language comes from the rotation file, never from the environment's locale (cron's
differs from a shell's).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from oncall.core.model import Window

TEXT: dict[str, dict[str, str]] = {
    "en": {
        # remind --today
        "today": "On call today, {date} {window}: {people}.",
        # remind --next
        "next": "Next on call, {date} {window}: {people}.",
        "no_duty_between": "No duty on {days}.",
        "checklist": "Before your shift:",
        # remind --handoff
        "handoff": "{people}: thank you for your on-call duty today ({date}). "
        "Please post your end-of-duty report:",
        "takes_over": "Taking over: {people}, {date} {window}.",
        "nobody_next": "No later duty day is planned yet.",
        "report_item": "{item}:",
        "day_note": "{day} ({name})",
        # shared lines
        "shadows": "Shadowing: {people}.",
        "manual": "Manual: {url}",
        "escalation": "Escalation: {text}",
        "fallback": "Outside the window: {fallback}",
        "left_out": "({count} more lines left out: {chat} takes at most {limit} {unit}; "
        "the full text: oncall remind --format text)",
        "unit_characters": "characters",
        "unit_bytes": "bytes",
        # who
        "who_on": "{rotation}: on duty now ({date} {window})",
        "who_day": "{rotation}: on duty {date} {window}",
        "who_off_window": "{rotation}: nobody on duty at {time} (outside the window {window})",
        "who_off_day": "{rotation}: nobody on duty on {date} (not a duty day{why})",
        "who_unstaffed": "{rotation}: nobody is planned for {date} {window}",
        "who_off_term": "{rotation}: nobody on duty on {date}: outside the planned term {term}",
        "primary": "primary",
        "shadow": "shadow",
        "fallback_label": "fallback",
        "cover": "cover: {into} for {out}",
        "day_off": ": {name}",
        "none": "(none)",
        # relay: one alert group
        "alert_firing": "[FIRING:{count}] {title}",
        "alert_resolved": "[RESOLVED] {title}",
        "alert_on_duty": "On call: {people}",
        "alert_more": "and {count} more",
        "alert_left_out": "({count} more alerts left out: {chat} takes at most {limit} {unit}; "
        "the sender lists them all)",
        # oncall cover --post
        "cover_request": "Cover needed: {member} cannot serve these on-call days.",
        "cover_day": "{date}: could {people} take it?",
        "cover_nobody": "nobody can take it without breaking a rule",
        "cover_reply": "Reply here; the lead records it with oncall swap.",
        # plan --notify, swap --notify
        "moved_title": "On-call duty changed in {rotation}:",
        "moved_lost": "no longer on {days}",
        "moved_gained": "now on {days}",
        "moved_see": "(changed by oncall {command})",
    },
    "ja": {
        "today": "本日 {date} のオンコール担当は {people} です（{window}）。"
        "よろしくお願いします！",
        "next": "次のオンコール担当は {people} です（{date} {window}）。",
        "no_duty_between": "{days}はオンコールお休みです。",
        "checklist": "開始前に次の確認をお願いします：",
        "handoff": "{people}、本日（{date}）のオンコールお疲れさまでした！"
        "終了報告をお願いします：",
        "takes_over": "次の担当は {people} です（{date} {window}）。",
        "nobody_next": "次の担当日はまだ計画されていません。",
        "report_item": "{item}：",
        "day_note": "{day}（{name}）",
        "shadows": "シャドーとして {people} も入ります。",
        "manual": "手順書: {url}",
        "escalation": "エスカレーション: {text}",
        "fallback": "時間外は {fallback} が対応します。",
        "left_out": "（{chat}の上限 {limit} {unit}を超えるため、ほか{count}行を省略しました。"
        "全文: oncall remind --format text）",
        "unit_characters": "文字",
        "unit_bytes": "バイト",
        "who_on": "{rotation}: 現在オンコール中（{date} {window}）",
        "who_day": "{rotation}: {date} {window} の担当",
        "who_off_window": "{rotation}: {time} は担当時間外です（{window}）",
        "who_off_day": "{rotation}: {date} はオンコール日ではありません{why}",
        "who_unstaffed": "{rotation}: {date} {window} の担当者が計画されていません",
        "who_off_term": "{rotation}: {date} は計画済みの期間（{term}）の外です",
        "primary": "担当",
        "shadow": "シャドー",
        "fallback_label": "時間外",
        "cover": "代理: {into}（{out}の代わり）",
        "day_off": "（{name}）",
        "none": "（なし）",
        "alert_firing": "[発生中:{count}] {title}",
        "alert_resolved": "[解決済み] {title}",
        "alert_on_duty": "担当: {people}",
        "alert_more": "ほか {count} 件",
        "alert_left_out": "（{chat}の上限 {limit} {unit}を超えるため、ほか{count}件のアラートを"
        "省略しました。全件は送信元で確認してください）",
        "cover_request": "代理のお願い: {member} が次のオンコール担当日に対応できません。",
        "cover_day": "{date}: {people}、代わっていただけますか？",
        "cover_nobody": "ルールを守って代われる人がいません",
        "cover_reply": "このスレッドで返信してください（記録は oncall swap で行います）。",
        "moved_title": "{rotation} のオンコール担当が変わりました:",
        "moved_lost": "{days} は担当から外れました",
        "moved_gained": "{days} が新しい担当日です",
        "moved_see": "（oncall {command} による変更です）",
    },
}

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
}


def text(language: str, key: str, **values: str) -> str:
    return TEXT[language][key].format(**values)


def weekday(language: str, when: date) -> str:
    return _WEEKDAYS[language][when.weekday()]


def day(language: str, when: date) -> str:
    """A date as people of that language write it in chat: Mon 2027-01-04, 1月4日(月)."""
    weekday = _WEEKDAYS[language][when.weekday()]
    if language == "ja":
        return f"{when.month}月{when.day}日({weekday})"
    return f"{weekday} {when.isoformat()}"


def window(language: str, hours: Window) -> str:
    """Window hours, saying so when they end the next day: 22:00-06:00 next day, 22:00〜翌06:00."""
    start = Window.format_minutes(hours.start)
    end = Window.format_minutes(hours.end)
    overnight = hours.end <= hours.start
    if language == "ja":
        return f"{start}〜{'翌' if overnight else ''}{end}"
    return f"{start}-{end}{' next day' if overnight else ''}"


def honorific(language: str, who: str) -> str:
    """How a person is addressed: Japanese chat adds さん after a name or mention."""
    return f"{who} さん" if language == "ja" else who


def join(language: str, items: Sequence[str]) -> str:
    if language == "ja":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
