"""Consistency checks over stated facts (``socdesk check``).

Every stated figure is an interval (see ``socdesk.core.formula``), so a rounded document is
never blamed for its own rounding: a finding means no exact figures could have been printed
this way. Rules:

- ``sum_mismatch``: a stated parent ≠ the sum of its children (units, or a kön/grupp breakdown);
  where flipping one child's sign reconciles the sum, the message says so. Where a child states
  no figure for the column, its own nearest stated descendants stand in for it (the sum goes
  through the unstated level), so a sub-total printed only for the result column, or not at
  all, still lets the parent be checked.
- ``part_exceeds_whole``: a "därav" part (a unit marked ``part``, a grupp named ``därav …`` or
  ``varav …``) is larger in magnitude than the whole it is a part of. Parts are never summed
  into their whole, so a partial breakdown is never blamed for not adding up.
- ``sign_anomaly``: one of a unit's money figures for a year has the opposite sign to the rest.
- ``variance_mismatch``: a stated avvikelse ≠ budget − utfall (prognosavvikelse ≠ budget −
  prognos; + is favourable); likewise a stated måluppfyllelse ≠ utfall ÷ mål.
- ``derived_mismatch``: a stated key figure ≠ its formula of the stated inputs (a rate per
  invånare: of the year's population, ``socdesk.core.rates``).
- ``grain_mismatch``: finer stated facts (months, quarters, tertials) ≠ a stated coarser figure.

The inputs of ``variance_mismatch`` and ``derived_mismatch`` go through unstated levels too: a
unit that states only its result (netto, avvikelse) is checked against the sum of its
descendants' kostnader and intäkter (budget and utfall), so a row placed under the wrong
parent is found even where the parents state no figure for the columns it moved.

Where two sum or formula mismatches are explained by one row under the wrong parent (A lacks
what B has too much, and one of B's children holds just that), both messages say so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from functools import lru_cache

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.formula import Formula, Interval, alternatives
from socdesk.core.i18n import _
from socdesk.core.keyfigures import period_variables
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale, format_number
from socdesk.core.periods import Period
from socdesk.core.rates import input_keys
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Status, Value

ERROR, WARNING = "error", "warning"
STATED_CHECKS = frozenset(s for s in Scenario if s.is_stated_check)
SIGN_SCENARIOS_SKIPPED = STATED_CHECKS  # sign_anomaly leaves stated variances out (check_signs, scope)


@lru_cache(maxsize=512)
def _alternatives(text: str) -> tuple[Formula, ...]:
    """A measure's formula read once, not once per fact (``core.formula.alternatives``)."""
    return tuple(alternatives(text))


