"""The categories duty hours are split into (``core.duty_hours``), named apart so the
rotation file's ``compensation:`` keys can list them without the cron path importing the
counting."""

CATEGORIES = ("in_window", "night", "weekend", "holiday")
