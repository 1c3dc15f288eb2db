"""Core: the rotation model, the duty calendar, schedules, rules, who is on duty, and the
parsing of dates people type. Pure and imports nothing else of oncall, so every layer
above can use it and the tests can exercise it without files."""
