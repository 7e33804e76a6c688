"""Periods: month, quarter, tertial, year and month ranges, with Swedish labels.

A period is an inclusive range of whole months. Canonical text forms:
``2024-05`` (month), ``2024-Q1`` (quarter), ``2024-T1`` (tertial), ``2024`` (year) and
``2024-01/2024-05`` (any other range, e.g. year to date).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _

MONTH_ABBR = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
EN_DASH = "–"


@total_ordering
@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ParseError(_("Månaden måste vara 1–12, inte {m}.").format(m=self.month))
        if not 1900 <= self.year <= 2200:
            raise ParseError(_("Året {y} är orimligt.").format(y=self.year))

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __lt__(self, other: Month) -> bool:
        return self.index < other.index

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of months ``start``..``end``."""

    start: Month
    end: Month

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ParseError(
                _("Perioden slutar ({end}) före den börjar ({start}).").format(start=self.start, end=self.end)
            )

    # --- constructors -------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        m = Month(year, month)
        return cls(m, m)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(Month(year, 1), Month(year, 12))

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        if not 1 <= q <= 4:
            raise ParseError(_("Kvartal måste vara 1–4, inte {q}.").format(q=q))
        return cls(Month(year, 3 * q - 2), Month(year, 3 * q))

    @classmethod
    def tertial(cls, year: int, t: int) -> Period:
        if not 1 <= t <= 3:
            raise ParseError(_("Tertial måste vara 1–3, inte {t}.").format(t=t))
        return cls(Month(year, 4 * t - 3), Month(year, 4 * t))

    @classmethod
    def year_to_date(cls, year: int, month: int) -> Period:
        return cls(Month(year, 1), Month(year, month))

    # --- properties ---------------------------------------------------------------------
    @property
    def n_months(self) -> int:
        return self.end.index - self.start.index + 1

    @property
    def days(self) -> int:
        return sum((self.start + i).days for i in range(self.n_months))

    @property
    def days_365(self) -> int:
        """Days on a 365-day year (leap days ignored), as some reports count."""
        return sum(28 if (self.start + i).month == 2 else (self.start + i).days for i in range(self.n_months))

    def months(self) -> list[Month]:
        return [self.start + i for i in range(self.n_months)]

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def kind(self) -> str:
        s, e = self.start, self.end
        if s == e:
            return "month"
        if s.year == e.year:
            if s.month == 1 and e.month == 12:
                return "year"
            if self.n_months == 3 and s.month % 3 == 1:
                return "quarter"
            if self.n_months == 4 and s.month % 4 == 1:
                return "tertial"
        return "range"

    def __lt__(self, other: Period) -> bool:
        return (self.start.index, self.end.index) < (other.start.index, other.end.index)

    # --- text ---------------------------------------------------------------------------
    def __str__(self) -> str:
        s = self.start
        kind = self.kind
        if kind == "month":
            return str(s)
        if kind == "year":
            return f"{s.year:04d}"
        if kind == "quarter":
            return f"{s.year:04d}-Q{(s.month + 2) // 3}"
        if kind == "tertial":
            return f"{s.year:04d}-T{(s.month + 3) // 4}"
        return f"{self.start}/{self.end}"

    def label(self) -> str:
        """Swedish label: ``maj 2024``, ``jan–apr 2024``, ``T1 2024``, ``K1 2024``, ``2024``."""
        s, e = self.start, self.end
        kind = self.kind
        if kind == "month":
            return f"{MONTH_ABBR[s.month - 1]} {s.year}"
        if kind == "year":
            return str(s.year)
        if kind == "quarter":
            return f"K{(s.month + 2) // 3} {s.year}"
        if kind == "tertial":
            return f"T{(s.month + 3) // 4} {s.year}"
        if s.year == e.year:
            return f"{MONTH_ABBR[s.month - 1]}{EN_DASH}{MONTH_ABBR[e.month - 1]} {s.year}"
        return f"{MONTH_ABBR[s.month - 1]} {s.year}{EN_DASH}{MONTH_ABBR[e.month - 1]} {e.year}"


_RE_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RE_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_RE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RE_QUARTER = re.compile(r"^(\d{4})-?[QK](\d)$", re.IGNORECASE)
_RE_TERTIAL = re.compile(r"^(\d{4})-?T(\d)$", re.IGNORECASE)
_RE_YEAR = re.compile(r"^(\d{4})$")
_RE_NAMED_MONTH = re.compile(r"^([a-zåäö]+)\.? (\d{4})$", re.IGNORECASE)


def _parse_single(text: str) -> Period:
    if m := _RE_YEAR.match(text):
        return Period.year(int(m[1]))
    if m := _RE_MONTH.match(text):
        return Period.month(int(m[1]), int(m[2]))
    if m := _RE_COMPACT_MONTH.match(text):
        return Period.month(int(m[1]), int(m[2]))
    if m := _RE_DATE.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        p = Period.month(year, month)
        if not 1 <= day <= p.start.days:
            raise ParseError(_("Datumet {t} finns inte.").format(t=text))
        return p
    if m := _RE_QUARTER.match(text):
        return Period.quarter(int(m[1]), int(m[2]))
    if m := _RE_TERTIAL.match(text):
        return Period.tertial(int(m[1]), int(m[2]))
    if m := _RE_NAMED_MONTH.match(text):
        name = m[1].lower()
        for i, (abbr, full) in enumerate(zip(MONTH_ABBR, MONTH_NAMES, strict=True)):
            if name in (abbr, full):
                return Period.month(int(m[2]), i + 1)
    raise ParseError(
        _("”{t}” är ingen period. Skriv t.ex. 2024-05, 2024-Q1, 2024-T1, 2024 eller 2024-01/2024-05.").format(
            t=clip(text)
        )
    )


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period:
    """Parse a period in any of the accepted forms (see module docstring)."""
    t = text.strip()
    if not t:
        raise ParseError(_("Perioden saknas."))
    if "/" in t:
        left, _sep, right = t.partition("/")
        a, b = _parse_single(left.strip()), _parse_single(right.strip())
        return Period(a.start, b.end)
    return _parse_single(t)
