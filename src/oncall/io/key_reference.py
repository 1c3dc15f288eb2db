"""docs/rotation-file.md, the reference of every rotation and schedule key, made from the
key tables (``oncall.io.keys``) so it cannot drift:
``python -m oncall.io.key_reference > docs/rotation-file.md`` (tests/test_loading.py
checks it)."""

from __future__ import annotations

import sys

from oncall.io.escalation_keys import ESCALATION_KEYS
from oncall.io.keys import ROTATION_KEYS, SCHEDULE_KEYS
from oncall.io.schema import reference_table


def render_docs() -> str:
    """docs/rotation-file.md, made from the tables so the reference cannot drift."""
    lines = [
        "# Rotation and schedule file reference",
        "",
        "<!-- Generated from the tables in src/oncall/io/keys.py by "
        "`python -m oncall.io.key_reference > docs/rotation-file.md`; do not edit by hand. -->",
        "",
        "Keys are YAML. `a.b` is key `b` inside mapping `a`; `members[].b` is key `b` of",
        "each item of the list `members`. Unknown keys are errors. A key set to `null`",
        "(or left empty) counts as absent. Errors name the key as `members[0].team`",
        "(list items count from 0) with the file, line and column.",
        "",
        "Values are read as written, not as YAML 1.1 would guess: `handle: 007` is the",
        'text "007", `start: 10:00` is ten o\'clock, and `yes`/`no`/`on`/`off` are refused',
        "where `true` or `false` is expected.",
        "",
        "Quote text that holds ` #` (a space, then `#`): YAML starts a comment there, so",
        "`escalation: ask in #sre` is the text \"ask in\". Write",
        "`escalation: \"ask in #sre\"`. Quote text that starts with `#`, `@`, `*`, `&`, `!`,",
        "`%`, `|`, `>`, a quote or a bracket, or that holds `: `, for the same reason:",
        "`fallback: \"@sre-oncall\"`, `name: \"Ops: nights\"`.",
    ]
    for table in (ROTATION_KEYS, SCHEDULE_KEYS):
        lines += ["", f"## {table.title}", "", *reference_table(table)]
    lines += [
        "", f"## {ESCALATION_KEYS.title}", "",
        "`escalation:` is text, or a mapping whose keys (under `escalation.`) are below.",
        "The mapping sets `oncall relay`'s timer: a firing group mentioned to the people on",
        "duty that is neither acknowledged nor resolved `after` that long is escalated to",
        "the step's target, and posted again in the incident with `escalation_group`",
        "mentioned (see docs/relay.md). The target's secret is named by an environment",
        "variable, read by `oncall relay` at start.",
        "", *reference_table(ESCALATION_KEYS),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_docs())
