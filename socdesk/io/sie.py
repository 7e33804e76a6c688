"""SIE 4 (the Swedish accounting interchange format, types 2–4): period balances, budgets and
vouchers per cost centre, aggregated to units and months.

Read once by ``sie_records`` (the encoding the file really has: CP437 as the standard says,
or UTF-8 / ISO-8859-15 as programs write it, with a note). Then the choice of sources, per
account, month and cost centre: the period balance (``#PSALDO``) where the file has one, else
the sum of the vouchers' ``#TRANS``; ``#PBUDGET`` is the budget. The summary says how many
came from each. A year index that contradicts its period (``#PSALDO 0 201601`` in a file whose
year 0 is 2017) is read by the period's own date, said per record; a period in no year of
``#RAR`` is refused. The same ``#PSALDO`` twice is dropped when it agrees and refused when it
does not. ``sie_checks`` makes the checks a careful controller makes (vouchers balance, dates
in #RAR, accounts in #KONTO, #KSUMMA, balances against vouchers and #RES).

A file without cost-centre objects is imported as one unit only when asked (``as_unit``: the
wizard's choice, ``socdesk import --as-unit KOD``): its account totals (``{}``) and all vouchers.
Amounts are debit-positive, so costs are positive and income negative, as in socdesk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.errors import ParseError
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _, n_
from socdesk.core.periods import Month, Period
from socdesk.core.values import Value
from socdesk.io import sie_checks
from socdesk.io.sie_records import Balance, SieRecords, objects, read_records
from socdesk.io.sie_records import decode_sie as _decode
from socdesk.io.sie_records import tokens as _tokens
from socdesk.io.tables import DEFAULT_KONTO_RULES, KontoRule, Record, TableError, konto_measure

Key = tuple[str, str, str]
_OBJECT_LIST = re.compile(r"\{[^}]*\}")  # (unit, konto, "ÅÅÅÅMM")


@dataclass
class SieFile:
    records: list[Record] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # object code → name
    years: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (start, end) YYYYMMDD
    accounts: dict[str, str] = field(default_factory=dict)
    left_out: int = 0  # amounts on accounts no rule covers, or without a cost centre
    vouchers_used: bool = False  # some figures are sums of #TRANS
    notes: list[str] = field(default_factory=list)  # what the reader did and found (the summary)


def decode_sie(data: bytes, file_name: str) -> str:
    """The file's text, in the encoding it really has (``sie_records.decode_sie``)."""
    return _decode(data, file_name)[0]


def dimensions(data: bytes, file_name: str) -> dict[str, str]:
    """The file's object dimensions (#DIM): number → name, e.g. {"1": "Kostnadsställe"}; none
    for a file that cannot be decoded (reading it names why)."""
    out: dict[str, str] = {}
    try:
        text = decode_sie(data, file_name)
    except TableError:
        return out
    for line in text.splitlines():
        try:
            fields = _tokens(line.strip())
        except ParseError:
            continue  # parse_sie names it
        if len(fields) >= 3 and fields[0].upper() == "#DIM":
            out[fields[1]] = fields[2]
    return out


def needs_unit(data: bytes, file_name: str, dimension: str = "1") -> bool:
    """True for a readable file with amounts but no objects of ``dimension``: one that can be
    imported only as one chosen unit (the wizard offers the choice for these)."""
    try:
        text = decode_sie(data, file_name)
    except TableError:
        return False  # the import names the errors
    amounts = False
    for line in text.splitlines():
        line = line.lstrip()
        if not line.upper().startswith(("#PSALDO", "#PBUDGET", "#TRANS")):
            continue
        amounts = True
        found = _OBJECT_LIST.search(line)
        try:
            if found and dict(objects(found.group())).get(dimension):
                return False
        except ParseError:
            return False  # the import names it
    return amounts


def _has_objects(r: SieRecords, dimension: str) -> bool:
    return any(dict(b.objects).get(dimension) for b in r.balances) or any(
        dict(t.objects).get(dimension) for v in r.vouchers for t in v.trans
    )


def _counted(n: int, one: str, many: str, examples: list[str]) -> str:
    shown = "; ".join(examples[:3]) + ("; …" if len(examples) > 3 else "")
    return n_(one, many, n).format(n=n) + (f" ({shown})" if shown else "")


