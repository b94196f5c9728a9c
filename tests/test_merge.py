"""Free text two people changed at once keeps both: nothing typed is lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mhtui.core.merge import DIVIDER, keep_both


@given(st.text(), st.text())
def test_both_texts_survive(theirs: str, mine: str) -> None:
    both = keep_both(theirs, mine)
    assert mine.strip() in both
    assert theirs.strip() in both or theirs.strip() in mine


def test_theirs_first_then_mine_under_a_line() -> None:
    assert keep_both("A: room booked", "B: no room") == (
        f"A: room booked\n\n{DIVIDER}\nB: no room")


def test_nothing_doubled_when_one_holds_the_other() -> None:
    assert keep_both("A: room booked", "") == "A: room booked"
    assert keep_both("A: room booked", "room booked") == "A: room booked"
    assert keep_both("A", "A, and B") == "A, and B"
