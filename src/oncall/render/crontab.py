"""The crontab `oncall crontab` prints: one line for every rotation, with comments saying
what it will post, when and where."""

from __future__ import annotations

import shlex

from oncall.usecases.crontab import Crontab


def as_text(tab: Crontab) -> str:
    folder = shlex.quote(str(tab.folder))
    program = shlex.quote(tab.program)
    lines = [
        "# oncall: every rotation's reminders at its own times (reminders.times), each to its",
        "# own chat, exactly once per time; install with `crontab -e`. Cron's time zone does",
        "# not matter: each rotation's times are in its own zone.",
    ]
    variables: list[str] = []
    for timed in tab.rotations:
        times = ", ".join(t.describe() for t in timed.times)
        if timed.webhook_env is not None:
            where = f"the URL in ${timed.webhook_env}"
            variables.append(timed.webhook_env)
        elif timed.webhook_file is not None:
            where = f"the URL in {timed.webhook_file}"
        else:
            where = "--post's URL (the rotation names no webhook)"
        lines.append(f"#   {timed.rotation} ({timed.timezone}): {times}; posted to {where}")
    if variables:
        lines.append("# Set the webhook variables here (the URLs are secrets: keep this "
                     "crontab private):")
        lines += [f"# {name}=https://..." for name in sorted(set(variables))]
    lines.append(
        f"*/{tab.every} * * * * cd {folder} && {program} remind --due"
        if tab.every > 1 else f"* * * * * cd {folder} && {program} remind --due"
    )
    return "\n".join(lines)
