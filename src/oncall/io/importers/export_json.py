"""What every reader of an export shares: the people it names, matched by email, and its
JSON read as nodes that know their path (``data.rotations[1].length``), so every refusal
names the file and the path of the value and says what was expected (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from oncall.core.errors import InputError, Mark
from oncall.core.imported import Note, Person, Source
from oncall.core.model import EARLIEST_DAY, LATEST_DAY, day_in_range


class People:
    """Everyone the files name, matched by email (one email, one person) across files,
    schedules and rotations; someone without an email is matched by their id in this
    format only, and a note says so."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.by_key: dict[str, Person] = {}
        self.by_id: dict[str, str] = {}
        self.notes: list[Note] = []
        self.names: dict[str, str] = {}  # email -> display name, where a format lists users

    def add(self, ident: str | None, name: str | None, email: str | None, where: str) -> str:
        """The person's key; the first name seen for an email is kept."""
        if email is not None and "@" not in email:
            email = None
        if email:
            key = email.strip().lower()
        elif ident and ident in self.by_id:
            return self.by_id[ident]
        else:
            key = f"id:{self.fmt}:{ident or name or where}"
            self.notes.append(Note(
                where, f"{name or ident or 'a user'} has no email",
                "kept as a member without email, matched by their id in this export only "
                "(the same person in another source is not recognised)",
            ))
        if ident:
            self.by_id[ident] = key
        if key not in self.by_key:
            self.by_key[key] = Person(key, (name or email or ident or key).strip(), email, where)
        return key

    def known(self, ident: str) -> str | None:
        return self.by_id.get(ident)

    def subset(self, keys: set[str]) -> tuple[Person, ...]:
        return tuple(self.by_key[k] for k in sorted(keys) if k in self.by_key)


