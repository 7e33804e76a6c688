"""``socdesk budget new-year``: next year's årsbudget from last year's (or last year's utfall)
± a percentage, for a board or a subtree, never over figures already entered
(``socdesk.reports.new_year``); ``--preview`` shows it without writing."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _, n_
from socdesk.core.numbers import format_kr, format_number


def add_parser(sub) -> None:
    bud = sub.add_parser("budget", help=_("budget: ett nytt budgetår från förra årets"))
    bsub = bud.add_subparsers(dest="budget_command", required=True)
    ny = bsub.add_parser(
        "new-year",
        help=_("årsbudget för ett nytt år från förra årets budget eller utfall ± procent"),
    )
    ny.add_argument("--db", required=True)
    ny.add_argument("--from", dest="from_year", type=int, required=True, metavar="ÅÅÅÅ")
    ny.add_argument("--to", dest="to_year", type=int, required=True, metavar="ÅÅÅÅ")
    ny.add_argument(
        "--percent",
        action="append",
        default=[],
        metavar="P | KOD=P",
        help=_(
            "ändring i procent för hela nämnden (3, −1,5), eller för en enhet och allt under den (7710=5)"
        ),
    )
    ny.add_argument("--unit", metavar="KOD", help=_("bara enheten och allt under den; standard: nämnden"))
    ny.add_argument(
        "--base", choices=("budget", "utfall"), default="budget", help=_("utgå från (standard: budget)")
    )
    ny.add_argument(
        "--spread",
        default="",
        metavar="NAMN",
        help=_("periodisering: en sparad profil; standard tolftedelar"),
    )
    ny.add_argument("--preview", action="store_true", help=_("visa förslaget utan att spara"))


def _percent(text: str) -> tuple[str, Decimal]:
    code, _sep, value = text.rpartition("=")
    try:
        return code.strip(), Decimal(value.strip().replace("−", "-").replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        raise SocdeskError(
            _("--percent {t}: skriv ett tal (3 eller −1,5) eller KOD=tal (7710=5).").format(t=text)
        ) from None


def run(args: argparse.Namespace, write, read) -> int:
    from socdesk.reports.new_year import Base, Outcome, apply_new_year, plan_new_year
    from socdesk.reports.planning import TWELFTHS, Spread, budget_profiles

    percents = dict(_percent(t) for t in args.percent)
    with read(args.db) if args.preview else write(args) as opened:
        store = opened if args.preview else opened.store
        roots = store.unit_tree().roots()
        root = args.unit or (roots[0].code if len(roots) == 1 else None)
        if root is None:
            raise SocdeskError(_("Databasen har flera nämnder: ange vilken med --unit."))
        spread = Spread(TWELFTHS)
        if args.spread:
            profiles = budget_profiles(store)
            if args.spread not in profiles:
                raise SocdeskError(
                    _("Periodiseringen ”{p}” finns inte; sparade: {s}.").format(
                        p=args.spread, s=", ".join(profiles) or _("inga")
                    )
                )
            spread = Spread(args.spread, tuple(profiles[args.spread]))
        plan = plan_new_year(
            store, root, args.from_year, args.to_year, percents, base=Base(args.base), spread=spread
        )
        for r in plan.rows:
            base = "–" if r.base is None else format_number(r.base, 0)
            new = "–" if r.proposed is None else format_number(r.proposed, 0)
            pct = format_number(r.percent, 1, percent=True)
            print(f"{r.unit.label[:40]:<40} {base:>14} {pct:>8} {new:>14}  {r.outcome.label}")
        kept = [r for r in plan.rows if r.outcome is Outcome.KEPT]
        missing = [r for r in plan.rows if r.outcome is Outcome.NO_BASE]
        summary = n_(
            "{n} enhet får årsbudget {y} från {b} {f}, summa {s}.",
            "{n} enheter får årsbudget {y} från {b} {f}, summa {s}.",
            len(plan.new),
        ).format(
            n=len(plan.new), y=args.to_year, b=plan.base.label, f=args.from_year, s=format_kr(plan.total)
        )
        if kept:
            summary += " " + _("{n} har redan budget {y} och lämnas orörda.").format(
                n=len(kept), y=args.to_year
            )
        if missing:
            summary += " " + _("{n} saknar {b} {f} och får ingen.").format(
                n=len(missing), b=plan.base.label, f=args.from_year
            )
        print(summary)
        if args.preview:
            print(_("Förhandsvisning: inget sparades."))
            return 0
        with opened.backup_for("budgetar"):
            written = apply_new_year(store, plan)
        print(_("{n} uppgifter sparade (årsbudget och månader).").format(n=written))
    return 0
