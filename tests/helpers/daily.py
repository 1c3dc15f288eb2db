"""A small rotation with a hand-made schedule on disk, for the daily commands' tests.

Term 2027-01-04..2027-01-29 (four weekly shifts, Asia/Tokyo, JP holidays: Monday
2027-01-11 is Coming of Age Day). The schedule stores the days off the way `plan` does,
so `who` and `remind` never need the holiday tables.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from oncall.core.calendar import calendar_basis, days_off
from oncall.core.schedule import Override, Schedule, Shift
from oncall.io.loading import load_rotation_and_term, schedule_path_for
from oncall.io.schedule_text import dump_schedule

ROTATION = """\
rotation: app
timezone: Asia/Tokyo
language: {language}
window:
  days: [mon, tue, wed, thu, fri]
  start: "{start}"
  end: "{end}"
holidays:
  country: JP
  closures:
    - 2026-12-29..2027-01-03
shift:
  length: 1w
  handoff: mon
  people: 2
term:
  start: 2027-01-04
  end: 2027-01-29
rules:
  volunteers_only: true
  distinct_teams: required
  min_gap: 1
onboarding:
  shadow_shifts: 1
fallback: "@sre-oncall"
escalation: {escalation}
reminders:
  manual: https://wiki.example.com/oncall/manual?a=1&b=2
  checklist:
{checklist}
  report:
{report}
members:
  - {{handle: aiko, name: {aiko}, team: payments, slack: U0AIKO, volunteer: true}}
  - {{handle: ken, name: "Ken <R&D>", team: search, volunteer: true}}
  - {{handle: taro, name: Taro Tanaka, team: search, slack: U0TARO, volunteer: true}}
  - {{handle: li, name: Li Wei, team: platform, volunteer: true,
      unavailable: [2027-01-06]}}
  - {{handle: raj, name: Raj Patel, team: platform, volunteer: true}}
  - {{handle: mei, name: Mei Ito, team: platform, volunteer: true, new: true}}
"""

TEXTS = {
    "en": {
        "escalation": "Escalate to SRE after 30 minutes",
        "checklist": ["Mentions reach you in real time", "You can log in to every tool"],
        "report": ["Request count change", "Hand-off notes"],
        "aiko": "Aiko Sato",
    },
    "ja": {
        "escalation": "30分以内に解決しない場合はSREにエスカレーション",
        "checklist": ["メンションをリアルタイムで受け取れる", "監視ツールにログインできる"],
        "report": ["リクエスト数の変化", "引き継ぎ事項"],
        "aiko": "佐藤 愛子",
    },
}

SHIFTS = (
    Shift(date(2027, 1, 4), date(2027, 1, 10), ("aiko", "ken"), ("mei",)),
    Shift(date(2027, 1, 11), date(2027, 1, 17), ("taro", "li")),
    Shift(date(2027, 1, 18), date(2027, 1, 24), ("aiko", "ken")),
    Shift(date(2027, 1, 25), date(2027, 1, 29), ("taro", "mei")),
)


def make_rotation(
    root: Path,
    *,
    language: str = "en",
    start: str = "10:00",
    end: str = "17:00",
    overrides: tuple[Override, ...] = (),
    store_days_off: bool = True,
) -> Path:
    """Write ``root/rotations/app.yaml`` and its schedule; return the rotation path."""
    texts = TEXTS[language]
    folder = root / "rotations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "app.yaml"
    path.write_text(
        ROTATION.format(
            language=language,
            start=start,
            end=end,
            escalation=texts["escalation"],
            checklist="\n".join(f"    - {item}" for item in texts["checklist"]),
            report="\n".join(f"    - {item}" for item in texts["report"]),
            aiko=texts["aiko"],
        ),
        encoding="utf-8",
    )
    rotation, term = load_rotation_and_term(path)
    schedule = Schedule(
        rotation=rotation.id,
        planned_at=datetime(2026, 12, 1, 10, 0, tzinfo=rotation.tz),
        term=term,
        shifts=SHIFTS,
        overrides=overrides,
        days_off=days_off(rotation, term.start, term.end) if store_days_off else None,
        calendar_basis=calendar_basis(rotation, term.start, term.end) if store_days_off else None,
    )
    schedule_path_for(path).write_text(dump_schedule(schedule), encoding="utf-8")
    return path

