"""oncall: plan and run fair on-call rotations.

The library API is importable without the CLI: ``oncall.io.loading`` reads files,
``oncall.core.calendar`` builds duty days, ``oncall.core.rules`` checks them and
``oncall.planner`` plans.
"""

__version__ = "0.1.0"
