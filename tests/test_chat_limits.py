"""Each chat's documented size limit: a long reminder (a long checklist, Japanese text)
is posted within it, leaving whole checklist lines out with a notice, never who is on
duty, the escalation or the fallback; when those alone are too long, it is an error and
nothing is posted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall.render.chat_limits import LIMITS
from tests.test_chat_targets import chat_workspace
from tests.test_remind import Hook, Remind, hook, remind  # noqa: F401  (fixtures)

NEXT = ("--next", "--now", "2027-01-07T17:00")  # Friday's reminder names Monday's people


def long_checklist(root: Path, chat: str, items: int, item: str) -> Path:
    chat_workspace(root, chat)
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    checklist = "".join(f'    - "{n:04d} {item}"\n' for n in range(items))
    start = text.index("  checklist:\n") + len("  checklist:\n")
    end = text.index("  report:\n")
    path.write_text(text[:start] + checklist + text[end:], encoding="utf-8")
    return root


def size(chat: str, body: dict) -> int:
    if chat == "teams":
        return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))
    text = text_of(chat, body)
    return len(text.encode("utf-8")) if LIMITS[chat][1] == "bytes" else len(text)


def text_of(chat: str, body: dict) -> str:
    if chat == "teams":
        return "\n".join(b["text"] for b in body["attachments"][0]["content"]["body"])
    if chat == "discord":
        return body["content"]
    (text,) = [value for value in body.values() if isinstance(value, str)]  # text, markdown
    return text


@pytest.mark.parametrize("chat", sorted(LIMITS))
@pytest.mark.parametrize(
    "item", ["Check the dashboards and the error budget " * 2, "監視ダッシュボードを確認する" * 4]
)
def test_a_long_reminder_fits_the_chat_and_keeps_people_and_fallback(
    remind: Remind, hook: Hook, tmp_path: Path, chat: str, item: str  # noqa: F811
):
    root = long_checklist(tmp_path, chat, 900, item)
    code, out, err = remind(root, *NEXT, "--post", hook.url)
    assert (code, out, err) == (0, "", "")
    body = hook.received[0]["body"]
    limit, _ = LIMITS[chat]
    assert size(chat, body) <= limit
    text = text_of(chat, body)
    lines = text.split("\n")
    assert lines[0].startswith("Next on call")
    assert "Escalation: " in text and "Outside the window: " in text
    assert "0000 " in text  # the checklist's first items stay; its last ones go
    assert "0899 " not in text
    (notice,) = [line for line in lines if "more lines left out" in line]
    left_out = int(notice.split("(")[1].split()[0])
    kept = sum(1 for line in lines if line[2:6].isdigit())
    assert kept + left_out == 900 + 1 or kept + left_out == 900  # + the manual line


def test_the_printed_chat_text_is_what_would_be_posted(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = long_checklist(tmp_path, "discord", 100, "x" * 40)
    printed = remind(root, *NEXT, "--format", "discord")[1].rstrip("\n")
    remind(root, *NEXT, "--post", hook.url)
    assert hook.received[0]["body"]["content"] == printed
    assert len(printed) <= 2000


def test_plain_text_is_never_cut(remind: Remind, tmp_path: Path):  # noqa: F811
    root = long_checklist(tmp_path, "text", 700, "y" * 80)
    out = remind(root, *NEXT)[1]
    assert "0699 " in out and "left out" not in out


def test_a_reminder_too_long_without_its_checklist_is_an_error(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = chat_workspace(tmp_path, "discord")
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"@sre-oncall"', '"' + "SRE " * 600 + '"'), encoding="utf-8")
    code, out, err = remind(root, *NEXT, "--post", hook.url)
    assert code == 2 and out == "" and hook.received == []
    assert "over Discord's limit of 2,000 characters" in err


def test_the_notice_speaks_the_rotation_language(remind: Remind, tmp_path: Path):  # noqa: F811
    root = long_checklist(tmp_path, "discord", 100, "x" * 40)
    path = root / "rotations" / "app.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: ja"))
    out = remind(root, *NEXT, "--format", "discord")[1]
    assert "Discordの上限 2,000 文字を超えるため" in out and len(out.rstrip("\n")) <= 2000
