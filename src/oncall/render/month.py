"""`oncall show --month`: a month as a grid of weeks by weekdays, in the terminal.

Each day shows its people (shadows in brackets, people an override put there with ``*``),
or the holiday or closure that keeps it free; today and the ``--person`` asked about stand
out. Plain ASCII boxes into pipes, files and under NO_COLOR (``terminal.use_rich``), rich
on a terminal. Weekday and month names follow the rotation's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from oncall import words
from oncall.render import messages
from oncall.render.terminal import pad, use_rich, width

if TYPE_CHECKING:
    from oncall.usecases.month import Cell, Month
    from oncall.usecases.show import View

MIN_WIDTH = 9
MAX_WIDTH = 16


def month_name(language: str, month: Month) -> str:
    """January 2027, 2027年1月."""
    first = month.first
    name = words.month_name(language, first.month)
    return words.say(language, "format.month", name=name, year=first.year, month=first.month)


def weekday_names(language: str, month: Month) -> list[str]:
    return [messages.weekday(language, cell.day) for cell in month.weeks[0]]


def title(view: View, month: Month) -> str:
    rotation = view.rotation
    hours = messages.window(rotation.language, rotation.window)
    name = month_name(rotation.language, month)
    return f"{rotation.id}: {name} ({rotation.timezone}, {hours})"


def legend(view: View) -> str:
    lang = view.rotation.language
    mine = f"  {words.say(lang, 'month.mine', h=view.highlight)}" if view.highlight else ""
    return words.say(lang, "month.legend") + mine


def people(view: View, cell: Cell) -> list[tuple[str, str]]:
    """The day's people as (text, kind): kind is '' or 'mine' (the highlighted member),
    'moved' marks one an override put there."""
    row = cell.row
    if row is None or not row.duty:
        return []
    out = []
    for role, handles in (("primary", row.primary), ("shadow", row.shadow)):
        for handle in handles:
            text = handle + ("*" if handle in row.incoming else "")
            text = f"({text})" if role == "shadow" else text
            moved = "moved" if handle in row.incoming else ""
            kind = "mine" if handle == view.highlight else moved
            out.append((text, kind))
    return out or [("-", "")]


def day_label(view: View, cell: Cell) -> str:
    today = words.say(view.rotation.language, "month.today")
    return f"{cell.day.day} {today}" if cell.today else str(cell.day.day)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns: at spaces, or anywhere in
    words wider than that (Japanese has no spaces)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= columns:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:
            if width(line + ch) > columns:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines


def _cell_width(view: View, month: Month) -> int:
    texts = [day_label(view, c) for week in month.weeks for c in week]
    texts += [f">{t}" for week in month.weeks for c in week for t, _ in people(view, c)]
    texts += weekday_names(view.rotation.language, month)
    texts += [  # a holiday's words stay whole where they fit (Foundation Day)
        word for week in month.weeks for c in week if c.row and c.row.day_off
        for word in c.row.day_off.split(" ")
    ]
    return min(MAX_WIDTH, max(MIN_WIDTH, *(width(t) for t in texts)))


def _plain_lines(view: View, cell: Cell, columns: int) -> list[str]:
    if not cell.in_month:
        return []
    lines = [day_label(view, cell)]
    if cell.row is not None and cell.row.day_off:
        lines += wrap(cell.row.day_off, columns)
    lines += [(">" if kind == "mine" else "") + text for text, kind in people(view, cell)]
    return lines


def plain_month(view: View, month: Month) -> str:
    """The grid in ASCII boxes: no colour, the same bytes on every machine."""
    columns = _cell_width(view, month)
    rule = "+" + "+".join("-" * (columns + 2) for _ in range(7)) + "+"
    out = [title(view, month), rule]
    out.append(_boxed([[n] for n in weekday_names(view.rotation.language, month)], columns)[0])
    for week in month.weeks:
        out.append(rule)
        out += _boxed([_plain_lines(view, cell, columns) for cell in week], columns)
    out += [rule, legend(view)]
    return "\n".join(out)


def _boxed(cells: list[list[str]], columns: int) -> list[str]:
    height = max(1, *(len(c) for c in cells))
    return [
        "| " + " | ".join(pad(c[i] if i < len(c) else "", columns) for c in cells) + " |"
        for i in range(height)
    ]


def print_months(views: list[View], months: list[list[Month]], stream: TextIO) -> None:
    if use_rich(stream):
        _print_rich(views, months, stream)
        return
    blocks = [plain_month(view, m) for view, ms in zip(views, months, strict=True) for m in ms]
    stream.write("\n\n".join(blocks) + "\n")


def _print_rich(views: list[View], months: list[list[Month]], stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False, markup=False)
    styles = {"mine": "bold reverse magenta", "moved": "yellow", "": ""}
    for view, grids in zip(views, months, strict=True):
        for month in grids:
            table = Table(title=title(view, month), title_justify="left", show_lines=True)
            columns = _cell_width(view, month)
            for name in weekday_names(view.rotation.language, month):
                table.add_column(name, width=columns)
            for week in month.weeks:
                cells = []
                for cell in week:
                    text = Text()
                    if cell.in_month:
                        text.append(day_label(view, cell), "bold reverse" if cell.today else "bold")
                        if cell.row is not None and cell.row.day_off:
                            text.append("\n" + cell.row.day_off, "italic dim")
                        for name, kind in people(view, cell):
                            text.append("\n")
                            text.append(name, styles[kind])
                    cells.append(text)
                table.add_row(*cells)
            console.print(table)
            console.print(Text(legend(view), "dim"))
