"""The command line: a second front end over the same core, store and io as the GUI."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from socdesk import __version__
from socdesk.core import exact_json
from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _, n_
from socdesk.core.numbers import Scale, format_number, round_half_up
from socdesk.core.periods import Period, parse_period
from socdesk.files import reading_reason
from socdesk.io.seeds import build_demo
from socdesk.store.db import Store
from socdesk.store.errors import is_damage

# argparse's own words (usage, errors, the help's headings) in Swedish: argparse looks them up
# through its module's ``_`` each time, so the table applies to every parser of the program.
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa denna hjälp och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "dessa argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "ett värde behövs",
    "expected at least one argument": "minst ett värde behövs",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "flertydig flagga: %(option)s kan vara %(matches)s"
    ),
    "not allowed with argument %s": "går inte att ange tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s behövs",
    "ignored explicit argument %r": "värdet %r ignorerades",
}
argparse._ = lambda text: _ARGPARSE_SV.get(text, text)  # type: ignore[attr-defined]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="socdesk",
        description=_(
            "socdesk – budgetuppföljning och verksamhetsstatistik för socialnämnden. "
            "Utan kommando öppnas programmet."
        ),
    )
    p.add_argument("--version", action="version", version=f"socdesk {__version__}")
    p.add_argument("--db", help=_("databasfil att öppna i programmet"))
    p.add_argument(
        "--basedir",
        help=_("mapp för inställningar, loggar och säkerhetskopior (i stället för användarens datamapp)"),
    )
    p.add_argument("--selftest", action="store_true", help=_("kontrollera installationen och avsluta"))
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help=_("skapa demodatabasen från de medföljande rapporterna"))
    demo.add_argument("--db", required=True, help=_("ny databasfil"))

    imp = sub.add_parser(
        "import",
        help=_(
            "läs in filer: lång/bred CSV eller XLSX, transaktioner, SIE 4, Kolada (allt eller inget per fil)"
        ),
    )
    imp.add_argument(
        "files",
        nargs="+",
        metavar="FIL",
        help=_("filerna; sidorna av ett svar från Kolada i flera sidor läses in som en import"),
    )
    imp.add_argument("--db", required=True)
    imp.add_argument(
        "--profile", metavar="NAMN", help=_("en importprofil sparad i guiden (kolumner, konton …)")
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help=_("filen får ersätta uppgifter som finns (och en tidigare import av samma fil)"),
    )
    imp.add_argument(
        "--create-under",
        metavar="KOD",
        help=_("skapa okända enheter under denna enhet (annars: fel, eller sparad koppling från guiden)"),
    )
    imp.add_argument(
        "--costs-negative",
        action="store_true",
        help=_("källan har kostnader negativa (vänder tecken på belopp)"),
    )
    imp.add_argument(
        "--as-unit",
        metavar="KOD",
        help=_("SIE utan kostnadsställen: läs in hela filen som denna enhet"),
    )
    imp.add_argument(
        "--sheet",
        action="append",
        default=[],
        metavar="BLAD",
        help=_("läs bara detta blad i arbetsboken (kan anges flera gånger); annars alla blad med siffror"),
    )
    imp.add_argument(
        "--header-row",
        type=_header_rows,
        metavar="N",
        help=_("rubrikraden i bladet (radnummer som i Excel), två rader som 3,4; annars igenkänd"),
    )
    imp.add_argument(
        "--include-hidden",
        action="store_true",
        help=_("läs också arbetsbokens dolda blad, rader och kolumner (annars lämnas de och nämns)"),
    )
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help=_("läs och kontrollera filerna och visa vad som skulle hända (nya mått …), men spara inget"),
    )

    bat = sub.add_parser("batches", help=_("lista importerna"))
    bat.add_argument("--db", required=True)
    und = sub.add_parser("undo-import", help=_("ångra en hel import (se batches)"))
    und.add_argument("batch", type=int, metavar="ID")
    und.add_argument("--db", required=True)

    exp = sub.add_parser(
        "export", help=_("skriv databasen (eller ett delträd och en period) som lång CSV eller XLSX")
    )
    exp.add_argument("--db", required=True)
    exp.add_argument("-o", "--output", required=True, metavar="FIL.csv|FIL.xlsx")
    exp.add_argument(
        "--encoding",
        choices=("utf-8", "cp1252"),
        default="utf-8",
        help=_("CSV-filens teckenkodning: utf-8 (med BOM, som Excel läser rätt; standard) eller cp1252"),
    )
    exp.add_argument("--unit", metavar="KOD", help=_("bara enheten och allt under den"))
    exp.add_argument("--period", help=_("bara uppgifter inom perioden, t.ex. 2024 eller 2024-01/2024-06"))

    chk = sub.add_parser(
        "check", help=_("kontrollera summor, tecken, avvikelser, nyckeltal och ändringsloggens kedja")
    )
    chk.add_argument("--db", required=True)
    chk.add_argument("--json", action="store_true", help=_("skriv fynden som JSON"))
    chk.add_argument(
        "--anchor",
        metavar="ÄNDRING:KEDJA",
        help=_("jämför med en rapports utskrivna dataversion, t.ex. 2878:d1061ef90d329e19"),
    )
    dev = sub.add_parser("deviations", help=_("avvikelser och flaggor hittills i år vid en månad"))
    dev.add_argument("--db", required=True)
    dev.add_argument("--period", required=True, metavar="ÅÅÅÅ-MM", help=_("månaden, t.ex. 2024-05"))
    dev.add_argument("--unit", metavar="KOD", help=_("enheten (med alla underliggande); standard: alla"))
    dev.add_argument("--flagged", action="store_true", help=_("bara röda och gula"))
    dev.add_argument("--json", action="store_true", help=_("skriv som JSON"))
    dev.add_argument(
        "--organisation",
        choices=("nu", "då"),
        default="nu",
        help=_("enhetsträdet som det är nu (standard) eller som det var vid periodens början"),
    )
    for name, helptext in (
        ("lock", _("lås en period för en nämnd (och allt under den)")),
        ("reopen", _("öppna en låst period igen (skäl krävs)")),
    ):
        lk = sub.add_parser(name, help=helptext)
        lk.add_argument("--db", required=True)
        lk.add_argument("--unit", required=True, metavar="KOD")
        lk.add_argument("--period", required=True, help=_("t.ex. 2024-05 eller 2024-T1"))
        if name == "reopen":
            lk.add_argument("--reason", required=True, help=_("varför perioden öppnas igen"))

    rep = sub.add_parser("report", help=_("skriv en rapport till nämnden som PDF, Excel eller HTML"))
    rep.add_argument(
        "kind",
        nargs="?",  # not with --template or --reprint
        choices=["manad", "tertial", "nyckeltal", "statistik"],
        metavar="SLAG",
        help=_("manad, tertial, nyckeltal, statistik (eller --template)"),
    )
    rep.add_argument(
        "--template",
        metavar="MALL",
        help=_("rapportmallens namn eller en mallfil (.toml) i stället för SLAG"),
    )
    rep.add_argument("--db", required=True)
    rep.add_argument("--period", help=_("månaden eller tertialen, t.ex. 2024-05 eller 2023-T1"))
    rep.add_argument("--unit", metavar="KOD", help=_("nämnden eller enheten (standard: den första nämnden)"))
    rep.add_argument("-o", "--output", required=True, metavar="FIL.pdf|FIL.xlsx|FIL.html")
    rep.add_argument(
        "--organisation",
        choices=("nu", "då"),
        default="nu",
        help=_("enhetsträdet som det är nu (standard) eller som det var vid periodens början"),
    )
    rep.add_argument(
        "--final",
        action="store_true",
        help=_("spara PDF:en som beslutad version (vägras så länge rapporten är ett utkast)"),
    )
    rep.add_argument(
        "--reprint", type=int, metavar="ID", help=_("skriv ut en beslutad version igen, byte för byte")
    )

    ack = sub.add_parser(
        "ack",
        help=_(
            "kvittera ett fynd från check: felet finns i källdokumentet (utan NR: lista fynden numrerade)"
        ),
    )
    ack.add_argument("--db", required=True)
    ack.add_argument("finding", nargs="?", type=int, metavar="NR", help=_("fyndets nummer i listan"))
    ack.add_argument("--note", help=_("kommentaren, skrivs ut som fotnot vid raden i rapporten"))
    ack.add_argument("--withdraw", type=int, metavar="ID", help=_("återta kvittering ID (raden finns kvar)"))
    fin = sub.add_parser("finals", help=_("lista rapporternas beslutade versioner"))
    fin.add_argument("--db", required=True)

    tpl = sub.add_parser("template", help=_("rapportmallar: lista, kontrollera, kopiera"))
    tsub = tpl.add_subparsers(dest="template_command", required=True)
    tsub.add_parser("list", help=_("lista mallarna (medföljande och egna)"))
    val = tsub.add_parser("validate", help=_("kontrollera en mallfil"))
    val.add_argument("file", metavar="FIL.toml")
    val.add_argument("--db", help=_("kontrollera också mot en databas (enheter, mått)"))
    cp = tsub.add_parser("copy", help=_("kopiera en mall till en egen, med nytt namn"))
    cp.add_argument("name", metavar="NAMN")
    cp.add_argument("new_name", metavar="NYTT_NAMN")

    upg = sub.add_parser(
        "upgrade", help=_("uppgradera en databas från en äldre version (en säkerhetskopia tas först)")
    )
    upg.add_argument("--db", required=True)

    from socdesk import cli_budget

    cli_budget.add_parser(sub)

    from socdesk import cli_unit

    cli_unit.add_parser(sub)

    hist = sub.add_parser("history", help=_("visa alla ändringar av en uppgift"))
    hist.add_argument("--db", required=True)
    hist.add_argument("--unit", required=True, metavar="KOD")
    hist.add_argument("--measure", default="netto", metavar="MÅTT")
    hist.add_argument("--scenario", default="utfall")
    hist.add_argument("--period", required=True)
    hist.add_argument("--version", default="")
    return p


def local_role(basedir: str | None):
    """The role from the local settings (``[user] role=``), handläggare if none is set."""
    import configparser

    from socdesk.core.roles import Role
    from socdesk.paths import data_dir

    ini = configparser.ConfigParser()
    ini.read(data_dir(basedir) / "socdesk.ini", encoding="utf-8")
    try:
        return Role(ini.get("user", "role", fallback=Role.CASEWORKER.value))
    except ValueError:
        return Role.CASEWORKER


def _lock(args: argparse.Namespace) -> int:
    from socdesk.core.roles import require

    role = local_role(args.basedir)
    require(role, role.may_lock, _("låsa eller öppna perioder"))
    period = parse_period(args.period)
    with _write(args) as safe:
        if args.command == "lock":
            with safe.backup_for("periodlas"):
                safe.store.lock_period(args.unit, period)
            print(_("{p} är låst för {u}.").format(p=period.label(), u=args.unit))
        else:
            safe.store.reopen_period(args.unit, period, args.reason)
            print(_("{p} är öppen igen för {u}.").format(p=period.label(), u=args.unit))
    return 0


def _history(args: argparse.Namespace) -> int:
    from socdesk.core.facts import FactKey, Scenario
    from socdesk.core.values import from_store_int

    key = FactKey(
        args.unit, args.measure, Scenario.parse(args.scenario), parse_period(args.period), args.version
    )
    with _read(args.db) as store:
        rows = store.history(key)

    def show(value: int | None, status: str | None) -> str:
        if status is None:
            return "–"
        return (
            format_number(from_store_int(value or 0), 2).rstrip("0").rstrip(",")
            if status == "value"
            else status
        )

    for h in rows:
        source = h["source"] + (f" ({h['file_name']})" if h["file_name"] else "")
        print(
            f"{h['at'][:19].replace('T', ' ')}  {h['who']:<12} {show(h['old_value'], h['old_status']):>16} → "
            f"{show(h['new_value'], h['new_status']):<16} {source}"
        )
    if not rows:
        print(_("Inga ändringar."))
    return 0


def _unit(args: argparse.Namespace) -> int:
    from socdesk import cli_unit

    return cli_unit.run(args, _write, _read)


def _budget(args: argparse.Namespace) -> int:
    from socdesk import cli_budget

    return cli_budget.run(args, _write, _read)


def _existing_db(path: str) -> str:
    if not Path(path).exists():
        raise SocdeskError(_("Databasen {p} finns inte.").format(p=path))
    return path


def _read(path: str) -> Store:
    """For the commands that only read: opened read-only, so nothing is ever written – not
    even an upgrade of an older schema (that is read as it is; ``socdesk upgrade`` upgrades)."""
    return Store(_existing_db(path), readonly=True)


def _write(args: argparse.Namespace, *, create: bool = False):
    """For the commands that write: the writer lock, a backup before an upgrade (``open_safely``);
    ``create``: a new database may be made (``import``), else it must be a socdesk database."""
    from socdesk.paths import backup_dir
    from socdesk.store.safety import open_safely

    path = args.db if create else _existing_db(args.db)
    return open_safely(path, backup_dir(args.basedir), daily_backup=False, create=create)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.selftest:
            from socdesk.gui.selftest import selftest

            return selftest()
        if args.command is None:
            from socdesk.gui.app import run  # Qt only when the GUI is wanted

            return run(args.db, args.basedir)
        return _COMMANDS[args.command](args)
    except SocdeskError as err:
        print(f"socdesk: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped to a program that stopped reading (… | head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
        return 1
    except Exception as err:  # SQLite found the file damaged while reading or writing it
        if not (is_damage(err) and getattr(args, "db", None)):
            raise
        return _damaged(args, err)


def _damaged(args: argparse.Namespace, err: Exception) -> int:
    """A command stopped by damage in the file (each write is one transaction: nothing of it
    was saved). Recorded beside the backups, so that the next open checks the file first."""
    from socdesk.paths import backup_dir
    from socdesk.store.integrity import note_damage

    note_damage(Path(args.db), backup_dir(args.basedir), str(err))
    print(
        "socdesk: "
        + _(
            "Databasen {p} är skadad ({e}); inget av det som kommandot skulle ändra har sparats. "
            "Öppna den i programmet: den kontrolleras då först, läggs undan och den senaste hela "
            "säkerhetskopian erbjuds."
        ).format(p=args.db, e=err),
        file=sys.stderr,
    )
    return 1


def _demo(args: argparse.Namespace) -> int:
    results = build_demo(args.db)
    for r in results:
        print(
            _("{f}: {n} {uppgifter}, {u} (batch {b})").format(
                f=r.file_name,
                n=format_number(r.rows),
                uppgifter=n_("uppgift", "uppgifter", r.rows),
                u=n_("{n} ny enhet", "{n} nya enheter", r.new_units).format(n=format_number(r.new_units)),
                b=r.batch_id,
            )
        )
    print(_("Demodatabasen skapad: {p}").format(p=args.db))
    return 0


def _header_rows(text: str) -> tuple[int, ...]:
    """``--header-row 3`` or ``--header-row 3,4``."""
    from socdesk.io.layout import parse_header_rows

    try:
        return parse_header_rows(text)
    except SocdeskError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _import(args: argparse.Namespace) -> int:
    from socdesk.io import importer
    from socdesk.io.tables import Layout, Profile, TableError

    status = 0
    with _write(args, create=True) if not args.dry_run else _dry_run_store(args.db) as safe:
        store = safe.store
        if not store.measures():
            from socdesk.io.seeds import install_default_measures

            install_default_measures(store)
        chosen = importer.profile(store, args.profile) if args.profile else None
        if args.costs_negative:
            chosen = chosen or Profile(layout=Layout.LONG)
            chosen.negate = True
        if args.sheet or args.header_row:  # on a saved profile, or beside detected columns
            chosen = dataclasses.replace(
                chosen or Profile(),
                sheets=tuple(args.sheet) or (chosen.sheets if chosen else ()),
                header_rows=args.header_row or (chosen.header_rows if chosen else ()),
            )
        for group in importer.page_groups(args.files, store.path):  # a paginated Kolada response: one import
            name = " + ".join(group)
            try:
                for page in group:
                    importer.refuse_reading_database(Path(page), store.path)
                if len(group) > 1:
                    source = importer.read_pages([(importer.read_file(p), Path(p).name) for p in group])
                else:
                    data = importer.read_file(name)
                    declared = importer.declarations_beside(Path(name))  # mått.csv beside the file
                    this = _as_unit(chosen, args.as_unit, data, Path(name).name)
                    if args.as_unit and args.as_unit not in store.unit_tree() and not args.create_under:
                        raise TableError(
                            [
                                _(
                                    "--as-unit {u}: enheten {u} finns inte i databasen. Ange en befintlig "
                                    "enhet, eller skapa den med --create-under KOD (enheten den hör till)."
                                ).format(u=args.as_unit)
                            ]
                        )
                    source = importer.read_source(
                        data,
                        Path(name).name,
                        store,
                        this,
                        declared=declared,
                        include_hidden=args.include_hidden,
                    )
                create = None
                if args.create_under:
                    unknown = importer.unknown_units(source, store.unit_tree(), importer.unit_map(store))
                    create = dict.fromkeys(unknown, args.create_under)
                plan = importer.plan(store, source, create=create)
                if args.dry_run:
                    _preview(plan)
                    continue
                r = importer.execute(
                    store,
                    plan,
                    replace=args.replace,
                    profile_name=args.profile or "",
                    backup=(lambda: safe.backup_for("import")) if store.facts_count() else None,
                )
            except BrokenPipeError:
                raise  # the reader of our output went away (… | head): main() ends quietly
            except (SocdeskError, OSError) as err:
                message = reading_reason(err) if isinstance(err, OSError) else str(err)
                print(
                    _("socdesk: {f} lästes inte in; databasen är oförändrad:").format(f=name),
                    file=sys.stderr,
                )
                print(message, file=sys.stderr)
                if isinstance(err, (importer.AlreadyImportedError, importer.OverlapError)):
                    print(_("(Använd --replace för att ersätta.)"), file=sys.stderr)
                status = 1
                continue
            print(_("{f}: inläst som batch {b}.").format(f=r.summary.file_name, b=r.batch_id))
            for line in r.summary.lines(done=True):
                print("  " + line)
    return status


def _as_unit(chosen, unit: str | None, data: bytes, file_name: str):
    """``--as-unit``: for a SIE file, the profile that reads the whole file as that unit."""
    from socdesk.io import importer
    from socdesk.io.tables import Profile, TableError

    if not unit:
        return chosen
    if importer.kind_of(data, file_name) is not importer.Kind.SIE:
        raise TableError(
            [_("{f}: --as-unit gäller bara SIE-filer (utan kostnadsställen).").format(f=file_name)]
        )
    return dataclasses.replace(chosen or Profile(), as_unit=unit)


@contextmanager
def _dry_run_store(path: str):
    """For ``import --dry-run``: the database opened read-only, or (none yet) a new one with the
    default measures in a temporary folder, removed after."""
    if Path(path).exists():
        with _read(path) as store:
            yield SimpleNamespace(store=store)
        return
    from socdesk.io.seeds import open_database

    with tempfile.TemporaryDirectory() as tmp, open_database(Path(tmp) / "provläsning.db") as store:
        yield SimpleNamespace(store=store)


def _preview(plan) -> None:
    """What an import would do (``--dry-run``); nothing is written."""
    from socdesk.io import importer

    print(_("Provläsning, inget sparas:"))
    for line in plan.summary().lines():
        print("  " + line)
    if plan.same_file:
        print("  " + importer.AlreadyImportedError(plan.same_file).args[0])
    elif plan.overlaps:
        print("  " + importer.OverlapError(plan.overlaps, plan.overlap_example).args[0])


def _report(args: argparse.Namespace) -> int:
    from socdesk.files import refuse_database
    from socdesk.reports import compose, template
    from socdesk.reports.board import Kind, shipped_template
    from socdesk.reports.output import write_report

    refuse_database(args.output, args.db)
    if args.reprint is not None:
        return _reprint(args)
    if (args.kind is None) == (args.template is None):
        raise SocdeskError(
            _("Ange antingen rapportens slag (manad, tertial, nyckeltal, statistik) eller --template.")
        )
    if args.period is None:
        raise SocdeskError(_("Ange --period, t.ex. 2024-05 eller 2023-T1."))
    if args.final and not args.output.lower().endswith(".pdf"):
        raise SocdeskError(_("Den beslutade versionen är en PDF: skriv den med -o FIL.pdf."))
    chosen = template.load(template.find(args.template, args.basedir)) if args.template else None
    kind = chosen.kind if chosen is not None else args.kind
    period = compose.report_period(kind, parse_period(args.period).end)
    with _read(args.db) as store:
        tree = store.unit_tree()
        unit = args.unit or _report_unit(tree, kind, chosen)
        if unit is None:
            boards = ", ".join(u.label for u in tree.roots()) or _("(inga)")
            print(
                _("socdesk: ange --unit: databasen har flera nämnder ({b}).").format(b=boards),
                file=sys.stderr,
            )
            return 2
        if unit not in tree:
            raise SocdeskError(_("Enheten {u} finns inte.").format(u=unit))
        if chosen is None:
            chosen = shipped_template(Kind(kind), unit, tree)
        if chosen is None:
            from socdesk.reports.board import build

            report = build(store, Kind(kind), unit, period.end, then=args.organisation == "då")
        else:
            problems = template.check_against(chosen, store)
            if problems:
                raise template.TemplateError(problems)
            as_of = _organisation(store, args.organisation, period).as_of
            report = compose.build(store, chosen, unit, period, as_of=as_of)
        if args.final:
            from socdesk.reports.final import refuse_draft

            refuse_draft(report)  # nothing is written while it is a draft
        write_report(report, args.output)  # a PDF needs no Qt (WeasyPrint)
    if report.draft:
        print(_("UTKAST: {n} saker att göra innan rapporten är klar:").format(n=len(report.draft_reasons)))
        for reason in report.draft_reasons:
            print("  " + reason)
    print(_("{f} skriven.").format(f=args.output))
    if args.final:
        from socdesk.reports.final import save_final

        with _write(args) as safe:
            if chosen is not None:  # read above from a read-only store: kept now
                safe.store.keep_template(chosen.name, chosen.text)
            final_id = save_final(safe.store, report, unit, str(period), Path(args.output).read_bytes())
        print(_("Sparad som beslutad version {n} (socdesk report --reprint {n}).").format(n=final_id))
    return 0


def _reprint(args: argparse.Namespace) -> int:
    from socdesk.reports.final import reprint

    with _read(args.db) as store:
        reprint(store, args.reprint, args.output)
    print(_("Beslutad version {n} skriven till {f}.").format(n=args.reprint, f=args.output))
    return 0


def _numbered_findings(store: Store) -> list:
    """The findings of ``socdesk check``, in its order: ``socdesk ack NR`` names one by place."""
    from socdesk.reports.board import check_findings

    return check_findings(store)


def _ack(args: argparse.Namespace) -> int:
    from socdesk.reports.final import REASONS, finding_key

    if args.withdraw is not None:
        with _write(args) as safe:
            safe.store.withdraw_ack(args.withdraw)
        print(_("Kvittering {n} återtagen.").format(n=args.withdraw))
        return 0
    if args.finding is None:
        with _read(args.db) as store:
            findings, acked = _numbered_findings(store), store.acknowledged()
        for i, f in enumerate(findings, start=1):
            a = acked.get(finding_key(f))
            mark = (
                _(" [kvittering {id}, {who}: {r} – {n}]").format(
                    id=a["id"], who=a["author"], r=REASONS.get(a["reason"], a["reason"]), n=a["note"]
                )
                if a
                else ""
            )
            print(f"{i:>3}. [{f.severity}] {f.rule}: {f.message}{mark}")
        done = sum(finding_key(f) in acked for f in findings)
        print(_("{n} fynd, {k} kvitterade.").format(n=len(findings), k=done))
        return 0
    if not (args.note or "").strip():
        raise SocdeskError(_('Ange --note "…": kommentaren skrivs ut som fotnot vid raden i rapporten.'))
    with _write(args) as safe:
        findings = _numbered_findings(safe.store)
        if not 1 <= args.finding <= len(findings):
            raise SocdeskError(
                _("Det finns inget fynd nummer {n} (kontrollen ger {m}; se socdesk ack --db …).").format(
                    n=args.finding, m=len(findings)
                )
            )
        f = findings[args.finding - 1]
        ack_id = safe.store.acknowledge(finding_key(f), args.note)
    print(_("Fynd {n} kvitterat (kvittering {id}): {m}").format(n=args.finding, id=ack_id, m=f.message))
    return 0


def _finals(args: argparse.Namespace) -> int:
    from socdesk.reports.final import final_label

    with _read(args.db) as store:
        rows = store.finals()
    for row in rows:
        print(final_label(row))
    if not rows:
        print(_("Inga beslutade versioner."))
    return 0


def _report_unit(tree, kind: str, chosen) -> str | None:
    """The unit a report is made for when no --unit is given: the template's board, the board
    of the one shipped template of the kind that fits a board of the database, or the only
    board; None when that leaves a choice."""
    from socdesk.reports import template

    if chosen is not None and chosen.board:
        return chosen.board
    roots = tree.roots()
    if chosen is None:
        boards = {
            t.board
            for t in (template.load(p) for p in template.shipped())
            if t.kind == kind and t.board in tree
        }
        if len(boards) == 1:
            return boards.pop()
    return roots[0].code if len(roots) == 1 else None


def _template(args: argparse.Namespace) -> int:
    from socdesk.reports import template

    if args.template_command == "list":
        for info in template.available(args.basedir):
            where = _("medföljande") if info.shipped else str(info.path)
            board = info.board or _("alla nämnder")
            print(f"{info.name:<24} {info.kind:<10} {board:<14} {info.title}  ({where})")
        return 0
    if args.template_command == "copy":
        path = template.copy_template(args.name, args.new_name, args.basedir)
        print(
            _(
                "Mallen {n} kopierad till {p}. Öppna den i en textredigerare och kontrollera den med "
                "socdesk template validate."
            ).format(n=args.name, p=path)
        )
        return 0
    path = Path(args.file)
    try:
        loaded = template.load(path)
        problems = []
        if args.db:
            with _read(args.db) as store:
                problems = template.check_against(loaded, store)
    except template.TemplateError as err:
        problems = err.messages
    for message in problems:
        print(message)
    if problems:
        print(_("{f}: {n} fel.").format(f=path.name, n=len(problems)), file=sys.stderr)
        return 1
    print(
        _("{f}: mallen «{n}» är giltig ({k}, {s} avsnitt).").format(
            f=path.name, n=loaded.name, k=loaded.kind, s=len(loaded.sections)
        )
    )
    return 0


def _batches(args: argparse.Namespace) -> int:
    with _read(args.db) as store:
        for b in store.batches():
            undone = _(" (ångrad {t})").format(t=b["undone_at"][:16]) if b["undone_at"] else ""
            print(
                f"{b['id']:>4}  {b['imported_at'][:16].replace('T', ' ')}  {b['imported_by']:<12} "
                f"{b['file_name']}  {b['rows']} {_('rader')}"
                + (f"  [{b['profile']}]" if b["profile"] else "")
                + f"  sha256 {b['sha256'][:12]}{undone}"
            )
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from socdesk.store.schema import SCHEMA_VERSION

    with _write(args) as safe:
        notes = safe.notes
    if notes:
        print(_("Databasen {p} är uppgraderad till schema {s}.").format(p=args.db, s=SCHEMA_VERSION))
        for note in notes:
            print("  " + note)
    else:
        print(_("Databasen {p} har redan schema {s}; inget att göra.").format(p=args.db, s=SCHEMA_VERSION))
    return 0


def _undo_import(args: argparse.Namespace) -> int:
    with _write(args) as safe, safe.backup_for("ångra-import"):
        n = safe.store.undo_batch(args.batch)
    print(_("Import {b} ångrad: {n} uppgifter återställda.").format(b=args.batch, n=n))
    return 0


def _export(args: argparse.Namespace) -> int:
    from socdesk.core.periods import parse_period
    from socdesk.files import refuse_database
    from socdesk.io.longcsv import export_rows, iter_export_rows, write_export_csv

    refuse_database(args.output, args.db)  # first: the one message that says what that file is
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SocdeskError(
            _("{f}: okänd filtyp ”{s}”; exporten skrivs som .csv eller .xlsx, välj ett av de namnen.").format(
                f=args.output, s=Path(args.output).suffix or _("inget filnamnstillägg")
            )
        )
    if not Path(args.output).parent.is_dir():
        raise SocdeskError(
            _("{f} kunde inte sparas: mappen {d} finns inte. Skapa den eller välj en annan mapp.").format(
                f=args.output, d=Path(args.output).parent
            )
        )
    if suffix == ".xlsx" and args.encoding != "utf-8":
        raise SocdeskError(_("--encoding gäller bara CSV; en .xlsx-fil har ingen teckenkodning att välja."))
    with _read(args.db) as store:
        tree = store.unit_tree()
        units = None
        if args.unit:
            if args.unit not in tree:
                raise SocdeskError(_("Enheten {u} finns inte.").format(u=args.unit))
            units = [args.unit, *(u.code for u in tree.descendants(args.unit))]
        period = parse_period(args.period) if args.period else None
        if suffix == ".xlsx":
            from socdesk.io.xlsx import export_long_xlsx

            export_long_xlsx(store, args.output, export_rows(store, units, period=period))
            return 0
        # streamed from the database to the file: memory does not grow with the facts
        write_export_csv(args.output, lambda: iter_export_rows(store, units, period=period), args.encoding)
    return 0


def _check(args: argparse.Namespace) -> int:
    """The checks of the figures, and the audit's hash chain; exit 1 when the chain is broken."""
    anchor = _anchor(args.anchor) if args.anchor else None
    with _read(args.db) as store:
        findings = _numbered_findings(store)  # every fact; only those a rule can find anything in are read
        audit = store.verify_audit()
        breaks = list(audit.breaks) if audit else []
        if anchor is not None:
            mismatch = store.anchor_break(*anchor)
            if mismatch is not None:
                breaks.append(mismatch)
    if args.json:
        out = [b.as_json() for b in breaks] + [f.as_json() for f in findings]
        print(exact_json.dumps(out))
    else:
        for b in breaks:
            print(f"[{b.severity}] {b.rule}: {b.message}")
        for f in findings:
            print(f"[{f.severity}] {f.rule}: {f.message}")
        print(_chain_summary(audit, breaks))
        print(_("{n} fynd.").format(n=len(findings) + len(breaks) + (audit.more if audit else 0)))
    return 1 if breaks else 0


