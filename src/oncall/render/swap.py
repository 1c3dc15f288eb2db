"""What `oncall swap` says after recording: the override and who is on duty on its days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncall.core.rules import format_dates
from oncall.render.feeds import calendar_line

if TYPE_CHECKING:
    from oncall.usecases.swap import Recorded


def summary(recorded: Recorded) -> str:
    """What was recorded and who is now on duty on the changed days."""
    proposal = recorded.proposal
    override = proposal.override
    reason = f" ({override.reason})" if override.reason else ""
    forced = " [forced]" if override.forced else ""
    changes = [f"{o.dates} {o.out} -> {o.in_}" for o in proposal.overrides]
    if len(changes) == 1:
        lines = [f"recorded in {recorded.schedule_path}: {changes[0]}{reason}{forced}"]
    else:  # a trade: its halves, recorded as one change
        lines = [f"recorded a trade in {recorded.schedule_path}{reason}{forced}:"]
        lines += [f"  {change}" for change in changes]
    if override.forced:
        if proposal.history:
            lines.append(
                f"it changes days already served ({format_dates(proposal.history)}; "
                "recorded anyway with --force)"
            )
        if proposal.violations:
            lines.append("it breaks these rules (recorded anyway with --force):")
            lines += [f"  - {violation.describe()}" for violation in proposal.violations]
    for day in proposal.days:
        duty = proposal.after.duty_on(day)
        shadow = f" (shadow: {', '.join(duty.shadow)})" if duty.shadow else ""
        lines.append(f"  {day.isoformat()}: {', '.join(duty.primary) or 'nobody'}{shadow}")
    lines.append(calendar_line(recorded.calendars))
    return "\n".join(lines)
