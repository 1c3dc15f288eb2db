"""Rotation and schedule files in, model objects out (``schedule_text`` writes them back).

Per-key types and defaults live in ``oncall.io.keys``; this module adds the rules that span
keys (term start vs end, unique handles, known members) and turns sections into the
frozen model. Every error points at the line and column the user has to change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, SequenceNode

from oncall import chats
from oncall.core.dates import term_handoff
from oncall.core.errors import InputError, Mark
from oncall.core.hour_categories import CATEGORIES
from oncall.core.model import (
    ChatIds,
    DateRange,
    DistinctTeams,
    GroupMention,
    Holidays,
    Member,
    Onboarding,
    Reminders,
    Rotation,
    Rules,
    ShiftRule,
    Term,
    TermRule,
    Window,
    YearlyClosure,
)
from oncall.core.schedule import LEDGER_FORMAT, Override, Schedule, Shift
from oncall.core.term import choose_term
from oncall.io import yamlsafe as ys
from oncall.io.files import read_text
from oncall.io.keys import ROTATION_KEYS, SCHEDULE_KEYS
from oncall.io.schema import Section, Table


def schedule_path_for(rotation_path: Path) -> Path:
    """``rotations/x.yaml`` -> ``rotations/x.schedule.yaml``, beside the rotation."""
    suffix = rotation_path.suffix or ".yaml"
    return rotation_path.with_name(f"{rotation_path.stem}.schedule{suffix}")


def _read(
    path: Path, table: Table, what: str, text: str | None = None, skip: str | None = None
) -> Section:
    file = str(path)
    if text is None:
        text = read_text(path)
    if skip is not None:
        text = _blank_section(text, skip)
    node = ys.compose(text, file)
    if node is None:
        raise InputError(
            f"found only comments, expected a {what}",
            mark=Mark(file),
            hint="see `oncall init` for a starter" if what == "rotation" else None,
        )
    return table.read(node, ys.At(file))


def _blank_section(text: str, key: str) -> str:
    """``text`` with the top-level block ``key:`` (its line and the indented, blank or
    comment lines under it) blanked out, line count kept so every other mark stays right."""
    import re  # already loaded by yamlsafe

    pattern = re.compile(rf"^{re.escape(key)}:[^\n]*(?:\n(?:[ \t#][^\n]*)?(?=\n|$))*", re.M)
    return pattern.sub(lambda found: "\n" * found.group(0).count("\n"), text)


# ---- rotation ------------------------------------------------------------------------


def load_rotation(
    path: Path,
    *,
    term_start: date | None = None,
    term_end: date | None = None,
    text: str | None = None,
    top: Section | None = None,
) -> Rotation:
    """The rotation in ``path`` (its roster and rules), checked as ``load_rotation_and_term``
    checks it; the term chosen with it is that function's answer."""
    rotation, _ = load_rotation_and_term(
        path, term_start=term_start, term_end=term_end, text=text, top=top
    )
    return rotation