def _anchor(text: str) -> tuple[int, str]:
    number, _sep, digest = text.replace(" ", "").partition(":")
    digest = digest.lower()
    if not number.isdigit() or len(digest) < 8 or any(ch not in "0123456789abcdef" for ch in digest):
        raise SocdeskError(
            _(
                "--anchor ska vara ändringens nummer och kedjan som rapporten visar, t.ex. "
                "2878:d1061ef90d329e19 (inte {t})."
            ).format(t=text)
        )
    return int(number), digest


def _chain_summary(audit, breaks: list) -> str:
    from socdesk.store.chain import short

    if audit is None:
        return _(
            "Ändringsloggen har ingen kedja ännu (äldre databas); den förseglas när databasen "
            "öppnas för ändringar."
        )
    if breaks:
        return _("Ändringsloggen: {r} ändringar, kedjan är BRUTEN – första brottet vid ändring {i}.").format(
            r=audit.rows, i=breaks[0].audit_id
        )
    if audit.head is None:
        return _("Ändringsloggen är tom.")
    return _("Ändringsloggen: {r} ändringar, kedjan är hel; senaste ändring {i}, kedja {h}.").format(
        r=audit.rows, i=audit.head[0], h=short(audit.head[1])
    )


def _organisation(store: Store, choice: str, period: Period):
    """The unit tree a report uses: as it is now ("nu"), or as it was in the first month of the
    report's year, where its year-to-date figures start ("då": units moved or merged later
    under the parents they had then; docs/units.md)."""
    return store.unit_tree(as_of=f"{period.end.year:04d}-01" if choice == "då" else None)


