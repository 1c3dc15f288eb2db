"""`oncall relay`: a long-running service that posts alerts to the people on duty.

Its own layer, above the renderers and use cases and below the shell: ``config`` (the
relay file and its routes), ``spool`` (accepted alerts on disk), ``rotations`` (rotation
and schedule files, re-read when they change), ``delivery`` (the workers that post),
``bodies`` (a sender's body checked before anything is spooled), ``http`` (the
endpoints, on aiohttp's server), ``metrics`` and ``logs``; ``service`` wires them together.
Nothing below imports it, and the cron fast path never sees it.
"""
