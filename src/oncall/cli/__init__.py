"""The shell, the top layer: parses the command line, calls one use case, hands its data to
one renderer, and prints, writes or posts the result.

Layers, top to bottom (checked by import-linter, see pyproject.toml): cli > render >
usecases > planner | io > core. Inside the shell imports go one way: entry > app >
commands > duty_commands | options > cronargs | formats | guard | output.
"""
