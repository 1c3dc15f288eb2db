"""A roster from a spreadsheet: a CSV with one member a row, for `oncall init --from-csv`.

Headers name the member keys (``handle``, ``name``, ``team``, ``email``, the chat ids,
``volunteer``, ``new``, ``unavailable``, ``joined``, ``left``), in any order and letter
case; a misspelt header is an error with a "did you mean". Every cell is checked by the
same reader as the rotation file's key, so a row that imports is a member that loads; a
bad cell is reported with its row, column and what was expected, every bad row at once.
UTF-8 (with or without Excel's byte order mark) and CP932 / Shift_JIS (Japanese Excel's
plain "CSV") are read by ``oncall.io.sheet_encoding``; `;` or tab separators and blank
rows are accepted. Headers may be Japanese (HEADER_WORDS) or full-width; yes/no,
TRUE/FALSE, 1/0, x, ○/× and はい/いいえ mark booleans, as spreadsheets write them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from oncall.core.errors import InputError, Mark
from oncall.core.model import close_hint
from oncall.io import readers
from oncall.io.chat_keys import MEMBER_ID_READERS
from oncall.io.yamlsafe import At

_STR = "tag:yaml.org,2002:str"
# Column -> the reader of its rotation-file key; in the order the rotation file lists them.
COLUMNS: dict[str, Callable[..., Any]] = {
    "handle": readers.handle,
    "name": readers.text,
    "team": readers.text,
    "email": readers.email,
    **MEMBER_ID_READERS,  # slack, teams, google_chat...: each chat's member id
    "volunteer": lambda node, at: _boolean(node, at),
    "new": lambda node, at: _boolean(node, at),
    "unavailable": lambda node, at: _unavailable(node, at),
    "joined": readers.iso_date,
    "left": readers.iso_date,
}
REQUIRED = ("handle", "team")
# Japanese headers -> their column (read after NFKC, so full-width letters match too);
# docs/spreadsheet.md lists them.
HEADER_WORDS: dict[str, str] = {
    "ハンドル": "handle", "ユーザー名": "handle", "ユーザ名": "handle",
    "氏名": "name", "名前": "name", "表示名": "name",
    "チーム": "team", "所属": "team", "部署": "team",
    "メール": "email", "メールアドレス": "email", "eメール": "email",
    "ボランティア": "volunteer", "志願": "volunteer",
    "新人": "new",
    "不在": "unavailable", "不在日": "unavailable", "休み": "unavailable",
    "参加日": "joined", "着任日": "joined",
    "離任日": "left", "退出日": "left",
}
# Cell texts after NFKC and lower case (○ ◯ ● ✓ ✔ true; × ✕ ✗ - false).
_TRUE = frozenset({"true", "yes", "y", "1", "x", "✓", "✔", "○", "◯", "●", "はい"})
_FALSE = frozenset({"false", "no", "n", "0", "", "×", "✕", "✗", "-", "いいえ"})
MAX_SHOWN = 20
# A cell holds a name, a team, an id or a list of dates: far below this. Longer is a
# wrong file (the csv module's own limit, 131072, would be a traceback).
MAX_CELL = 4096


class Row:
    """One member read from the sheet: the cells as the rotation file's values, and the
    row's number for later errors (a handle used twice)."""

    __slots__ = ("number", "values")

    def __init__(self, number: int, values: dict[str, Any]) -> None:
        self.number = number
        self.values = values


def read_roster(path: Path, encoding: str | None = None) -> list[Row]:
    """The members in ``path`` (in ``encoding``, else UTF-8 or CP932 as
    ``oncall.io.sheet_encoding`` finds), or one InputError listing every bad row."""
    return read_sheet(path, encoding)[1]


