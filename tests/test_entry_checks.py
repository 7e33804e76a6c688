"""Checking a figure as it is typed into an entry form (core, no Qt)."""

from socdesk.core.entry import check_cell


class Money:
    is_money, is_exact_count = True, False


class Count:
    is_money, is_exact_count = False, True


def test_swedish_numbers_in_tkr_and_the_bad_cells_of_the_issue():
    assert check_cell("3 400", Money).value.number == 3_400_000
    assert check_cell("3,4", Money).value.number == 3_400
    for bad, reason in [
        ("abc", "inget tal"),
        ("1,2,3", "decimalkomman"),
        ("1e309", "exponent"),
        ("−", "inget tal"),
        ("123456789012345678901234567890", "för stort"),
    ]:
        check = check_cell(bad, Money)
        assert check.value is None and reason in check.error, bad
    assert check_cell("", Money).value.status.value == "-"


def test_counts_are_whole_and_not_negative():
    assert "negativt" in check_cell("-2", Count).error
    assert "heltal" in check_cell("2,5", Count).error
    assert check_cell("12", Count).value.number == 12


def test_implausible_values_are_warned_about_not_refused():
    high = check_cell("60 000", Money, history=[3000, 3100])
    assert high.ok and "5 gånger" in high.warning
    flipped = check_cell("-50", Money, history=[3000, 3100])
    assert flipped.ok and "Motsatt tecken" in flipped.warning
    assert check_cell("3 050", Money, history=[3000, 3100]).warning == ""
