"""``socdesk unit``: units managed from the command line (issue 16 §2, docs/units.md) – add,
rename, move, close, merge, and a unit's history – over the store's audited changes
(``socdesk.store.unit_changes``). Only the controller role may change units."""

from __future__ import annotations

import argparse

from socdesk.core.i18n import _
from socdesk.core.units import describe_event, merge_preview, month_label


def add_parser(sub) -> None:
    unit = sub.add_parser("unit", help=_("enheter: lägg till, byt namn, flytta, stäng, slå ihop"))
    usub = unit.add_subparsers(dest="unit_command", required=True)
    add = usub.add_parser("add", help=_("en ny enhet"))
    add.add_argument("code", metavar="KOD")
    add.add_argument("name", metavar="NAMN")
    add.add_argument("--parent", metavar="KOD", help=_("enheten den ska ligga under; utan: en ny nämnd"))
    ren = usub.add_parser("rename", help=_("byt namn på en enhet (koden står kvar)"))
    ren.add_argument("code", metavar="KOD")
    ren.add_argument("name", metavar="NAMN")
    mov = usub.add_parser("move", help=_("flytta en enhet (med allt under den) till en ny överordnad"))
    mov.add_argument("code", metavar="KOD")
    mov.add_argument("--parent", metavar="KOD", required=True, help=_("den nya överordnade enheten"))
    mov.add_argument(
        "--from",
        dest="month",
        default="",
        metavar="ÅÅÅÅ-MM",
        help=_("gäller från månaden (för ”som den var”)"),
    )
    clo = usub.add_parser("close", help=_("stäng en enhet: inga nya uppgifter från en månad"))
    clo.add_argument("code", metavar="KOD")
    clo.add_argument("--from", dest="month", required=True, metavar="ÅÅÅÅ-MM")
    mer = usub.add_parser("merge", help=_("slå ihop enheter till en (tidigare år summeras i den nya)"))
    mer.add_argument("codes", nargs="+", metavar="KOD")
    mer.add_argument(
        "--into", required=True, metavar="KOD", help=_("enheten de slås ihop till (skapas vid behov)")
    )
    mer.add_argument("--name", metavar="NAMN", help=_("namnet på den nya enheten"))
    mer.add_argument("--parent", metavar="KOD", help=_("var den nya enheten ska ligga, om de ligger olika"))
    mer.add_argument("--from", dest="month", required=True, metavar="ÅÅÅÅ-MM")
    his = usub.add_parser("history", help=_("en enhets ändringar (namn, plats, stängning, sammanslagning)"))
    his.add_argument("code", metavar="KOD")
    for p in (add, ren, mov, clo, mer, his):
        p.add_argument("--db", required=True)


def run(args: argparse.Namespace, write, read) -> int:
    from socdesk.cli import local_role
    from socdesk.core.roles import require

    if args.unit_command == "history":
        with read(args.db) as store:
            if args.code not in store.unit_tree():
                from socdesk.core.errors import SocdeskError

                raise SocdeskError(_("Enheten {u} finns inte.").format(u=args.code))
            events = store.unit_events(args.code)
        for e in events:
            print(f"{e['at'][:19].replace('T', ' ')}  {e['who']:<12} {describe_event(e)}")
        if not events:
            print(_("Inga ändringar av {u}.").format(u=args.code))
        return 0
    role = local_role(args.basedir)
    require(role, role.may_lock, _("ändra enheter"))
    with write(args) as safe, safe.backup_for("enheter"):
        store = safe.store
        cmd = args.unit_command
        if cmd == "add":
            store.add_unit(args.code, args.name, args.parent)
            print(
                _("{c} {n} tillagd{p}.").format(
                    c=args.code, n=args.name, p=_(" under {p}").format(p=args.parent) if args.parent else ""
                )
            )
        elif cmd == "rename":
            store.rename_unit(args.code, args.name)
            print(_("{c} heter nu {n}.").format(c=args.code, n=args.name))
        elif cmd == "move":
            store.move_unit(args.code, args.parent, effective=args.month)
            print(_("{c} ligger nu under {p}.").format(c=args.code, p=args.parent))
        elif cmd == "close":
            store.close_unit(args.code, args.month)
            print(_("{c} är stängd fr.o.m. {m}.").format(c=args.code, m=month_label(args.month)))
        else:
            made = store.merge_units(args.codes, args.into, args.month, name=args.name, parent=args.parent)
            tree = store.unit_tree()
            print(merge_preview(tree, args.codes, args.into, args.name, args.month, made=made))
    return 0