def read_sheet(path: Path, encoding: str | None = None) -> tuple[list[str], list[Row]]:
    """The columns the sheet has (in its order) and its members, as ``read_roster``."""
    from oncall.io.sheet_encoding import sheet_text

    file = str(path)
    text, _ = sheet_text(path, encoding, _headers_known)
    table = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header = next(_cells(table, file), None)
    if header is None:
        raise InputError("found an empty file, expected a header row", mark=Mark(file))
    columns = _columns(header, file)
    rows: list[Row] = []
    problems: list[InputError] = []
    seen: dict[str, tuple[str, int]] = {}  # normalised handle -> (handle, its row)
    at = columns.index("handle")
    for cells in _cells(table, file):
        line = table.line_num
        if not any(cell.strip() for cell in cells):
            continue
        raw = cells[at].strip() if at < len(cells) else ""
        first = seen.get(same_handle(raw)) if raw else None
        if first is not None:
            again = (f"found handle {raw!r} again (first on row {first[1]})"
                     if first[0] == raw else f"found handle {raw!r}, which differs "
                     f"from {first[0]!r} (row {first[1]}) only in letter case or width")
            problems.append(
                _cell_error(file, line, at, "handle", f"{again}, expected each handle once")
            )
            continue
        values, bad = _row(cells, columns, file, line, problems)
        if raw:
            seen[same_handle(raw)] = (raw, line)
        if not bad:
            rows.append(Row(line, values))
    if problems:
        raise _all(problems, file)
    if not rows:
        raise InputError("found a header but no members, expected a row per member",
                         mark=Mark(file, 2))
    return [name for name in columns if name is not None], rows


def same_handle(handle: str) -> str:
    """What two handles that only differ in letter case or width (``Dev01``, ``ｄｅｖ０１``)
    have in common: a sheet may not have both, nor a rotation and its sheet."""
    return unicodedata.normalize("NFKC", handle).casefold()


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel  # one column only: a comma is as good as any


def _header_name(raw: str) -> str:
    """A header cell as a column name: NFKC (full-width letters), lower case, spaces and
    dashes as ``_``, a Japanese header as its column."""
    name = re.sub(r"[\s-]+", "_", unicodedata.normalize("NFKC", raw).strip().lower())
    name = name.strip("_?*:")
    return HEADER_WORDS.get(name, name)


def _headers_known(line: str) -> bool:
    """Whether ``line`` (a first row) names only columns, the required ones among them."""
    cells = next(csv.reader([line], _dialect(line)), [])
    names = [_header_name(cell) for cell in cells]
    return all(n in COLUMNS for n in names if n) and all(n in names for n in REQUIRED)


def _cells(table: Any, file: str) -> Iterator[list[str]]:
    """The rows after the header; a cell over MAX_CELL characters (or one the csv module
    cannot read, a NUL byte) is an error at its row, never a traceback."""
    while True:
        try:
            cells = next(table)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(
                f"cannot read this row: {error}, expected cells of at most {MAX_CELL} characters",
                mark=Mark(file, table.line_num),
                hint="is this the right file? a roster's cells are names, teams, ids and dates",
            ) from None
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL:
                raise InputError(
                    f"found a cell of {len(cell)} characters, expected at most {MAX_CELL}",
                    mark=Mark(file, table.line_num, index + 1),
                    hint="is this the right file? a roster's cells are names, teams, ids and "
                    "dates",
                )
        yield cells


def _columns(header: list[str], file: str) -> list[str | None]:
    """Each header cell as its column name (None: an empty header of an unused column)."""
    names: list[str | None] = []
    for index, raw in enumerate(header):
        name = _header_name(raw)
        if not name:
            names.append(None)
            continue
        if name not in COLUMNS:
            raise InputError(
                f"found column {raw.strip()!r}, expected one of: {', '.join(COLUMNS)}",
                mark=Mark(file, 1, index + 1),
                hint=close_hint(name, list(COLUMNS), "columns"),
            )
        if name in names:
            raise InputError(f"found column {name!r} twice, expected each column once",
                             mark=Mark(file, 1, index + 1))
        names.append(name)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(
            f"found no {' or '.join(repr(m) for m in missing)} column, expected the columns "
            f"{', '.join(REQUIRED)} at least",
            mark=Mark(file, 1),
            hint=f"the first row names the columns: {', '.join(COLUMNS)}",
        )
    return names


