"""Small edits of a rotation file's text that keep everything else as the person wrote it.

Loading and dumping YAML would drop comments, reorder keys and reflow lists, so an edit
finds the node to change (with its place in the text) and inserts there: new entries go
after the last one, in the list's own style (flow ``[...]`` or block ``- ...``), or a new
``unavailable`` key goes after the member's last key. The caller loads the result again
before writing it, so an edit that would not load is never written.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oncall.core.errors import InputError, Mark
from oncall.core.model import member_hint
from oncall.io import yamlsafe as ys


def add_unavailable(text: str, file: str, handle: str, entries: list[str]) -> str:
    """``text`` with ``entries`` (dates or ranges as written in YAML) appended to the
    ``unavailable`` list of the member ``handle``. A leading BOM stays, and a file whose
    lines all end in CRLF gets its new lines with CRLF too."""
    if not entries:
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text.removeprefix("\ufeff")
    crlf = "\r\n" in body and body.count("\n") == body.count("\r\n")
    if crlf:
        body = body.replace("\r\n", "\n")
    edited = _add(body, file, handle, entries)
    return bom + (edited.replace("\n", "\r\n") if crlf else edited)


def _add(text: str, file: str, handle: str, entries: list[str]) -> str:
    member = _member(text, file, handle)
    value = next((v for k, v in member.value if _is(k, "unavailable")), None)
    if value is None or (isinstance(value, ScalarNode) and ys.is_null(value)):
        return _new_key(text, member, value, entries)
    if not isinstance(value, SequenceNode):
        raise InputError(
            "found unavailable that is not a list, expected a list to add the leave to",
            mark=ys.mark_of(value, file),
        )
    if value.flow_style:
        close = value.end_mark.index - 1  # the `]`
        before = text[value.start_mark.index + 1 : close].strip()
        joined = ", ".join(entries)
        insert = f", {joined}" if before else joined
        return text[:close].rstrip(" ") + insert + text[close:]
    last = value.value[-1]
    item_column = last.start_mark.column
    dash = " " * (item_column - 2) + "- " if item_column >= 2 else "- "
    lines = "".join(f"{dash}{entry}\n" for entry in entries)
    at = _after_line(text, last.end_mark.index)
    return text[:at] + lines + text[at:]


def _member(text: str, file: str, handle: str) -> MappingNode:
    top = ys.compose(text, file)
    members = None
    if isinstance(top, MappingNode):
        members = next((v for k, v in top.value if _is(k, "members")), None)
    if not isinstance(members, SequenceNode):
        raise InputError("found no members list, expected one", mark=Mark(file))
    handles: list[str] = []
    for item in members.value:
        if not isinstance(item, MappingNode):
            continue
        node = next((v for k, v in item.value if _is(k, "handle")), None)
        if isinstance(node, ScalarNode):
            if node.value == handle:
                return item
            handles.append(node.value)
    raise InputError(
        f"--member: found {handle!r}, expected a member of the rotation in {file}",
        hint=member_hint(handle, handles),
    )


def _new_key(text: str, member: MappingNode, null: Node | None, entries: list[str]) -> str:
    flow = f"[{', '.join(entries)}]"
    if null is not None:  # `unavailable:` with nothing after it
        at = null.start_mark.index
        return text[:at] + (flow if text[at - 1 : at] == " " else " " + flow) + text[at:]
    if member.flow_style:
        close = member.end_mark.index - 1  # the `}`
        return text[:close].rstrip(" ") + f", unavailable: {flow}" + text[close:]
    first_key = member.value[0][0]
    indent = " " * first_key.start_mark.column
    at = _after_line(text, member.value[-1][1].end_mark.index)
    return text[:at] + f"{indent}unavailable: {flow}\n" + text[at:]


def _after_line(text: str, index: int) -> int:
    """Where the line after the one holding ``index - 1`` starts (a block node's end mark
    may already stand at the start of the next line)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _is(node: Node, name: str) -> bool:
    return isinstance(node, ScalarNode) and node.value == name
