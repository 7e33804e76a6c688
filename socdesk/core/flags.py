"""Deviation flags: red, yellow or green, with the reasons in Swedish.

Three rules, each with thresholds per level of the tree (depth 0 = the nämnd; the last entry
applies to every deeper level). A rule fires at a level when the unfavourable amount reaches
*both* that level's kronor threshold and its percentage of budget, so that neither a tiny unit
with a large percentage nor a large unit with a rounding difference is flagged.

- ``ytd``: the year-to-date variance (budget − utfall, + favourable).
- ``forecast``: the forecast variance (årsbudget − helårsprognos).
- ``run_rate``: utfall so far extrapolated to the year end at the pace of the periodised
  budget (``core.forecast.run_rate``: årsbudget × utfall ÷ budget so far), over the årsbudget.

A percentage is left out (the rule rests on kronor) where it means nothing
(``core.variance.pct_base_problem``: a zero budget, or one on the other side of zero).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum

from socdesk.core.forecast import run_rate
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
from socdesk.core.variance import pct_base_problem

PCT = Decimal(100)


class Level(IntEnum):
    # No verdict: the utfall rests on children that have not all reported, so comparing it
    # with the whole budget says nothing (below green: never counted as flagged).
    INCOMPLETE = -1
    GREEN = 0
    YELLOW = 1
    RED = 2

    @property
    def key(self) -> str:
        return {
            Level.INCOMPLETE: "incomplete",
            Level.GREEN: "green",
            Level.YELLOW: "yellow",
            Level.RED: "red",
        }[self]

    @property
    def label(self) -> str:
        return {
            Level.INCOMPLETE: _("Ofullständig"),
            Level.GREEN: _("Grön"),
            Level.YELLOW: _("Gul"),
            Level.RED: _("Röd"),
        }[self]

    @property
    def symbol(self) -> str:
        """Shape as well as colour: never colour alone."""
        return {Level.INCOMPLETE: "◔", Level.GREEN: "✓", Level.YELLOW: "▲", Level.RED: "■"}[self]


@dataclass(frozen=True, slots=True)
class Threshold:
    kr: Decimal
    pct: Decimal

    def reached(self, amount: Decimal, pct: Decimal | None) -> bool:
        return amount >= self.kr and (pct is None or pct >= self.pct)


@dataclass(frozen=True, slots=True)
class LevelRule:
    yellow: Threshold
    red: Threshold


def _rule(yk: int, yp: str, rk: int, rp: str) -> LevelRule:
    return LevelRule(Threshold(Decimal(yk), Decimal(yp)), Threshold(Decimal(rk), Decimal(rp)))


DEFAULT_BY_DEPTH = [
    _rule(1_000_000, "1", 5_000_000, "3"),  # nämnd
    _rule(200_000, "1", 1_000_000, "5"),  # program / verksamhetsområde
    _rule(50_000, "5", 250_000, "10"),  # verksamhet and deeper
]
RULE_NAMES = {
    "ytd": _("Avvikelse hittills i år"),
    "forecast": _("Prognosavvikelse"),
    "run_rate": _("Utfallstakt mot årsbudget"),
}


@dataclass(frozen=True)
class FlagRules:
    ytd: list[LevelRule] = field(default_factory=lambda: list(DEFAULT_BY_DEPTH))
    forecast: list[LevelRule] = field(default_factory=lambda: list(DEFAULT_BY_DEPTH))
    run_rate: list[LevelRule] = field(default_factory=lambda: list(DEFAULT_BY_DEPTH))

    def for_depth(self, rule: str, depth: int) -> LevelRule:
        levels: list[LevelRule] = getattr(self, rule)
        return levels[min(depth, len(levels) - 1)]

    def to_json(self) -> str:
        def enc(levels: list[LevelRule]) -> list[dict[str, dict[str, str]]]:
            return [
                {
                    name: {"kr": str(getattr(r, name).kr), "pct": str(getattr(r, name).pct)}
                    for name in ("yellow", "red")
                }
                for r in levels
            ]

        return json.dumps({k: enc(getattr(self, k)) for k in RULE_NAMES}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> FlagRules:
        data = json.loads(text)

        def dec(levels: list[dict[str, dict[str, str]]]) -> list[LevelRule]:
            out = [
                LevelRule(
                    *(Threshold(Decimal(lv[n]["kr"]), Decimal(lv[n]["pct"])) for n in ("yellow", "red"))
                )
                for lv in levels
            ]
            if not out:
                raise ValueError("empty rule")
            return out

        return cls(**{k: dec(data[k]) for k in RULE_NAMES})


@dataclass(frozen=True, slots=True)
class Flag:
    level: Level
    reasons: tuple[str, ...] = ()
    worst_amount: Decimal = Decimal(0)  # the largest unfavourable amount behind the level

    @property
    def sort_key(self) -> tuple[int, Decimal]:
        return (int(self.level), self.worst_amount)


def _tkr(amount: Decimal) -> str:
    return f"{format_number(amount, 0, Scale.TKR)} tkr"


def _pct(value: Decimal | None) -> str:
    return "–" if value is None else format_number(value, 1, percent=True)


def evaluate(
    rules: FlagRules,
    depth: int,
    *,
    actual_ytd: Decimal | None,
    budget_ytd: Decimal | None,
    annual_budget: Decimal | None,
    forecast: Decimal | None,
    months_passed: int,
    higher_is_better: bool = False,
    incomplete: str | None = None,
) -> Flag:
    """Apply the three rules to one unit's figures (net cost positive).

    ``incomplete`` (why) says the utfall rests on children that have not all reported: the two
    rules that compare utfall with budget are then not applied, and where the forecast rule
    does not fire either the level is ``INCOMPLETE`` with that reason, never green."""
    sign = -1 if higher_is_better else 1
    # (rule, unfavourable amount, the budget it is measured against, the figure compared, projection)
    candidates: list[tuple[str, Decimal, Decimal, Decimal, Decimal | None]] = []
    if incomplete is not None:
        actual_ytd = None  # an incomplete utfall is compared with nothing
    if actual_ytd is not None and budget_ytd is not None:
        bad = sign * (actual_ytd - budget_ytd)
        candidates.append(("ytd", bad, budget_ytd, actual_ytd, None))
    if forecast is not None and annual_budget is not None:
        bad = sign * (forecast - annual_budget)
        candidates.append(("forecast", bad, annual_budget, forecast, None))
    if actual_ytd is not None and annual_budget is not None and 0 < months_passed < 12:
        # at the pace of the periodised budget (its stated pieces, profile or reconstruction)
        projected = (
            run_rate(actual_ytd, months_passed, budget_ytd=budget_ytd, annual_budget=annual_budget)
            if budget_ytd is not None
            else None
        )
        if projected is not None:
            bad = sign * (projected - annual_budget)
            candidates.append(("run_rate", bad, annual_budget, projected, projected))
    level = Level.GREEN
    reasons: list[tuple[Level, str]] = []
    worst = Decimal(0)
    for rule, bad, base, compared, projected in candidates:
        if bad <= 0:
            continue
        # a percentage of a zero budget, or of one on the other side of zero, means nothing:
        # the rule then rests on kronor alone
        pct = bad * PCT / abs(base) if pct_base_problem(base, compared) is None else None
        thresholds = rules.for_depth(rule, depth)
        fired = (
            Level.RED
            if thresholds.red.reached(bad, pct)
            else (Level.YELLOW if thresholds.yellow.reached(bad, pct) else Level.GREEN)
        )
        if fired is Level.GREEN:
            continue
        t = thresholds.red if fired is Level.RED else thresholds.yellow
        limit = _("{level} gräns {kr} och {pct}").format(
            level=fired.label.lower(), kr=_tkr(t.kr), pct=format_number(t.pct, 0, percent=True)
        )
        if rule == "run_rate":
            text = _(
                "{name}: utfallet hittills ger {proj} på helår, {bad} ({pct}) över årsbudgeten – når {limit}."
            ).format(
                name=RULE_NAMES[rule],
                proj=_tkr(projected or Decimal(0)),
                bad=_tkr(bad),
                pct=_pct(pct),
                limit=limit,
            )
        else:
            text = _("{name} {bad} ({pct}) – når {limit}.").format(
                name=RULE_NAMES[rule],
                bad=_tkr(-bad),
                pct=_pct(-pct if pct is not None else None),
                limit=limit,
            )
        reasons.append((fired, text))
        level = max(level, fired)
        worst = max(worst, bad)
    ordered = sorted(reasons, key=lambda r: -r[0])  # the reason for the level first
    texts = tuple(text for _level, text in ordered)
    if incomplete is not None:
        return Flag(Level.INCOMPLETE if level is Level.GREEN else level, (*texts, incomplete), worst)
    return Flag(level, texts, worst)
