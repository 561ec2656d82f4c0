"""The plain rules behind n/p/N, X and u (tui/triage.py)."""

from __future__ import annotations

from tui.triage import UndoStack, day_with_unread, first_unread, last_unread, next_unread, unread_of

IDS = ["a", "b", "c", "d", "e"]


def test_next_unread_skips_read_and_never_returns_the_start() -> None:
    read = {"b", "c"}.__contains__
    assert next_unread(IDS, 0, 1, read) == 3
    assert next_unread(IDS, 3, 1, read) == 4
    assert next_unread(IDS, 4, 1, read) is None
    assert next_unread(IDS, 3, -1, read) == 0
    assert next_unread(IDS, 0, -1, read) is None
    assert next_unread([], 0, 1, read) is None and next_unread([], 0, -1, read) is None


def test_first_and_last_unread() -> None:
    read = {"a", "e"}.__contains__
    assert first_unread(IDS, read) == 1 and last_unread(IDS, read) == 3
    assert first_unread(IDS, set(IDS).__contains__) is None


def test_day_with_unread_goes_both_ways_and_honours_the_filter() -> None:
    days = [["a", "b"], ["c"], ["d", "e"]]
    read = {"c"}.__contains__
    assert day_with_unread(days, 0, 1, read) == 2  # day 1 is all read
    assert day_with_unread(days, 2, -1, read) == 0
    assert day_with_unread(days, -1, 1, read) == 0  # from "All days": the first day
    assert day_with_unread(days, 2, 1, read) is None
    assert day_with_unread(days, 0, 1, read, matches={"a"}) is None  # day 2 has no unread match
    assert day_with_unread(days, 0, 1, read, matches={"e"}) == 2


def test_unread_of_keeps_order() -> None:
    assert unread_of(IDS, {"a", "d"}) == ["b", "c", "e"]


def test_undo_stack_pops_newest_first_and_is_bounded() -> None:
    done: list[int] = []
    stack = UndoStack(depth=2)
    for n in range(3):
        stack.push(f"step {n}", lambda n=n: done.append(n))
    assert len(stack) == 2
    assert stack.pop() == "step 2" and stack.pop() == "step 1" and stack.pop() is None
    assert done == [2, 1]
