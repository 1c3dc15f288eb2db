"""Japanese, written the way a Japanese team writes in Slack, not word for word from the
English. Holds exactly the keys of ``en.py`` (tests/test_words.py).
"""

from __future__ import annotations

WEEKDAYS: tuple[str, ...] = ("月", "火", "水", "木", "金", "土", "日")
WEEKDAY_NAMES: tuple[str, ...] = ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜")
MONTHS: tuple[str, ...] = tuple(f"{month}月" for month in range(1, 13))
HOLIDAY_LOCALES: tuple[str, ...] = ("ja",)

TEXT: dict[str, str] = {
    # who, remind and the alert relay (render/messages.py)
    "duty.today": "本日 {date} のオンコール担当は {people} です（{window}）。"
    "よろしくお願いします！",
    "duty.next": "次のオンコール担当は {people} です（{date} {window}）。",
    "duty.no_duty_between": "{days}はオンコールお休みです。",
    "duty.checklist": "開始前に次の確認をお願いします：",
    "duty.handoff": "{people}、本日（{date}）のオンコールお疲れさまでした！"
    "終了報告をお願いします：",
    "duty.takes_over": "次の担当は {people} です（{date} {window}）。",
    "duty.nobody_next": "次の担当日はまだ計画されていません。",
    "duty.report_item": "{item}：",
    "duty.day_note": "{day}（{name}）",
    "duty.shadows": "シャドーとして {people} も入ります。",
    "duty.manual": "手順書: {url}",
    "duty.escalation": "エスカレーション: {text}",
    "duty.fallback": "時間外は {fallback} が対応します。",
    "duty.left_out": "（{chat}の上限 {limit} {unit}を超えるため、ほか{count}行を省略しました。"
    "全文: oncall remind --format text）",
    "duty.unit_characters": "文字",
    "duty.unit_bytes": "バイト",
    "duty.who_on": "{rotation}: 現在オンコール中（{date} {window}）",
    "duty.who_day": "{rotation}: {date} {window} の担当",
    "duty.who_off_window": "{rotation}: {time} は担当時間外です（{window}）",
    "duty.who_off_day": "{rotation}: {date} はオンコール日ではありません{why}",
    "duty.who_unstaffed": "{rotation}: {date} {window} の担当者が計画されていません",
    "duty.who_off_term": "{rotation}: {date} は計画済みの期間（{term}）の外です",
    "duty.primary": "担当",
    "duty.shadow": "シャドー",
    "duty.fallback_label": "時間外",
    "duty.cover": "代理: {into}（{out}の代わり）",
    "duty.day_off": "（{name}）",
    "duty.none": "（なし）",
    "duty.alert_firing": "[発生中:{count}] {title}",
    "duty.alert_resolved": "[解決済み] {title}",
    "duty.alert_on_duty": "担当: {people}",
    "duty.alert_more": "ほか {count} 件",
    "duty.alert_left_out": "（{chat}の上限 {limit} {unit}を超えるため、ほか{count}件のアラートを"
    "省略しました。全件は送信元で確認してください）",
    # the published site (render/site.py, the templates)
    "site.site_title": "オンコール当番表",
    "site.generated": "{time}（{zone}）に生成。"
    "次回の公開後にページを再読み込みすると最新になります。",
    "site.now_title": "現在の担当",
    "site.now_as_of": "{time} 時点",
    "site.until": "{time} まで",
    "site.nobody_now": "{time} の担当者はいません。",
    "site.fallback": "時間外・担当不在時の連絡先：{fallback}",
    "site.next_title": "次の担当",
    "site.next_from": "{time} から",
    "site.no_next": "この期間に次の担当日はありません。",
    "site.primary": "担当",
    "site.shadow": "シャドー",
    "site.calendar": "カレンダー",
    "site.rules": "ルール",
    "site.feeds": "カレンダーとデータ",
    "site.team_feed": "チームのカレンダー（.ics）",
    "site.all_feed": "全ローテーション（.ics）",
    "site.csv": "表計算用（.csv）",
    "site.json": "スクリプト用の当番表（.json）",
    "site.people": "メンバー",
    "site.fairness": "メンバーごとの担当日数",
    "site.fairness_this": "今期",
    "site.fairness_earlier": "前期までの累計",
    "site.fairness_desc": "メンバーごとの担当日数（今期と前期まで）。",
    "site.member": "メンバー",
    "site.team": "チーム",
    "site.days": "担当日数",
    "site.shadow_days": "シャドー日数",
    "site.legend": "* 交代・代理で変わった日、（名前）はシャドー、枠で囲んだ日が今日です。",
    "site.changed": "交代・代理あり",
    "site.today": "今日",
    "site.upcoming": "これからの担当",
    "site.past": "これまでの担当",
    "site.swaps": "交代・代理",
    "site.none": "なし",
    "site.date": "日付",
    "site.role": "役割",
    "site.with": "一緒に担当",
    "site.subscribe": "購読",
    "site.subscribe_webcal": "カレンダーアプリで購読する",
    "site.subscribe_https": "カレンダーのURL（Google カレンダーの「URL で追加」に貼り付け）",
    "site.subscribe_local": "カレンダー（.ics）をダウンロード。--base-url を付けて公開すると、"
    "変更に追従する購読リンクになります。",
    "site.back": "{rotation} に戻る",
    "site.home": "すべてのローテーション",
    "site.term": "期間 {term}",
    "site.terms": "期間 {terms}",
    "site.swap_line": "{dates}：{out} → {in_}",
    "site.reason": "（{reason}）",
    "site.forced": "［強制］",
    "site.nobody": "なし",
    # exported calendars (render/ics.py)
    "ics.title": "オンコール: {names}",
    "ics.category": "オンコール",
    "ics.summary": "{rotation}: {people}",
    "ics.summary_shadow": "（シャドー: {people}）",
    "ics.summary_nobody": "{rotation}: 担当者なし",
    "ics.summary_fallback": "（時間外: {fallback}）",
    "ics.no_primary": "担当なし",
    "ics.nobody": "なし",
    "ics.role": "あなたの役割: {role}",
    "ics.with": "一緒に担当: {people}",
    "ics.on_duty": "担当: {people}",
    "ics.hours": "時間: {window} {timezone}",
    "ics.fallback": "時間外: {fallback}",
    "ics.escalation": "エスカレーション: {text}",
    "ics.manual": "手順書: {url}",
    "ics.changed": "変更: {out} → {in_}",
    "ics.changed_reason": "（{reason}）",
    "ics.cancelled_person": "取消: {rotation}: {name} さんの担当はなくなりました",
    "ics.cancelled_person_text": "{day} の {name} さんの担当はなくなりました。",
    "ics.cancelled_day": "取消: {rotation}: {day} はオンコールなし",
    "ics.cancelled_day_text": "{day} はオンコール日ではなくなりました。",
    "ics.day_off": "{day} は休日です: {name}",
    "ics.on_duty_now": "現在の担当: {people}",
    "ics.primary": "担当",
    "ics.shadow": "シャドー",
    "ics.who": "{name}（@{handle}、{team}、{role}）",
    "ics.who_unknown": "@{handle}（{role}）",
    "ics.separator": "、",
    # show --month (render/month.py)
    "month.today": "今日",
    "month.legend": "* 交代・代理  (h) シャドー",
    "month.mine": "> {h}: 担当日",
    # the site's rules paragraph (render/site_text.py: rules_paragraph)
    "rules.on_duty": "担当は{weekdays}の{hours}（{timezone}）。",
    "rules.weekday_separator": "・",
    "rules.length_week": "{count}週間",
    "rules.length_weeks": "{count}週間",
    "rules.length_day": "{count}日",
    "rules.length_days": "{count}日",
    "rules.handoff": "（{day}交代）",
    "rules.shifts": "1シフトは{length}{handoff}、担当{people}名。",
    "rules.region": "{country}",
    "rules.region_country": "{country}",
    "rules.holidays": "{region}の祝日",
    "rules.closures": "会社の休業日{count}件",
    "rules.days_off": "{days}はお休みです。",
    "rules.days_off_separator": "と",
    "rules.volunteers_only": "担当は希望者のみ。",
    "rules.teams_required": "同じシフトの担当者は別々のチームから。",
    "rules.teams_preferred": "同じシフトの担当者はなるべく別々のチームから。",
    "rules.min_gap": "担当と担当の間は{count}シフト以上あけます。",
    "rules.max_shifts": "1人あたり期間中{count}シフトまで。",
    "rules.shadows": "新メンバーは最初の{count}シフトをシャドーで担当します。",
    "rules.fallback": "時間外の連絡先：{fallback}。",
    "rules.escalation": "エスカレーション：{text}。",
    "rules.full_stop": "。",
    "rules.separator": "",
    # how dates, hours, people and lists are written
    "format.day": "{month}月{day}日({weekday})",
    "format.month": "{year}年{month}月",
    "format.window": "{start}〜{end}",
    "format.window_overnight": "{start}〜翌{end}",
    "format.honorific": "{who} さん",
    "list.separator": "、",
    "list.last_separator": "、",
    # the duty calendar (core/calendar.py)
    "calendar.closure": "会社休業日",
    # why no plan exists (planner/explain.py, planner/explain_teams.py, planner/optimise.py)
    "plan.infeasible": "{rotation}: ルールをすべて満たす計画はありません。何も書き込んでいません。",
    "plan.more_shifts": "……ほか{count}シフト",
    "plan.short_of_teams": "{span}: distinct_teams: required では{seats}チームが必要ですが、"
    "担当できる{able}名は全員が{teams}です",
    "plan.one_team": "チーム {team} の所属",
    "plan.some_teams": "チーム {teams} のいずれかの所属",
    "plan.blocked": "{handle}（{reasons}）",
    "plan.reason_separator": "；",
    "plan.still_shadowing": "{handle}（新メンバーでシャドー期間中）",
    "plan.not_eligible": "。ほか{count}名は対象外です（希望者でない、またはこの期間は担当しない）",
    "plan.nobody_available": "{span}: 担当できる人がいません: {blocked}{tail}",
    "plan.no_members": "メンバーなし",
    "plan.too_few_able": "{span} には担当が{seats}名必要ですが、担当できるのは {able} だけです"
    "{blocked}{tail}",
    "plan.not_available": "。担当できない人: {blocked}",
    "plan.newcomer": "{handle} は新メンバーのため、まず経験者の担当と一緒に{shadows}シフトを"
    "シャドーで担当する必要があります",
    "plan.newcomer_no_mentor": "{start}が、この期間に担当する経験者がいません",
    "plan.newcomer_no_overlap": "{start}が、{handle} と経験者がともに担当できるシフトは"
    "{count}シフトしかありません（{need}シフト必要）",
    "plan.newcomer_no_room": "{start}が、min_gap {min_gap} と max_shifts {max_shifts} では"
    "{need}シフト分の余地がありません",
    "plan.gap_window": "{span}: min_gap {min_gap} ではこの{width}シフトのうち2つを同じ人が"
    "担当できないため、{wanted}名の別々の人が必要ですが、担当できるのは{count}名だけです"
    "{names}",
    "plan.gap_window_names": "（{names}）",
    "plan.forced_max_shifts": "{why}が、max_shifts は {max_shifts} です",
    "plan.forced_counting": "（担当済み・シャドー分を含めると{count}シフト）",
    "plan.forced_min_gap_row": "{why}が、min_gap {min_gap} のため {handle} は連続して担当"
    "できません",
    "plan.forced_min_gap_both": "{why}（{second} も）が、min_gap {min_gap} のため {handle} は"
    "両方を担当できません",
    "plan.forced_min_gap_pair": "{why}。{second} も {handle} なしでは埋まりませんが、"
    "min_gap {min_gap} のため {handle} は両方を担当できません",
    "plan.alone_fails": "{text}。このルールを緩めるだけでは計画できません",
    "plan.alone_fails_teams": "{text}。min_gap か distinct_teams を緩めるだけでは計画できません",
    "plan.exists_with": "{text}。{labels} なら計画できます",
    "plan.or_with": "、または ",
    "plan.label_min_gap": "min_gap {value}",
    "plan.label_max_shifts": "max_shifts {value}",
    "plan.label_no_max_shifts": "max_shifts なし",
    "plan.label_teams_preferred": "distinct_teams: preferred",
    "plan.label_teams_off": "distinct_teams: off",
    "plan.label_no_shadows": "シャドーなし",
    "plan.amount_all": "全{total}シフト",
    "plan.amount_some": "全{total}シフトのうち{count}シフト",
    "plan.group_2": "2人組",
    "plan.group_3": "3人組",
    "plan.group_n": "{seats}人のシフト",
    "plan.team_of_one": "チーム {team} のメンバーは {handle} だけです",
    "plan.team_only_member": "その期間に担当できるチーム {team} のメンバーは {handle} だけです",
    "plan.forced_team": "{who}。{group}を別々のチームから組む必要があるため、{handle} が"
    "{what}を担当しなければなりません",
    "plan.forced_people": "{handle} が{what}を担当しなければなりません"
    "（どのシフトも担当できるのは{seats}名だけです）",
    "plan.forced_other": "{handle} が{what}を担当しなければなりません"
    "（ほかに担当できる人やチームが足りません）",
    "plan.not_proven": "探索の上限（1回あたり{budget}単位の計算）までに計画は見つかりません"
    "でしたが、不可能とも証明されていません。別の --seed を試すか、min_gap、max_shifts、"
    "distinct_teams を緩めてください",
    "plan.together": "どれか1つのルールのせいではありませんが、組み合わせると人が足りません。"
    "{labels} なら計画できます",
    "plan.label_separator": "、",
    "plan.cannot_fill": "対象の{eligible}名では、ルールをすべて守って{shifts}シフトそれぞれの"
    "{seats}枠を埋められません",
    "plan.blame_min_gap": "min_gap {min_gap} では、対象の{eligible}名で全シフトの{seats}枠を"
    "埋められません",
    "plan.blame_max_shifts": "max_shifts {max_shifts} では、対象の{eligible}名で{seats}枠を"
    "埋められません",
    "plan.blame_teams": "distinct_teams: required では別々のチームの組み合わせが足りません",
    "plan.blame_shadows": "新メンバー {names} はまず経験者の担当と一緒に{shadows}シフトずつ"
    "シャドーで担当する必要があり、担当が足りなくなります",
    "plan.nth_2": "2",
    "plan.nth_3": "3",
    "plan.nth_4": "4",
    "plan.nth_n": "{n}",
    "plan.unit_day": "日",
    "plan.unit_shift": "シフト",
    "plan.every_nth": "{nth}{unit}に1回",
    "plan.every": "毎{unit}",
    "plan.some_shifts": "{count}シフト",
    "plan.member_of_team": "チーム {team} の {handle}",
    "plan.away": "（{names} はその期間担当できません）",
    "plan.cannot_serve": "{handle} は {spans}{more} を担当できません",
    "plan.and_more": " ほか",
    "plan.turns": "{first} から {last} まで、チーム {team} が{what}担当しなければなりません。"
    "{group}を別々のチームから組む必要があり、ほかのチームだけでは埋まりません{missing}。"
    "min_gap {min_gap} では、メンバー {mates} は{every}しか交代で担当できません{breaks}",
    "plan.turns_breaks": "。しかも {breaks}",
    "plan.shortage": "{span}: {group}を別々のチームから組む必要があり、チーム {team} は"
    "1シフトに1枠しか担当できないため、ほかのチームがこの{spacing}シフトで{needed}枠を"
    "埋める必要があります。min_gap {min_gap} ではその中で2回担当する人はおらず、"
    "担当できるメンバーは{able}名だけです",
    "plan.without_covers": "不可能とは証明されていません: shift.cover: day で {pairs} の"
    "一部の日に代理が見つからず、その日を除いて計画しました。ほかの代理なら計画できる"
    "かもしれません",
}
