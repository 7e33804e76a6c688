from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socdesk.core import keyfigures, periodisation, variance
from socdesk.core.errors import ParseError
from socdesk.core.numbers import MAX_MAGNITUDE, Scale
from socdesk.core.periods import Month, Period
from socdesk.core.values import Status, Value, from_store_int, parse_value, to_store_int


def test_variance_is_favourable_positive():
    # 003: 7762 Hemtjänst, utfall 17 175, budget 15 169 → −2 006
    assert variance.variance(Decimal(17175), Decimal(15169)) == Decimal(-2006)
    # 003: 7779 Avgifter hemtjänst, revenue: utfall −1 288, budget −1 085 → +203
    assert variance.variance(Decimal(-1288), Decimal(-1085)) == Decimal(203)
    # a target measure where higher is better
    assert variance.variance(Decimal(70), Decimal(88), higher_is_better=True) == Decimal(-18)
    assert variance.variance_pct(Decimal(-2006), Decimal(15169)).quantize(Decimal("0.1")) == Decimal("-13.2")
    assert variance.variance_pct(Decimal(5), Decimal(0)) is None
    assert variance.forecast_variance(Decimal("1008.4"), Decimal("1010.4")) == Decimal("2.0")


def test_keyfigures_reproduce_001():
    year = Period.year(2019)
    py = keyfigures.placement_years(Decimal(38049), year)
    assert py.quantize(Decimal("0.1")) == Decimal("104.2")
    # 2020 is a leap year; 001 divides by 365 all the same
    assert keyfigures.placement_years(Decimal(40496), Period.year(2020), "365").quantize(
        Decimal("0.1")
    ) == Decimal("110.9")
    assert keyfigures.placement_years(Decimal(40496), Period.year(2020)).quantize(Decimal("0.1")) == Decimal(
        "110.6"
    )
    # Familjehem vuxna 2021: nettokostnad 1 584 708, 730 dygn
    assert keyfigures.cost_per_day(Decimal(1584708), Decimal(730)).quantize(Decimal(1)) == 2171
    assert keyfigures.cost_per_placement_year(Decimal(1584708), Decimal(730), Period.year(2021)) == Decimal(
        792354
    )
    assert keyfigures.cost_per_day(Decimal(1), Decimal(0)) is None
    # 004: 70 % of a 88 % target → 80 %
    assert keyfigures.attainment(Decimal(70), Decimal(88)).quantize(Decimal(1)) == 80
    assert keyfigures.per_10000(Decimal(259), Decimal(1_000_000)) == Decimal("2.59")


def test_twelfths_are_exact_to_the_ore():
    months = periodisation.twelfths(Decimal("1000.00"), 2024)
    assert sum(months.values()) == Decimal("1000.00")
    assert sorted(set(months.values())) == [Decimal("83.33"), Decimal("83.34")]


def test_reconstructed_from_annual_and_ytd_holds_both_003_figures():
    # 003, 7762 Hemtjänst: budget maj 15 169 tkr, årsbudget 35 178 tkr
    months = periodisation.from_annual_and_ytd(Decimal(35_178_000), Decimal(15_169_000), Month(2024, 5))
    assert sum(v for m, v in months.items() if m.month <= 5) == Decimal(15_169_000)
    assert sum(months.values()) == Decimal(35_178_000)
    assert months[Month(2024, 1)] == Decimal("3033800.00")


def test_profile_and_errors():
    profile = [1] * 6 + [2, 2] + [1] * 4  # double in July and August
    months = periodisation.by_profile(Decimal(1400), 2024, profile)
    assert months[Month(2024, 7)] == Decimal(200)
    assert sum(months.values()) == Decimal(1400)
    with pytest.raises(ParseError):
        periodisation.by_profile(Decimal(1), 2024, [1] * 11)
    with pytest.raises(ParseError):
        periodisation.allocate(Decimal("0.001"), [1, 1])


@given(
    st.decimals(min_value=Decimal("-1e10"), max_value=Decimal("1e10"), places=2),
    st.lists(st.integers(0, 50), min_size=12, max_size=12).filter(any),
)
def test_any_profile_spreads_exactly(annual, profile):
    months = periodisation.by_profile(annual, 2023, profile)
    assert sum(months.values()) == annual
    assert all(v == v.quantize(Decimal("0.01")) for v in months.values())
    assert all(v == 0 for v, w in zip(months.values(), profile, strict=True) if w == 0)


@given(
    st.decimals(min_value=Decimal("-1e10"), max_value=Decimal("1e10"), places=2),
    st.decimals(min_value=Decimal("-1e10"), max_value=Decimal("1e10"), places=2),
    st.integers(1, 11),
)
def test_annual_and_ytd_both_hold(annual, ytd, month):
    months = periodisation.from_annual_and_ytd(annual, ytd, Month(2024, month))
    assert sum(months.values()) == annual
    assert sum(v for m, v in months.items() if m.month <= month) == ytd


def test_values_keep_statuses_and_resolution():
    assert parse_value("*").status is Status.SUPPRESSED
    assert parse_value(".").status is Status.NOT_COMPUTABLE
    assert parse_value("-").status is Status.NO_DATA
    assert parse_value("").status is Status.NO_DATA
    assert parse_value("*").number is None  # a status is never a number
    v = parse_value("3,2", Scale.MNKR)
    assert (v.number, v.resolution) == (Decimal(3_200_000), Decimal(100_000))
    assert parse_value("1 302", Scale.TKR).resolution == Decimal(1000)
    with pytest.raises(ParseError):
        parse_value("1,23456")
    assert Value.of("1.5").half_width == Decimal("0.05")


@given(st.decimals(min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=4))
def test_store_integers_are_exact_inside_the_bound_and_refused_beyond(d):
    if abs(d) < MAX_MAGNITUDE:
        assert from_store_int(to_store_int(d)) == d
    else:
        with pytest.raises(ParseError, match="för stort"):
            to_store_int(d)
