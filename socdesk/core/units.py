"""The organisation tree: verksamhetsområden, program, verksamheter (``unit`` in code).

A unit is either a component of its parent (the children together make up the parent) or a
*part* of it (``part``, a "därav" row: a share of the parent's figure, not one piece of a
complete split). Sums over units add components only; a part is checked to be no larger than
its parent (``socdesk.core.checks``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from socdesk.core.errors import ParseError
from socdesk.core.i18n import _
from socdesk.core.periods import parse_period


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    parent: str | None = None
    part: bool = False  # "därav": a share of the parent, left out of the parent's sum
    closed_from: str | None = None  # "YYYY-MM": takes no figures for periods from this month

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class UnitTree:
    """Units by code, with ordered children. Children keep the order they were added in."""

    def __init__(self, units: Iterable[Unit] = (), *, as_of: str | None = None) -> None:
        self.as_of = as_of  # "YYYY-MM": the tree as it was then ("som den var"); None: as it is now
        self._units: dict[str, Unit] = {}
        self._children: dict[str | None, list[str]] = {None: []}
        for unit in units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        if unit.code in self._units:
            raise ValueError(f"unit {unit.code} twice")
        self._units[unit.code] = unit
        self._children.setdefault(unit.parent, []).append(unit.code)
        self._children.setdefault(unit.code, [])

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __getitem__(self, code: str) -> Unit:
        return self._units[code]

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def get(self, code: str) -> Unit | None:
        return self._units.get(code)

    def roots(self) -> list[Unit]:
        return [self._units[c] for c in self._children[None]]

    def children(self, code: str | None) -> list[Unit]:
        return [self._units[c] for c in self._children.get(code, [])]

    def components(self, code: str | None) -> list[Unit]:
        """The children that together make up ``code``'s figure: every child but the parts."""
        return [u for u in self.children(code) if not u.part]

    def parts(self, code: str | None) -> list[Unit]:
        """The "därav" children of ``code``: shares of its figure, not pieces of its sum."""
        return [u for u in self.children(code) if u.part]

    def parent(self, code: str) -> Unit | None:
        p = self._units[code].parent
        return self._units[p] if p is not None else None

    def ancestors(self, code: str) -> list[Unit]:
        """From the parent up to the root."""
        out = []
        unit = self.parent(code)
        while unit is not None:
            out.append(unit)
            unit = self.parent(unit.code)
        return out

    def descendants(self, code: str) -> list[Unit]:
        """Depth first, in order, excluding ``code`` itself."""
        out: list[Unit] = []
        stack = list(reversed(self._children.get(code, [])))
        while stack:
            c = stack.pop()
            out.append(self._units[c])
            stack.extend(reversed(self._children.get(c, [])))
        return out

    def is_leaf(self, code: str) -> bool:
        return not self._children.get(code)

    def path(self, code: str) -> list[Unit]:
        """Root first, ending with the unit itself (a breadcrumb)."""
        return [*reversed(self.ancestors(code)), self._units[code]]


def likely_parents(
    codes: Iterable[str], codes_in_file: Iterable[str], tree: UnitTree
) -> dict[str, str | None]:
    """Where each new unit in ``codes`` from a file most likely belongs, or None when nothing
    says so (the caller then asks; a new unit is never put at the top level by default):

    1. the parent of its siblings in the file: known codes of the same length that share the
       longest prefix with it (at least half of the code), if they all have one parent;
    2. else the known unit whose code is the longest proper prefix of it (``77620`` under ``7762``).

    One pass over the file's codes, then a look-up per prefix: thousands of codes stay quick."""
    siblings: dict[tuple[int, str], set[str | None]] = {}  # (length, prefix) → the parents of such codes
    for other in dict.fromkeys(codes_in_file):
        unit = tree.get(other)
        if unit is None:
            continue
        for n in range(1, len(other)):
            siblings.setdefault((len(other), other[:n]), set()).add(unit.parent)
    out: dict[str, str | None] = {}
    for code in codes:
        out[code] = None
        for n in range(len(code) - 1, max(1, len(code) // 2) - 1, -1):
            parents = siblings.get((len(code), code[:n]))
            if parents is not None:
                if len(parents) == 1 and None not in parents:
                    out[code] = next(iter(parents))
                break
        if out[code] is None:
            out[code] = next((code[:n] for n in range(len(code) - 1, 0, -1) if code[:n] in tree), None)
    return out


def likely_parent(code: str, codes_in_file: Iterable[str], tree: UnitTree) -> str | None:
    """``likely_parents`` of one code."""
    return likely_parents([code], codes_in_file, tree)[code]


# --- texts about changes of the tree (socdesk.store.unit_changes; the CLI and the dialogs) ---
def month_label(month: str) -> str:
    """``2023-07`` as ``jul 2023``."""
    return parse_period(month).label()


def check_month(text: str) -> str:
    """A month given as ``YYYY-MM`` (or ``2023-7``), normalised; a Swedish message otherwise."""
    try:
        period = parse_period(text.strip())
    except ParseError:  # the parser's own message is about periods in general
        period = None
    if period is None or period.kind != "month":
        raise ParseError(_("Ange en månad som ÅÅÅÅ-MM, t.ex. 2023-07 (inte ”{t}”).").format(t=text))
    return str(period.start)


def closed_label(unit: Unit) -> str:
    """``(stängd fr.o.m. jul 2023)`` for a closed unit, else ``""``."""
    return _("(stängd fr.o.m. {m})").format(m=month_label(unit.closed_from)) if unit.closed_from else ""


def describe_event(event: dict) -> str:
    """One unit event as a Swedish line (the CLI's history and the GUI's)."""
    action, old, new, eff = event["action"], event["old_value"], event["new_value"], event["effective"]
    since = _(" fr.o.m. {m}").format(m=month_label(eff)) if eff else ""
    if action == "add":
        return _("ny enhet under {p}{s}").format(p=new, s=since) if new else _("ny nämnd{s}").format(s=since)
    if action == "rename":
        return _("nytt namn: ”{o}” → ”{n}”").format(o=old, n=new)
    if action == "move":
        return _("flyttad från {o} till {n}{s}").format(o=old or _("(ingen)"), n=new or _("(ingen)"), s=since)
    if action == "close":
        return _("stängd fr.o.m. {m}").format(m=month_label(new))
    return _("sammanslagning av {o}{s}").format(o=old.replace(",", ", "), s=since)


def merge_preview(
    tree: UnitTree,
    codes: list[str],
    into: str,
    name: str | None,
    month: str,
    *,
    made: bool,
) -> str:
    """What a merge does, in one Swedish sentence (the dialog's preview and the CLI's answer)."""
    names = [tree[c].name if c in tree else c for c in codes]
    shown = names[0] if len(names) == 1 else _("{a} och {b}").format(a=", ".join(names[:-1]), b=names[-1])
    target = f"{into} {name or (tree[into].name if into in tree else '')}".strip()
    short = name or (tree[into].name if into in tree else into)
    return _("{a} stängs fr.o.m. {m} och läggs under {c}{new}; deras tidigare år summeras i {s}.").format(
        a=shown, m=month_label(month), c=target, new=_(" (ny enhet)") if made else "", s=short
    )
