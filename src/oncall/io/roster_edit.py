"""`oncall roster sync`'s edit of the rotation file: its members made to match the sheet,
everything else (comments, other keys, the members' own layout) kept byte for byte.

As ``oncall.io.rotation_edit``, the file is composed (not loaded and dumped) and each
change is a splice at a node's place: a changed value is replaced where it stands, a new
key goes after the member's last key (or before the ``}`` of a flow member), a key the
sheet empties is cut out with its line or its ``, key: value``, and a new member is a
flow mapping after the last one. Members missing from the sheet get ``left: TODAY``; no
member is ever deleted. The caller loads the result before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oncall.core.errors import InputError, Mark
from oncall.io import readers
from oncall.io import yamlsafe as ys
from oncall.io.roster_csv import COLUMNS, Row, member_flow, same_handle, value_text
from oncall.io.yamlsafe import At

_STR = "tag:yaml.org,2002:str"
_FLAGS = ("volunteer", "new")


@dataclass
class Changes:
    """What the sheet changed: handles added, (handle, keys) changed, handles given
    ``left``, and (handle, its left day) of people in the sheet whose ``left`` it keeps."""

    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    kept_left: list[tuple[str, date]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.left)


@dataclass(frozen=True)
class _Member:
    node: MappingNode
    handle: str
    keys: dict[str, tuple[Node, Node]]  # key -> (key node, value node)


def synced_text(
    text: str, file: str, sheet: str, columns: list[str], rows: list[Row], today: date
) -> tuple[str, Changes]:
    """``text`` with its members as the sheet's ``rows`` (only the ``columns`` it has),
    and what changed. A leading BOM and CRLF line ends are kept."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text.removeprefix("\ufeff")
    crlf = "\r\n" in body and body.count("\n") == body.count("\r\n")
    if crlf:
        body = body.replace("\r\n", "\n")
    edited, changes = _sync(body, file, sheet, columns, rows, today)
    return bom + (edited.replace("\n", "\r\n") if crlf else edited), changes


def _sync(
    text: str, file: str, sheet: str, columns: list[str], rows: list[Row], today: date
) -> tuple[str, Changes]:
    items, members = _members(text, file)
    by_handle = {m.handle: m for m in members}
    folded = {same_handle(m.handle): m for m in members}
    changes = Changes()
    splices: list[tuple[int, int, str]] = []
    new_lines: list[str] = []
    for row in rows:
        handle = row.values["handle"]
        member = by_handle.get(handle)
        if member is None:
            twin = folded.get(same_handle(handle))
            if twin is not None:
                raise InputError(
                    f"found handle {handle!r} on row {row.number}, which differs from the "
                    f"rotation's {twin.handle!r} ({ys.mark_of(twin.keys['handle'][1], file)}) "
                    "only in letter case or width; expected the same spelling, nothing was "
                    "written",
                    mark=Mark(sheet, row.number, columns.index("handle") + 1),
                    hint="write the handle as the rotation has it (a handle is its member's "
                    "id in the schedules)",
                )
            new_lines.append(member_flow(row.values))
            changes.added.append(handle)
            continue
        keys = _changed_keys(member, row, columns, file)
        if keys:
            splices += _edit(text, member, {key: value_text(key, row.values.get(key))
                                            for key in keys})
            changes.changed.append((handle, keys))
        if "left" not in columns and "left" in member.keys:
            changes.kept_left.append((handle, _read(member, "left", file)))
    in_sheet = {row.values["handle"] for row in rows}
    for member in members:
        if member.handle not in in_sheet and _read(member, "left", file) is None:
            splices += _edit(text, member, {"left": today.isoformat()})
            changes.left.append(member.handle)
    if new_lines:
        splices.append(_new_members(text, items, new_lines))
    return _apply(text, splices), changes


def _members(text: str, file: str) -> tuple[SequenceNode, list[_Member]]:
    top = ys.compose(text, file)
    items = None
    if isinstance(top, MappingNode):
        items = next((v for k, v in top.value if _is(k, "members")), None)
    if not isinstance(items, SequenceNode) or items.flow_style or not items.value:
        raise InputError(
            "found no block list of members, expected `members:` with a `- ...` line per "
            "member for roster sync to edit",
            mark=ys.mark_of(items or top, file),
        )
    members = []
    for item in items.value:
        if not isinstance(item, MappingNode):
            continue  # the load before this found the file good: a member is a mapping
        keys: dict[str, tuple[Node, Node]] = {
            str(k.value): (k, v) for k, v in item.value if isinstance(k, ScalarNode)
        }
        handle = keys.get("handle")
        if handle is not None and isinstance(handle[1], ScalarNode):
            members.append(_Member(item, handle[1].value, keys))
    return items, members