def _resolve_years(r: SieRecords, file_name: str) -> tuple[list[Balance], list[str], list[str]]:
    """Each balance's year: by its index when the period lies in that year; else by the period's
    own date when exactly one #RAR year holds it (said per record); else an error."""
    out, moved, errors = [], [], []
    for b in r.balances:
        year = r.years.get(int(b.index))
        if not r.years or (year and year[0][:6] <= b.period <= year[1][:6]):
            out.append(b)
            continue
        holding = [i for i, (s, e) in sorted(r.years.items()) if s[:6] <= b.period <= e[:6]]
        where = _("{f}, rad {r} ({p})").format(f=file_name, r=b.line, p=b.label)
        told = (
            _("årsnummer {i} ({s}–{e})").format(i=b.index, s=year[0], e=year[1])
            if year
            else _("årsnummer {i}, som inte finns i #RAR").format(i=b.index)
        )
        if len(holding) == 1:
            out.append(b)
            moved.append(
                _("rad {r}: {p} med {t}, läst som år {i}").format(r=b.line, p=b.period, t=told, i=holding[0])
            )
        elif not holding:
            errors.append(
                _(
                    "{w}: perioden {p} ligger inte i något av filens räkenskapsår (#RAR), "
                    "och {t} stämmer inte."
                ).format(w=where, p=b.period, t=told)
            )
        else:
            errors.append(
                _(
                    "{w}: perioden {p} ligger i flera av filens räkenskapsår ({y}); {t} avgör inte vilket."
                ).format(w=where, p=b.period, y=", ".join(map(str, holding)), t=told)
            )
    notes = []
    if moved:
        notes.append(
            file_name
            + ": "
            + _counted(
                len(moved),
                "{n} post (#PSALDO/#PBUDGET) har ett årsnummer som motsäger perioden; "
                "periodens eget datum gällde",
                "{n} poster (#PSALDO/#PBUDGET) har årsnummer som motsäger perioden; "
                "periodens eget datum gällde",
                moved,
            )
            + "."
        )
    return out, notes, errors


def _drop_duplicates(balances: list[Balance], file_name: str) -> tuple[list[Balance], list[str], list[str]]:
    """The same record (label, period, account, objects) twice: dropped when the amounts agree,
    refused (naming both lines) when they do not."""
    seen: dict[tuple[str, str, str, tuple], Balance] = {}
    out, dropped, errors = [], [], []
    for b in balances:
        key = (b.label, b.period, b.konto, b.objects)
        first = seen.get(key)
        if first is None:
            seen[key] = b
            out.append(b)
        elif first.amount == b.amount:
            dropped.append(_("rad {r} = rad {a}").format(r=b.line, a=first.line))
        else:
            errors.append(
                _(
                    "{f}, rad {r} ({p}): konto {k}, period {m}, objekt {o} står redan på rad {a} med ett "
                    "annat belopp ({x} mot {y}); det går inte att veta vilket som gäller."
                ).format(
                    f=file_name,
                    r=b.line,
                    p=b.label,
                    k=b.konto,
                    m=b.period,
                    o=_objects_text(b.objects),
                    a=first.line,
                    x=first.text,
                    y=b.text,
                )
            )
    notes = []
    if dropped:
        notes.append(
            file_name
            + ": "
            + _counted(
                len(dropped),
                "{n} post (#PSALDO/#PBUDGET) fanns två gånger med samma belopp och lästes en gång",
                "{n} poster (#PSALDO/#PBUDGET) fanns två gånger med samma belopp och lästes en gång",
                dropped,
            )
            + "."
        )
    return out, notes, errors


def _objects_text(objects: tuple) -> str:
    return "{" + " ".join(f'{d} "{o}"' for d, o in objects) + "}"


