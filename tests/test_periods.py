import pytest
from hypothesis import given
from hypothesis import strategies as st

from socdesk.core.errors import ParseError
from socdesk.core.periods import Month, Period, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "canonical", "label"),
    [
        ("2024-05", (2024, 5), (2024, 5), "2024-05", "maj 2024"),
        ("2024-Q1", (2024, 1), (2024, 3), "2024-Q1", "K1 2024"),
        ("2024-T1", (2024, 1), (2024, 4), "2024-T1", "T1 2024"),
        ("2023-T3", (2023, 9), (2023, 12), "2023-T3", "T3 2023"),
        ("2024", (2024, 1), (2024, 12), "2024", "2024"),
        ("2024-01/2024-05", (2024, 1), (2024, 5), "2024-01/2024-05", "jan–maj 2024"),
        ("2021-11/2023-04", (2021, 11), (2023, 4), "2021-11/2023-04", "nov 2021–apr 2023"),
        ("202405", (2024, 5), (2024, 5), "2024-05", "maj 2024"),
        ("2024-05-31", (2024, 5), (2024, 5), "2024-05", "maj 2024"),
        ("maj 2024", (2024, 5), (2024, 5), "2024-05", "maj 2024"),
        ("januari 2023", (2023, 1), (2023, 1), "2023-01", "jan 2023"),
        ("2024-01/2024-04", (2024, 1), (2024, 4), "2024-T1", "T1 2024"),
    ],
)
def test_parse_label_and_canonical_text(text, start, end, canonical, label):
    p = parse_period(text)
    assert (p.start, p.end) == (Month(*start), Month(*end))
    assert str(p) == canonical
    assert p.label() == label


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-13",
        "2024-Q5",
        "2024-T4",
        "24-05",
        "2024-02-30",
        "maj",
        "2024-05/2024-01",
        "12.3.4",
    ],
)
def test_rejects_bad_periods_with_a_reason(text):
    with pytest.raises(ParseError) as err:
        parse_period(text)
    assert str(err.value)  # a message for the user


def test_days_count_leap_years():
    assert Period.year(2024).days == 366
    assert Period.year(2023).days == 365
    assert Period.year(2020).days_365 == 365
    assert Period.month(2024, 2).days == 29
    assert Period.quarter(2024, 1).days == 31 + 29 + 31
    assert Period.tertial(2023, 1).days == 31 + 28 + 31 + 30


@given(st.integers(1990, 2100), st.integers(1, 12), st.integers(0, 30))
def test_canonical_text_round_trips(year, month, length):
    start = Month(year, month)
    p = Period(start, start + length)
    assert parse_period(str(p)) == p
    assert p.n_months == length + 1
    assert sum(Period.month(m.year, m.month).days for m in p.months()) == p.days
