"""oncall: plan and run fair on-call rotations.

The library API is importable without the CLI: ``oncall.loading`` reads files,
``oncall.calendar`` builds duty days, ``oncall.rules`` checks them, ``oncall.planner`` plans.
"""

__version__ = "0.1.0"
