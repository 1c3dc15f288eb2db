"""Code the tests share: ``builders`` (rotations as objects), ``daily`` (a small rotation and
schedule on disk), ``brute_force`` (the planner's oracle) and ``cli`` (running the CLI in
this process or in a real one). ``tests/conftest.py`` turns the last two into fixtures."""
