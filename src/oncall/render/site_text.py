"""The words of the published site, in English and Japanese, and the rules paragraph.

Kept apart from the templates so a translator reads one file; the language comes from the
rotation file, like every other text `oncall` writes for people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from oncall.core.model import DistinctTeams, Rotation, Rules, ShiftUnit, Term
from oncall.render import messages

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "site_title": "On-call rotations",
        "generated": "Generated {time} ({zone}). Reload the page after the next publish for "
        "a newer answer.",
        "now_title": "On duty now",
        "now_as_of": "As of {time}",
        "until": "until {time}",
        "nobody_now": "Nobody is on duty at {time}.",
        "fallback": "Outside the window and when nobody is on duty: {fallback}",
        "next_title": "Next",
        "next_from": "from {time}",
        "no_next": "No later duty day is planned in this term.",
        "primary": "primary",
        "shadow": "shadow",
        "calendar": "Calendar",
        "rules": "Rules",
        "feeds": "Calendars and data",
        "team_feed": "Team calendar (.ics)",
        "all_feed": "All rotations (.ics)",
        "csv": "Spreadsheet (.csv)",
        "json": "Schedule for scripts (.json)",
        "people": "People",
        "fairness": "Duty days per person",
        "fairness_this": "this term",
        "fairness_earlier": "earlier terms (ledger)",
        "fairness_desc": "Primary duty days per person: this term, and the ledger of "
        "earlier terms.",
        "member": "Person",
        "team": "Team",
        "days": "Duty days",
        "shadow_days": "Shadow days",
        "legend": "* a swap or cover changed this day; (name): shadow; today is outlined.",
        "changed": "changed by a swap or cover",
        "today": "today",
        "upcoming": "Upcoming duties",
        "past": "Past duties",
        "swaps": "Swaps and covers",
        "none": "None.",
        "date": "Date",
        "role": "Role",
        "with": "With",
        "subscribe": "Subscribe",
        "subscribe_webcal": "Subscribe in your calendar app",
        "subscribe_https": "Calendar address (paste into Google Calendar: From URL)",
        "subscribe_local": "Download the calendar (.ics). Publish with --base-url to get a "
        "subscription link that follows every change.",
        "back": "Back to {rotation}",
        "home": "All rotations",
        "term": "Term {term}",
        "terms": "Terms {terms}",
        "swap_line": "{dates}: {out} → {in_}",
        "reason": " ({reason})",
        "forced": " [forced]",
        "nobody": "nobody",
    },
    "ja": {
        "site_title": "オンコール当番表",
        "generated": "{time}（{zone}）に生成。"
        "次回の公開後にページを再読み込みすると最新になります。",
        "now_title": "現在の担当",
        "now_as_of": "{time} 時点",
        "until": "{time} まで",
        "nobody_now": "{time} の担当者はいません。",
        "fallback": "時間外・担当不在時の連絡先：{fallback}",
        "next_title": "次の担当",
        "next_from": "{time} から",
        "no_next": "この期間に次の担当日はありません。",
        "primary": "担当",
        "shadow": "シャドー",
        "calendar": "カレンダー",
        "rules": "ルール",
        "feeds": "カレンダーとデータ",
        "team_feed": "チームのカレンダー（.ics）",
        "all_feed": "全ローテーション（.ics）",
        "csv": "表計算用（.csv）",
        "json": "スクリプト用の当番表（.json）",
        "people": "メンバー",
        "fairness": "メンバーごとの担当日数",
        "fairness_this": "今期",
        "fairness_earlier": "前期までの累計",
        "fairness_desc": "メンバーごとの担当日数（今期と前期まで）。",
        "member": "メンバー",
        "team": "チーム",
        "days": "担当日数",
        "shadow_days": "シャドー日数",
        "legend": "* 交代・代理で変わった日、（名前）はシャドー、枠で囲んだ日が今日です。",
        "changed": "交代・代理あり",
        "today": "今日",
        "upcoming": "これからの担当",
        "past": "これまでの担当",
        "swaps": "交代・代理",
        "none": "なし",
        "date": "日付",
        "role": "役割",
        "with": "一緒に担当",
        "subscribe": "購読",
        "subscribe_webcal": "カレンダーアプリで購読する",
        "subscribe_https": "カレンダーのURL（Google カレンダーの「URL で追加」に貼り付け）",
        "subscribe_local": "カレンダー（.ics）をダウンロード。--base-url を付けて公開すると、"
        "変更に追従する購読リンクになります。",
        "back": "{rotation} に戻る",
        "home": "すべてのローテーション",
        "term": "期間 {term}",
        "terms": "期間 {terms}",
        "swap_line": "{dates}：{out} → {in_}",
        "reason": "（{reason}）",
        "forced": "［強制］",
        "nobody": "なし",
    },
}

_DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ja": ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜"),
}


def terms_heading(language: str, terms: Sequence[Term]) -> str:
    """The terms the calendars show, oldest first: "Term A..B", or "Terms A..B, C..D"."""
    words = WORDS[language]
    if len(terms) == 1:
        return words["term"].format(term=terms[0])
    comma = "、" if language == "ja" else ", "
    return words["terms"].format(terms=comma.join(str(term) for term in terms))


def day_name(language: str, weekday: int) -> str:
    return _DAY_NAMES[language][weekday]


def rules_paragraph(rotation: Rotation) -> str:
    """The rotation's rules in one paragraph, as a team lead would explain them."""
    lang = rotation.language
    days = "・".join if lang == "ja" else ", ".join
    weekdays = days(messages.weekday(lang, _monday(n)) for n in sorted(rotation.window.days))
    hours = messages.window(lang, rotation.window)
    shift, rules = rotation.shift, rotation.rules
    return (_ja if lang == "ja" else _en)(rotation, weekdays, hours, shift.unit, rules)