def _deviations(args: argparse.Namespace) -> int:
    from socdesk.reports.economy import deviations

    period = parse_period(args.period)
    if period.kind != "month":
        raise SocdeskError(_("--period ska vara en månad, t.ex. 2024-05 (inte {p}).").format(p=args.period))
    with _read(args.db) as store:
        tree = _organisation(store, args.organisation, period)
        if args.unit is not None and args.unit not in tree:
            raise SocdeskError(_("Enheten {u} finns inte.").format(u=args.unit))
        rows = deviations(store, period.end, args.unit, flagged_only=args.flagged, tree=tree)
    ytd = str(Period.year_to_date(period.end.year, period.end.month))
    if args.json:
        out = [
            {
                "unit": r.unit.code,
                "name": r.unit.name,
                "period": ytd,
                "actual": r.actual,  # exact amounts, kr (core.exact_json writes the Decimal)
                "budget": r.budget,
                "variance": r.variance,
                "variance_pct": None if r.variance_pct is None else round_half_up(r.variance_pct, 2),
                "variance_pct_note": r.variance_pct_note,
                "budget_reconstructed": r.budget_reconstructed,
                "annual_budget": r.annual_budget,
                "forecast": r.forecast,
                "forecast_variance": r.forecast_variance,
                "level": r.flag.level.key,
                "reasons": list(r.flag.reasons),
                "comment": r.comment,
                # Utfall resting on units that have not all reported for the month (else null).
                "partial": None
                if not r.partial
                else {
                    "month": str(r.coverage.month),  # type: ignore[union-attr]
                    "reporting": r.coverage.reporting,  # type: ignore[union-attr]
                    "expected": r.coverage.expected,  # type: ignore[union-attr]
                    "text": r.coverage.text,  # type: ignore[union-attr]
                },
                # Stated figures that differ from the sum of their children (socdesk check).
                "mismatches": [{"field": c, "message": f.message} for c, f in r.mismatches],
            }
            for r in rows
        ]
        print(exact_json.dumps(out))
        return 0
    label = Period.year_to_date(period.end.year, period.end.month).label()
    print(_("Avvikelser {p} (tkr, + = bättre än budget)").format(p=label))
    for r in rows:

        def tkr(v: Decimal | None) -> str:
            return "–" if v is None else format_number(v, 0, Scale.TKR)

        print(
            f"{r.flag.level.symbol} {r.unit.label[:40]:<40} {tkr(r.actual):>10} {tkr(r.budget):>10} "
            f"{tkr(r.variance):>9}"
        )
        for reason in r.flag.reasons:
            print(f"    {reason}")
    return 0


_COMMANDS = {
    "demo": _demo,
    "import": _import,
    "batches": _batches,
    "report": _report,
    "template": _template,
    "undo-import": _undo_import,
    "export": _export,
    "check": _check,
    "deviations": _deviations,
    "lock": _lock,
    "reopen": _lock,
    "history": _history,
    "budget": lambda args: _budget(args),
    "unit": _unit,
    "upgrade": _upgrade,
    "ack": _ack,
    "finals": _finals,
}