def _row(
    cells: list[str], columns: list[str | None], file: str, line: int, problems: list[InputError]
) -> tuple[dict[str, Any], bool]:
    """The row's values, and whether some cell was bad (each bad cell is in ``problems``)."""
    values: dict[str, Any] = {}
    bad = False
    for index, name in enumerate(columns):
        cell = cells[index].strip() if index < len(cells) else ""
        if name is None:
            continue
        if not cell and name not in ("volunteer", "new", "unavailable"):
            if name in REQUIRED:
                problems.append(_cell_error(file, line, index, name, f"found nothing, expected "
                                            f"{'a handle' if name == 'handle' else 'a team'}"))
                bad = True
            continue
        node = ScalarNode(_STR, cell, start_mark=yaml.Mark(file, 0, line - 1, index, None, 0))
        try:
            values[name] = COLUMNS[name](node, _at(file, line, index, name))
        except InputError as error:
            problems.append(error)
            bad = True
    extra = [cell for cell in cells[len(columns):] if cell.strip()]
    if extra:
        problems.append(_cell_error(file, line, len(columns), "", f"found {extra[0]!r} beyond "
                                    "the last column, expected nothing there"))
        bad = True
    return values, bad


def _at(file: str, line: int, index: int, name: str) -> At:
    return At(file, f"row {line}, column {name or _letter(index)} ({_letter(index)})")


def _letter(index: int) -> str:
    """The spreadsheet's name of the column: A, B, ..., Z, AA..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_error(file: str, line: int, index: int, name: str, message: str) -> InputError:
    return InputError(message, mark=Mark(file, line, index + 1),
                      path=_at(file, line, index, name).path)


def _all(problems: list[InputError], file: str) -> InputError:
    shown = [f"  {problem}".replace("\n", "\n  ") for problem in problems[:MAX_SHOWN]]
    more = len(problems) - len(shown)
    if more:
        shown.append(f"  ... and {more} more")
    count = f"{len(problems)} bad cell{'s' if len(problems) != 1 else ''}"
    return InputError(f"found {count}, nothing was written:\n" + "\n".join(shown),
                      mark=Mark(file))


def _boolean(node: ScalarNode, at: At) -> bool:
    value = unicodedata.normalize("NFKC", str(node.value)).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise at.error(node, f"found {node.value!r}, expected true or false (or yes/no, 1/0, x, "
                   "○/×, はい/いいえ)")


def _unavailable(node: ScalarNode, at: At) -> tuple[str, ...]:
    """Entries split on `;`, `,` or spaces, each checked as the rotation file checks it;
    kept as written (lower case) for the rotation file."""
    parts = [p for p in re.split(r"[;,\s]+", str(node.value).strip()) if p]
    items = [ScalarNode(_STR, p.lower(), start_mark=node.start_mark) for p in parts]
    sequence = SequenceNode("tag:yaml.org,2002:seq", items, start_mark=node.start_mark)
    try:
        readers.unavailable(sequence, at)
    except InputError as error:
        error.path = at.path  # the cell, not "[0]": a sheet has no list items
        raise
    return tuple(p.lower() for p in parts)


_PLAIN = re.compile(r"\w[\w .'@+-]*")
_AS_WRITTEN = frozenset({"unavailable", "joined", "left"})  # dates and weekdays, plain


def member_lines(rows: list[Row]) -> list[str]:
    """One flow mapping a member, ``  - {handle: ..., team: ...}``, keys in the rotation
    file's order; text is quoted only where YAML would read it as something else."""
    return ["  - " + member_flow(row.values) for row in rows]


def member_flow(values: dict[str, Any]) -> str:
    """``{handle: ..., team: ...}``: the member's keys with a value, in COLUMNS order."""
    pairs = []
    for name in COLUMNS:
        written = value_text(name, values.get(name))
        if written is not None:
            pairs.append(f"{name}: {written}")
    return "{" + ", ".join(pairs) + "}"


def value_text(name: str, value: Any) -> str | None:
    """The value of the key ``name`` as the rotation file writes it; None: no key (no
    value, false, or an empty list)."""
    if value is None or value is False or value == ():
        return None
    if value is True:
        return "true"
    if isinstance(value, tuple):
        return f"[{', '.join(value)}]"
    if name in _AS_WRITTEN:
        return f"{value}"
    return _scalar(str(value))


def _scalar(value: str) -> str:
    import json

    plain = _PLAIN.fullmatch(value) and not value.endswith(" ")
    if plain and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML quoted scalar
