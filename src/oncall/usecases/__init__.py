"""Use cases: what each command does, as data. They find and read the files, ask core and
the planner, write schedules, and return plain objects; they never print.

Below the renderers, above the planner, the file formats (io) and core.
"""