def _monday(offset: int) -> date:
    """A day of the week ``offset`` days after Monday, for its name."""
    return date(2024, 1, 1) + timedelta(days=offset)  # 2024-01-01 was a Monday


def _en(rotation: Rotation, weekdays: str, hours: str, unit: ShiftUnit, rules: Rules) -> str:
    shift = rotation.shift
    length = f"{shift.length} {'week' if unit == ShiftUnit.WEEKS else 'day'}"
    length += "s" if shift.length != 1 else ""
    parts = [f"On duty {weekdays}, {hours} ({rotation.timezone})."]
    handoff = f", handed over on {day_name('en', shift.handoff)}" if unit == ShiftUnit.WEEKS else ""
    parts.append(f"Shifts of {length}{handoff}, {shift.people} primary per shift.")
    parts.append(_days_off_en(rotation))
    if rules.volunteers_only:
        parts.append("Only volunteers serve.")
    if rules.distinct_teams == DistinctTeams.REQUIRED:
        parts.append("The people of a shift come from different teams.")
    elif rules.distinct_teams == DistinctTeams.PREFERRED:
        parts.append("The people of a shift come from different teams where possible.")
    if rules.min_gap:
        parts.append(f"At least {rules.min_gap} shift(s) between a person's duties.")
    if rules.max_shifts is not None:
        parts.append(f"At most {rules.max_shifts} shift(s) per person per term.")
    if rotation.onboarding.shadow_shifts:
        parts.append(f"Newcomers shadow {rotation.onboarding.shadow_shifts} shift(s) first.")
    if rotation.fallback:
        parts.append(f"Outside the window: {rotation.fallback}.")
    if rotation.escalation:
        parts.append(f"Escalation: {rotation.escalation.rstrip('.')}.")
    return " ".join(p for p in parts if p)


def _days_off_en(rotation: Rotation) -> str:
    holidays = rotation.holidays
    found = []
    if holidays.country:
        region = holidays.country + (f"-{holidays.subdivision}" if holidays.subdivision else "")
        found.append(f"{region} public holidays")
    if holidays.closures or holidays.yearly:
        found.append(f"{len(holidays.closures) + len(holidays.yearly)} company closure(s)")
    return f"Days off: {' and '.join(found)}." if found else ""


def _ja(rotation: Rotation, weekdays: str, hours: str, unit: ShiftUnit, rules: Rules) -> str:
    shift = rotation.shift
    length = f"{shift.length}{'週間' if unit == ShiftUnit.WEEKS else '日'}"
    handoff = f"（{day_name('ja', shift.handoff)}交代）" if unit == ShiftUnit.WEEKS else ""
    parts = [f"担当は{weekdays}の{hours}（{rotation.timezone}）。"]
    parts.append(f"1シフトは{length}{handoff}、担当{shift.people}名。")
    holidays = rotation.holidays
    off = []
    if holidays.country:
        off.append(f"{holidays.country}の祝日")
    if holidays.closures or holidays.yearly:
        off.append(f"会社の休業日{len(holidays.closures) + len(holidays.yearly)}件")
    if off:
        parts.append(f"{'と'.join(off)}はお休みです。")
    if rules.volunteers_only:
        parts.append("担当は希望者のみ。")
    if rules.distinct_teams == DistinctTeams.REQUIRED:
        parts.append("同じシフトの担当者は別々のチームから。")
    elif rules.distinct_teams == DistinctTeams.PREFERRED:
        parts.append("同じシフトの担当者はなるべく別々のチームから。")
    if rules.min_gap:
        parts.append(f"担当と担当の間は{rules.min_gap}シフト以上あけます。")
    if rules.max_shifts is not None:
        parts.append(f"1人あたり期間中{rules.max_shifts}シフトまで。")
    if rotation.onboarding.shadow_shifts:
        shadow = rotation.onboarding.shadow_shifts
        parts.append(f"新メンバーは最初の{shadow}シフトをシャドーで担当します。")
    if rotation.fallback:
        parts.append(f"時間外の連絡先：{rotation.fallback}。")
    if rotation.escalation:
        parts.append(f"エスカレーション：{rotation.escalation.rstrip('。')}。")
    return "".join(parts)