def load_rotation_and_term(
    path: Path,
    *,
    term_start: date | None = None,
    term_end: date | None = None,
    planned_term: Callable[[], Term | None] | None = None,
    text: str | None = None,
    top: Section | None = None,
) -> tuple[Rotation, Term]:
    """The rotation in ``path``, and the term ``choose_term`` picks for it:
    ``term_start``/``term_end`` (from the command line) win over the file's term. The
    schedule's term (``planned_term``) wins when the file has no term or one starting on
    another day (a later term, or one from ``plan --start``). With ``text``, that text is
    read as the file ``path`` would be (to check an edit before writing it); with ``top``,
    that section (from ``read_rotation``) is read again."""
    if top is None:
        top = read_rotation(path, text)
    window: Section = top["window"]
    if window["start"] == window["end"]:
        raise window.error(
            "end",
            f"found end {Window.format_minutes(window['end'])} equal to the start, "
            "expected a window of some length",
            hint="for a full day use start 00:00 and end 24:00",
        )
    holidays: Section = top["holidays"]
    shift: Section = top["shift"]
    length, unit = shift["length"]
    rules: Section = top["rules"]
    reminders: Section = top["reminders"]
    if reminders["webhook_url_env"] is not None and reminders["webhook_url_file"] is not None:
        raise reminders.error(
            "webhook_url_file", "found both webhook_url_env and webhook_url_file, "
            "expected one place for the webhook URL"
        )
    term, rule = _term(top, term_start, term_end, planned_term)
    rotation = Rotation(
        id=top["rotation"],
        timezone=top["timezone"],
        window=Window(days=window["days"], start=window["start"], end=window["end"]),
        shift=ShiftRule(
            length=length,
            unit=unit,
            handoff=shift["handoff"],
            people=shift["people"],
            cover=shift["cover"],
        ),
        term_rule=rule,
        members=_members(top),
        description=top["description"],
        language=top["language"],
        holidays=Holidays(
            country=holidays["country"],
            subdivision=holidays["subdivision"],
            closures=tuple(c for c in holidays["closures"] if isinstance(c, DateRange)),
            yearly=tuple(c for c in holidays["closures"] if isinstance(c, YearlyClosure)),
        ),
        rules=Rules(
            volunteers_only=rules["volunteers_only"],
            distinct_teams=DistinctTeams(rules["distinct_teams"]),
            min_gap=rules["min_gap"],
            notice=rules["notice"],
            max_shifts=rules["max_shifts"],
            fairness=rules["fairness"],
        ),
        onboarding=Onboarding(shadow_shifts=top["onboarding"]["shadow_shifts"]),
        fallback=top["fallback"],
        escalation=(top["escalation"] or (None, ()))[0],
        escalation_steps=(top["escalation"] or (None, ()))[1],
        fallback_group=_group(top, "fallback_group", "fallback"),
        escalation_group=_group(top, "escalation_group", "escalation"),
        reminders=Reminders(
            manual=reminders["manual"],
            checklist=reminders["checklist"],
            report=reminders["report"],
            chat=reminders["chat"],
            times=reminders["times"],
            webhook_url_env=reminders["webhook_url_env"],
            webhook_url_file=_beside(path, reminders["webhook_url_file"]),
            state_file=_beside(path, reminders["state_file"]),
            incidents_log=_beside(path, reminders["incidents_log"]),
        ),
        compensation={
            c: top["compensation"][c] for c in CATEGORIES if top["compensation"][c] is not None
        },
        currency=top["compensation"]["currency"],
    )
    return rotation, term


def _beside(path: Path, name: str | None) -> Path | None:
    """A path the rotation file names, relative to the folder it is in."""
    return None if name is None else path.parent / name


def read_rotation(path: Path, text: str | None = None) -> Section:
    """A rotation file read once; ``load_rotation(top=...)`` binds it to a term."""
    return _read(path, ROTATION_KEYS, "rotation", text)


def _group(top: Section, name: str, text_key: str) -> GroupMention | None:
    """The group a text pings, if any id is given; the text itself is what a chat without
    an id (and the plain text, the calendar, `who`) shows, so it must be there too."""
    section: Section = top[name]
    ids = {
        chat.NAME: section[chat.KEY]
        for chat in chats.WITH_IDS
        if chat.KEY is not None and chat.GROUP_ID is not None and section[chat.KEY] is not None
    }
    if not ids:
        return None
    given = top[text_key]
    if isinstance(given, tuple):  # escalation as a mapping: (its text, its steps)
        given = given[0]
    if given is None:
        raise top.error(
            name,
            f"found {name} without {text_key}, expected a {text_key} text as well",
            hint=f'the text is shown beside the mention, e.g. {text_key}: "SRE on call"',
        )
    return GroupMention(ChatIds(ids))


def _term(
    top: Section,
    cli_start: date | None,
    cli_end: date | None,
    planned_term: Callable[[], Term | None] | None,
) -> tuple[Term, TermRule]:
    """The file's term rule, and the term ``choose_term`` picks from it, the stored term
    (``planned_term``, asked only without ``--start``) and the command line; its errors
    point at the key in the file."""
    section: Section = top["term"]
    shift: Section = top["shift"]
    rule = TermRule(
        start=section["start"],
        end=section["end"],
        length=section["length"],
        handoff=term_handoff(shift["length"][1], shift["handoff"]),
        written=section.node is not None,
    )
    current = planned_term() if cli_start is None and planned_term is not None else None
    try:
        return choose_term(rule, current=current, start=cli_start, end=cli_end), rule
    except InputError as error:
        if error.mark is not None or error.path is None:  # an option's own date
            raise
        key = error.path.split(".")
        if len(key) == 2 and section.node is not None:
            raise section.error(key[1], error.message, error.hint) from None
        raise top.error("term", error.message, error.hint) from None