@dataclass(frozen=True, slots=True)
class Summed:
    """A unit's figure for a key: stated, or the sum of its nearest stated descendants."""

    interval: Interval
    number: Decimal
    through: tuple[str, ...] = ()  # the units without a stated figure, summed from below


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
    gender: str = ""  # kön: "K", "M" or "" (both)
    group: str = ""  # grupp: "" is the total
    version: str = ""

    def as_json(self) -> dict[str, object]:
        d = asdict(self)  # amounts stay Decimal: written exactly by ``core.exact_json``
        d["kön"] = d.pop("gender")
        d["grupp"] = d.pop("group")
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
        self._below_cache: dict[tuple[FactKey, bool], list[tuple[Unit, Value]] | None] = {}
        self._components = {u.code: tree.components(u.code) for u in tree}
        self._parts = {code: parts for u in tree if (parts := tree.parts(code := u.code))}
        self._at_or_below: set[tuple[str, str]] | None = None  # (unit, measure) stated there or below
        self._evaluable_cache: dict[tuple[str, str], list[Formula]] = {}
        self._keys: list[FactKey] = []  # the key of each finding, in order
        self._formulas: dict[FactKey, Formula] = {}  # the formula a derived finding used

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
        self._keys.append(key)
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
                key.gender,
                key.group,
                key.version,
            )
        )

    # --- figures through levels -----------------------------------------------------------
    def _below(self, key: FactKey, *, whole: bool = False) -> list[tuple[Unit, Value]] | None:
        """The nearest stated figures that make up ``key.unit``'s figure: each component
        child's stated figure or, where a child states none, its own nearest stated
        descendants (the sum goes through the unstated level). Parts ("därav") are never
        components. ``[]`` where nothing below is stated; ``None`` where the sum is unknown: a
        figure suppressed or missing on a child that reports the measure, or too few children
        stated to be a breakdown.

        A child that never reports the measure is left out, as a district left out of a
        printed table, but only where most children do report: one reporting child is a
        detail of its parent, not a breakdown of it. With ``whole`` none is left out (at any
        level): the figure then stands in for the unit's own in a formula."""
        if (key, whole) in self._below_cache:
            return self._below_cache[(key, whole)]
        parts: list[tuple[Unit, Value]] = []
        absent = 0
        result: list[tuple[Unit, Value]] | None = None
        for c in self._components[key.unit]:
            ck = FactKey(c.code, key.measure, key.scenario, key.period, key.version, key.gender, key.group)
            f = self.facts.get(ck)
            if f is not None:
                if not f.value.is_number:
                    break
                parts.append((c, f.value))
                continue
            below = self._below(ck, whole=whole) if self._components[c.code] else []
            if below is None:
                break
            if below:
                parts.extend(below)
            elif (c.code, key.measure, key.gender, key.group) in self._reported:
                break
            else:
                absent += 1
        else:
            if not parts:
                result = []
            elif not absent or (not whole and len(parts) >= 2 and len(parts) > absent):
                result = parts
        self._below_cache[(key, whole)] = result
        return result

    def _figure(self, key: FactKey) -> Summed | None:
        """The stated figure for ``key``; for a measure additive over units where the unit
        states none, the sum of its nearest stated descendants, every component accounted
        for; ``None`` where unknown."""
        measure = self.measures.get(key.measure)
        f = self.facts.get(key)
        if f is not None:
            if not f.value.is_number:
                return None
            assert f.value.number is not None
            return Summed(_interval(f.value, measure), f.value.number)
        if measure is None or not measure.additive_units or not self._components.get(key.unit):
            return None
        parts = self._below(key, whole=True)
        if not parts:
            return None
        return Summed(
            sum((_interval(v, measure) for _u, v in parts), Interval.exact(0)),
            sum((v.number for _u, v in parts if v.number is not None), Decimal(0)),
            (key.unit, *_through(key.unit, parts, self.tree)),
        )

    def _through_note(self, through: Iterable[str]) -> str:
        codes = list(dict.fromkeys(through))
        if not codes:
            return ""
        return " " + _("(Där {units} saknar egen uppgift används summan av underliggande enheter.)").format(
            units=", ".join(self._unit_label(c) for c in codes)
        )

    # --- rules --------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        self.findings = []
        self._keys = []
        self.check_unit_sums()
        self.check_breakdown_sums()
        self.check_signs()
        self.check_variances()
        self.check_derived()
        self.check_grain()
        self.explain_moves()
        self.findings.sort(key=lambda f: (f.rule, f.unit, f.measure, f.scenario, f.period))
        return self.findings

    def check_unit_sums(self) -> None:
        wholes = self._parts.keys() | {code for code, kids in self._components.items() if kids}
        for key, fact in self.facts.items():
            if key.unit not in wholes:  # a leaf without parts is no whole (the rule's cheap half)
                continue
            measure = self.measures.get(key.measure)
            if measure is None or not fact.value.is_number:
                continue
            if key.scenario is Scenario.ATTAINMENT or key.unit not in self.tree:
                continue
            if measure.additive_breakdown:
                for part in self._parts.get(key.unit, ()):
                    figure = self._figure(replace(key, unit=part.code))
                    if figure is not None:
                        self._compare_part(key, fact.value, measure, part.label, figure)
            if measure.additive_units and self._components[key.unit]:
                parts = self._below(key)
                if parts:
                    self._compare_children(key, fact, measure, parts)

    def _compare_part(
        self, key: FactKey, whole: Value, measure: Measure, part_label: str, part: Summed
    ) -> None:
        """A "därav" part is no larger in magnitude than its whole (nothing else is implied:
        parts may overlap and need not add up). A money part of the opposite sign to its whole
        (a revenue inside a net cost) is not compared."""
        assert whole.number is not None
        if measure.is_money and part.number * whole.number < 0:
            return
        w = _interval(whole, measure)
        self.compared.append(("part_exceeds_whole", key))
        if _least_magnitude(part.interval) <= max(abs(w.lo), abs(w.hi)):
            return
        res = whole.resolution
        msg = _(
            "{where}: {part} är {p}, men den är en del (därav) av {unit} som har {w}; en del kan inte "
            "vara större än helheten."
        ).format(
            where=self._where(key),
            part=part_label,
            p=show(part.number, res, measure),
            unit=self._unit_label(key.unit),
            w=show(whole.number, res, measure),
        )
        self._add(
            "part_exceeds_whole",
            ERROR,
            key,
            whole.number,
            part.number,
            msg + self._through_note(part.through),
        )

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
        msg += self._through_note(_through(key.unit, parts, self.tree))
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
        ``"A: B"`` is a subgroup of ``"A"`` and groups without ``": "`` are parts of the total.
        A subgroup named ``därav …`` or ``varav …`` (``"A: därav B"``) is a part of its grupp,
        not a piece of its split: it is only checked to be no larger than the grupp."""
        groups: dict[tuple, dict[tuple[str, str], Value]] = defaultdict(dict)
        # Three cells need a kön or grupp: only the units that state one are grouped.
        split = {key.unit for key in self.facts if key.gender or key.group}
        for key, fact in self.facts.items():
            if key.unit not in split:
                continue
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
                kids = sorted(g for g in names if g and parent_group(g) == parent and not is_part_group(g))
                for part in sorted(g for g in names if g and parent_group(g) == parent and is_part_group(g)):
                    for x in ("", "K", "M"):
                        whole, share = _number(cells.get((parent, x))), _group_part(cells, part, x)
                        if whole is not None and share is not None:
                            self._compare_part_group(base, parent, x, whole, part, share)
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

    def _compare_part_group(
        self, base: tuple, group: str, gender: str, whole: Value, part: str, share: Value
    ) -> None:
        unit, measure_key, scenario, period, version = base
        measure = self.measures[measure_key]
        key = FactKey(unit, measure_key, scenario, period, version, gender, group)
        assert share.number is not None
        self._compare_part(
            key,
            whole,
            measure,
            _("gruppen {g}").format(g=part),
            Summed(_interval(share, measure), share.number),
        )

    def check_signs(self) -> None:
        money = {k for k, m in self.measures.items() if m.is_money}
        by_year: dict[tuple, list[tuple[FactKey, Decimal]]] = defaultdict(list)
        for key, fact in self.facts.items():
            if key.measure not in money:
                continue
            v = fact.value
            if v.status is not Status.VALUE or v.number is None or v.number == 0:  # is_number, ≠ 0
                continue
            if key.scenario in SIGN_SCENARIOS_SKIPPED:
                continue
            year = key.period.start.year
            if year != key.period.end.year:
                continue
            by_year[(key.unit, key.measure, key.gender, key.group, year)].append((key, v.number))
        for entries in by_year.values():
            if len(entries) < 3:
                continue
            negatives = sum(1 for _k, n in entries if n < 0)
            if negatives not in (1, len(entries) - 1):  # no single figure of the opposite sign
                continue
            neg = [k for k, n in entries if n < 0]
            pos = [k for k, n in entries if n > 0]
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
            if key.scenario not in STATED_CHECKS or not fact.value.is_number:
                continue
            measure = self.measures.get(key.measure)
            if measure is None:
                continue
            through: tuple[str, ...] = ()
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
                    a_fig = self._figure(replace(key, scenario=Scenario.ACTUAL, version=""))
                    formula = _("budget − utfall")
                else:
                    a_fig = self._figure(replace(key, scenario=Scenario.FORECAST))
                    formula = _("budget − prognos")
                b_fig = self._figure(replace(key, scenario=Scenario.BUDGET, version=""))
                if a_fig is None or b_fig is None:
                    continue
                through = a_fig.through + b_fig.through
                computed = (
                    (a_fig.interval - b_fig.interval)
                    if measure.higher_is_better
                    else (b_fig.interval - a_fig.interval)
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
            self._add(
                "variance_mismatch", ERROR, key, v.number, computed.mid, msg + self._through_note(through)
            )

    def check_derived(self) -> None:
        derived = {k: m for k, m in self.measures.items() if m.formula}
        for key, fact in self.facts.items():
            measure = derived.get(key.measure)
            if measure is None or not fact.value.is_number:
                continue
            if key.scenario in STATED_CHECKS:
                continue
            formulas = self._evaluable(measure.formula, key.unit)
            if not formulas:
                continue
            stated = _interval(fact.value, measure)
            failed: list[tuple[Formula, Interval, tuple[str, ...]]] = []
            reconciled = False
            for formula in formulas:
                evaluated = self._evaluate(formula, key)
                if evaluated is None:
                    continue
                ok, through = evaluated
                self.compared.append(("derived_mismatch", key))
                if any(r.overlaps(stated) for r in ok):
                    reconciled = True
                    break
                failed.append((formula, ok[0], through))
            if reconciled or not failed:
                continue
            formula, result, through = failed[0]
            text = formula.text
            self._formulas[key] = formula
            v = fact.value
            msg = _("{where} för {unit} anges till {stated} men {formula} ger {computed}.").format(
                where=self._where(key),
                unit=self._unit_label(key.unit),
                stated=show(v.number, v.resolution, measure),
                formula=text,  # type: ignore[arg-type]
                computed=show(result.mid, v.resolution, measure),
            )
            msg += self._through_note(through)
            self._add("derived_mismatch", WARNING, key, v.number, result.mid, msg)

    def _evaluable(self, text: str, unit: str) -> list[Formula]:
        """The alternatives of formula ``text`` whose every input is stated for ``unit`` or
        below it: for the others ``_evaluate`` is ``None`` (every place it looks is ``unit``'s,
        ``core.rates.input_keys``), so they are not evaluated fact by fact."""
        found = self._evaluable_cache.get((text, unit))
        if found is None:
            if self._at_or_below is None:
                stated = {(k.unit, k.measure) for k in self.facts}
                self._at_or_below = set(stated)
                for code, measure in stated:
                    if code in self.tree:
                        self._at_or_below.update((a.code, measure) for a in self.tree.ancestors(code))
            found = [
                f for f in _alternatives(text) if all((unit, name) in self._at_or_below for name in f.inputs)
            ]
            self._evaluable_cache[(text, unit)] = found
        return found

    def _evaluate(self, formula: Formula, key: FactKey) -> tuple[list[Interval], tuple[str, ...]] | None:
        """The formula on ``key``'s unit and period (inputs stated or summed from below);
        ``None`` where an input is unknown."""
        env: dict[str, Interval] = {}
        through: tuple[str, ...] = ()
        for name in formula.inputs:  # a population: the year's (core.rates.input_keys)
            candidates = input_keys(key, self.measures.get(name), name)
            figure = next((f for k in candidates if (f := self._figure(k)) is not None), None)
            if figure is None:
                return None
            env[name] = figure.interval
            through += figure.through
        # the days as the measure declares them (dagar: actual, dagar365: 365-day year)
        env |= {k: Interval.exact(v) for k, v in period_variables(key.period).items()}
        ok = [r for r in [formula.evaluate(env)] if r is not None]
        return (ok, through) if ok else None

    def explain_moves(self) -> None:
        """Two mismatches that one row under the wrong parent explains: A lacks what B has too
        much, and one of B's children holds just that. Both messages then say so."""
        by_kind: dict[tuple, list[int]] = defaultdict(list)
        for i, (f, key) in enumerate(zip(self.findings, self._keys, strict=True)):
            if (
                f.rule in ("sum_mismatch", "derived_mismatch")
                and f.stated is not None
                and f.computed is not None
            ):
                by_kind[
                    (f.rule, key.measure, key.scenario, key.period, key.version, key.gender, key.group)
                ].append(i)
        notes: dict[int, list[str]] = defaultdict(list)
        for indexes in by_kind.values():
            for i in indexes:
                a, a_key = self.findings[i], self._keys[i]
                lack = a.stated - a.computed  # type: ignore[operator]
                for j in indexes:
                    b, b_key = self.findings[j], self._keys[j]
                    if i == j or a_key.unit not in self.tree or b_key.unit not in self.tree:
                        continue
                    tol = self.facts[a_key].value.half_width + self.facts[b_key].value.half_width
                    if abs(b.stated - b.computed + lack) > tol:  # type: ignore[operator]
                        continue
                    for x in self._components[b_key.unit]:
                        share = self._share(b, replace(b_key, unit=x.code))
                        if share is not None and share.overlaps(Interval.around(lack, tol)):
                            note = _("Flyttas {x} från {b} till {a} stämmer båda.").format(
                                x=x.label, b=self._unit_label(b_key.unit), a=self._unit_label(a_key.unit)
                            )
                            notes[i].append(note)
                            notes[j].append(note)
        for i, extra in notes.items():
            f = self.findings[i]
            self.findings[i] = replace(f, message=" ".join([f.message, *dict.fromkeys(extra)]))

    def _share(self, finding: Finding, key: FactKey) -> Interval | None:
        """What the unit of ``key`` adds to the sum or formula that ``finding`` compared."""
        if finding.rule == "sum_mismatch":
            figure = self._figure(key)
            return figure.interval if figure is not None else None
        formula = self._formulas.get(replace(key, unit=finding.unit))
        evaluated = self._evaluate(formula, key) if formula is not None else None
        return evaluated[0][0] if evaluated is not None else None

    def check_grain(self) -> None:
        index: dict[tuple, dict[Period, Value]] = defaultdict(dict)
        # Only a unit's series with a stated figure longer than a month has anything to check.
        longer = {(k.unit, k.measure, k.scenario) for k in self.facts if k.period.n_months > 1}
        for key, fact in self.facts.items():
            if (key.unit, key.measure, key.scenario) in longer and fact.value.is_number:
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


