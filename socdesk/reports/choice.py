"""Which period a report is for (the Rapporter dialog's choice): the periods a report kind is
made for, the one it defaults to – for a tertial the latest complete one – and the note the
title page prints when a tertial is not complete yet."""

from __future__ import annotations

from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import Month, Period
from socdesk.reports.compose import report_period
from socdesk.store.db import Store

SHOWN_YEARS = 3  # how far back the dialog offers periods


def latest_month(store: Store, unit: str) -> Month | None:
    """The last month the unit has utfall for: its net cost, else any stated figure."""
    last = store.last_month_with("netto", Scenario.ACTUAL, unit)
    if last is not None:
        return last
    periods = [p for _m, p in store.stated_periods(unit, Scenario.ACTUAL)]
    return max((p.end for p in periods), default=None)


def choices(kind: str, last: Month | None, today: Month) -> list[Period]:
    """The periods offered for a kind, newest first, up to the last month with utfall (or
    ``today`` when there is none) and its tertial or year even if not complete; a tertial that
    ends with the last month is followed by the next one (no utfall yet)."""
    end = last or today
    if kind == "manad":
        n = 12 * SHOWN_YEARS
        return [report_period(kind, end + -i) for i in range(n)]
    if kind == "tertial":  # the one being prepared first: the next, once the last is complete
        current = report_period(kind, end + 1 if last is not None and end.month % 4 == 0 else end)
        out = [current]
        while len(out) < 3 * SHOWN_YEARS:
            out.append(report_period(kind, out[-1].start + -1))
        return out
    return [Period.year(end.year - i) for i in range(SHOWN_YEARS + 2)]


def default_period(kind: str, last: Month | None, today: Month) -> Period:
    """The latest period with utfall; for a tertial the latest complete one (if any is)."""
    offered = choices(kind, last, today)
    if kind == "tertial" and last is not None:
        complete = [p for p in offered if p.end <= last]
        if complete:
            return complete[0]
    return offered[0]


def incomplete_note(kind: str, period: Period, last: Month | None) -> str:
    """The title page's note when a tertial is not complete ("" when it is)."""
    if kind != "tertial" or (last is not None and period.end <= last):
        return ""
    if last is None or last < period.start:
        return _("Tertialen är inte komplett: det finns inget utfall för {p} ännu.").format(p=period.label())
    return _("Tertialen är inte komplett: utfall finns till och med {m}.").format(
        m=Period.month(last.year, last.month).label()
    )
