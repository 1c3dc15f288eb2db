"""The keys of a rotation file and of a schedule file, each with its reader and default.

These two tables are what the loader accepts, what the "unknown key, did you mean" error
lists, and the reference in docs/rotation-file.md (``python -m oncall.io.key_reference >
docs/rotation-file.md``): one declaration each, so the three cannot disagree. How a table
is read is ``oncall.io.schema``; how one value is read is ``oncall.io.readers``.
"""

from __future__ import annotations

from oncall import chats
from oncall.core.model import CHAT_TARGETS, FAIRNESS_UNITS, LANGUAGES
from oncall.core.schedule import LEDGER_FORMAT
from oncall.io.chat_keys import MEMBER_CHAT_KEYS, group_keys
from oncall.io.compensation_keys import COMPENSATION_KEYS
from oncall.io.escalation_keys import escalation
from oncall.io.incident_keys import INCIDENT_KEYS
from oncall.io.notice_keys import NOTICE_KEYS
from oncall.io.readers import (
    aware_datetime,
    boolean,
    choice,
    closures,
    date_or_range,
    dates,
    days_off,
    email,
    end_time,
    handle,
    handles,
    iso_date,
    ledger,
    names,
    published_events,
    rotation_id,
    shift_length,
    start_time,
    term_length,
    text,
    texts,
    timezone,
    unavailable,
    weekday,
    weekdays,
    whole_number,
)
from oncall.io.reminder_keys import REMINDER_KEYS
from oncall.io.schema import Key, Table
from oncall.io.wish_keys import WISH_KEYS


def _either(choices: tuple[str, ...]) -> str:
    """`a`, `b` or `c`."""
    return ", ".join(f"`{c}`" for c in choices[:-1]) + f" or `{choices[-1]}`"


