"""Formulas for derived figures, evaluated over intervals.

A formula is arithmetic (``+ - * /``, parentheses, numbers) over measure keys and the period
variables ``dagar`` (the period's actual days: 366 in 2024, 29 in February 2024), ``dagar365``
(days on a 365-day year, leap days not counted: the convention some sources follow, e.g. 001's
årsplaceringar) and ``manader`` (months in the period). Which of ``dagar`` and ``dagar365`` a
measure's formula names is how the measure declares its convention, for every path that
computes or checks it. A measure may list alternatives separated by ``|``; each alternative
whose inputs are present is checked.

Stated figures are rounded, so each is an interval ``[v − r/2, v + r/2]`` (``r`` its resolution).
Evaluating over intervals tells whether a stated derived figure can be the formula's result
of the stated inputs, beyond their rounding: that is what ``derived_mismatch`` asks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _

PERIOD_VARIABLES = ("dagar", "dagar365", "manader")


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, v: Decimal | int) -> Interval:
        d = Decimal(v)
        return cls(d, d)

    @classmethod
    def around(cls, v: Decimal, half_width: Decimal) -> Interval:
        return cls(v - half_width, v + half_width)

    def __add__(self, o: Interval) -> Interval:
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Interval) -> Interval:
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: Interval) -> Interval:
        p = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(p), max(p))

    def __truediv__(self, o: Interval) -> Interval:
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError
        return self * Interval(1 / o.hi, 1 / o.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def overlaps(self, o: Interval) -> bool:
        return self.lo <= o.hi and o.lo <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


_BINOPS = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__", ast.Div: "__truediv__"}


class Formula:
    def __init__(self, text: str) -> None:
        self.text = text.strip()
        try:
            tree = ast.parse(self.text, mode="eval")
            self._tree = tree.body
            self.variables = frozenset(self._check(self._tree))
        except (SyntaxError, RecursionError, MemoryError) as err:  # nested thousands deep: no formula
            raise ParseError(_("Formeln ”{f}” går inte att läsa.").format(f=clip(text))) from err

    def _check(self, node: ast.AST) -> set[str]:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return self._check(node.left) | self._check(node.right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return self._check(node.operand)
        if isinstance(node, ast.Name):
            return {node.id}
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return set()
        raise ParseError(_("Formeln ”{f}” får bara innehålla + − × ÷, tal och mått.").format(f=self.text))

    @property
    def inputs(self) -> frozenset[str]:
        """The measure keys the formula reads."""
        return self.variables - set(PERIOD_VARIABLES)

    @property
    def divides_by_measure(self) -> bool:
        """Whether the formula divides by a measure (a rate: ``x / invanare * 10000``); a
        division by a period variable or a number (``varddygn / dagar``) does not count."""
        return any(
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div)
            and any(isinstance(n, ast.Name) and n.id not in PERIOD_VARIABLES for n in ast.walk(node.right))
            for node in ast.walk(self._tree)
        )

    def evaluate(self, env: dict[str, Interval]) -> Interval | None:
        """``None`` if a divisor may be zero."""
        try:
            return self._eval(self._tree, env)
        except ZeroDivisionError:
            return None

    def exact(self, env: dict[str, Decimal]) -> Decimal | None:
        """The formula of exact figures, in ``Decimal`` (each division correctly rounded to 28
        digits, so ``0,045 / 3`` is ``0,015``); ``None`` if a divisor is zero."""
        try:
            return self._exact(self._tree, env)
        except (ZeroDivisionError, InvalidOperation):
            return None

    def _exact(self, node: ast.AST, env: dict[str, Decimal]) -> Decimal:
        if isinstance(node, ast.BinOp):
            left, right = self._exact(node.left, env), self._exact(node.right, env)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ZeroDivisionError
            return getattr(left, _BINOPS[type(node.op)])(right)
        if isinstance(node, ast.UnaryOp):
            return -self._exact(node.operand, env)
        if isinstance(node, ast.Name):
            return env[node.id]
        assert isinstance(node, ast.Constant)
        return Decimal(str(node.value))

    def _eval(self, node: ast.AST, env: dict[str, Interval]) -> Interval:
        if isinstance(node, ast.BinOp):
            left, right = self._eval(node.left, env), self._eval(node.right, env)
            return getattr(left, _BINOPS[type(node.op)])(right)
        if isinstance(node, ast.UnaryOp):
            return -self._eval(node.operand, env)
        if isinstance(node, ast.Name):
            return env[node.id]
        assert isinstance(node, ast.Constant)
        return Interval.exact(Decimal(str(node.value)))

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


def alternatives(text: str) -> list[Formula]:
    return [Formula(t) for t in text.split("|") if t.strip()]
