"""The options of `who` and `remind`, declared once, and a small parser for them.

`who` and `remind` run from cron and alert hooks, where the ~25 ms typer takes to import
is a third of the whole run. So ``oncall.cli.entry`` parses well-formed calls of these two
commands with ``parse`` below, and everything else goes to the typer CLI. The typer
commands in ``oncall.cli.commands.daily`` build their options from the same table
(``oncall.cli.options.cron_option``: names, metavars, help texts, defaults), so the two
parsers cannot disagree on what an option is called or means;
``tests/test_cron_fast_path.py`` checks the defaults match too.

``parse`` accepts only what it fully understands and returns None for anything else
(help, unknown or repeated options, missing or odd values, a bad choice), so every usage
error and every help text still comes from typer, exactly as before.
"""

from __future__ import annotations

from pathlib import Path

from oncall import chats

WHO_FORMATS = ("text", "handles", "json")
_MARKUPS = tuple(chat for chat in chats.PLATFORMS if chat.NAME != "text")  # chats but text
REMIND_FORMATS = ("text", *(chat.NAME for chat in _MARKUPS), "json")


class OptionSpec:
    """One option: ``flag`` is None for the positional rotation files.

    ``metavar`` None with a flag means a switch (``--today``); ``choices`` are the values
    the command accepts (the command checks them too, with its own error message). A plain
    class: every cron run creates this table, and a dataclass costs ~0.5 ms to create.
    """

    __slots__ = ("choices", "default", "dest", "flag", "help", "metavar", "path")

    def __init__(
        self,
        dest: str,
        flag: str | None,
        help: str,
        metavar: str | None = None,
        *,
        default: str | bool | None = None,
        choices: tuple[str, ...] | None = None,
        path: bool = False,
    ) -> None:
        self.dest = dest
        self.flag = flag
        self.help = help
        self.metavar = metavar
        self.default = default
        self.choices = choices
        self.path = path

    @property
    def switch(self) -> bool:
        return self.flag is not None and self.metavar is None


ROTATIONS = OptionSpec(
    "rotations",
    None,
    "Rotation files (default: every rotations/*.yaml that is not a *.schedule.yaml).",
    path=True,
)
SCHEDULE = OptionSpec(
    "schedule",
    "--schedule",
    "Schedule file (default: beside the rotation).",
    metavar="PATH",
    path=True,
)
NOW = OptionSpec(
    "now",
    "--now",
    "Stand-in for the clock: ISO date-time local to the rotation's time zone.",
    metavar="DATETIME",
)

WHO_AT = OptionSpec("at", "--at", "The moment to ask about (default: now).", "DATETIME")
WHO_DATE = OptionSpec("on_date", "--date", "Ask about a whole day instead of a moment.", "D")
WHO_FORMAT = OptionSpec(
    "output_format",
    "--format",
    "text, handles (on-duty handles one per line; nothing when off duty) or json "
    "(one object per rotation per line).",
    "text|handles|json",
    default="text",
    choices=WHO_FORMATS,
)

REMIND_TODAY = OptionSpec("today", "--today", "Name today's people (the default).", default=False)
REMIND_NEXT = OptionSpec(
    "upcoming",
    "--next",
    "Name the next duty day's people (Friday -> Monday, holidays skipped), "
    "with the manual and the pre-shift checklist.",
    default=False,
)
REMIND_HANDOFF = OptionSpec(
    "handoff",
    "--handoff",
    "The end-of-duty report template for today's people, naming who takes over.",
    default=False,
)
REMIND_FORMAT = OptionSpec(
    "output_format",
    "--format",
    "text; a chat's markup and mentions: " + ", ".join(chat.NAME for chat in _MARKUPS) + "; "
    "or json, one object per rotation per line (default: text; with --post, each "
    "rotation's reminders.chat, slack unless set, posted as that chat's payload).",
    "FORMAT",
    choices=REMIND_FORMATS,
)
REMIND_POST = OptionSpec(
    "post",
    "--post",
    "Send the message to this chat incoming webhook ("
    + ", ".join(chat.TITLE for chat in _MARKUPS[:-1]) + f" or {_MARKUPS[-1].TITLE}"
    + ": see --format) instead "
    "of printing it; exit 4 if it cannot be delivered. The URL is a secret and shows in "
    "ps and crontabs: prefer --post-url-file or --post-url-env.",
    "URL",
)
REMIND_POST_FILE = OptionSpec(
    "post_url_file",
    "--post-url-file",
    "Post to the webhook URL written in this file (its first line; keep it chmod 600).",
    "PATH",
    path=True,
)
REMIND_POST_ENV = OptionSpec(
    "post_url_env",
    "--post-url-env",
    "Post to the webhook URL held by this environment variable, e.g. ONCALL_WEBHOOK_URL.",
    "VAR",
)
REMIND_DUE = OptionSpec(
    "due",
    "--due",
    "Post every reminder whose time (reminders.times) has come since the last run, for "
    "every rotation, exactly once, each to its rotation's webhook (reminders.webhook_url_env "
    "or _file; --post for those naming none). Run it every few minutes from cron: see "
    "`oncall crontab`.",
    default=False,
)
REMIND_CATCH_UP = OptionSpec(
    "catch_up",
    "--catch-up",
    "With --due: how late a missed reminder is still sent (default 1h; at most 1d); "
    "older ones are reported on stderr and skipped.",
    "DURATION",
)

# Each command's parameters, in the order of the typer command's signature.
COMMANDS: dict[str, tuple[OptionSpec, ...]] = {
    "who": (ROTATIONS, SCHEDULE, NOW, WHO_AT, WHO_DATE, WHO_FORMAT),
    "remind": (
        ROTATIONS, SCHEDULE, NOW, REMIND_TODAY, REMIND_NEXT, REMIND_HANDOFF, REMIND_FORMAT,
        REMIND_POST, REMIND_POST_FILE, REMIND_POST_ENV, REMIND_DUE, REMIND_CATCH_UP,
    ),
}


def parse(argv: list[str]) -> tuple[str, dict[str, object]] | None:
    """``(command, keyword arguments)`` for a well-formed `who`/`remind` call, else None.

    Accepts ``--flag value``, ``--flag=value``, switches and rotation files in any order,
    each option at most once. Values that look like options or are empty are left to typer.
    """
    if not argv or argv[0] not in COMMANDS:
        return None
    specs = COMMANDS[argv[0]]
    by_flag = {spec.flag: spec for spec in specs if spec.flag is not None}
    values: dict[str, object] = {spec.dest: spec.default for spec in specs}
    seen: set[str] = set()
    files: list[Path] = []
    rest = argv[1:]
    index = 0
    while index < len(rest):
        arg = rest[index]
        index += 1
        if arg and not arg.startswith("-"):
            files.append(Path(arg))
            continue
        flag, has_value, value = arg.partition("=")
        spec = by_flag.get(flag)
        if spec is None or flag in seen:
            return None  # help, unknown or repeated options, `--`, `-`: typer's job
        seen.add(flag)
        if spec.switch:
            if has_value:
                return None
            values[spec.dest] = True
            continue
        if not has_value:
            if index == len(rest):
                return None
            value = rest[index]
            index += 1
        if not value or value.startswith("-"):
            return None
        if spec.choices is not None and value not in spec.choices:
            return None
        values[spec.dest] = Path(value) if spec.path else value
    values[ROTATIONS.dest] = files or None
    return argv[0], values