class Node:
    """A JSON value with its path, for errors that say where in the file they are."""

    def __init__(self, value: Any, path: str, file: str) -> None:
        self.value = value
        self.path = path
        self.file = file

    def error(self, message: str, hint: str | None = None) -> InputError:
        return InputError(message, mark=Mark(self.file), path=self.path or "(top)", hint=hint)

    def _child(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and self.value.get(key) is not None

    def get(self, key: str, kind: type | tuple[type, ...], *, required: bool = True) -> Node:
        if not isinstance(self.value, dict):
            raise self.error(f"found {_kind(self.value)}, expected an object")
        value = self.value.get(key)
        child = Node(value, self._child(key), self.file)
        if value is None:
            if required:
                raise child.error(f"missing, expected {_name(kind)}")
            return child
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise child.error(f"found {_kind(value)}, expected {_name(kind)}")
        return child

    def text(self, key: str, *, required: bool = True) -> str | None:
        node = self.get(key, str, required=required)
        value: str | None = node.value  # get() checked it: text, or absent
        return value

    def number(self, key: str, *, required: bool = True) -> int | None:
        node = self.get(key, (int, float), required=required)
        return None if node.value is None else int(node.value)

    def items(self, key: str, *, required: bool = True) -> list[Node]:
        node = self.get(key, list, required=required)
        return [Node(v, node._child(n), self.file) for n, v in enumerate(node.value or [])]

    def moment(self, key: str, *, required: bool = True) -> datetime | None:
        """An ISO 8601 date-time with an offset (``Z`` or ``+09:00``)."""
        text = self.text(key, required=required)
        if text is None:
            return None
        node = Node(text, self._child(key), self.file)
        return parse_moment(node)

    def zone(self, key: str) -> str:
        name = self.text(key)
        assert name is not None
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise Node(name, self._child(key), self.file).error(
                f"unknown time zone {name!r}, expected an IANA name such as Europe/Berlin",
                hint="export the schedule again, or fix the zone in the file",
            ) from None
        return name


# The longest turn a layer may have, per unit: a year, as PagerDuty caps it.
LONGEST_TURN = {"hours": 366 * 24, "days": 366, "weeks": 53, "months": 12}


def turn_length(node: Node, key: str, unit: str) -> int:
    """A layer's turn length at ``key``: a whole number from 1 to a year of ``unit``."""
    value = node.number(key, required=False)
    value = 1 if value is None else value
    if not 1 <= value <= LONGEST_TURN[unit]:
        raise node.get(key, (int, float)).error(
            f"found {value}, expected a turn of 1 to {LONGEST_TURN[unit]} {unit} (a year)"
        )
    return value


def parse_moment(node: Node) -> datetime:
    text = str(node.value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise node.error(
            f"found {text!r}, expected an ISO 8601 date-time such as 2027-01-04T09:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise node.error(f"found {text!r} without an offset, expected one such as Z or +09:00")
    check_day(node, moment)
    return moment


def check_day(node: Node, moment: datetime) -> None:
    """A date-time within the dates a rotation may name (1970 to 2199)."""
    if not day_in_range(moment.date()):
        raise node.error(
            f"found {moment.date()}, expected a date from {EARLIEST_DAY} to {LATEST_DAY}"
        )


def load_json(path: Path) -> Node:
    """The JSON in ``path``; truncated or invalid JSON names its line and column."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"found bytes that are not UTF-8 at byte {error.start}, expected JSON",
            mark=Mark(str(path)),
        ) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        truncated = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated")
        what = "the JSON ends early (a truncated download?)" if truncated else error.msg
        raise InputError(
            f"cannot read the JSON: {what}",
            mark=Mark(str(path), error.lineno, error.colno),
            hint="download the export again; the file must be the API's JSON response",
        ) from None
    top = Node(value, "", str(path))
    _refuse_api_error(top)
    return top


def _refuse_api_error(top: Node) -> None:
    """An error the API answered instead of the data (saved by a curl without ``-f``, or a
    GraphQL error, which comes with HTTP 200): refused with its message, not read as an
    empty export. GraphQL ``errors`` (GoAlert), PagerDuty's ``error`` object, Opsgenie's
    ``message`` without ``data`` and Django REST framework's ``detail`` (Grafana OnCall)."""
    value = top.value
    if not isinstance(value, dict):
        return
    found: tuple[str, object] | None = None
    errors = value.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0]
        found = ("errors[0].message", first.get("message") if isinstance(first, dict) else first)
    elif isinstance(value.get("error"), dict):
        found = ("error.message", value["error"].get("message"))
    elif "data" not in value and isinstance(value.get("message"), str):
        found = ("message", value["message"])
    elif set(value) == {"detail"}:
        found = ("detail", value["detail"])
    if found is None:
        return
    where, message = found
    raise Node(message, where, top.file).error(
        f"the API answered an error, {str(message)[:200]!r}, expected its data",
        hint="check the token and the request, then download the export again",
    )


Reader = Callable[[list[Path], People], list[Source]]


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object",
             bool: "true or false"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in _tuple(kind)))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    return "an object"


@dataclass(frozen=True)
class Page:
    """One page of a paged list response: ``flag`` is the field that says whether more
    follow (``more``, ``next``, ``paging.next``, ``pageInfo.hasNextPage``), ``first`` the
    position of its first item in the whole list (None when the API pages by cursor:
    then the next page is the next FILE of the same kind)."""

    flag: Node
    kind: str
    first: int | None
    count: int
    more: bool
    order: int  # the FILE's position on the command line


def whole_lists(pages: list[Page], hint: str) -> None:
    """Refuse a page that says more follow when no FILE holds the next one: a partial list
    would silently leave people, schedules or overrides out."""
    starts = {(p.kind, p.first) for p in pages}
    for page in pages:
        if not page.more:
            continue
        if page.first is not None:
            if (page.kind, page.first + page.count) in starts:
                continue
            held = f"{page.kind} {page.first + 1} to {page.first + page.count}"
        elif any(p.kind == page.kind and p.order > page.order for p in pages):
            continue
        else:
            held = f"{page.count} {page.kind}"
        raise page.flag.error(
            f"found {_kind(page.flag.value)}: this page holds {held} and more follow, "
            "expected the next page as one more FILE (a partial list leaves some out)",
            hint=hint,
        )


def offset_of(url: object) -> int | None:
    """The ``offset`` query parameter of a paging URL, if any."""
    if not isinstance(url, str):
        return None
    found = parse_qs(urlsplit(url).query).get("offset")
    try:
        return int(found[0]) if found else None
    except ValueError:
        return None
