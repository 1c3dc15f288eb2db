"""Which encoding a spreadsheet's CSV is in: UTF-8 (with or without Excel's byte order
mark) or CP932, the Windows code page Japanese Excel saves "CSV (Comma delimited)" in.

No guessing by statistics: the encodings are tried strictly, in a fixed order (TRIED),
and the text of each that decodes is kept. A file that decodes as one only is that one. A
file that decodes as both with different text (short runs of Japanese in UTF-8 are often
valid CP932 too) is decided by its header row: the reading whose headers are all column
names (``headers_known``) wins, UTF-8 first. A file neither decides is ambiguous, and an
error, as is one that decodes as none: both name the encodings tried and how to save the
file, and ``--encoding NAME`` reads it as the person says.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from oncall.core.errors import InputError, Mark
from oncall.io.files import read_bytes

# (codec, as the docs and messages name it), in the order they are tried.
TRIED = (("utf-8", "UTF-8"), ("cp932", "CP932 (Shift_JIS)"))
# CP932 bytes Python's codec maps to private-use or C1 characters, which no sheet holds:
# a strict CP932 reading refuses them.
_NOT_CP932 = frozenset("\x80\uf8f0\uf8f1\uf8f2\uf8f3")
SAVE_HINT = (
    'in Excel: Save As, "CSV UTF-8 (Comma delimited) (*.csv)"; or pass --encoding NAME '
    "(utf-8, cp932, shift_jis, euc-jp...)"
)


def sheet_text(
    path: Path, encoding: str | None, headers_known: Callable[[str], bool]
) -> tuple[str, str]:
    """The file's text without a byte order mark, and the encoding it was read in."""
    file = str(path)
    data = read_bytes(path, hint="a roster of a thousand people is well under a megabyte; "
                      "is this the right file?")
    if not data:
        raise InputError("found an empty file, expected a header row", mark=Mark(file))
    if encoding is not None:
        return _given(data, encoding, file), encoding
    if data.startswith(codecs.BOM_UTF8):
        found = _strict(data[3:], "utf-8")
        if isinstance(found, UnicodeDecodeError):
            raise _undecodable(data, 3, {"UTF-8": found}, file)
        return found, "utf-8"
    readings: dict[str, str] = {}
    failures: dict[str, UnicodeDecodeError] = {}
    for codec, shown in TRIED:
        result = _strict(data, codec)
        if isinstance(result, UnicodeDecodeError):
            failures[shown] = result
        else:
            readings[codec] = result
    if not readings:
        raise _undecodable(data, 0, failures, file)
    texts = list(readings.items())
    if len(texts) == 1 or texts[0][1] == texts[1][1]:
        return texts[0][1], texts[0][0]
    known = [(codec, text) for codec, text in texts if headers_known(_first_line(text))]
    if known:
        return known[0][1], known[0][0]
    names = " and as ".join(shown for codec, shown in TRIED if codec in readings)
    raise InputError(
        f"found a file that reads as {names}, with different text, and a header row that "
        "names the columns in neither; expected one encoding",
        mark=Mark(file, 1),
        hint=SAVE_HINT.replace("; or pass", "; or say which with"),
    )


def _strict(data: bytes, codec: str) -> str | UnicodeDecodeError:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        return error
    if codec == "cp932":
        bad = next((i for i, ch in enumerate(text) if ch in _NOT_CP932), None)
        if bad is not None:
            where = len(text[:bad].encode("cp932"))
            return UnicodeDecodeError(codec, data, where, where + 1, "not a CP932 character")
    return text


def _given(data: bytes, encoding: str, file: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"--encoding: found {encoding!r}, expected an encoding such as utf-8, cp932, "
            "shift_jis or euc-jp",
        ) from None
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    found = _strict(data, codec)
    if isinstance(found, UnicodeDecodeError):
        raise _undecodable(data, 0, {encoding: found}, file, given=True)
    return found


def _undecodable(
    data: bytes, skip: int, failures: dict[str, UnicodeDecodeError], file: str,
    *, given: bool = False,
) -> InputError:
    """The error for a file no encoding tried reads: where each one stopped."""
    places = []
    first: Mark | None = None
    for shown, error in failures.items():
        at = skip + error.start
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1  # in bytes: the text is unreadable
        places.append(f"{shown} at line {line}, byte {column} (0x{data[at]:02x})")
        first = first or Mark(file, line, column)
    tried = "the encoding given" if given else "the encodings tried"
    return InputError(
        f"cannot read this file in {tried}: {'; '.join(places)}",
        mark=first or Mark(file),
        hint=SAVE_HINT,
    )


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].removesuffix("\r")
