"""Warnings about rosters that cannot work well, found before any plan exists.

`oncall validate` shows them beside the rule check: a member who can never take a whole
shift, too few eligible people for the seats and ``min_gap``, too few teams for
``distinct_teams: required``, nobody experienced for newcomers to shadow. Each warning asks
``oncall.core.rules`` who may serve and when, so the warnings and the planner agree on
what the rules allow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from oncall import chats
from oncall.core.availability import can_take_slot
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import DistinctTeams, Member, Rotation
from oncall.core.rules import ERROR, WARNING, Violation, eligible_members, gap_run


def roster_warnings(rotation: Rotation, calendar: DutyCalendar) -> list[Violation]:
    """Every warning about the roster of ``rotation`` over ``calendar``, in a fixed order."""
    eligible = eligible_members(rotation, calendar.term)
    return [
        *_never_a_whole_shift(rotation, calendar, eligible),
        *_too_few_members(rotation, calendar, eligible),
        *_too_few_teams(rotation, eligible),
        *_nobody_to_shadow(rotation, eligible),
    ]


def _never_a_whole_shift(
    rotation: Rotation, calendar: DutyCalendar, eligible: list[Member]
) -> list[Violation]:
    """Eligible members whose availability leaves no shift of the term they could serve.
    A member who leaves by the term's end (or joins after it) is left out: their
    membership, not their availability, is why, and the planner already plans without
    them."""
    if not calendar.slots:
        return []
    eligible = [m for m in eligible if _stays_through(m, calendar)]
    return [
        Violation(
            "availability",
            f"{member.handle} can never take a whole shift this term",
            (),
            (member.handle,),
            WARNING,
        )
        for member in eligible
        if not any(can_take_slot(rotation, calendar.term, member, slot) for slot in calendar.slots)
    ]


def _stays_through(member: Member, calendar: DutyCalendar) -> bool:
    """Whether ``member`` neither leaves before the term ends nor joins after it."""
    leaves = member.left is not None and member.left <= calendar.last
    return not leaves and (member.joined is None or member.joined <= calendar.last)


def _too_few_members(
    rotation: Rotation, calendar: DutyCalendar, eligible: list[Member]
) -> list[Violation]:
    """Fewer eligible members than the seats of one shift, or than ``min_gap`` needs."""
    seats = rotation.shift.people
    if len(eligible) < seats:
        return [
            Violation(
                "people",
                f"{len(eligible)} eligible member(s) for {seats} seat(s) per shift",
                (),
                tuple(m.handle for m in eligible),
                WARNING,
            )
        ]
    needed = seats * gap_run(rotation, len(calendar.slots))
    if rotation.rules.min_gap and len(eligible) < needed:
        return [
            Violation(
                "min_gap",
                f"{len(eligible)} eligible member(s) cannot fill {seats} seat(s) per shift "
                f"with min_gap {rotation.rules.min_gap}: at least {needed} are needed",
                (),
                (),
                WARNING,
            )
        ]
    return []




def _too_few_teams(rotation: Rotation, eligible: list[Member]) -> list[Violation]:
    """With ``distinct_teams: required``: fewer teams than seats, and teams of one member,
    who must then serve whenever the other teams cannot pair without them."""
    seats = rotation.shift.people
    if rotation.rules.distinct_teams is not DistinctTeams.REQUIRED or seats <= 1:
        return []
    teams: dict[str, list[str]] = defaultdict(list)
    for member in eligible:
        teams[member.team].append(member.handle)
    found: list[Violation] = []
    if len(teams) < seats:
        found.append(
            Violation(
                "distinct_teams",
                f"distinct_teams: required needs {seats} teams, but all "
                f"{len(eligible)} eligible member(s) are in "
                + (f"team {next(iter(teams))}" if len(teams) == 1 else f"{len(teams)} teams"),
                (),
                tuple(m.handle for m in eligible),
                WARNING,
            )
        )
    for team, handles in sorted(teams.items()):
        if len(handles) == 1 and len(teams) <= seats:
            found.append(
                Violation(
                    "distinct_teams",
                    f"team {team} has one eligible member ({handles[0]}), who must then "
                    "serve every shift the other teams cannot pair without them",
                    (),
                    tuple(handles),
                    WARNING,
                )
            )
    return found


def _nobody_to_shadow(rotation: Rotation, eligible: list[Member]) -> list[Violation]:
    """Newcomers must shadow first, but every eligible member is new."""
    newcomers = [m for m in eligible if m.new]
    if not (rotation.onboarding.shadow_shifts and newcomers and len(newcomers) == len(eligible)):
        return []
    return [
        Violation(
            "shadow_beside_experienced",
            "every eligible member is new: nobody experienced to shadow",
            (),
            tuple(m.handle for m in eligible),
            WARNING,
        )
    ]


def missing_mentions(
    rotation: Rotation, on_duty: Iterable[str], *, required: bool = False
) -> list[Violation]:
    """Members on duty whom the rotation's chat target cannot mention: they are named in
    plain text and never notified. Said only where ids for that target are in use (some
    member has one), so a rotation that mentions nobody on purpose stays quiet; with
    ``required`` (``validate --require-mentions``, for CI) it is an error."""
    chat = rotation.reminders.chat
    found = _groups_unmentioned(rotation, required)
    if chat == "text" or not any(m.chat_id(chat) for m in rotation.members):
        return found
    missing = sorted(
        handle
        for handle in set(on_duty)
        if (member := rotation.member(handle)) is not None and not member.chat_id(chat)
    )
    if not missing:
        return found
    key = chats.chat(chat).KEY
    return [
        *found,
        Violation(
            "mentions",
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} on duty but "
            f"{'has' if len(missing) == 1 else 'have'} no `{key}` id: reminders name them "
            f"in plain text and {chat} does not notify them",
            (),
            tuple(missing),
            ERROR if required else WARNING,
        )
    ]


def _groups_unmentioned(rotation: Rotation, required: bool) -> list[Violation]:
    """A ``fallback_group`` or ``escalation_group`` set for other chats but not for the
    rotation's own: the group is named in plain text there and nobody is pinged."""
    chat = rotation.reminders.chat
    found = []
    for key, group in (
        ("fallback_group", rotation.fallback_group),
        ("escalation_group", rotation.escalation_group),
    ):
        if group is None or group.chat_id(chat) or chats.chat(chat).GROUP_ID is None:
            continue
        found.append(
            Violation(
                "mentions",
                f"{key} has no `{chats.chat(chat).KEY}` id: reminders on {chat} name the "
                "group in plain text and ping nobody",
                (),
                (),
                ERROR if required else WARNING,
            )
        )
    return found


def new_year_warning(rotation: Rotation, calendar: DutyCalendar) -> list[Violation]:
    """A term over a new year whose 1 January is neither a national holiday nor a closure:
    most companies close then, and a closure entered for one year only is easily missed
    by the next (a yearly one, ``12-29..01-03``, is not)."""
    found = []
    for year in range(calendar.first.year + 1, calendar.last.year + 1):
        day = date(year, 1, 1)
        if calendar.first <= day <= calendar.last and day not in calendar.days_off:
            found.append(
                Violation(
                    "new_year",
                    f"the term crosses the new year ({day}) with no holiday or closure "
                    "there; if the company closes, add a yearly closure such as "
                    'holidays.closures: ["12-29..01-03"]',
                    (day,),
                    (),
                    WARNING,
                )
            )
    return found
