"""English: the reference catalogue. Every other language holds exactly its keys
(tests/test_words.py); placeholders in braces are filled by ``oncall.words.say``.
"""

from __future__ import annotations

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
# The holidays package's languages for holiday names, best first.
HOLIDAY_LOCALES: tuple[str, ...] = ("en_US", "en_GB", "en")

TEXT: dict[str, str] = {
    # who, remind and the alert relay (render/messages.py)
    "duty.today": "On call today, {date} {window}: {people}.",
    "duty.next": "Next on call, {date} {window}: {people}.",
    "duty.no_duty_between": "No duty on {days}.",
    "duty.checklist": "Before your shift:",
    "duty.handoff": "{people}: thank you for your on-call duty today ({date}). Please post your "
    "end-of-duty report:",
    "duty.takes_over": "Taking over: {people}, {date} {window}.",
    "duty.nobody_next": "No later duty day is planned yet.",
    "duty.report_item": "{item}:",
    "duty.day_note": "{day} ({name})",
    "duty.shadows": "Shadowing: {people}.",
    "duty.manual": "Manual: {url}",
    "duty.escalation": "Escalation: {text}",
    "duty.fallback": "Outside the window: {fallback}",
    "duty.left_out": "({count} more lines left out: {chat} takes at most {limit} {unit}; the full "
    "text: oncall remind --format text)",
    "duty.unit_characters": "characters",
    "duty.unit_bytes": "bytes",
    "duty.who_on": "{rotation}: on duty now ({date} {window})",
    "duty.who_day": "{rotation}: on duty {date} {window}",
    "duty.who_off_window": "{rotation}: nobody on duty at {time} (outside the window {window})",
    "duty.who_off_day": "{rotation}: nobody on duty on {date} (not a duty day{why})",
    "duty.who_unstaffed": "{rotation}: nobody is planned for {date} {window}",
    "duty.who_off_term": "{rotation}: nobody on duty on {date}: outside the planned term {term}",
    "duty.primary": "primary",
    "duty.shadow": "shadow",
    "duty.fallback_label": "fallback",
    "duty.cover": "cover: {into} for {out}",
    "duty.day_off": ": {name}",
    "duty.none": "(none)",
    "duty.alert_firing": "[FIRING:{count}] {title}",
    "duty.alert_resolved": "[RESOLVED] {title}",
    "duty.alert_on_duty": "On call: {people}",
    "duty.alert_more": "and {count} more",
    # oncall cover --post
    "duty.cover_request": "Cover needed: {member} cannot serve these on-call days.",
    "duty.cover_day": "{date}: could {people} take it?",
    "duty.cover_nobody": "nobody can take it without breaking a rule",
    "duty.cover_reply": "Reply here; the lead records it with oncall swap.",
    # plan --notify, swap --notify
    "duty.moved_title": "On-call duty changed in {rotation}:",
    "duty.moved_lost": "no longer on {days}",
    "duty.moved_gained": "now on {days}",
    "duty.moved_see": "(changed by oncall {command})",
    "duty.moved_both": "{lost}; {gained}",
    "duty.alert_left_out": "({count} more alerts left out: {chat} takes at most {limit} {unit}; "
    "the sender lists them all)",
    # the published site (render/site.py, the templates)
    "site.site_title": "On-call rotations",
    "site.generated": "Generated {time} ({zone}). Reload the page after the next publish for a "
    "newer answer.",
    "site.now_title": "On duty now",
    "site.now_as_of": "As of {time}",
    "site.until": "until {time}",
    "site.nobody_now": "Nobody is on duty at {time}.",
    "site.off_hours": "Outside on-call hours (duty runs {window}).",
    "site.off_day": "No on-call duty today{why}.",
    "site.fallback": "Outside the window and when nobody is on duty: {fallback}",
    "site.next_title": "Next",
    "site.next_from": "from {time}",
    "site.no_next": "No later duty day is planned in this term.",
    "site.primary": "primary",
    "site.shadow": "shadow",
    "site.calendar": "Calendar",
    "site.rules": "Rules",
    "site.feeds": "Calendars and data",
    "site.team_feed": "Team calendar (.ics)",
    "site.all_feed": "All rotations (.ics)",
    "site.csv": "Spreadsheet (.csv)",
    "site.json": "Schedule for scripts (.json)",
    "site.people": "People",
    "site.fairness": "Duty days per person",
    "site.fairness_this": "this term",
    "site.fairness_earlier": "earlier terms (ledger)",
    "site.fairness_desc": "Primary duty days per person: this term, and the ledger of earlier "
    "terms.",
    "site.member": "Person",
    "site.team": "Team",
    "site.days": "Duty days",
    "site.shadow_days": "Shadow days",
    "site.legend": "* a swap or cover changed this day; (name): shadow; today is outlined.",
    "site.changed": "changed by a swap or cover",
    "site.today": "today",
    "site.upcoming": "Upcoming duties",
    "site.past": "Past duties",
    "site.swaps": "Swaps and covers",
    "site.none": "None.",
    "site.date": "Date",
    "site.role": "Role",
    "site.with": "With",
    "site.subscribe": "Subscribe",
    "site.subscribe_all": "One calendar for all your rotations",
    "site.subscribe_webcal": "Subscribe in your calendar app",
    "site.subscribe_https": "Calendar address (paste into Google Calendar: From URL)",
    "site.subscribe_local": "Download the calendar (.ics) and import it into your calendar "
    "app. Download it again after a change.",
    "site.back": "Back to {rotation}",
    "site.home": "All rotations",
    "site.term": "Term {term}",
    "site.terms": "Terms {terms}",
    "site.swap_line": "{dates}: {out} → {in_}",
    "site.reason": " ({reason})",
    "site.forced": " [forced]",
    "site.nobody": "nobody",
    # exported calendars (render/ics.py)
    "ics.title": "On call: {names}",
    "ics.category": "On call",
    "ics.summary": "{rotation}: {people}",
    "ics.summary_shadow": " (shadow: {people})",
    "ics.summary_nobody": "{rotation}: nobody on duty",
    "ics.summary_fallback": " (fallback {fallback})",
    "ics.no_primary": "no primary",
    "ics.nobody": "nobody",
    "ics.role": "Your role: {role}",
    "ics.with": "With: {people}",
    "ics.on_duty": "On duty: {people}",
    "ics.hours": "Hours: {window} {timezone}",
    "ics.fallback": "Fallback: {fallback}",
    "ics.escalation": "Escalation: {text}",
    "ics.manual": "Manual: {url}",
    "ics.changed": "Changed: {out} -> {in_}",
    "ics.changed_reason": " ({reason})",
    "ics.cancelled_person": "Cancelled: {rotation}: {name} no longer on duty",
    "ics.cancelled_person_text": "{name} is no longer on duty on {day}.",
    "ics.cancelled_day": "Cancelled: {rotation}: no duty on {day}",
    "ics.cancelled_day_text": "{day} is no longer a duty day.",
    "ics.day_off": "{day} is a day off: {name}.",
    "ics.on_duty_now": "On duty now: {people}",
    "ics.primary": "primary",
    "ics.shadow": "shadow",
    "ics.who": "{name} (@{handle}, {team}, {role})",
    "ics.who_unknown": "@{handle} ({role})",
    "ics.separator": ", ",
    # show --month (render/month.py)
    "month.today": "today",
    "month.legend": "* swap or cover  (h) shadow",
    "month.mine": "> {h}: on duty",
    # show (render/show.py)
    "show.date": "Date",
    "show.day": "Day",
    "show.primary": "Primary",
    "show.shadow": "Shadow",
    "show.note": "Note",
    "show.note_separator": "; ",
    "show.override": "* {out} -> {in_}{why}{forced}",
    "show.reason": " ({reason})",
    "show.forced": " [forced]",
    "show.no_duty_days": "no duty days in this range",
    "show.member": "Member",
    "show.name": "Name",
    "show.team": "Team",
    "show.shifts": "Shifts",
    "show.days": "Days",
    "show.plus_shadow": " +{count} shadow",
    "show.load_title": "Load over the term {term} (primary shifts)",
    # the site's rules paragraph (render/site_text.py: rules_paragraph)
    "rules.on_duty": "On duty {weekdays}, {hours} ({timezone}).",
    "rules.weekday_separator": ", ",
    "rules.length_week": "{count} week",
    "rules.length_weeks": "{count} weeks",
    "rules.length_day": "{count} day",
    "rules.length_days": "{count} days",
    "rules.handoff": ", handed over on {day}",
    "rules.shifts": "Shifts of {length}{handoff}, {people} primary per shift.",
    "rules.region": "{country}-{subdivision}",
    "rules.region_country": "{country}",
    "rules.holidays": "{region} public holidays",
    "rules.closures": "{count} company closure(s)",
    "rules.days_off": "Days off: {days}.",
    "rules.days_off_separator": " and ",
    "rules.volunteers_only": "Only volunteers serve.",
    "rules.teams_required": "The people of a shift come from different teams.",
    "rules.teams_preferred": "The people of a shift come from different teams where possible.",
    "rules.min_gap": "At least {count} shift(s) between a person's duties.",
    "rules.max_shifts": "At most {count} shift(s) per person per term.",
    "rules.shadows": "Newcomers shadow {count} shift(s) first.",
    "rules.fallback": "Outside the window: {fallback}.",
    "rules.escalation": "Escalation: {text}.",
    "rules.full_stop": ".",
    "rules.separator": " ",
    # how dates, hours, people and lists are written
    "format.day": "{weekday} {iso}",
    "format.month": "{name} {year}",
    "format.window": "{start}-{end}",
    "format.window_overnight": "{start}-{end} next day",
    "format.honorific": "{who}",
    "list.separator": ", ",
    "list.last_separator": " and ",
    # the duty calendar (core/calendar.py)
    "calendar.closure": "Company closure",
    # why no plan exists (planner/explain.py, planner/explain_teams.py, planner/optimise.py)
    "plan.infeasible": "{rotation}: the rules cannot all hold; nothing was written.",
    "plan.more_shifts": "... and {count} more shift(s)",
    "plan.short_of_teams": "{span}: distinct_teams: required needs {seats} teams, but all "
    "{able} members who can serve it are in {teams}",
    "plan.one_team": "team {team}",
    "plan.some_teams": "teams {teams}",
    "plan.blocked": "{handle} ({reasons})",
    "plan.reason_separator": "; ",
    "plan.still_shadowing": "{handle} (new, still shadowing)",
    "plan.not_eligible": "; {count} other member(s) are not eligible (not volunteers, or not "
    "serving this term)",
    "plan.nobody_available": "{span}: nobody is available: {blocked}{tail}",
    "plan.no_members": "no members",
    "plan.too_few_able": "{span} needs {seats} primaries but only {able} can serve it"
    "{blocked}{tail}",
    "plan.not_available": "; not available: {blocked}",
    "plan.newcomer": "{handle} is new and must first shadow {shadows} shift(s) beside an "
    "experienced primary",
    "plan.newcomer_no_mentor": "{start}, but no experienced member serves this term",
    "plan.newcomer_no_overlap": "{start}, but only {count} shift(s) have both {handle} and an "
    "experienced member available ({need} needed)",
    "plan.newcomer_no_room": "{start}, but min_gap {min_gap} and max_shifts {max_shifts} leave "
    "room for fewer than {need}",
    "plan.gap_window": "{span}: with min_gap {min_gap} nobody may serve two of these {width} "
    "shifts, so they need {wanted} different people, but only {count} can serve them{names}",
    "plan.gap_window_names": " ({names})",
    "plan.forced_max_shifts": "{why}, but max_shifts is {max_shifts}",
    "plan.forced_counting": " and {count} shift(s) counting those already served or shadowed",
    "plan.forced_min_gap_row": "{why}, but min_gap {min_gap} keeps {handle} from serving two "
    "shifts in a row",
    "plan.forced_min_gap_both": "{why} and {second}, but min_gap {min_gap} keeps {handle} from "
    "serving both",
    "plan.forced_min_gap_pair": "{why}, and {second} cannot be filled without them, but min_gap "
    "{min_gap} keeps {handle} from serving both",
    "plan.alone_fails": "{text}; relaxing that rule alone does not make a plan exist",
    "plan.alone_fails_teams": "{text}; relaxing min_gap or distinct_teams alone does not make a "
    "plan exist",
    "plan.exists_with": "{text}: a plan exists with {labels}",
    "plan.or_with": ", or with ",
    "plan.label_min_gap": "min_gap {value}",
    "plan.label_max_shifts": "max_shifts {value}",
    "plan.label_no_max_shifts": "no max_shifts",
    "plan.label_teams_preferred": "distinct_teams: preferred",
    "plan.label_teams_off": "distinct_teams: off",
    "plan.label_no_shadows": "no shadow shifts",
    "plan.amount_all": "all {total} shifts",
    "plan.amount_some": "{count} of the {total} shifts",
    "plan.group_2": "pairs",
    "plan.group_3": "triples",
    "plan.group_n": "shifts of {seats}",
    "plan.team_of_one": "team {team} has one member, {handle}",
    "plan.team_only_member": "the only member of team {team} available then is {handle}",
    "plan.forced_team": "{who}; with {group} from different teams required, {handle} must "
    "serve {what}",
    "plan.forced_people": "{handle} must serve {what}: only {seats} member(s) can serve each of "
    "them",
    "plan.forced_other": "{handle} must serve {what}: too few people or teams can serve them "
    "otherwise",
    "plan.not_proven": "no plan was found within the search budget ({budget} units of work per "
    "try), but none was proven impossible either: try another --seed, or relax min_gap, "
    "max_shifts or distinct_teams",
    "plan.together": "no single rule is to blame, but together they leave too few people: a "
    "plan exists with {labels}",
    "plan.label_separator": ", ",
    "plan.cannot_fill": "the {eligible} eligible member(s) cannot fill {seats} seat(s) on each "
    "of the {shifts} shift(s) under the rules together",
    "plan.blame_min_gap": "with min_gap {min_gap}, the {eligible} eligible member(s) cannot "
    "fill {seats} seat(s) on every shift",
    "plan.blame_max_shifts": "with max_shifts {max_shifts}, the {eligible} eligible member(s) "
    "cannot fill {seats} seat(s)",
    "plan.blame_teams": "distinct_teams: required leaves too few pairs from different teams",
    "plan.blame_shadows": "newcomers {names} must first shadow {shadows} shift(s) each beside "
    "an experienced primary, which leaves too few primaries",
    "plan.nth_2": "other",
    "plan.nth_3": "third",
    "plan.nth_4": "fourth",
    "plan.nth_n": "{n}th",
    "plan.unit_day": "day",
    "plan.unit_shift": "shift",
    "plan.every_nth": "every {nth} {unit}",
    "plan.every": "every {unit}",
    "plan.some_shifts": "{count} of the shifts",
    "plan.member_of_team": "{handle} of team {team}",
    "plan.away": " ({names} cannot serve then)",
    "plan.cannot_serve": "{handle} cannot serve {spans}{more}",
    "plan.and_more": " and more",
    "plan.turns": "from {first} to {last} team {team} must serve {what}: with {group} from "
    "different teams required, the other teams cannot fill them alone{missing}; with min_gap "
    "{min_gap} its members {mates} can only take turns {every}{breaks}",
    "plan.turns_breaks": ", but {breaks}",
    "plan.shortage": "{span}: with {group} from different teams required, team {team} can take "
    "one seat a shift, so the other teams must fill {needed} seats of these {spacing} shifts; "
    "with min_gap {min_gap} nobody serves two of them, and only {able} of their members can "
    "serve",
    "plan.without_covers": "not proven impossible: with shift.cover: day no cover could be found "
    "for some days of {pairs}, so those shifts were planned without them; other covers might "
    "make a plan exist",
}