def parse_sie(
    data: bytes,
    file_name: str,
    *,
    dimension: str = "1",
    konto_rules: tuple[KontoRule, ...] = DEFAULT_KONTO_RULES,
    as_unit: str = "",
) -> SieFile:
    r = read_records(data, file_name)
    out = SieFile(years=dict(r.years), accounts=dict(r.accounts))
    out.notes += [r.encoding_note] if r.encoding_note else []
    balances, notes, errors = _resolve_years(r, file_name)
    out.notes += notes
    balances, notes, more = _drop_duplicates(balances, file_name)
    out.notes += notes
    if r.errors or errors or more:
        raise TableError(r.errors + errors + more)
    if r.no_object_list:
        lines = [_("rad {r}").format(r=n) for n in r.no_object_list]
        out.notes.append(
            file_name
            + ": "
            + _counted(
                len(lines),
                "{n} periodsaldo saknar objektlista och lästes som kontots total ({{}})",
                "{n} periodsaldon saknar objektlista och lästes som kontots total ({{}})",
                lines,
            )
            + "."
        )
    if r.empty_amounts:
        lines = [_("rad {r}").format(r=n) for n in r.empty_amounts]
        out.notes.append(
            file_name
            + ": "
            + _counted(
                len(lines),
                "{n} ingående/utgående balans eller resultat (#IB, #UB, #RES …) har inget belopp; "
                "den läses inte in",
                "{n} ingående/utgående balanser eller resultat (#IB, #UB, #RES …) har inget belopp; "
                "de läses inte in",
                lines,
            )
            + "."
        )
    has_objects = _has_objects(r, dimension)
    if as_unit and has_objects:
        raise TableError(
            [
                _(
                    "{f}: filen har objekt i dimension {d} ({n}); läs in den per objekt, inte som en enda "
                    "enhet ({u})."
                ).format(f=file_name, d=dimension, n=r.dims.get(dimension, ""), u=as_unit)
            ]
        )
    if not balances and not any(v.trans for v in r.vouchers) and r.results:
        raise TableError(
            [
                _(
                    "{f}: filen har bara årssaldon (#RES, SIE typ {t}), inga periodsaldon eller "
                    "verifikationer; socdesk läser utfall per månad (SIE typ 2–4)."
                ).format(f=file_name, t=r.sietyp or "1")
            ]
        )
    if not as_unit and not has_objects:
        _refuse_without_units(r, balances, file_name, dimension, konto_rules)
        return out

    def unit_of(objects: tuple) -> str | None:
        if as_unit:
            return as_unit if not objects else None
        return dict(objects).get(dimension)

    psaldo, budget, combined = _balances_per_key(balances, unit_of)
    if combined:
        out.notes.append(
            file_name
            + ": "
            + _counted(
                len(combined),
                "{n} periodsaldo för en kombination av objekt lästes inte: objektets eget periodsaldo "
                "för samma konto och period finns och gäller",
                "{n} periodsaldon för kombinationer av objekt lästes inte: objektets eget periodsaldo "
                "för samma konto och period finns och gäller",
                [_("rad {r}").format(r=b.line) for b in combined],
            )
            + "."
        )
    trans: dict[Key, list] = {}
    without_unit = 0
    for v in r.vouchers:
        for t in v.trans:
            unit = as_unit or dict(t.objects).get(dimension)
            if unit is None:
                without_unit += 1
                continue
            trans.setdefault((unit, t.konto, v.date[:6]), []).append((t, v))
    sums: dict[tuple[str, str, Scenario, str], Decimal] = {}
    first: dict[tuple[str, str, Scenario, str], int] = {}
    label_of: dict[int, str] = {}
    left = 0
    used_vouchers: set[int] = set()
    taken = {"psaldo": 0, "trans": 0}

    measures: dict[str, str | None] = {}

    def add(key: Key, scenario: Scenario, amount: Decimal, line: int, label: str) -> bool:
        unit, konto, period = key
        if konto not in measures:
            measures[konto] = konto_measure(konto, konto_rules)
        measure = measures[konto]
        if measure is None:
            return False
        for m in (measure, "netto"):
            k = (unit, m, scenario, period)
            sums[k] = sums.get(k, Decimal(0)) + amount
            if k not in first or line < first[k]:
                first[k] = line
        label_of[line] = label
        return True

    for key in sorted(psaldo.keys() | trans.keys()):
        if key in psaldo:
            taken["psaldo"] += 1
            for b in psaldo[key]:
                left += not add(key, Scenario.ACTUAL, b.amount, b.line, b.label)
        else:
            taken["trans"] += 1
            for t, v in trans[key]:
                if add(key, Scenario.ACTUAL, t.amount, t.line, "#TRANS"):
                    used_vouchers.add(v.line)
                else:
                    left += 1
    for key, rows in sorted(budget.items()):
        for b in rows:
            left += not add(key, Scenario.BUDGET, b.amount, b.line, b.label)
    out.vouchers_used = bool(used_vouchers)
    out.left_out = left + (without_unit if out.vouchers_used else 0)
    if as_unit:
        out.names[as_unit] = r.company
    else:
        out.names = {code: name for (d, code), name in r.objects.items() if d == dimension}
    out.notes += _sources_note(file_name, taken, as_unit)
    found = sie_checks.check(r, balances, psaldo, trans, used_vouchers, file_name, as_unit, konto_rules)
    if found.errors:
        raise TableError(found.errors)
    out.notes += found.notes
    errors = []
    for (unit, measure, scenario, period), total in sorted(
        sums.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2].value, kv[0][3])
    ):
        m = Month(int(period[:4]), int(period[4:]))
        line = first[(unit, measure, scenario, period)]
        w = _("{f}, rad {r} ({p})").format(f=file_name, r=line, p=label_of[line])
        try:
            value = Value.of(total)
        except ParseError as err:
            errors.append(
                _("{w}: summan för {u} {m} {p}: {e}").format(w=w, u=unit, m=measure, p=str(m), e=err)
            )
            continue
        out.records.append(Record(unit, measure, scenario, Period(m, m), value, w, out.names.get(unit, "")))
    if errors:
        raise TableError(errors)
    return out


