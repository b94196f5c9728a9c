"""Due dates and status words as people type them, and odd input thrown at both."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhtui.core.dates import DateError, parse_due
from mhtui.core.statuses import Status, StatusError, parse_status

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-01-31", date(2026, 1, 31)), ("5-19-2022", date(2022, 5, 19)),
    ("5/19/2022", date(2022, 5, 19)), ("05/09/22", date(2022, 5, 9)),
    ("today", TODAY), (" Tomorrow ", date(2026, 11, 24)), ("+3d", date(2026, 11, 26)),
    ("+2w", date(2026, 12, 7)), ("+2W", date(2026, 12, 7)), ("", None), ("   ", None),
])
def test_due_dates_people_type(typed: str, expected: date | None) -> None:
    assert parse_due(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["2026-02-30", "13/1/2026", "next week", "+3", "3d",
                                   "2026/01/31x", "-2d", "31.01.2026"])
def test_bad_due_dates_say_what_works(typed: str) -> None:
    with pytest.raises(DateError) as error:
        parse_due(typed, TODAY)
    assert repr(typed.strip())[:10] in str(error.value)


@given(st.text(max_size=200))
def test_any_text_either_parses_or_raises_date_error(typed: str) -> None:
    try:
        result = parse_due(typed, TODAY)
    except DateError as exc:
        assert str(exc)
    else:
        assert result is None or isinstance(result, date)


@pytest.mark.parametrize(("word", "status"), [
    ("In Progress", Status.IN_PROGRESS), ("in-progress", Status.IN_PROGRESS),
    ("done", Status.COMPLETED), ("COMPLETED", Status.COMPLETED), ("blocked", Status.BLOCKED),
    ("Behind schedule", Status.BLOCKED), ("not started", Status.NOT_STARTED),
    ("Abandoned", Status.ABANDONED), ("3", Status.BLOCKED),
])
def test_status_words_and_variants(word: str, status: Status) -> None:
    assert parse_status(word) is status


@given(st.text(max_size=50))
def test_any_status_word_parses_or_lists_the_five(word: str) -> None:
    try:
        parse_status(word)
    except StatusError as exc:
        assert all(repr(s.value) in str(exc) for s in Status)
