"""Budget periodisation: spread an annual budget over months, exactly.

Every function returns one amount per month whose sum is exactly the amount given; amounts
are whole öre (``quantum``), distributed by the largest-remainder method so that no öre is lost
or invented. Monthly figures are used for follow-up; the stated figures stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise

from socdesk.core.errors import ParseError
from socdesk.core.i18n import _
from socdesk.core.numbers import format_exact
from socdesk.core.periods import Month

ORE = Decimal("0.01")


def allocate(total: Decimal, weights: Sequence[Decimal | int], quantum: Decimal = ORE) -> list[Decimal]:
    """Split ``total`` by ``weights`` into multiples of ``quantum`` that sum exactly."""
    if total % quantum:
        raise ParseError(_("Beloppet {t} går inte att fördela i hela ören.").format(t=format_exact(total)))
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
    m = through.month
    if m == 12 and ytd != annual:
        raise ParseError(
            _("Budget t.o.m. december ({y}) skiljer sig från årsbudgeten ({a}).").format(y=ytd, a=annual)
        )
    months, _rebuilt = months_from_stated({(1, m): ytd, (1, 12): annual}, profile)
    return dict(zip(_months(through.year), months, strict=True))  # type: ignore[arg-type]


def _months(year: int) -> list[Month]:
    return [Month(year, m) for m in range(1, 13)]


FINEST = Decimal("0.0001")  # the store's resolution: any stored amount splits into these


def months_from_stated(
    stated: dict[tuple[int, int], Decimal],
    weights: Sequence[Decimal | int] | None = None,
) -> tuple[list[Decimal | None], bool]:
    """The monthly budget of a year from its stated pieces, so that every piece holds exactly.

    ``stated`` maps (first month, last month) to an amount: months stated one by one, a
    year-to-date budget (1, M), a tertial, the årsbudget (1, 12). A month stated on its own is
    kept as stated; the months between two points where the cumulative budget is known (the
    start of the year, the end of a year-to-date piece, …) share what the pieces leave for
    them, in twelfths (or by ``weights``, a 12-month profile). Months after the last known
    point are ``None``. Returns the months and whether any of them was reconstructed.
    (Jan–maj + årsbudget: jan–maj share the May budget, jun–dec the rest, as 003 implies.)
    """
    w = list(weights) if weights is not None else [1] * 12
    single = {a: v for (a, b), v in stated.items() if a == b}
    ranges = [(a, b, v) for (a, b), v in stated.items() if a != b]
    cum: dict[int, Decimal] = {0: Decimal(0)}
    changed = True
    while changed:  # chain the pieces from the known points, forwards and backwards
        changed = False
        for a, b, v in [*((m, m, v) for m, v in single.items()), *ranges]:
            if a - 1 in cum and b not in cum:
                cum[b] = cum[a - 1] + v
                changed = True
            elif b in cum and a - 1 not in cum:
                cum[a - 1] = cum[b] - v
                changed = True
    months: list[Decimal | None] = [single.get(m) for m in range(1, 13)]
    rebuilt = False
    known = sorted(cum)
    for a, b in pairwise(known):
        free = [m for m in range(a + 1, b + 1) if m not in single]
        if not free:
            continue
        rest = cum[b] - cum[a] - sum((single[m] for m in range(a + 1, b + 1) if m in single), Decimal(0))
        quantum = FINEST if rest % ORE else ORE
        parts = allocate(rest, [w[m - 1] for m in free], quantum) if any(w[m - 1] for m in free) else None
        if parts is None:
            continue
        for m, part in zip(free, parts, strict=True):
            months[m - 1] = part
        rebuilt = True
    return months, rebuilt