def _through(code: str, parts: list[tuple[Unit, Value]], tree: UnitTree) -> tuple[str, ...]:
    """The units between ``code`` and its nearest stated descendants ``parts`` (those summed
    through because they state no figure themselves), in tree order."""
    between: set[str] = set()
    for u, _v in parts:
        above = tree.ancestors(u.code)
        between.update(a.code for a in above[: above.index(tree[code])])
    return tuple(u.code for u in tree.descendants(code) if u.code in between)


def _least_magnitude(i: Interval) -> Decimal:
    """The smallest magnitude a figure in ``i`` can have."""
    return Decimal(0) if i.lo <= 0 <= i.hi else min(abs(i.lo), abs(i.hi))


PART_PREFIXES = ("därav ", "varav ")


def is_part_group(group: str) -> bool:
    """``"därav SiS"`` and ``"LSS: varav Daglig verksamhet"`` are parts of their grupp ("därav"
    rows), not pieces of its split."""
    last = group.rsplit(": ", 1)[-1]
    return last.lower().startswith(PART_PREFIXES)


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


@dataclass(frozen=True, slots=True)
class MeasureUse:
    """How a measure occurs among the facts a check would read (``Store.check_uses``): what
    decides whether a rule can find anything in its figures (``scope``)."""

    measure: str
    at_whole: bool  # a figure of a unit with children: a sum or a "därav" part to compare
    split: bool  # a figure by kön or grupp: a breakdown to compare
    stated_check: bool  # a stated avvikelse, prognosavvikelse or måluppfyllelse
    plain: bool  # a figure of another scenario: a key figure whose formula may be checked
    grain: bool  # a series (unit, scenario, version, kön, grupp) of ≥ 2 figures, one longer than a month


