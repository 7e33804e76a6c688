"""Consistency checks over stated facts (``socdesk check``).

Every stated figure is an interval (see ``socdesk.core.formula``), so a rounded document is
never blamed for its own rounding: a finding means no exact figures could have been printed
this way. Rules:

- ``sum_mismatch``: a stated parent ≠ the sum of its children (units, or a kön/grupp breakdown);
  where flipping one child's sign reconciles the sum, the message says so.
- ``sign_anomaly``: one of a unit's money figures for a year has the opposite sign to the rest.
- ``variance_mismatch``: a stated avvikelse ≠ budget − utfall (prognosavvikelse ≠ budget −
  prognos; + is favourable); likewise a stated måluppfyllelse ≠ utfall ÷ mål.
- ``derived_mismatch``: a stated key figure ≠ its formula of the stated inputs.
- ``grain_mismatch``: finer stated facts (months, quarters, tertials) ≠ a stated coarser figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.formula import Interval, alternatives
from socdesk.core.i18n import _
from socdesk.core.keyfigures import period_variables
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale, format_number
from socdesk.core.periods import Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Value

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    unit: str
    measure: str
    scenario: str
    period: str
    stated: Decimal | None
    computed: Decimal | None
    message: str

    def as_json(self) -> dict[str, object]:
        d = asdict(self)
        for k in ("stated", "computed"):
            v = d[k]
            d[k] = None if v is None else (int(v) if v == v.to_integral_value() else float(v))
        return d


def _interval(v: Value, measure: Measure | None = None) -> Interval:
    """The figures a stated value may stand for: exact for whole counts, else ± half its
    resolution (a printed 3,2 mnkr is anything from 3,15 to 3,25 mnkr)."""
    assert v.number is not None
    if measure is not None and measure.is_exact_count and v.number == v.number.to_integral_value():
        return Interval.exact(v.number)
    return Interval.around(v.number, v.half_width)


def show(value: Decimal, resolution: Decimal | None, measure: Measure | None) -> str:
    """A figure as the source printed it: in tkr or mnkr where it was stated so."""
    res = resolution or Decimal(1)
    scale = Scale.KR
    if measure is not None and measure.is_money:
        if res >= Scale.MNKR.factor / 10:
            scale = Scale.MNKR
        elif res >= Scale.TKR.factor:
            scale = Scale.TKR
    decimals = max(0, -((res / scale.factor).normalize().as_tuple().exponent))  # type: ignore[operator]
    text = format_number(value, int(decimals), scale)
    return f"{text} {scale.label}" if measure is not None and measure.is_money else text


class Checker:
    def __init__(self, facts: Iterable[Fact], tree: UnitTree, measures: dict[str, Measure]) -> None:
        self.tree = tree
        self.measures = measures
        self.facts: dict[FactKey, Fact] = {f.key: f for f in facts}
        self.findings: list[Finding] = []
        # Every stated figure a rule re-derived, whether it reconciled or not.
        self.compared: list[tuple[str, FactKey]] = []
        self._reported = {(k.unit, k.measure, k.gender, k.group) for k in self.facts}

    # --- helpers ------------------------------------------------------------------------
    def _num(self, key: FactKey) -> Value | None:
        f = self.facts.get(key)
        return f.value if f is not None and f.value.is_number else None

    def _unit_label(self, code: str) -> str:
        u = self.tree.get(code)
        return u.label if u else code

    def _measure_name(self, key: str) -> str:
        m = self.measures.get(key)
        return m.name if m else key

    def _where(self, key: FactKey) -> str:
        parts = [key.scenario.label, self._measure_name(key.measure), key.period.label()]
        extra = [p for p in (key.gender, key.group, key.version and f"version {key.version}") if p]
        return " ".join(parts) + (f" ({', '.join(extra)})" if extra else "")

    def _add(
        self,
        rule: str,
        severity: str,
        key: FactKey,
        stated: Decimal | None,
        computed: Decimal | None,
        message: str,
    ) -> None:
        self.findings.append(
            Finding(
                rule,
                severity,
                key.unit,
                key.measure,
                key.scenario.value,
                str(key.period),
                stated,
                computed,
                message,
            )
        )

    # --- rules --------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        self.findings = []
        self.check_unit_sums()
        self.check_breakdown_sums()
        self.check_signs()
        self.check_variances()
        self.check_derived()
        self.check_grain()
        self.findings.sort(key=lambda f: (f.rule, f.unit, f.measure, f.scenario, f.period))
        return self.findings

    def check_unit_sums(self) -> None:
        for key, fact in self.facts.items():
            measure = self.measures.get(key.measure)
            if measure is None or not measure.additive_units or not fact.value.is_number:
                continue
            if key.scenario is Scenario.ATTAINMENT or key.unit not in self.tree:
                continue
            children = self.tree.children(key.unit)
            if not children:
                continue
            # A child that reports this measure (kön, grupp) but has no figure here (missing,
            # suppressed) leaves the sum unknown. A child that never reports it is left out, as
            # a district left out of a printed table, but only where most children do report:
            # one reporting child is a detail of its parent, not a breakdown of it.
            parts: list[tuple[Unit, Value]] = []
            absent = 0
            for c in children:
                v = self._num(replace(key, unit=c.code))
                if v is not None:
                    parts.append((c, v))
                elif (c.code, key.measure, key.gender, key.group) in self._reported:
                    break
                else:
                    absent += 1
            else:
                if parts and (not absent or (len(parts) >= 2 and len(parts) > absent)):
                    self._compare_children(key, fact, measure, parts)

    def _compare_children(
        self, key: FactKey, fact: Fact, measure: Measure, parts: list[tuple[Unit, Value]]
    ) -> None:
        children = [c for c, _v in parts]
        values = [v for _c, v in parts]
        total = sum((_interval(p, measure) for p in values), Interval.exact(0))
        stated = _interval(fact.value, measure)
        self.compared.append(("sum_mismatch", key))
        if stated.overlaps(total):
            return
        exact_sum = sum((p.number for p in values if p.number is not None), Decimal(0))
        res = fact.value.resolution
        msg = _("{what} för {unit} är {stated} men summan av underliggande enheter är {sum}.").format(
            what=self._where(key),
            unit=self._unit_label(key.unit),
            stated=show(fact.value.number, res, measure),  # type: ignore[arg-type]
            sum=show(exact_sum, res, measure),
        )
        flips = [
            (c, p)
            for c, p in zip(children, values, strict=True)
            if p.number and stated.overlaps(total - _interval(p, measure) - _interval(p, measure))
        ]
        for child, p in flips:
            msg += " " + _("Med omvänt tecken för {child} ({old} → {new}) stämmer summan.").format(
                child=child.label,
                old=show(p.number, res, measure),  # type: ignore[arg-type]
                new=show(-p.number, res, measure),  # type: ignore[operator]
            )
        self._add("sum_mismatch", ERROR, key, fact.value.number, exact_sum, msg)

    def check_breakdown_sums(self) -> None:
        """Kön: K + M = total. Grupper: the subgroups of a grupp add up to it, where a grupp
        ``"A: B"`` is a subgroup of ``"A"`` and groups without ``": "`` are parts of the total."""
        groups: dict[tuple, dict[tuple[str, str], Value]] = defaultdict(dict)
        for key, fact in self.facts.items():
            base = (key.unit, key.measure, key.scenario, key.period, key.version)
            groups[base][(key.group, key.gender)] = fact.value
        for base, cells in groups.items():
            measure = self.measures.get(base[1])
            if measure is None or not measure.additive_breakdown or len(cells) < 3:
                continue
            names = {g for g, _x in cells}
            for g in sorted(names):
                total, women, men = (_number(cells.get((g, x))) for x in ("", "K", "M"))
                if total is not None and women is not None and men is not None:
                    self._compare_breakdown(base, g, "", total, [women, men], _("kvinnor och män"))
            for parent in sorted({parent_group(g) for g in names if g}):
                kids = sorted(g for g in names if g and parent_group(g) == parent)
                if len(kids) < 2:
                    continue
                for x in ("", "K", "M"):
                    total = _number(cells.get((parent, x)))
                    parts = [_group_part(cells, g, x) for g in kids]
                    if total is not None and all(p is not None for p in parts):
                        what = _("grupperna i {p}").format(p=parent) if parent else _("grupperna")
                        self._compare_breakdown(base, parent, x, total, parts, what)  # type: ignore[arg-type]

    def _compare_breakdown(
        self, base: tuple, group: str, gender: str, total: Value, parts: list[Value], what: str
    ) -> None:
        unit, measure_key, scenario, period, version = base
        measure = self.measures[measure_key]
        s = sum((_interval(p, measure) for p in parts), Interval.exact(0))
        key = FactKey(unit, measure_key, scenario, period, version, gender, group)
        self.compared.append(("sum_mismatch", key))
        if _interval(total, measure).overlaps(s):
            return
        exact = sum((p.number for p in parts if p.number is not None), Decimal(0))
        msg = _("{where} för {unit} är {stated} men summan av {what} är {sum}.").format(
            where=self._where(key),
            unit=self._unit_label(unit),
            stated=show(total.number, total.resolution, measure),  # type: ignore[arg-type]
            what=what,
            sum=show(exact, total.resolution, measure),
        )
        self._add("sum_mismatch", ERROR, key, total.number, exact, msg)

    def check_signs(self) -> None:
        by_year: dict[tuple, list[FactKey]] = defaultdict(list)
        for key, fact in self.facts.items():
            measure = self.measures.get(key.measure)
            if measure is None or not measure.is_money or not fact.value.is_number:
                continue
            if key.scenario.is_stated_check or fact.value.number == 0:
                continue
            if key.period.start.year != key.period.end.year:
                continue
            by_year[(key.unit, key.measure, key.gender, key.group, key.period.start.year)].append(key)
        for keys in by_year.values():
            if len(keys) < 3:
                continue
            neg = [k for k in keys if self.facts[k].value.number < 0]  # type: ignore[operator]
            pos = [k for k in keys if self.facts[k].value.number > 0]  # type: ignore[operator]
            odd = neg if len(neg) == 1 and len(pos) >= 2 else pos if len(pos) == 1 and len(neg) >= 2 else []
            for key in odd:
                v = self.facts[key].value
                measure = self.measures[key.measure]
                others = ", ".join(self._where(k) for k in (pos if key in neg else neg))
                msg = _(
                    "{where} för {unit} är {v} men har motsatt tecken mot {others}; troligen fel tecken."
                ).format(
                    where=self._where(key),
                    unit=self._unit_label(key.unit),
                    v=show(v.number, v.resolution, measure),
                    others=others,  # type: ignore[arg-type]
                )
                self._add("sign_anomaly", WARNING, key, v.number, -v.number, msg)  # type: ignore[operator]

    def check_variances(self) -> None:
        for key, fact in self.facts.items():
            if not fact.value.is_number or not key.scenario.is_stated_check:
                continue
            measure = self.measures.get(key.measure)
            if measure is None:
                continue
            if key.scenario is Scenario.ATTAINMENT:
                a = self._num(replace(key, scenario=Scenario.ACTUAL, version=""))
                t = self._num(replace(key, scenario=Scenario.TARGET, version=""))
                if a is None or t is None:
                    continue
                computed = _interval(a, measure) / _interval(t, measure) if t.number else None
                computed = computed * Interval.exact(100) if computed else None
                formula = _("utfall ÷ mål")
            else:
                if key.scenario is Scenario.VARIANCE:
                    a = self._num(replace(key, scenario=Scenario.ACTUAL, version=""))
                    formula = _("budget − utfall")
                else:
                    a = self._num(replace(key, scenario=Scenario.FORECAST))
                    formula = _("budget − prognos")
                b = self._num(replace(key, scenario=Scenario.BUDGET, version=""))
                if a is None or b is None:
                    continue
                computed = (
                    (_interval(a, measure) - _interval(b, measure))
                    if measure.higher_is_better
                    else (_interval(b, measure) - _interval(a, measure))
                )
                if measure.higher_is_better:
                    formula = formula.replace("budget − utfall", "utfall − budget").replace(
                        "budget − prognos", "prognos − budget"
                    )
            if computed is None:
                continue
            self.compared.append(("variance_mismatch", key))
            if _interval(fact.value, measure).overlaps(computed):
                continue
            v = fact.value
            msg = _("{where} för {unit} anges till {stated} men {formula} är {computed}.").format(
                where=self._where(key),
                unit=self._unit_label(key.unit),
                stated=show(v.number, v.resolution, measure),
                formula=formula,  # type: ignore[arg-type]
                computed=show(computed.mid, v.resolution, measure),
            )
            self._add("variance_mismatch", ERROR, key, v.number, computed.mid, msg)

    def check_derived(self) -> None:
        for key, fact in self.facts.items():
            measure = self.measures.get(key.measure)
            if measure is None or not measure.formula or not fact.value.is_number:
                continue
            if key.scenario.is_stated_check:
                continue
            stated = _interval(fact.value, measure)
            failed: list[tuple[str, Interval]] = []
            reconciled = False
            for formula in alternatives(measure.formula):
                env: dict[str, Interval] = {}
                for name in formula.inputs:
                    v = self._num(replace(key, measure=name))
                    if v is None:
                        break
                    env[name] = _interval(v, self.measures.get(name))
                else:
                    # the days as the measure declares them (dagar: actual, dagar365: 365-day year)
                    env |= {k: Interval.exact(v) for k, v in period_variables(key.period).items()}
                    ok = [r for r in [formula.evaluate(env)] if r is not None]
                    if not ok:
                        continue
                    self.compared.append(("derived_mismatch", key))
                    if any(r.overlaps(stated) for r in ok):
                        reconciled = True
                        break
                    failed.append((formula.text, ok[0]))
            if reconciled or not failed:
                continue
            text, result = failed[0]
            v = fact.value
            msg = _("{where} för {unit} anges till {stated} men {formula} ger {computed}.").format(
                where=self._where(key),
                unit=self._unit_label(key.unit),
                stated=show(v.number, v.resolution, measure),
                formula=text,  # type: ignore[arg-type]
                computed=show(result.mid, v.resolution, measure),
            )
            self._add("derived_mismatch", WARNING, key, v.number, result.mid, msg)

    def check_grain(self) -> None:
        index: dict[tuple, dict[Period, Value]] = defaultdict(dict)
        for key, fact in self.facts.items():
            if fact.value.is_number:
                rest = (key.unit, key.measure, key.scenario, key.version, key.gender, key.group)
                index[rest][key.period] = fact.value
        for rest, by_period in index.items():
            measure = self.measures.get(rest[1])
            if measure is None or not measure.additive_time or len(by_period) < 2:
                continue
            for period, value in by_period.items():
                if period.n_months == 1:
                    continue
                tiling = _tiling(period, by_period)
                if tiling is None:
                    continue
                total = sum((_interval(by_period[p], measure) for p in tiling), Interval.exact(0))
                key = FactKey(rest[0], rest[1], rest[2], period, rest[3], rest[4], rest[5])
                self.compared.append(("grain_mismatch", key))
                if _interval(value, measure).overlaps(total):
                    continue
                exact = sum((by_period[p].number for p in tiling), Decimal(0))  # type: ignore[misc]
                msg = _("{where} för {unit} är {stated} men summan av {n} kortare perioder är {sum}.").format(
                    where=self._where(key),
                    unit=self._unit_label(key.unit),
                    stated=show(value.number, value.resolution, measure),  # type: ignore[arg-type]
                    n=len(tiling),
                    sum=show(exact, value.resolution, measure),
                )
                self._add("grain_mismatch", ERROR, key, value.number, exact, msg)


def parent_group(group: str) -> str:
    """``"LSS: Daglig verksamhet"`` is part of ``"LSS"``; ``"LSS"`` is part of the total ``""``."""
    return group.rsplit(": ", 1)[0] if ": " in group else ""


def _number(v: Value | None) -> Value | None:
    return v if v is not None and v.is_number else None


def _group_part(cells: dict[tuple[str, str], Value], group: str, gender: str) -> Value | None:
    """A subgroup's figure; for both kön together, K + M where no total was stated.
    ``None`` where it is unknown (suppressed, not computable, missing)."""
    v = cells.get((group, gender))
    if v is not None or gender:
        return _number(v)
    women, men = _number(cells.get((group, "K"))), _number(cells.get((group, "M")))
    if women is None or men is None:
        return None
    assert women.number is not None and men.number is not None
    return Value(women.number + men.number, women.status, (women.resolution or 0) + (men.resolution or 0))


def _tiling(period: Period, available: dict[Period, Value]) -> list[Period] | None:
    """The finest stated periods that exactly cover ``period`` (months, quarters or tertials)."""
    for size in (1, 3, 4):
        if period.n_months % size or period.n_months == size or period.start.month % size != 1 % size:
            continue
        parts = [
            Period(period.start + i, period.start + (i + size - 1)) for i in range(0, period.n_months, size)
        ]
        if all(p in available for p in parts):
            return parts
    return None


def run_checks(facts: Iterable[Fact], tree: UnitTree, measures: dict[str, Measure]) -> list[Finding]:
    return Checker(facts, tree, measures).run()