def _balances_per_key(balances: list[Balance], unit_of) -> tuple[dict, dict, list[Balance]]:
    """#PSALDO and #PBUDGET per (unit, konto, period). A unit's own balance (``{1 "7762"}``) is
    its total; balances for combinations with other dimensions (``{1 "7762" 6 "P1"}``) are
    summed only where the own one is missing, never added to it (that would count twice)."""
    own: dict[tuple[str, Key], list[Balance]] = {}
    parts: dict[tuple[str, Key], list[Balance]] = {}
    for b in balances:
        unit = unit_of(b.objects)
        if unit is not None:
            target = own if len(b.objects) <= 1 else parts
            target.setdefault((b.label, (unit, b.konto, b.period)), []).append(b)
    psaldo: dict[Key, list[Balance]] = {}
    budget: dict[Key, list[Balance]] = {}
    combined: list[Balance] = []
    for label_key in own.keys() | parts.keys():
        label, key = label_key
        rows = own.get(label_key) or parts[label_key]
        if label_key in own and label_key in parts:
            combined += parts[label_key]
        (psaldo if label == "#PSALDO" else budget)[key] = rows
    return psaldo, budget, sorted(combined, key=lambda b: b.line)


def _sources_note(file_name: str, taken: dict[str, int], as_unit: str) -> list[str]:
    p, t = taken["psaldo"], taken["trans"]
    if not t:
        return []
    what = _("konto och månad") if as_unit else _("konto, månad och objekt")
    if not p:
        return [
            _(
                "{f}: utfallet summerades från verifikationerna (#TRANS): "
                "filen har inga periodsaldon per {w}."
            ).format(f=file_name, w=what)
        ]
    return [
        _(
            "{f}: utfallet togs från periodsaldon (#PSALDO) för {p} {w} och summerades från "
            "verifikationerna (#TRANS) för {t} {w} som saknar periodsaldo."
        ).format(f=file_name, p=p, t=t, w=what)
    ]


def _refuse_without_units(
    r: SieRecords, balances: list[Balance], file_name: str, dimension: str, rules: tuple[KontoRule, ...]
) -> None:
    """A file with results but no objects of the dimension: say how to import it (one unit)."""
    amounts = [b.konto for b in balances] + [t.konto for v in r.vouchers for t in v.trans]
    if any(konto_measure(k, rules) for k in amounts):
        others = sorted(
            {d for b in balances for d, _o in b.objects}
            | {d for v in r.vouchers for t in v.trans for d, _o in t.objects}
        )
        other = (
            _(" (filen har objekt i dimension {d}: välj den dimensionen om de är enheterna)").format(
                d=", ".join(others)
            )
            if others
            else ""
        )
        raise TableError(
            [
                _(
                    "{f}: filen har utfall men inga objekt i dimension {d} (kostnadsställen){o}. Läs in hela "
                    "filen som en enhet: välj enheten i guiden, eller socdesk import FIL --as-unit KOD."
                ).format(f=file_name, d=dimension, o=other)
            ]
        )