def _members(top: Section) -> tuple[Member, ...]:
    sections: list[Section] = top["members"]
    if not sections:
        raise top.error("members", "found an empty list, expected at least one member")
    first_seen: dict[str, Section] = {}
    members: list[Member] = []
    for item in sections:
        handle: str = item["handle"]
        earlier = first_seen.get(handle.casefold())
        if earlier is not None:
            line = earlier.nodes["handle"].start_mark.line + 1
            if earlier["handle"] != handle:  # their calendars' file names would collide
                raise item.error(
                    "handle",
                    f"found handle {handle!r}, which differs from {earlier['handle']!r} (line "
                    f"{line}) only in letter case, expected handles that differ in more",
                    hint="published file names (people/HANDLE.ics) are one file on macOS "
                    "and Windows; rename one",
                )
            raise item.error(
                "handle",
                f"found handle {handle!r} twice (first on line {line}), expected unique handles",
            )
        first_seen[handle.casefold()] = item
        joined, left = item["joined"], item["left"]
        if joined is not None and left is not None and left <= joined:
            raise item.error(
                "left",
                f"found left {left} {'before' if left < joined else 'on'} joined {joined}, "
                "expected a later date",
                hint="left is the day they left (off duty from then on); joined their first day",
            )
        members.append(
            Member(
                handle=handle,
                name=item["name"] if item["name"] is not None else handle,
                team=item["team"],
                email=item["email"],
                chat_ids=ChatIds(
                    {chat.NAME: item[chat.KEY]
                     for chat in chats.WITH_IDS if chat.KEY and item[chat.KEY]}
                ),
                volunteer=item["volunteer"],
                new=item["new"],
                unavailable=item["unavailable"],
                prefers_not=item["prefers_not"],
                terms=item["terms"],
                joined=joined,
                left=left,
            )
        )
    return tuple(members)


# ---- schedule ------------------------------------------------------------------------


def load_schedule(
    path: Path, rotation: Rotation, *, record: bool = True, top: Section | None = None
) -> Schedule:
    """The schedule in ``path``, checked to belong to ``rotation`` and to name only its
    members (rule checks are `validate`'s job: a hand-edited schedule is legal input).

    ``record`` False leaves out the calendar record (``published``: a line per event,
    most of a long term's file) without even parsing it, for the cron path."""
    if top is None:
        top = read_schedule(path, record=record)
    if top["rotation"] != rotation.id:
        raise top.error(
            "rotation",
            f"found rotation {top['rotation']!r}, expected {rotation.id!r}",
            hint="this schedule belongs to another rotation; check --schedule",
        )
    term_section: Section = top["term"]
    term = Term(*_span(term_section))
    # A handle must be in the roster, or recorded under people: (someone who left and was
    # deleted from the roster later): any other is a typo, reported with a suggestion.
    known = set(rotation.by_handle) | set(top["people"] or ())
    shifts: list[Shift] = []
    for item in top["shifts"]:
        start, end = _span(item)
        for role in ("primary", "shadow"):
            _check_members(item, role, item[role], known)
        shifts.append(Shift(start, end, item["primary"], item["shadow"], _covers(item, known)))
    overrides: list[Override] = []
    for item in top["overrides"]:
        if item["out"] is None and item["in"] is None:
            raise item.error(None, "found neither out nor in, expected at least one of them")
        for role in ("out", "in"):
            if item[role] is not None:
                _check_members(item, role, (item[role],), known)
        overrides.append(
            Override(
                dates=item["dates"],
                out=item["out"],
                in_=item["in"],
                reason=item["reason"],
                forced=item["forced"],
                recorded_at=item["recorded_at"],
                excused=item["excused"],
            )
        )
    calendar: Section = top["calendar"]
    return Schedule(
        rotation=top["rotation"],
        planned_at=top["planned_at"],
        term=term,
        shifts=tuple(shifts),
        overrides=tuple(overrides),
        days_off=calendar["days_off"],
        calendar_basis=calendar["basis"],
        ledger=top["ledger"],
        # A ledger without ``ledger_format`` was written before it: format 1.
        ledger_format=(
            top["ledger_format"] if top["ledger_format"] is not None
            else 1 if top["ledger"] is not None else LEDGER_FORMAT
        ),
        names=_people_names(top["people"]),
        published=top["published"],
        teams=_people_teams(top["people"]),
    )


def _people_names(people: dict[str, tuple[str, str | None]] | None) -> dict[str, str] | None:
    """``people:`` as ``handle: name`` (the schedule's ``names``)."""
    return None if people is None else {h: name for h, (name, _) in people.items()}


