"""Who moved between two schedules: what a lead reads out after re-planning."""

from __future__ import annotations

from datetime import date

from oncall.core.diff import PRIMARY, SHADOW, Seat, people_moved, shift_changes
from oncall.core.model import Term
from oncall.core.schedule import Schedule, Shift

TERM = Term(date(2027, 1, 4), date(2027, 1, 31))
W1 = (date(2027, 1, 4), date(2027, 1, 8))
W2 = (date(2027, 1, 11), date(2027, 1, 15))
W3 = (date(2027, 1, 18), date(2027, 1, 22))


def schedule(*shifts: Shift) -> Schedule:
    return Schedule("test", None, TERM, shifts)


def test_identical_schedules_have_no_changes() -> None:
    old = schedule(Shift(*W1, ("aiko", "ken")), Shift(*W2, ("taro", "mei")))
    assert shift_changes(old, old) == []


def test_order_within_a_shift_is_not_a_change() -> None:
    old = schedule(Shift(*W1, ("aiko", "ken")))
    new = schedule(Shift(*W1, ("ken", "aiko")))
    assert shift_changes(old, new) == []


def test_one_person_replaced_reads_left_to_joined() -> None:
    old = schedule(Shift(*W1, ("aiko", "ken")), Shift(*W2, ("taro", "mei")))
    new = schedule(Shift(*W1, ("aiko", "ken")), Shift(*W2, ("taro", "raj")))
    changes = shift_changes(old, new)
    assert len(changes) == 1
    assert changes[0].describe() == "2027-01-11..2027-01-15: mei -> raj"
    assert people_moved(changes) == ["mei", "raj"]


def test_role_change_shows_both_roles() -> None:
    old = schedule(Shift(*W1, ("aiko",), ("mei",)))
    new = schedule(Shift(*W1, ("mei",), ()))
    (change,) = shift_changes(old, new)
    assert change.left == (Seat("aiko", PRIMARY), Seat("mei", SHADOW))
    assert change.joined == (Seat("mei", PRIMARY),)
    assert change.describe() == "2027-01-04..2027-01-08: aiko, mei (shadow) -> mei"


def test_shifts_on_one_side_only_are_all_left_or_all_joined() -> None:
    old = schedule(Shift(*W1, ("aiko",)), Shift(*W3, ("ken",)))
    new = schedule(Shift(*W1, ("aiko",)), Shift(*W2, ("taro",)))
    changes = shift_changes(old, new)
    assert [c.describe() for c in changes] == [
        "2027-01-11..2027-01-15: - -> taro",
        "2027-01-18..2027-01-22: ken -> -",
    ]


def test_no_previous_schedule_means_everyone_joined() -> None:
    new = schedule(Shift(*W1, ("aiko", "ken")))
    (change,) = shift_changes(None, new)
    assert change.left == ()
    assert [seat.handle for seat in change.joined] == ["aiko", "ken"]
