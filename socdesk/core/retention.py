"""Which backups to keep: everything from the last day (at most ``recent``), then the newest
of each of the last 7 days, 4 ISO weeks and 12 months. Pure: dates in, dates out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta


def keep(
    taken: Iterable[datetime],
    now: datetime,
    *,
    recent: int = 20,
    daily: int = 7,
    weekly: int = 4,
    monthly: int = 12,
) -> set[datetime]:
    stamps = sorted(set(taken), reverse=True)
    kept: set[datetime] = set()
    if stamps:
        kept.add(stamps[0])  # never lose the newest
    kept.update([t for t in stamps if now - t <= timedelta(days=1)][:recent])
    for key, count in (
        (lambda t: t.date(), daily),
        (lambda t: t.isocalendar()[:2], weekly),
        (lambda t: (t.year, t.month), monthly),
    ):
        seen: list = []
        for t in stamps:  # newest first: the first of each bucket is its newest
            k = key(t)
            if k not in seen:
                seen.append(k)
                if len(seen) > count:
                    break
                kept.add(t)
    return kept