@dataclass(frozen=True, slots=True)
class Scope:
    """The facts a check must read to find what it finds over all of them (``scope``)."""

    full: frozenset[str]  # measures whose every fact is read
    signs: frozenset[str]  # money measures read only where a unit's year may hold a sign anomaly


def scope(uses: Iterable[MeasureUse], measures: dict[str, Measure]) -> Scope:
    """Which facts the rules can find anything in, from how each measure occurs: the same
    findings (and compared figures) as over every fact, without reading the rest.

    A rule compares figures of one measure – a sum over units or a breakdown, a stated
    avvikelse with its budget and utfall, a series with its coarser figure – except a key
    figure's formula, which reads its inputs. A measure none of whose figures is at a unit with
    children, by kön or grupp, a stated variance, or in a series of mixed grains, and that is no
    evaluable formula (every input of an alternative present) nor the input of one, can only
    hold a ``sign_anomaly``: of a money measure only the unit-years where one figure has the
    opposite sign to at least two others are read (``SIGN_SCENARIOS_SKIPPED`` aside, as
    ``check_signs`` counts them); of other measures nothing. Every condition holds for a subset
    of a measure's facts only if it holds for all of them, so leaving out facts never makes a
    rule look at the rest differently."""
    used = {u.measure: u for u in uses}
    full = {
        key
        for key, u in used.items()
        if key in measures and (u.at_whole or u.split or u.stated_check or u.grain)
    }
    for key, u in used.items():
        measure = measures.get(key)
        if measure is None or not measure.formula or not u.plain:
            continue
        for formula in _alternatives(measure.formula):
            if all(name in used for name in formula.inputs):  # else never evaluable (_evaluable)
                full |= {key, *formula.inputs}
    signs = {key for key in used if key not in full and key in measures and measures[key].is_money}
    return Scope(frozenset(full), frozenset(signs))


