"""The organisation tree: verksamhetsområden, program, verksamheter (``unit`` in code).

A unit is either a component of its parent (the children together make up the parent) or a
*part* of it (``part``, a "därav" row: a share of the parent's figure, not one piece of a
complete split). Sums over units add components only; a part is checked to be no larger than
its parent (``socdesk.core.checks``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    parent: str | None = None
    part: bool = False  # "därav": a share of the parent, left out of the parent's sum

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class UnitTree:
    """Units by code, with ordered children. Children keep the order they were added in."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
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
