"""Budget periodisation: spread an annual budget over months, exactly.

Every function returns one amount per month whose sum is exactly the amount given; amounts
are whole öre (``quantum``), distributed by the largest-remainder method so that no öre is lost
or invented. Monthly figures are used for follow-up; the stated figures stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from socdesk.core.errors import ParseError
from socdesk.core.i18n import _
from socdesk.core.periods import Month

ORE = Decimal("0.01")


def allocate(total: Decimal, weights: Sequence[Decimal | int], quantum: Decimal = ORE) -> list[Decimal]:
    """Split ``total`` by ``weights`` into multiples of ``quantum`` that sum exactly."""
    if total % quantum:
        raise ParseError(_("Beloppet {t} går inte att fördela i hela ören.").format(t=total))
    w = [Decimal(x) for x in weights]
    if any(x < 0 for x in w):
        raise ParseError(_("En fördelningsprofil kan inte ha negativa vikter."))
    wsum = sum(w)
    if not w or wsum == 0:
        raise ParseError(_("Fördelningsprofilen saknar vikter."))
    sign = -1 if total < 0 else 1
    units = int(abs(total) / quantum)
    exact = [Decimal(units) * x / wsum for x in w]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    rest = units - sum(floors)
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return [sign * quantum * f for f in floors]


def twelfths(annual: Decimal, year: int) -> dict[Month, Decimal]:
    """Tolftedelar: the same share every month."""
    return dict(zip(_months(year), allocate(annual, [1] * 12), strict=True))


def by_profile(annual: Decimal, year: int, profile: Sequence[Decimal | int]) -> dict[Month, Decimal]:
    """A named 12-month profile (e.g. more in summer for vikarier)."""
    if len(profile) != 12:
        raise ParseError(_("En periodiseringsprofil måste ha tolv värden, inte {n}.").format(n=len(profile)))
    return dict(zip(_months(year), allocate(annual, profile), strict=True))


def from_annual_and_ytd(
    annual: Decimal,
    ytd: Decimal,
    through: Month,
    profile: Sequence[Decimal | int] | None = None,
) -> dict[Month, Decimal]:
    """Reconstruct months so that both the annual and the year-to-date budget hold exactly.

    Months 1..M share the year-to-date budget, months M+1..12 the rest, each part in twelfths
    (or by ``profile`` within the part).
    """
    weights = list(profile) if profile is not None else [1] * 12
    m = through.month
    first = allocate(ytd, weights[:m])
    last = allocate(annual - ytd, weights[m:]) if m < 12 else []
    if m == 12 and ytd != annual:
        raise ParseError(
            _("Budget t.o.m. december ({y}) skiljer sig från årsbudgeten ({a}).").format(y=ytd, a=annual)
        )
    return dict(zip(_months(through.year), first + last, strict=True))


def _months(year: int) -> list[Month]:
    return [Month(year, m) for m in range(1, 13)]