ROTATION_KEYS = Table(
    "Rotation file",
    (
        Key(
            "rotation",
            "id `[a-z0-9-]+`",
            "Names the rotation in file names and calendar UIDs.",
            rotation_id,
            required=True,
        ),
        Key(
            "description",
            "text",
            "One line saying what the duty is for.",
            text,
            default="",
            default_doc='""',
        ),
        Key(
            "timezone",
            "IANA time zone",
            "All times and dates are local to it, e.g. `Asia/Tokyo`.",
            timezone,
            required=True,
        ),
        Key(
            "language",
            "`en` or `ja`",
            "Language of reminders, `who`, calendars, the site, `plan`'s explanations and "
            "holiday names.",
            choice(LANGUAGES),
            default="en",
            default_doc="`en`",
        ),
        Key("window", "mapping", "The hours of a duty day.", required=True),
        Key(
            "window.days",
            "list of weekdays",
            "Weekdays with duty (`mon` .. `sun`).",
            weekdays,
            default=frozenset(range(5)),
            default_doc="`[mon, tue, wed, thu, fri]`",
        ),
        Key(
            "window.start",
            "time `HH:MM`",
            "When duty starts; `00:00` to `23:59`. An unquoted 10:00 is read as 10:00.",
            start_time,
            required=True,
        ),
        Key(
            "window.end",
            "time `HH:MM`",
            "When duty ends; `24:00` is midnight, and an end "
            "before the start means the window ends the next day.",
            end_time,
            required=True,
        ),
        Key("holidays", "mapping", "Days that are never duty days."),
        Key(
            "holidays.country",
            "country code",
            "National holidays of this country "
            "(ISO 3166-1, e.g. `JP`), from the `holidays` package.",
            text,
            default_doc="none",
        ),
        Key(
            "holidays.subdivision",
            "text",
            "A state or prefecture code for regional holidays.",
            text,
            default_doc="none",
        ),
        Key(
            "holidays.closures",
            "list of dates or ranges",
            "Company days off: `2026-12-29` or an inclusive range `2026-12-29..2027-01-03`; "
            "`MM-DD` or `MM-DD..MM-DD` (`12-29..01-03`) for the same days every year.",
            closures,
            default=(),
            default_doc="`[]`",
        ),
        Key("shift", "mapping", "How duty days group into shifts.", required=True),
        Key(
            "shift.length",
            "`Nd` or `Nw`",
            "`Nd`: N calendar days from the term start; `Nw`: N weeks from the handoff day.",
            shift_length,
            required=True,
        ),
        Key(
            "shift.handoff",
            "weekday",
            "Weekday a weekly shift starts on; the first shift may be short.",
            weekday,
            default=0,
            default_doc="`mon`",
        ),
        Key(
            "shift.people",
            "whole number >= 1",
            "Primaries per shift (shadows do not count).",
            whole_number(1),
            default=1,
            default_doc="`1`",
        ),
        Key(
            "shift.cover",
            "`none` or `day`",
            "`day`: a member who cannot serve some days of a longer shift may still take it; "
            "`oncall plan` gives each such day a fair one-day cover (every rule applies to "
            "the cover), and who, remind, show and the exports name the cover that day.",
            choice(("none", "day")),
            default="none",
            default_doc="`none`",
        ),
        Key("term", "mapping", "The planning period; may come from `oncall plan --start` instead."),
        Key(
            "term.start",
            "date",
            "First day of the term (required unless `--start` is given).",
            iso_date,
            default_doc="`--start`",
        ),
        Key(
            "term.length",
            "`Nd`, `Nw` or `Nmo`",
            "Length of the term; not together with `end`. With weekly shifts (`Nw`), a "
            "length in weeks or months ends the day before the handoff weekday nearest to "
            "where the length alone ends (at most three days either way), so the term "
            "closes with a whole shift and the next one opens on the handoff day; a "
            "length in days (`Nd`) and daily shifts end where the length says.",
            term_length,
            default_doc="`3mo`",
        ),
        Key(
            "term.end",
            "date",
            "Last day of the term (inclusive), kept as given; not together with `length`.",
            iso_date,
            default_doc="start + length - 1 day, lined up with the handoff day",
        ),
        Key("rules", "mapping", "Hard rules the planner never breaks."),
        Key(
            "rules.volunteers_only",
            "true or false",
            "Only members with `volunteer: true` are scheduled.",
            boolean,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "rules.distinct_teams",
            "`required`, `preferred` or `off`",
            "Whether the primaries of one shift come from different teams.",
            choice(("required", "preferred", "off")),
            default="preferred",
            default_doc="`preferred`",
        ),
        Key(
            "rules.min_gap",
            "whole number >= 0",
            "At least this many other shifts between "
            "two shifts of one member (1 = never back to back).",
            whole_number(0),
            default=0,
            default_doc="`0`",
        ),
        Key(
            "rules.max_shifts",
            "whole number >= 1 or null",
            "Cap on shifts per member per term; null for none.",
            whole_number(1),
            default_doc="`null`",
        ),
        *NOTICE_KEYS,
        Key(
            "rules.fairness",
            "`days`, `hours` or `shifts`",
            "What fairness balances: duty days (a week shortened by a holiday counts four), "
            "hours of duty, or shifts. The shift count is always kept as even as the rules "
            "allow; `days` and `hours` then even out the duty within it.",
            choice(FAIRNESS_UNITS),
            default="days",
            default_doc="`days`",
        ),
        Key("onboarding", "mapping", "How newcomers start."),
        Key(
            "onboarding.shadow_shifts",
            "whole number >= 0",
            "A member with `new: true` first serves this many shifts as shadow (in a term "
            "where they cannot, they are not planned and keep them for a later one).",
            whole_number(0),
            default=2,
            default_doc="`2`",
        ),
        Key(
            "fallback",
            "text",
            "Who is responsible outside the window and when nobody is "
            'on duty, e.g. `"@sre-oncall"`.',
            text,
            default_doc="none",
        ),
        Key("escalation", "text, or a mapping (see Escalation below)", "When and to whom "
            "to escalate; as a mapping it also sets `oncall relay`'s timer.", escalation,
            default_doc="none"),
        *group_keys("fallback_group", "fallback"),
        *group_keys("escalation_group", "escalation"),
        Key("reminders", "mapping", "Text for the reminders `oncall remind` prints."),
        Key("reminders.manual", "text", "Link to the on-call manual.", text, default_doc="none"),
        Key(
            "reminders.chat",
            _either(CHAT_TARGETS),
            "Where `remind --post` posts: the payload and mention syntax of that chat "
            "(one page each in docs/chat/; `text`: plain text, no mentions). Members are "
            "mentioned by their id for it ("
            + ", ".join(f"`{chat.KEY}`" for chat in chats.WITH_IDS)
            + "); one without is named plainly.",
            choice(CHAT_TARGETS),
            default="slack",
            default_doc="`slack`",
        ),
        Key(
            "reminders.checklist",
            "list of text",
            "The pre-shift checklist.",
            texts,
            default=(),
            default_doc="`[]`",
        ),
        Key(
            "reminders.report",
            "list of text",
            "Fields of the end-of-duty report.",
            texts,
            default=(),
            default_doc="`[]`",
        ),
        *REMINDER_KEYS,
        *COMPENSATION_KEYS,
        *INCIDENT_KEYS,
        Key("members", "list of mappings", "The people in the rotation.", required=True, many=True),
        Key(
            "members[].handle",
            "handle `[A-Za-z0-9._-]+`",
            "Unique id and chat handle.",
            handle,
            required=True,
        ),
        Key(
            "members[].name",
            "text",
            "Display name, any Unicode text.",
            text,
            default_doc="the handle",
        ),
        Key(
            "members[].team",
            "text",
            "The member's team, for `distinct_teams`.",
            text,
            required=True,
        ),
        Key(
            "members[].email",
            "text",
            "The member's address, checked for its shape. Calendars carry no ATTENDEE: "
            "a published feed may not (RFC 5546), and Outlook would turn duty days into "
            "meeting requests.",
            email,
            default_doc="none",
        ),
        *MEMBER_CHAT_KEYS,
        Key(
            "members[].volunteer",
            "true or false",
            "Has raised a hand (see `rules.volunteers_only`).",
            boolean,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "members[].new",
            "true or false",
            "Shadows first (see `onboarding`).",
            boolean,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "members[].unavailable",
            "list of dates, ranges or weekdays",
            "Never on duty "
            "on these days: `2027-02-10`, `2027-02-10..2027-02-14` or `mon` (every week).",
            unavailable,
            default=(),
            default_doc="`[]`",
        ),
        *WISH_KEYS,
        Key(
            "members[].joined",
            "date",
            "First day they may be on duty; not planned before it.",
            iso_date,
            default_doc="none (a member from the start)",
        ),
        Key(
            "members[].left",
            "date",
            "The day they left: not on duty from this day on (their last possible duty "
            "day is the day before). `oncall plan` re-plans their later shifts and keeps "
            "the served ones; keep the member in the file rather than deleting them.",
            iso_date,
            default_doc="none (still a member)",
        ),
        Key(
            "members[].terms",
            "list of dates or null",
            "Only scheduled in terms starting on these dates; null for every term.",
            dates,
            default_doc="`null`",
        ),
    ),
)

