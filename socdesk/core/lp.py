"""A small exact linear-programming solver (two-phase simplex over fractions, Bland's rule), for
the few-hundred-variable problems of disclosure control: how far can a hidden cell vary, given
everything printed? Exact arithmetic, so "protected" never rests on a rounding error."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

INFINITY = None  # an unbounded maximum


class Infeasible(ValueError):
    pass


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, col: int) -> None:
    """Entries stay Python ints while the pivots are ±1 (always so for the sums of a table:
    their matrices are totally unimodular), which is many times faster than fractions."""
    pivot_row = tableau[row]
    p = pivot_row[col]
    if p == -1:
        tableau[row] = pivot_row = [-v for v in pivot_row]
    elif p != 1:
        tableau[row] = pivot_row = [Fraction(v) / p for v in pivot_row]
    for r, other in enumerate(tableau):
        if r != row and other[col] != 0:
            f = other[col]
            tableau[r] = [a - f * b for a, b in zip(other, pivot_row, strict=True)]
    basis[row] = col


def _simplex(tableau: list[list[Fraction]], basis: list[int], allowed: int) -> bool:
    """Minimise the last row's objective over columns < ``allowed``; False if unbounded."""
    m = len(tableau) - 1
    while True:
        objective = tableau[m]
        col = next((j for j in range(allowed) if objective[j] < 0), None)  # Bland: lowest index
        if col is None:
            return True
        best: tuple[Fraction, int, int] | None = None
        for r in range(m):
            a = tableau[r][col]
            if a > 0:
                ratio = Fraction(tableau[r][-1]) / a  # exact, also for int entries
                key = (ratio, basis[r], r)
                if best is None or key[:2] < best[:2]:
                    best = key
        if best is None:
            return False
        _pivot(tableau, basis, best[2], col)


class Polytope:
    """{y ≥ 0 : A y = b}; ``bounds(k)`` gives the least and greatest value of y_k over it."""

    def __init__(self, a: Sequence[Sequence[int | Fraction]], b: Sequence[int | Fraction], n: int) -> None:
        self.n = n
        rows = []
        for coeffs, rhs in zip(a, b, strict=True):
            coeffs, rhs = list(coeffs), rhs
            if rhs < 0:
                coeffs, rhs = [-c for c in coeffs], -rhs
            rows.append((coeffs, rhs))
        self.rows = rows
        self._feasible = self._phase_one()

    def _phase_one(self) -> tuple[list[list[Fraction]], list[int]] | None:
        m, n = len(self.rows), self.n
        tableau = []
        for i, (coeffs, rhs) in enumerate(self.rows):
            artificial = [int(k == i) for k in range(m)]
            tableau.append([*coeffs, *artificial, rhs])
        objective = [0] * (n + m + 1)
        for row in tableau:  # minimise the sum of the artificials
            objective = [o - v for o, v in zip(objective, row, strict=True)]
        for k in range(n, n + m):
            objective[k] = 0
        tableau.append(objective)
        basis = list(range(n, n + m))
        _simplex(tableau, basis, n + m)
        if tableau[-1][-1] != 0:
            return None
        for r in range(m):  # drive artificials out of the basis where possible
            if basis[r] >= n:
                col = next((j for j in range(n) if tableau[r][j] != 0), None)
                if col is not None:
                    _pivot(tableau, basis, r, col)
        keep = [r for r in range(m) if basis[r] < n]  # rows left on artificials are redundant
        reduced = [[*tableau[r][:n], tableau[r][-1]] for r in keep]
        return reduced, [basis[r] for r in keep]

    @property
    def feasible(self) -> bool:
        return self._feasible is not None

    def _optimum(self, k: int, sign: int) -> Fraction | None:
        """min (sign=1) or max (sign=-1) of y_k; None if unbounded."""
        if self._feasible is None:
            raise Infeasible("no table fits what is printed")
        rows, basis = self._feasible
        tableau = [list(r) for r in rows]
        basis = list(basis)
        objective = [0] * (self.n + 1)
        objective[k] = sign
        for r, b in enumerate(basis):  # express the objective in the non-basic variables
            if objective[b] != 0:
                f = objective[b]
                objective = [o - f * v for o, v in zip(objective, tableau[r], strict=True)]
        tableau.append(objective)
        if not _simplex(tableau, basis, self.n):
            return None
        return -tableau[-1][-1] * sign

    def bounds(self, k: int) -> tuple[Fraction, Fraction | None]:
        low = self._optimum(k, 1)
        high = self._optimum(k, -1)
        assert low is not None  # y ≥ 0 bounds every minimum
        return low, high