def _read(member: _Member, key: str, file: str) -> Any:
    """The member's value of ``key`` as the sheet's reader gives it (None, False, () when
    the key is absent or null)."""
    found = member.keys.get(key)
    if found is None or ys.is_null(found[1]):
        return False if key in _FLAGS else () if key == "unavailable" else None
    node = found[1]
    at = At(file, f"members[].{key}")
    if key == "unavailable":
        if not isinstance(node, SequenceNode):
            node = SequenceNode("tag:yaml.org,2002:seq", [node], start_mark=node.start_mark)
        return tuple(str(entry) for entry in readers.unavailable(node, at))
    return COLUMNS[key](node, at)


def _sheet_value(key: str, row: Row, file: str) -> Any:
    value = row.values.get(key)
    if key in _FLAGS:
        return bool(value)
    if key == "unavailable":
        if not value:
            return ()
        items = [ScalarNode(_STR, entry) for entry in value]
        sequence = SequenceNode("tag:yaml.org,2002:seq", items)
        return tuple(str(e) for e in readers.unavailable(sequence, At(file, key)))
    return value


def _changed_keys(member: _Member, row: Row, columns: list[str], file: str) -> list[str]:
    """The sheet's columns whose value differs from the member's, as read (so `Fri` and
    `fri`, `yes` and `true` are the same)."""
    return [
        key for key in COLUMNS
        if key in columns and key != "handle"
        and _read(member, key, file) != _sheet_value(key, row, file)
    ]


def _edit(text: str, member: _Member, values: dict[str, str | None]) -> list[tuple[int, int, str]]:
    """The splices that give ``member`` these values (None: no key; a flag: false)."""
    splices = []
    added = []
    for key, written in values.items():
        if written is None and key in _FLAGS:
            written = "false"
        found = member.keys.get(key)
        if found is None:
            if written is not None:
                added.append(f"{key}: {written}")
        elif written is None:
            splices.append(_cut(text, member, key))
        else:
            splices.append(_replace(text, found[0], found[1], written))
    if added:
        splices.append(_add_keys(text, member, added))
    return splices


def _replace(text: str, key: Node, value: Node, written: str) -> tuple[int, int, str]:
    if isinstance(value, ScalarNode) and value.start_mark.index == value.end_mark.index:
        at = text.index(":", key.end_mark.index) + 1  # `name:` with nothing after it
        return at, at, " " + written
    if isinstance(value, ScalarNode) or (
        isinstance(value, (MappingNode, SequenceNode)) and value.flow_style
    ):
        return value.start_mark.index, value.end_mark.index, written
    at = text.index(":", key.end_mark.index) + 1  # a block list: a flow one after the key
    return at, _end(value), " " + written


def _cut(text: str, member: _Member, key: str) -> tuple[int, int, str]:
    pairs = list(member.keys)
    index = pairs.index(key)
    key_node, value = member.keys[key]
    if member.node.flow_style:  # `, key: value`, the first key never (it is the handle)
        before = member.keys[pairs[index - 1]][1] if index else None
        start = before.end_mark.index if before is not None else key_node.start_mark.index
        return start, value.end_mark.index, ""
    start = text.rfind("\n", 0, key_node.start_mark.index) + 1
    return start, _after_line(text, _end(value)), ""


def _add_keys(text: str, member: _Member, pairs: list[str]) -> tuple[int, int, str]:
    node = member.node
    if node.flow_style:
        close = node.end_mark.index - 1  # the `}`
        start = len(text[:close].rstrip(" "))
        return start, close, "".join(f", {pair}" for pair in pairs)
    indent = " " * node.value[0][0].start_mark.column
    at = _after_line(text, _end(node))
    return at, at, "".join(f"{indent}{pair}\n" for pair in pairs)


def _new_members(text: str, items: SequenceNode, lines: list[str]) -> tuple[int, int, str]:
    last = items.value[-1]
    column = last.start_mark.column
    dash = " " * (column - 2) + "- " if column >= 2 else "- "
    at = _after_line(text, _end(last))
    return at, at, "".join(f"{dash}{line}\n" for line in lines)


def _end(node: Node) -> int:
    """Where ``node``'s own text ends: a block collection's end mark stands at the next
    token, after any comments that follow it, so its last scalar or flow node says."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return int(node.end_mark.index)


def _after_line(text: str, index: int) -> int:
    """Where the line after the one holding ``index - 1`` starts."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _apply(text: str, splices: list[tuple[int, int, str]]) -> str:
    """``text`` with every splice made, the last first so the earlier places stay put; of
    two at one place, the one made first ends up first (a leaver's `left` before the new
    members after them)."""
    order = sorted(range(len(splices)), key=lambda i: (splices[i][0], splices[i][1], i))
    for index in reversed(order):
        start, end, written = splices[index]
        text = text[:start] + written + text[end:]
    return text


def _is(node: Node, name: str) -> bool:
    return isinstance(node, ScalarNode) and node.value == name