SCHEDULE_KEYS = Table(
    "Schedule file",
    (
        Key(
            "rotation", "id", "The rotation this schedule belongs to.", rotation_id, required=True
        ),
        Key(
            "planned_at",
            "ISO date-time with offset",
            "When `oncall plan` wrote it.",
            aware_datetime,
            default_doc="none",
        ),
        Key("term", "mapping", "The planned term.", required=True),
        Key("term.start", "date", "First day.", iso_date, required=True),
        Key("term.end", "date", "Last day (inclusive).", iso_date, required=True),
        Key(
            "shifts",
            "list of mappings",
            "Planned shifts.",
            many=True,
            default=[],
            default_doc="`[]`",
        ),
        Key("shifts[].start", "date", "First day of the shift.", iso_date, required=True),
        Key("shifts[].end", "date", "Last day of the shift (inclusive).", iso_date, required=True),
        Key("shifts[].primary", "list of handles", "Members on duty.", handles, required=True),
        Key(
            "shifts[].covers",
            "list of mappings",
            "One-day covers inside the shift (`shift.cover: day`): on `date`, `in` serves "
            "instead of `out`.",
            many=True,
            default=[],
            default_doc="`[]`",
        ),
        Key("shifts[].covers[].date", "date", "The day covered.", iso_date, required=True),
        Key("shifts[].covers[].out", "handle", "The primary away that day.", handle, required=True),
        Key(
            "shifts[].covers[].in", "handle", "Who serves that day instead.", handle, required=True
        ),
        Key(
            "shifts[].shadow",
            "list of handles",
            "Newcomers learning alongside.",
            handles,
            default=(),
            default_doc="`[]`",
        ),
        Key(
            "overrides",
            "list of mappings",
            "Changes after planning; they win over shifts.",
            many=True,
            default=[],
            default_doc="`[]`",
        ),
        Key(
            "overrides[].dates",
            "date or range",
            "The days the override covers.",
            date_or_range,
            required=True,
        ),
        Key(
            "overrides[].out",
            "handle",
            "Who is off duty on those days.",
            handle,
            default_doc="none",
        ),
        Key("overrides[].in", "handle", "Who is on duty instead.", handle, default_doc="none"),
        Key("overrides[].reason", "text", "Why, for the team.", text, default_doc="none"),
        Key(
            "overrides[].forced",
            "true or false",
            "Recorded with `swap --force` despite a rule.",
            boolean,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "overrides[].excused",
            "true or false",
            "An excused absence (`swap --excused`): the days `out` loses count as served "
            "for fairness, so no debt is carried.",
            boolean,
            default=False,
            default_doc="`false`",
        ),
        Key(
            "overrides[].recorded_at",
            "ISO date-time with offset",
            "When it was recorded.",
            aware_datetime,
            default_doc="none",
        ),
        Key(
            "calendar",
            "mapping",
            "Days off stored by `oncall plan` so cron runs need no holiday tables.",
        ),
        Key(
            "calendar.basis",
            "text",
            "Fingerprint of the settings the days off came from.",
            text,
            default_doc="none",
        ),
        Key(
            "calendar.days_off",
            "mapping of date: name",
            "Holidays and closures in the term.",
            days_off,
            default_doc="none",
        ),
        Key(
            "people",
            "mapping of handle: {name, team}",
            "The name and team of everyone the schedule names (`aiko: {name: Aiko Sato, "
            "team: red}`), so a member later deleted from the roster is still read, named "
            "and shown with their team in this history. Files written before teams were "
            "recorded give the name alone (`aiko: Aiko Sato`), which still loads.",
            names,
            default_doc="none",
        ),
        Key(
            "ledger",
            "mapping of handle: duty",
            "Duty carried into this term from the earlier ones (written by `plan "
            "--next-term`; `validate` checks it against the kept terms): per person `days`, "
            "`minutes`, `shifts`, `shadow_shifts`, `holidays`, `swaps_given`, `swaps_taken` "
            "`credited` (duty days credited on joining) and `excused` (days lost to an excused "
            "absence, credited as served).",
            ledger,
            default_doc="none",
        ),
        Key(
            "ledger_format", "1 or 2",
            "2: ledger `minutes` are real elapsed time and part-term members credited pro rata;"
            " 1 (no key, older files): wall-clock minutes, no such credit.",
            whole_number(1, LEDGER_FORMAT), default_doc="1 with a ledger written before the key",
        ),
        Key(
            "published",
            "mapping of event: entry",
            "What the calendars were told, kept by `plan` and `swap`: for each event "
            "(`YYYYMMDD` team, `YYYYMMDD-handle` personal) its `SEQUENCE LAST-MODIFIED DIGEST`"
            ", or `cancelled` for an event withdrawn. `export` raises SEQUENCE from it.",
            published_events,
            default_doc="none (nothing recorded yet)",
        ),
    ),
)