def _people_teams(people: dict[str, tuple[str, str | None]] | None) -> dict[str, str] | None:
    """``people:``'s recorded teams, or None when it records none (an older file)."""
    teams = {h: team for h, (_, team) in (people or {}).items() if team is not None}
    return teams or None


def rotation_id(
    path: Path, text_of: Callable[[Path], str] | None = None
) -> tuple[str, Mark] | None:
    """The ``rotation:`` id a file declares, and where its value stands, without loading
    the file: a scan for the top-level line (the usual ``rotation: app-daytime``), the
    YAML composer only for a file that writes it some other way. None for a file that
    declares none or cannot be read (whoever loads it reports why)."""
    import re  # already loaded by yamlsafe

    file = str(path)
    try:
        text = (text_of or read_text)(path)
    except InputError:
        return None
    line = re.search(
        r"^rotation:[ \t]*(?:'([^'\n]*)'|\"([^\"\\\n]*)\"|([^\s'\"#{[&*!|>][^\s#]*))"
        r"[ \t]*(?:#[^\n]*)?$",
        text,
        re.M,
    )
    if line is not None:
        group = next(n for n in (1, 2, 3) if line.group(n) is not None)
        start = line.start(group) - (group != 3)  # a quoted value starts at its quote
        row = text.count("\n", 0, start)
        column = start - (text.rfind("\n", 0, start) + 1)
        return line.group(group), Mark(file, row + 1, column + 1)
    try:
        node = ys.compose(text, file)
    except InputError:
        return None
    if not isinstance(node, MappingNode):
        return None
    value = next((v for k, v in node.value if getattr(k, "value", None) == "rotation"), None)
    if value is None or not isinstance(value.value, str):
        return None
    return value.value, ys.mark_of(value, file)


def locate(path: Path, dotted: str) -> Mark:
    """Where the value of a key path such as ``holidays.country`` stands in a file, for
    errors found after loading (the holiday table is only consulted when needed)."""
    file = str(path)
    node = ys.compose(read_text(path), file)
    found = node
    for key in dotted.split("."):
        if not isinstance(found, MappingNode):
            break
        value = next((v for k, v in found.value if k.value == key), None)
        if value is None:
            break
        found = value
    return ys.mark_of(found, file)


def schedule_term(path: Path) -> Term | None:
    """The term a schedule file was planned for, or None when there is no schedule yet."""
    if not path.exists():
        return None
    return term_of(read_schedule(path, record=False))


def read_schedule(path: Path, *, record: bool = True, text: str | None = None) -> Section:
    """A schedule file read once, for ``term_of`` and ``load_schedule(top=...)``; without
    ``record`` the calendar record is skipped unparsed (the cron path)."""
    return _read(
        path, SCHEDULE_KEYS, "schedule", text, skip=None if record else "published"
    )


def term_of(top: Section) -> Term:
    """The term of a schedule read with ``read_schedule``."""
    return Term(*_span(top["term"]))


def _span(section: Section) -> tuple[date, date]:
    start, end = section["start"], section["end"]
    if end < start:
        raise section.error(
            "end", f"found end {end} before start {start}, expected a later or equal date"
        )
    return start, end


def _covers(item: Section, known: Any) -> tuple[tuple[date, str, str], ...]:
    """A shift's one-day covers: each on a day of the shift, for one of its primaries."""
    found = []
    for cover in item["covers"]:
        day = cover["date"]
        if not item["start"] <= day <= item["end"]:
            raise cover.error(
                "date",
                f"found {day}, expected a day of the shift {item['start']}..{item['end']}",
            )
        if cover["out"] not in item["primary"]:
            raise cover.error(
                "out",
                f"found {cover['out']!r}, expected a primary of the shift "
                f"({', '.join(item['primary'])})",
            )
        for role in ("out", "in"):
            _check_members(cover, role, (cover[role],), known)
        found.append((day, cover["out"], cover["in"]))
    return tuple(sorted(found))


def _check_members(item: Section, role: str, handles: tuple[str, ...], known: Any) -> None:
    node = item.nodes.get(role)
    for index, handle in enumerate(handles):
        if handle in known:
            continue
        at = item.at.key(role)
        if isinstance(node, SequenceNode):
            at, node = at.item(index), node.value[index]
        import difflib

        close = difflib.get_close_matches(handle, list(known), n=1)
        raise at.error(
            node,
            f"found {handle!r}, expected a member of the rotation",
            hint=f"did you mean {close[0]!r}?"
            if close
            else "add the member to the rotation; for someone who left, keep them there "
            "with `left: DATE` instead of deleting them",
        )
