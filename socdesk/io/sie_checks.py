"""The checks a careful controller makes on a SIE file before its figures are used: each
voucher balances to 0, vouchers fall inside the years of #RAR, accounts are in #KONTO, #KSUMMA
(when the file has one) matches, period balances agree with the vouchers and with #RES where
both exist. An unbalanced voucher whose amounts would be imported is an error (the figures would
be wrong); the rest are warnings for the summary, counted, with the first few records named."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.i18n import _, n_
from socdesk.io.sie_records import Balance, SieRecords
from socdesk.io.tables import KontoRule, konto_measure

MAX_NAMED = 3  # the records a warning names before "…"


@dataclass
class Found:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _note(file_name: str, n: int, one: str, many: str, examples: list[str]) -> str:
    shown = "; ".join(examples[:MAX_NAMED]) + ("; …" if len(examples) > MAX_NAMED else "")
    return f"{file_name}: " + n_(one, many, n).format(n=n) + (f": {shown}" if shown else "") + "."


def check(
    r: SieRecords,
    balances: list[Balance],
    psaldo: dict,
    trans: dict,
    used_vouchers: set[int],
    file_name: str,
    as_unit: str,
    rules: tuple[KontoRule, ...],
) -> Found:
    found = Found()
    _vouchers(r, used_vouchers, file_name, found)
    _accounts(r, balances, file_name, found)
    _ksumma(r, file_name, found)
    _balances_against_vouchers(psaldo, trans, file_name, found)
    _results(r, balances, psaldo, trans, file_name, as_unit, rules, found)
    return found


def _vouchers(r: SieRecords, used: set[int], file_name: str, found: Found) -> None:
    unbalanced, outside = [], []
    for v in r.vouchers:
        total = sum((t.amount for t in v.trans), Decimal(0))
        if total:
            text = _("rad {r} ({v}) summa {s}").format(r=v.line, v=v.label(), s=_amount(total))
            if v.line in used:
                found.errors.append(
                    _(
                        "{f}, rad {r} ({v}): verifikationen balanserar inte: summan av dess #TRANS är {s}, "
                        "inte 0; utfallet skulle bli fel. Rätta verifikationen i ekonomisystemet."
                    ).format(f=file_name, r=v.line, v=v.label(), s=_amount(total))
                )
            else:
                unbalanced.append(text)
        if r.years and not any(s <= v.date <= e for s, e in r.years.values()):
            outside.append(_("rad {r} ({v}) {d}").format(r=v.line, v=v.label(), d=v.date))
    if unbalanced:
        found.notes.append(
            _note(
                file_name,
                len(unbalanced),
                "{n} verifikation balanserar inte (lästes inte in)",
                "{n} verifikationer balanserar inte (lästes inte in)",
                unbalanced,
            )
        )
    if outside:
        found.notes.append(
            _note(
                file_name,
                len(outside),
                "{n} verifikation ligger utanför räkenskapsåren i #RAR",
                "{n} verifikationer ligger utanför räkenskapsåren i #RAR",
                outside,
            )
        )


def _accounts(r: SieRecords, balances: list[Balance], file_name: str, found: Found) -> None:
    if not r.accounts:
        return
    missing: dict[str, int] = {}
    for b in balances:
        if b.konto not in r.accounts:
            missing.setdefault(b.konto, b.line)
    for v in r.vouchers:
        for t in v.trans:
            if t.konto not in r.accounts:
                missing.setdefault(t.konto, t.line)
    if missing:
        named = [
            _("{k} (rad {r})").format(k=k, r=line)
            for k, line in sorted(missing.items(), key=lambda kv: kv[1])
        ]
        found.notes.append(
            _note(
                file_name,
                len(missing),
                "{n} konto med belopp finns inte i filens #KONTO",
                "{n} konton med belopp finns inte i filens #KONTO",
                named,
            )
        )


def _ksumma(r: SieRecords, file_name: str, found: Found) -> None:
    if r.ksumma is None:
        return
    line, stated = r.ksumma
    if r.ksumma_computed is None:
        found.notes.append(
            _(
                "{f}, rad {r} (#KSUMMA): kontrollsumman står utan inledande #KSUMMA; "
                "den kunde inte kontrolleras."
            ).format(f=file_name, r=line)
        )
    elif stated % 2**32 != r.ksumma_computed:
        found.notes.append(
            _(
                "{f}, rad {r} (#KSUMMA): kontrollsumman stämmer inte ({s}, filens poster ger {c}): filen har "
                "ändrats efter att ekonomisystemet skrev den, eller är skadad. Jämför summorna med källan."
            ).format(f=file_name, r=line, s=stated, c=r.ksumma_computed)
        )


def _balances_against_vouchers(psaldo: dict, trans: dict, file_name: str, found: Found) -> None:
    differ = []
    for key in sorted(psaldo.keys() & trans.keys()):
        p = sum((b.amount for b in psaldo[key]), Decimal(0))
        t = sum((tr.amount for tr, _v in trans[key]), Decimal(0))
        if p != t:
            unit, konto, period = key
            differ.append(
                _("{u} konto {k} {p}: periodsaldo {a}, verifikationer {b} (rad {r})").format(
                    u=unit, k=konto, p=period, a=_amount(p), b=_amount(t), r=psaldo[key][0].line
                )
            )
    if differ:
        found.notes.append(
            _note(
                file_name,
                len(differ),
                "{n} periodsaldo skiljer sig från verifikationernas summa; periodsaldot lästes in",
                "{n} periodsaldon skiljer sig från verifikationernas summa; periodsaldona lästes in",
                differ,
            )
        )


def _results(
    r: SieRecords,
    balances: list[Balance],
    psaldo: dict,
    trans: dict,
    file_name: str,
    as_unit: str,
    rules: tuple[KontoRule, ...],
    found: Found,
) -> None:
    """#RES (a year's result per account) against the period balances of that year: the
    account totals ({}), or for a file read as one unit, what is imported."""
    totals: dict[tuple[str, str], Decimal] = {}  # (konto, ÅÅÅÅMM) → amount
    if as_unit:
        for key in psaldo.keys() | trans.keys():
            rows = [b.amount for b in psaldo[key]] if key in psaldo else [t.amount for t, _v in trans[key]]
            totals[(key[1], key[2])] = totals.get((key[1], key[2]), Decimal(0)) + sum(rows, Decimal(0))
    else:
        for b in balances:
            if b.label == "#PSALDO" and not b.objects:
                totals[(b.konto, b.period)] = totals.get((b.konto, b.period), Decimal(0)) + b.amount
    differ = []
    for (index, konto), (res, line) in sorted(r.results.items(), key=lambda kv: kv[1][1]):
        try:
            start, end = r.years[int(index)]
        except (KeyError, ValueError):
            continue
        if as_unit and konto_measure(konto, rules) is None:
            continue
        rows = [a for (k, p), a in totals.items() if k == konto and start[:6] <= p <= end[:6]]
        if rows and sum(rows, Decimal(0)) != res:
            differ.append(
                _("konto {k} år {i}: #RES {a}, {w} {b} (rad {r})").format(
                    k=konto,
                    i=index,
                    a=_amount(res),
                    w=_("inläst") if as_unit else _("periodsaldona"),
                    b=_amount(sum(rows, Decimal(0))),
                    r=line,
                )
            )
    if differ:
        found.notes.append(
            _note(
                file_name,
                len(differ),
                "{n} årsresultat (#RES) stämmer inte med årets belopp",
                "{n} årsresultat (#RES) stämmer inte med årets belopp",
                differ,
            )
        )
