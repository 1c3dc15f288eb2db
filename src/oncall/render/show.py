"""What `oncall show` draws: the views as a rich table on a terminal, as plain aligned text
into pipes, files or when NO_COLOR is set (``terminal.use_rich`` decides), or as JSON.

rich is imported only when drawing for a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from oncall import words
from oncall.render import messages
from oncall.render.terminal import columns, use_rich

if TYPE_CHECKING:
    from oncall.usecases.show import Load, Row, View

BAR = "█"
BAR_WIDTH = 20
JSON_VERSION = 1


def as_json(view: View) -> dict[str, Any]:
    rotation = view.rotation
    return {
        "version": JSON_VERSION,
        "rotation": rotation.id,
        "timezone": rotation.timezone,
        "window": str(rotation.window),
        "from": view.span.first.isoformat(),
        "to": view.span.last.isoformat(),
        "person": view.person,
        "days": [
            {
                "date": row.day.isoformat(),
                "duty": row.duty,
                "day_off": row.day_off,
                "primary": list(row.primary),
                "shadow": list(row.shadow),
                "overrides": [
                    {
                        "dates": str(o.dates),
                        "out": o.out,
                        "in": o.in_,
                        "reason": o.reason,
                        "forced": o.forced,
                    }
                    for o in row.overrides
                ],
                "covers": [{"out": out, "in": into} for out, into in row.covers],
            }
            for row in view.rows
        ],
        "load": [
            {
                **load.person.as_json(),
                "primary_shifts": load.primary_shifts,
                "shadow_shifts": load.shadow_shifts,
                "primary_days": load.primary_days,
                "shadow_days": load.shadow_days,
            }
            for load in view.load
        ],
    }


def _cells(view: View, row: Row) -> list[str]:
    lang = view.rotation.language
    comma = words.say(lang, "list.separator")
    mark = {h: f"{h}*" for h in row.incoming}
    notes = [row.day_off] if row.day_off else []
    for override in row.overrides:
        why = words.say(lang, "show.reason", reason=override.reason) if override.reason else ""
        forced = words.say(lang, "show.forced") if override.forced else ""
        notes.append(words.say(
            lang, "show.override", out=override.out or "-", in_=override.in_ or "-", why=why,
            forced=forced,
        ))
    for out, into in row.covers:
        notes.append("* " + messages.text(lang, "cover", into=into, out=out))
    return [
        row.day.isoformat(),
        messages.weekday(lang, row.day),
        comma.join(mark.get(h, h) for h in row.primary) if row.duty else "-",
        comma.join(mark.get(h, h) for h in row.shadow),
        words.say(lang, "show.note_separator").join(notes),
    ]


# The columns' keys in ``oncall.words`` (``show.<key>``), in order.
HEADERS = ("date", "day", "primary", "shadow", "note")


def headers(language: str, keys: tuple[str, ...]) -> list[str]:
    return [words.say(language, f"show.{key}") for key in keys]


def _title(view: View) -> str:
    rotation = view.rotation
    who = f", {view.person}" if view.person else ""
    return (
        f"{rotation.id}: {view.span} ({rotation.timezone}, "
        f"{messages.window(rotation.language, rotation.window)}{who})"
    )


def _bar(value: int, top: int) -> str:
    if top <= 0 or value <= 0:
        return ""
    return BAR * max(1, round(value * BAR_WIDTH / top))


def _load_cells(view: View, load: Load, top: int) -> list[str]:
    lang = view.rotation.language
    count = load.shadow_shifts
    shadow = words.say(lang, "show.plus_shadow", count=count) if count else ""
    return [
        load.person.handle,
        load.person.name,
        load.person.team or "",
        f"{_bar(load.primary_shifts, top)} {load.primary_shifts}{shadow}".strip(),
        str(load.primary_days + load.shadow_days),
    ]


LOAD_HEADERS = ("member", "name", "team", "shifts", "days")


def _load_title(view: View) -> str:
    return words.say(view.rotation.language, "show.load_title", term=view.term)


def _top(views: View) -> int:
    return max((load.primary_shifts for load in views.load), default=0)


def print_views(views: list[View], stream: TextIO) -> None:
    if use_rich(stream):
        _print_rich(views, stream)
        return
    blocks = [_plain(view) for view in views]
    stream.write("\n\n".join(blocks) + "\n")


def _plain(view: View) -> str:
    lang = view.rotation.language
    lines = [_title(view)]
    if view.rows:
        lines += columns(headers(lang, HEADERS), [_cells(view, row) for row in view.rows])
    else:
        lines.append(words.say(lang, "show.no_duty_days"))
    if view.load:
        top = _top(view)
        lines += ["", _load_title(view)]
        lines += columns(
            headers(lang, LOAD_HEADERS), [_load_cells(view, load, top) for load in view.load]
        )
    return "\n".join(lines)


def _print_rich(views: list[View], stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False, markup=False)
    for number, view in enumerate(views):
        if number:
            console.print()
        table = Table(title=_title(view), title_justify="left")
        for header in headers(view.rotation.language, HEADERS):
            table.add_column(header)
        for row in view.rows:
            style = "dim" if not row.duty else ("yellow" if row.overrides else None)
            if row.day == view.today:
                style = "bold"
            table.add_row(*(Text(c) for c in _cells(view, row)), style=style)
        console.print(table)
        if view.load:
            top = _top(view)
            load = Table(title=_load_title(view), title_justify="left")
            for header in headers(view.rotation.language, LOAD_HEADERS):
                load.add_column(header)
            for entry in view.load:
                load.add_row(*(Text(c) for c in _load_cells(view, entry, top)))
            console.print(load)