def run_checks(facts: Iterable[Fact], tree: UnitTree, measures: dict[str, Measure]) -> list[Finding]:
    return Checker(facts, tree, measures).run()


def findings_for(
    facts: Iterable[Fact],
    tree: UnitTree,
    measures: dict[str, Measure],
    *,
    unit: str,
    measure: str,
    period: Period,
) -> list[Finding]:
    """The findings about ``unit``'s own stated figures of ``measure`` for exactly ``period``
    (every scenario, kön and grupp): what ``socdesk check`` reports for that cell, worded the
    same. Used to mark a stated total that differs from its children.

    Cheap when ``facts`` holds only what the rules need: the facts of ``unit`` and its
    descendants inside ``period``, of ``measure`` and its formula's inputs, e.g.
    ``store.facts(units=[unit, *(u.code for u in tree.descendants(unit))], within=period)``.
    Other facts change only ``sign_anomaly``, which compares a unit's figures across the
    periods of a year (pass the year's facts where that rule matters), and the hint that a
    row under another parent explains the finding (pass the parent's parent's subtree for it).
    """
    found = Checker(facts, tree, measures).run()
    return [f for f in found if f.unit == unit and f.measure == measure and f.period == str(period)]


def findings_in_file(
    facts: Iterable[Fact], tree: UnitTree, new_units: Iterable[Unit], measures: dict[str, Measure]
) -> list[Finding]:
    """The findings among a file's own figures before it is written (the import's check
    step): its facts on the database's tree, with the units the file defines added."""
    return run_checks(facts, UnitTree([*tree, *new_units]), measures)
