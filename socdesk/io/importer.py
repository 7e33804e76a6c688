"""One import, in steps the wizard and ``socdesk import`` share:

``read_source`` (file → figures, every row checked; nothing written) → ``unknown_units`` (codes
the database lacks: map each to a unit, or create it under a parent; the choice is remembered)
→ ``plan`` (what would change: the same file imported before? figures that would be replaced?)
→ ``execute`` (one transaction, one import batch; all or nothing). A batch is undone as a whole
with ``Store.undo_batch``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from socdesk.core.errors import ParseError, SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _, n_
from socdesk.core.measures import Measure
from socdesk.core.numbers import format_kr
from socdesk.core.periods import Period, parse_period
from socdesk.core.units import Unit, UnitTree, month_label
from socdesk.core.values import Value, format_stated, from_store_int
from socdesk.files import reading_reason
from socdesk.io import declarations, kolada, layout, scb
from socdesk.io.cells import csv_text
from socdesk.io.longcsv import ImportFileError, facts_of_rows, parse_long_csv, parse_long_rows
from socdesk.io.longfast import fast_long_rows
from socdesk.io.numfmt import percent_refusal
from socdesk.io.sheets import Percent, Sheet, SheetError, read_sheets, shown_sheets, workbook_kind
from socdesk.io.sie import parse_sie
from socdesk.io.tables import (
    Layout,
    LedgerResult,
    Profile,
    Record,
    TableError,
    aggregate_ledger,
    fast_ledger_csv,
    ledger_frame,
    wide_records,
)
from socdesk.io.text import FileFormatError, decode, read_file, sniff_separator
from socdesk.store.db import PeriodLockedError, Store, SumOverflowError, is_database_file, is_interrupted
from socdesk.store.errors import UnitClosedError
from socdesk.store.facts import fact_row
from socdesk.store.measures import declare

UNIT_MAP_KEY = "unit_map"
PROFILE_PREFIX = "import_profile:"
Check = Callable[[], None]


class Kind(StrEnum):
    LONG = "lång csv"
    TABLE = "tabell"
    SIE = "sie"
    KOLADA = "kolada"
    SCB = "scb"


class AlreadyImportedError(SocdeskError):
    """The same bytes were imported before (batch still standing): replace or cancel."""

    def __init__(self, batch: dict) -> None:
        self.batch = batch
        super().__init__(
            _(
                "{f} lästes redan in {t} av {w} (import {i}). Välj Ersätt för att ta bort den "
                "importen och läsa in filen igen, annars Avbryt; inget dubbleras."
            ).format(
                f=batch["file_name"],
                t=batch["imported_at"][:16].replace("T", " "),
                w=batch["imported_by"],
                i=batch["id"],
            )
        )


class OverlapError(SocdeskError):
    """The file would replace figures already in the database: replace or cancel."""

    def __init__(self, count: int, example: str) -> None:
        self.count = count
        super().__init__(
            _(
                "Filen skulle ersätta {n} uppgifter som redan finns med andra värden (t.ex. {e}). "
                "Välj Ersätt om filen ska gälla, annars Avbryt."
            ).format(n=count, e=example)
        )


@dataclass
class Source:
    """A file read and checked, not yet mapped to the database's units."""

    file_name: str
    sha256: str
    kind: Kind
    profile: Profile | None
    records: list[Record] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    left_out: int = 0  # rows the konto rules leave out (balance accounts …)
    fact_rows: list[tuple] = field(default_factory=list)  # long CSV: the facts as stated (FACT_ROW)
    lines: list[int] = field(default_factory=list)
    new_units: list[Unit] = field(default_factory=list)  # long CSV: units the file defines
    measures: list[Measure] = field(default_factory=list)  # measures the file brings (declared, Kolada)
    notes: list[str] = field(default_factory=list)
    declared_in: str = ""  # the file (or sheet) that declares measures
    declared: list[declarations.Declared] = field(default_factory=list)  # a workbook's sheet Mått

    @property
    def facts(self) -> list[Fact]:
        """The long CSV's facts as ``Fact``s (the file's own check, ``findings_in_file``)."""
        return facts_of_rows(self.fact_rows)


@dataclass
class Plan:
    """What an import writes: its figures as logical rows (``FACT_ROW``), each with where it
    comes from (``place``)."""

    source: Source
    rows: list[tuple]
    where: list[str]  # where each row comes from; for a long CSV, from the source's lines
    new_units: list[Unit]
    same_file: dict | None
    overlaps: int
    overlap_example: str
    parent_of: dict[str, str | None] = field(default_factory=dict)
    new_measures: list[Measure] = field(default_factory=list)  # declared, not in the database
    changed_measures: list[Measure] = field(default_factory=list)  # a new name, formula …
    new_figures: int = 0  # figures not in the database before
    skipped: tuple[str, ...] = ()  # unit codes whose rows the user left out

    @cached_property
    def facts(self) -> list[Fact]:
        return facts_of_rows(self.rows)

    def place(self, i: int) -> str:
        """Where the ``i``th row comes from (file, row, column)."""
        if self.where:
            return self.where[i]
        return _("{f}, rad {r}, kolumn period").format(f=self.source.file_name, r=self.source.lines[i])

    def summary(self, counts: tuple[int, int] | None = None) -> Summary:
        """Counts, and the netto per scenario and period of the file's top units (those whose
        parent is not in the file), so nothing is counted twice."""
        units = {r[0] for r in self.rows}
        parents = {u.code: u.parent for u in self.new_units}
        parents.update({u: self.parent_of.get(u) for u in units if u not in parents})
        top = {u for u in units if parents.get(u) not in units}
        sums: dict[tuple[str, str], int] = {}
        for r in self.rows:  # unit, measure, scenario, version, period, start, end, kön, grupp, value
            if r[10] == "value" and r[1] == "netto" and not r[7] and not r[8] and r[0] in top:
                sums[(r[2], r[4])] = sums.get((r[2], r[4]), 0) + r[9]
        totals = {(Scenario(s), parse_period(p)): from_store_int(v) for (s, p), v in sums.items()}
        starts, ends = {r[5] for r in self.rows}, {r[6] for r in self.rows}
        return Summary(
            self.source.file_name,
            self.source.rows,
            len(self.rows),
            len(units),
            parse_period(f"{min(starts)}/{max(ends)}") if self.rows else None,
            totals,
            len(self.new_units),
            self.source.left_out,
            tuple(self.new_measures),
            tuple(self.changed_measures),
            *(counts or (self.new_figures, self.overlaps)),
            notes=tuple(self.source.notes) + self._skipped_note(),
        )

    def _skipped_note(self) -> tuple[str, ...]:
        if not self.skipped:
            return ()
        return (
            n_(
                "Raderna med den överhoppade enhetskoden {c} ingår inte.",
                "Raderna med de överhoppade enhetskoderna {c} ingår inte.",
                len(self.skipped),
            ).format(c=", ".join(self.skipped)),
        )


@dataclass(frozen=True)
class Summary:
    file_name: str
    rows: int
    figures: int
    units: int
    period: Period | None
    totals: dict[tuple[Scenario, Period], Decimal]  # netto of the top units
    new_units: int
    left_out: int
    new_measures: tuple[Measure, ...] = ()
    changed_measures: tuple[Measure, ...] = ()
    new_figures: int = 0
    changed_figures: int = 0
    notes: tuple[str, ...] = ()  # what the reader did beyond reading (Source.notes)

    @property
    def unchanged_figures(self) -> int:
        return self.figures - self.new_figures - self.changed_figures

    def counts(self) -> str:
        """``5 nya, 0 ändrade, 0 oförändrade``: the file's figures against the database."""
        n, c, u = self.new_figures, self.changed_figures, self.unchanged_figures
        return _("{n} {nya}, {c} {ändrade}, {u} {oförändrade}").format(
            n=n,
            nya=n_("ny", "nya", n),
            c=c,
            ändrade=n_("ändrad", "ändrade", c),
            u=u,
            oförändrade=n_("oförändrad", "oförändrade", u),
        )

    def lines(self, *, done: bool = False) -> list[str]:
        """The summary, as a preview (``done`` false: what the import does) or after it."""
        out = [
            _("{f}: {r} {rader} gav {n} {uppgifter} för {u} {enheter}{p}.").format(
                f=self.file_name,
                r=self.rows,
                rader=n_("rad", "rader", self.rows),
                n=self.figures,
                uppgifter=n_("uppgift", "uppgifter", self.figures),
                u=self.units,
                enheter=n_("enhet", "enheter", self.units),
                p=(", " + self.period.label()) if self.period else "",
            ),
            _("Uppgifter: {c}.").format(c=self.counts()),
        ]
        shown = sorted(self.totals.items(), key=lambda kv: (kv[0][0].value, kv[0][1]))
        for (scenario, period), total in shown[:8]:
            out.append(
                _("Nettokostnad, {s} {p}: {t}").format(
                    s=scenario.label.lower(), p=period.label(), t=format_kr(total)
                )
            )
        if len(shown) > 8:
            out.append(_("… och {n} summor till.").format(n=len(shown) - 8))
        if self.new_units:
            n = self.new_units
            out.append(
                (
                    n_("{n} ny enhet skapades.", "{n} nya enheter skapades.", n)
                    if done
                    else n_("{n} ny enhet skapas.", "{n} nya enheter skapas.", n)
                ).format(n=n)
            )
        if self.left_out:
            n = self.left_out
            out.append(
                (
                    n_(
                        "{n} rad med konto utanför kontoreglerna togs inte med.",
                        "{n} rader med konton utanför kontoreglerna togs inte med.",
                        n,
                    )
                    if done
                    else n_(
                        "{n} rad med konto utanför kontoreglerna tas inte med.",
                        "{n} rader med konton utanför kontoreglerna tas inte med.",
                        n,
                    )
                ).format(n=n)
            )
        for label, shown in ((_("Nya mått"), self.new_measures), (_("Ändrade mått"), self.changed_measures)):
            if shown:
                listed = "; ".join(f"{m.key} ({m.name}, {m.unit})" for m in shown)
                out.append(_("{l}: {m}.").format(l=label, m=listed))
        return out + list(self.notes)


@dataclass(frozen=True)
class Result:
    batch_id: int
    changed: int
    summary: Summary


# --- profiles and remembered unit mappings ---------------------------------------------------
def profiles(store: Store) -> dict[str, Profile]:
    return {name: Profile.from_json(v) for name, v in store.settings_starting(PROFILE_PREFIX).items()}


def save_profile(store: Store, profile: Profile) -> None:
    if not profile.name.strip():
        raise SocdeskError(_("Ge profilen ett namn."))
    store.set_setting(PROFILE_PREFIX + profile.name.strip(), profile.to_json())


def profile(store: Store, name: str) -> Profile:
    found = profiles(store).get(name)
    if found is None:
        known = ", ".join(sorted(profiles(store))) or _("inga")
        raise SocdeskError(_("Importprofilen ”{p}” finns inte (sparade: {k}).").format(p=name, k=known))
    return found


def unit_map(store: Store) -> dict[str, str]:
    return json.loads(store.setting(UNIT_MAP_KEY) or "{}")


def remember_units(store: Store, mapping: dict[str, str]) -> None:
    saved = unit_map(store)
    saved.update(mapping)
    store.set_setting(UNIT_MAP_KEY, json.dumps(saved, ensure_ascii=False, sort_keys=True))


# --- reading --------------------------------------------------------------------------------
def kind_of(data: bytes, file_name: str) -> Kind:
    name = file_name.lower()
    if name.endswith((".se", ".si", ".sie")) or data.lstrip()[:8].upper().startswith(b"#FLAGGA"):
        return Kind.SIE
    if name.endswith(".json") or kolada.looks_like_kolada(data):
        return Kind.KOLADA
    if data[:4] != b"PK\x03\x04" and scb.looks_like_scb(data):
        return Kind.SCB
    return Kind.TABLE


def declarations_beside(path: Path) -> tuple[str, bytes] | None:
    """The ``mått.csv`` (or ``matt.csv``) beside a file to import, read once: (name, bytes)."""
    found = declarations.beside(path)
    if found is None:
        return None
    try:
        return found.name, read_file(found)
    except OSError as err:
        message = _("{f}: filen kan inte läsas ({e}).").format(f=found.name, e=reading_reason(err))
        raise TableError([message]) from err


def read_source(
    data: bytes,
    file_name: str,
    store: Store,
    chosen: Profile | None = None,
    *,
    check: Check | None = None,
    declared: tuple[str, bytes] | None = None,
    include_hidden: bool = False,
) -> Source:
    """Read and check a whole file; raise with every problem found (file, row, column).
    ``declared``: the measures file beside it (``declarations_beside``), name and bytes.
    ``include_hidden``: read a workbook's hidden sheets, rows and columns (as
    ``Profile.include_hidden``; the CLI's --include-hidden without a profile)."""
    found = declarations.read_declarations(declared[1], declared[0]) if declared else []
    declarations.check_declared(found, store.measures())  # before any figure is read by them
    hidden = include_hidden or bool(chosen and chosen.include_hidden)
    source = _read_source(data, file_name, store, chosen, check, found, hidden)
    if found:
        source.measures = [d.measure for d in found] + source.measures
        source.declared_in = ", ".join(filter(None, [declared[0] if declared else "", source.declared_in]))
    return source


def _read_source(
    data: bytes,
    file_name: str,
    store: Store,
    chosen: Profile | None,
    check: Check | None,
    found: list[declarations.Declared],
    include_hidden: bool = False,
) -> Source:
    sha = hashlib.sha256(data).hexdigest()
    kind = kind_of(data, file_name)
    if kind is Kind.SIE:
        chosen = chosen or Profile()
        sie = parse_sie(
            data,
            file_name,
            dimension=chosen.dimension,
            konto_rules=chosen.konto_rules,
            as_unit=chosen.as_unit,
        )
        source = Source(file_name, sha, kind, chosen, sie.records, sie.names, len(sie.records), sie.left_out)
        source.notes += sie.notes
        return source
    if kind is Kind.KOLADA:
        read = kolada.read_kolada_json(data, file_name)
        return _kolada_source(file_name, sha, read.records, kolada.pages_note([(file_name, read.page)]))
    if kind is Kind.SCB:
        return _scb_source(data, file_name, sha, store)
    head = _csv_head(data, file_name, chosen)
    if head is not None:  # a CSV: the ledger's and the long layout's fast paths
        fast = _fast_ledger(head, file_name, sha, chosen, check)
        if fast is None:
            fast = _fast_long(head, file_name, sha, chosen, store, found, check)
        if fast is not None:
            return fast
    sheets = read_sheets(data, file_name)
    sheets, shown_notes = shown_sheets(sheets, include_hidden)  # hidden cells left out, and said
    if [h.strip().lower() for h in sheets[0].header] == kolada.KOLADA_CSV_HEADER:
        return _kolada_source(file_name, sha, kolada.parse_kolada_csv(sheets[0]))
    source = Source(file_name, sha, Kind.TABLE, chosen, notes=shown_notes)
    if len(sheets) == 1 and not sheets[0].name and declarations.looks_like_declarations(sheets[0].header):
        sheets = [Sheet(file_name, declarations.SHEET_NAMES[0], sheets[0].header, sheets[0].rows)]
    sheet_of_measures = [s for s in sheets if declarations.is_declaration_sheet(s)]
    for sheet in sheet_of_measures:  # a workbook's sheet Mått (or a measures file imported itself)
        source.declared += declarations.declarations(sheet)
        source.measures += [d.measure for d in source.declared]
        source.declared_in = sheet.where(1).rsplit(",", 1)[0]
    sheets = [s for s in sheets if s not in sheet_of_measures]
    if source.declared:
        declarations.check_declared(found + source.declared, store.measures())
    declared_now = {d.measure.key: d.measure for d in found + source.declared}
    sheets, skipped = layout.shaped_sheets(sheets, chosen)  # chosen sheets, their header rows
    source.notes += skipped
    for sheet in sheets:
        p = layout.profile_for(sheet, chosen)
        if note := layout.scale_note(sheet, p, chosen):
            source.notes.append(note)
        sheet = layout.drop_totals(sheet, p, source.notes)  # total rows: a check, never a unit
        if check:
            check()
        with layout.header_hint(sheet, chosen):
            _read_sheet(sheet, data, len(sheets), store, p, source, declared_now, check)
        source.kind = Kind.LONG if p.layout is Layout.LONG else Kind.TABLE
    return source


def _read_sheet(
    sheet: Sheet,
    data: bytes,
    count: int,
    store: Store,
    p: Profile,
    source: Source,
    declared_now: dict[str, Measure],
    check: Check | None,
) -> None:
    """One sheet's figures into ``source``, by its layout."""
    if p.layout is Layout.LONG:
        plain = count == 1 and not sheet.name and sheet.header_row == 1  # a CSV file, read once
        _read_long(sheet, plain, store, p, source, declared_now)
    elif p.layout is Layout.WIDE:
        records = wide_records(sheet, p)
        source.records += _with_netto(records)
        source.rows += len(sheet.rows)
        source.names.update({r.unit: r.unit_name for r in records if r.unit_name})
    else:
        frame, headers = ledger_frame(sheet, p)
        result = aggregate_ledger(
            frame, headers, p, lambda line, col, s=sheet: s.where(line, col or None), check
        )
        _add_ledger(source, result, p)


def _add_ledger(source: Source, result: LedgerResult, p: Profile) -> None:
    """Sums per unit, measure and month become records, in kronor from the profile's scale (a
    ledger in tkr: each sum × 1 000, exactly); kostnader and intäkter also make netto."""
    records, errors = [], []
    for (unit, measure, month), e4 in sorted(result.sums.items()):
        where = result.first_row[(unit, measure, month)]
        try:
            value = Value.of(Decimal(e4) / 10_000 * p.scale.factor)
        except ParseError as err:
            errors.append(
                _("{w}: summan för {u} {m} {p} (från den raden och framåt): {e}").format(
                    w=where, u=unit, m=measure, p=month, e=err
                )
            )
            continue
        records.append(
            Record(unit, measure, p.scenario, parse_period(month), value, where, version=p.version)
        )
    if errors:
        raise TableError(errors)
    source.records += _with_netto(records)
    source.names.update(result.names)
    source.rows += result.rows
    source.left_out += result.left_out


def _with_netto(records) -> list[Record]:
    """Kostnader and intäkter by konto also make netto (kostnader + intäkter, summed in ``plan``)."""
    out: list[Record] = []
    for r in records:
        out.append(r)
        if r.measure in ("kostnader", "intakter"):
            out.append(dataclasses.replace(r, measure="netto"))
    return out


@dataclass(frozen=True)
class _Head:
    """A CSV file decoded once, its separator and header, and the profile its header gives."""

    text: str
    separator: str
    header: list[str]
    profile: Profile
    scale_note: str | None  # what the summary says of the scale the header states


def _csv_head(data: bytes, file_name: str, chosen: Profile | None) -> _Head | None:
    """A CSV file (not a workbook, not a file of measures) decoded for the fast paths; None
    for anything else, or a file ``read_sheets`` should refuse (it says what is wrong)."""
    if workbook_kind(data, file_name):
        return None
    try:
        text = decode(data, file_name)
    except FileFormatError:
        return None
    first_line = text.split("\n", 1)[0].rstrip("\r")
    separator = sniff_separator(first_line)
    header = [h.strip() for h in first_line.split(separator)]
    if declarations.looks_like_declarations(header):
        return None  # a file of measures
    if [h.lower() for h in header] == kolada.KOLADA_CSV_HEADER:
        return None
    sheet = Sheet(file_name, "", header, [])
    p = layout.profile_for(sheet, chosen)
    return None if p.header_rows else _Head(text, separator, header, p, layout.scale_note(sheet, p, chosen))


def _fast_long(
    head: _Head,
    file_name: str,
    sha: str,
    chosen: Profile | None,
    store: Store,
    found: list[declarations.Declared],
    check: Check | None,
) -> Source | None:
    """A long CSV through its fast path (``longfast``); None for anything it declines."""
    if head.profile.layout is not Layout.LONG:
        return None
    if check:
        check()
    measures = {**store.measures(), **{d.measure.key: d.measure for d in found}}
    parsed = fast_long_rows(
        head.text,
        head.separator,
        file_name,
        sha,
        store.unit_tree(),
        measures,
        costs_negative=head.profile.negate,
    )
    if parsed is None:
        return None
    source = Source(file_name, sha, Kind.LONG, chosen)
    if head.scale_note:
        source.notes.append(head.scale_note)
    source.fact_rows, source.lines = parsed.fact_rows, parsed.lines
    source.new_units, source.rows = parsed.new_units, parsed.rows
    return source


def _fast_ledger(
    head: _Head, file_name: str, sha: str, chosen: Profile | None, check: Check | None
) -> Source | None:
    """A ledger CSV (by its header, or the chosen profile) through the fast path; None otherwise."""
    p = head.profile
    if p.layout is not Layout.LEDGER:
        return None
    result = fast_ledger_csv(head.text, head.separator, head.header, p, file_name, check)
    if result is None:
        return None
    source = Source(file_name, sha, Kind.TABLE, chosen)
    if head.scale_note:
        source.notes.append(head.scale_note)
    _add_ledger(source, result, p)
    return source


def read_pages(files: list[tuple[bytes, str]]) -> Source:
    """Several page files of one paginated Kolada response (data, name), read as one import:
    one batch, undone as a whole (``kolada.combine_pages`` checks that they belong together)."""
    read = [(name, kolada.read_kolada_json(data, name)) for data, name in files]
    records, notes = kolada.combine_pages(read)
    sha = hashlib.sha256("".join(hashlib.sha256(d).hexdigest() for d, _n in files).encode()).hexdigest()
    return _kolada_source(" + ".join(name for _d, name in files), sha, records, notes)


def page_groups(paths: list[str], database: Path) -> list[list[str]]:
    """The files of ``socdesk import`` in the order given, the page files of one paginated
    Kolada response together (one import each group); every other file alone. The open
    ``database`` is never read (``refuse_reading_database``)."""
    groups: list[list[str]] = []
    queries: dict[str, list[str]] = {}
    for name in paths:
        page = None
        if name.lower().endswith(".json") and len(paths) > 1:
            try:
                refuse_reading_database(Path(name), database)
                page = kolada.read_kolada_json(read_file(name), Path(name).name).page
            except (OSError, SocdeskError):
                page = None  # read again (and refused with its message) when imported
        if page is None:
            groups.append([name])
        elif page.query in queries:
            queries[page.query].append(name)
        else:
            queries[page.query] = [name]
            groups.append(queries[page.query])
    return groups


def _kolada_source(file_name: str, sha: str, records: list[Record], notes: list[str] | None = None) -> Source:
    source = Source(
        file_name, sha, Kind.KOLADA, None, records, {r.unit: r.unit_name for r in records}, len(records)
    )
    source.notes = list(notes or []) + kolada.summary_notes(records)
    source.measures = [
        kolada.kolada_measure(k[len("kolada_") :]) for k in sorted({r.measure for r in records})
    ]
    return source


def _scb_source(data: bytes, file_name: str, sha: str, store: Store) -> Source:
    """Folkmängd from SCB: the population measure per region and year (``socdesk.io.scb``)."""
    try:
        text = decode(data, file_name)
    except FileFormatError as err:
        raise TableError([str(err)]) from err
    at = scb.header_line(text)
    if at is None:  # the sniffed head decoded otherwise
        raise TableError([_("{f}: ingen tabell över folkmängd från SCB.").format(f=file_name)])
    records = scb.parse_scb_csv(text, file_name, at)
    computed = sum(scb.TOTAL_NOTE in r.where for r in records)
    source = Source(
        file_name,
        sha,
        Kind.SCB,
        None,
        records,
        {r.unit: r.unit_name for r in records},
        len(records) - computed,
    )
    if computed:
        source.notes.append(
            _(
                "Folkmängden totalt beräknades som kvinnor + män ({n} uppgifter; tabellen anger bara kön)."
            ).format(n=computed)
        )
    if scb.MEASURE not in store.measures():
        source.measures = [scb.population_measure()]
    return source


def _read_long(
    sheet: Sheet, plain: bool, store: Store, p: Profile, source: Source, declared: dict[str, Measure]
) -> None:
    """The long layout: the long CSV's own check, fed the CSV file's rows as ``read_sheets``
    read them (``plain``: the bytes are decoded and parsed once), or a workbook sheet as CSV
    text (its cells written as the CSV would have them, at the same row numbers)."""
    measures = {**store.measures(), **declared}  # a declared measure is known to its file
    tree = store.unit_tree()
    try:
        if plain:
            parsed = parse_long_rows(
                sheet.header,
                sheet.rows,
                sheet.file_name,
                source.sha256,
                tree,
                measures,
                costs_negative=p.negate,
            )
        else:
            parsed = parse_long_csv(
                _sheet_as_csv(sheet),
                sheet.file_name,
                tree,
                measures,
                costs_negative=p.negate,
                sheet=sheet.name,
            )
    except ImportFileError as err:
        raise TableError(err.errors) from err
    source.fact_rows += parsed.fact_rows
    source.lines += parsed.lines
    source.new_units += parsed.new_units
    source.rows += parsed.rows


def _sheet_as_csv(sheet: Sheet) -> bytes:
    """A workbook sheet as the long CSV it stands for: the same rows at the same row numbers."""
    lines = [""] * (max((line for line, _c in sheet.rows), default=1))
    lines[0] = ";".join(sheet.header)
    for line, cells in sheet.rows:
        lines[line - 1] = ";".join(_csv_cell(c) for c in cells)
    return "\n".join(lines).encode("utf-8")


def _csv_cell(cell: object) -> str:
    if isinstance(cell, Decimal):
        text = f"{cell:f}".replace(".", ",")
        return text + " %" if isinstance(cell, Percent) else text  # the percentage shown
    text = csv_text(str(cell))  # the CSV parser undoes it: a sheet's text arrives as it is
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ';"\n') else text


# --- units ----------------------------------------------------------------------------------
def code_and_name(cell: str, tree: UnitTree) -> str | None:
    """A unit cell that holds a known unit's code and then its name ("7500 Ledning IFO", as many
    ledgers print Ansvar): that unit's code; None for anything else."""
    code, _sep, name = cell.strip().partition(" ")
    unit = tree.get(code)
    if unit is None or not name.strip():
        return None
    same = " ".join(name.split()).casefold() == " ".join(unit.name.split()).casefold()
    return code if same else None


def unknown_units(source: Source, tree: UnitTree, mapping: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Codes the database does not know and no remembered mapping covers: code → (name, where).
    A cell with a known unit's code and name is that unit, not an unknown one."""
    out: dict[str, tuple[str, str]] = {}
    for r in source.records:
        known = r.unit in tree or r.unit in mapping or r.unit in out
        if not known and code_and_name(r.unit, tree) is None:
            out[r.unit] = (source.names.get(r.unit, r.unit_name), r.where)
    return out


def _read_code_and_name(source: Source, tree: UnitTree, mapping: dict[str, str]) -> None:
    """Map cells holding a unit's code and name to that unit, and say so in the summary."""
    seen: dict[str, str] = {}
    for r in source.records:
        if r.unit not in tree and r.unit not in mapping and r.unit not in seen:
            code = code_and_name(r.unit, tree)
            if code is not None:
                seen[r.unit] = code
    mapping.update(seen)
    if seen:
        shown = ", ".join(f"”{cell}” → {code}" for cell, code in list(seen.items())[:5])
        more = _(" och {n} till").format(n=len(seen) - 5) if len(seen) > 5 else ""
        source.notes.append(
            _("Enhetscellerna har både kod och namn; lästa som enhetens kod: {s}{m}.").format(s=shown, m=more)
        )


# --- planning and writing ---------------------------------------------------------------------
def plan(
    store: Store,
    source: Source,
    *,
    mapping: dict[str, str] | None = None,
    create: dict[str, str | None] | None = None,
    skip: set[str] | None = None,
) -> Plan:
    """Map the file's units (``mapping``: code → existing unit; ``create``: code → parent of a
    new unit; ``skip``: codes whose rows are left out), sum what lands on one cell, and see what
    the import would replace."""
    tree = store.unit_tree()
    mapping = {**unit_map(store), **(mapping or {})}
    create = create or {}
    skip = skip or set()
    skipped: dict[str, None] = {}  # the skipped codes the file has, in its order
    if source.kind is Kind.LONG:
        rows = source.fact_rows
        where: list[str] = []  # Plan.place: from the source's lines
        new_units = list(source.new_units)
    else:
        new_units = []
        if source.kind is Kind.KOLADA and kolada.ROOT not in tree:
            new_units.append(Unit(kolada.ROOT, kolada.ROOT_NAME, None))
        _read_code_and_name(source, tree, mapping)
        missing = unknown_units(source, tree, {**mapping, **{c: c for c in create}, **{c: c for c in skip}})
        if source.kind is Kind.KOLADA:
            for code, (name, _w) in missing.items():
                create.setdefault(code, kolada.ROOT)
                source.names.setdefault(code, name)
            missing = {}
        if missing:
            shown = "; ".join(f"{c} ({w})" for c, (_n, w) in list(missing.items())[:10])
            raise TableError(
                [
                    n_(
                        "{n} enhetskod finns inte i databasen: {c}. Koppla den till en befintlig enhet eller "
                        "skapa den (i guiden eller med --create-under KOD), eller ange en sparad koppling.",
                        "{n} enhetskoder finns inte i databasen: {c}. Koppla dem till befintliga enheter "
                        "eller skapa dem (i guiden eller med --create-under KOD), "
                        "eller ange en sparad koppling.",
                        len(missing),
                    ).format(n=len(missing), c=shown)
                ]
            )
        for code, parent in create.items():
            if code not in tree and all(u.code != code for u in new_units):
                new_units.append(Unit(code, source.names.get(code) or code, parent))
        sums: dict[FactKey, Value] = {}
        first: dict[FactKey, str] = {}
        comments: dict[FactKey, str] = {}
        measures = {**store.measures(), **{m.key: m for m in source.measures}}
        for r in source.records:
            if r.unit in skip:
                skipped[r.unit] = None
                continue
            unit = mapping.get(r.unit, r.unit) if r.unit not in create else r.unit
            key = FactKey(unit, r.measure, r.scenario, r.period, r.version, r.gender, r.group)
            m = measures.get(r.measure)
            if r.percent and (m is None or m.unit != "%"):
                refusal = percent_refusal(format_stated(r.value, "%"), r.measure, m.unit if m else "?")
                raise TableError([f"{r.where}: {refusal}"])
            if key in sums:
                if not (m and m.additive_units and sums[key].is_number and r.value.is_number):
                    raise TableError(
                        [
                            _("{w}: samma uppgift som {f} (två koder kopplade till samma enhet?).").format(
                                w=r.where, f=first[key]
                            )
                        ]
                    )
                try:
                    sums[key] = Value.of((sums[key].number or 0) + (r.value.number or 0))
                except ParseError as err:
                    raise TableError(
                        [
                            _("{w}: summan med {f} (samma enhet och period): {e}").format(
                                w=r.where, f=first[key], e=err
                            )
                        ]
                    ) from err
            else:
                sums[key], first[key] = r.value, r.where
                if r.comment:
                    comments[key] = r.comment
        source_text = {Kind.KOLADA: kolada.SOURCE, Kind.SCB: scb.SOURCE}.get(source.kind, "")
        facts = [Fact(k, v, comments.get(k, ""), source_text) for k, v in sums.items()]
        rows = [fact_row(f) for f in facts]
        where = [first[k] for k in sums]
    _refuse_unregistered_versions(store, source, rows, where)
    stored = store.measures()
    new_measures = [m for m in source.measures if m.key not in stored]
    changed = [m for m in source.measures if m.key in stored and stored[m.key] != m and source.declared_in]
    if not rows and not new_units and not new_measures and not changed:
        raise TableError([_("{f}: filen innehåller inga uppgifter att läsa in.").format(f=source.file_name)])
    same = store.batch_with_file(source.sha256)
    new_figures, overlaps, example = _compare(store, rows)
    parent_of = {u.code: u.parent for u in tree}
    return Plan(
        source,
        rows,
        where,
        new_units,
        same,
        overlaps,
        example,
        parent_of,
        new_measures,
        changed,
        new_figures,
        tuple(skipped),
    )


def _refuse_unregistered_versions(store: Store, source: Source, rows: list[tuple], where: list[str]) -> None:
    """Budget figures in a version (an ombudgetering) are read in only when that ombudgetering
    is registered for their year: a revision is a complete budget, started as a copy of the one
    in effect (``Store.add_budget_version``), so a file's few revised figures never stand for a
    whole total (the nämnd's budget as one area's figure). Every import path plans here."""
    registered: dict[int, set[str]] = {}
    errors = []
    for i, r in enumerate(rows):  # FACT_ROW: scenario, version, period start at 2, 3, 5
        if r[2] != Scenario.BUDGET.value or not r[3]:
            continue
        year, version = int(r[5][:4]), r[3]
        if year not in registered:
            registered[year] = {v["version"] for v in store.budget_versions(year)}
        if version in registered[year]:
            continue
        w = (
            _("{f}, rad {r}, kolumn version").format(f=source.file_name, r=source.lines[i])
            if source.kind is Kind.LONG
            else where[i]
        )
        errors.append(
            _(
                "{w}: budgetversionen {v} är ingen registrerad ombudgetering för {y}. "
                "Registrera den först i programmet: fliken Registrera, Formulär Budget, Ny ombudgetering … "
                "(en ombudgetering heter efter månaden den gäller från, t.ex. {y}-04; det finns inget "
                "kommando för det). Lämna version tom för den ursprungliga budgeten."
            ).format(w=w, v=version, y=year)
        )
        if len(errors) == 10:
            break
    if errors:
        raise TableError(errors)


def _compare(store: Store, rows: list[tuple]) -> tuple[int, int, str]:
    """The figures the import would add, those it would change (not just add) and an example of
    a change (``Store.compare_rows``: set-based, by the facts' key); the rest it leaves as they
    are."""
    if not rows:
        return 0, 0, ""
    new, changed, first = store.compare_rows(rows)
    example = f"{first[0]} {first[1]} {first[2]} {parse_period(first[3]).label()}" if first else ""
    return new, changed, example


class ImportCancelled(SocdeskError):
    """The user stopped the import; its transaction was rolled back."""


def execute(
    store: Store,
    p: Plan,
    *,
    replace: bool = False,
    profile_name: str = "",
    cancelled: Callable[[], bool] | None = None,
    backup: Callable[[], AbstractContextManager[object]] | None = None,
) -> Result:
    """Write the plan in one transaction as one import batch. Without ``replace`` a file already
    imported, or figures that would be replaced, stop it (nothing written); so do figures in a
    locked period. ``backup`` (``socdesk.store.backup.backup_for``) is entered only once all that
    is checked, around the writing: a refused file takes no backup, and one refused while it is
    written (a sum past 64 bits, the user's stop) leaves none. ``cancelled`` tells whether an
    interrupted statement was the user's stop (``ImportCancelled``)."""
    try:
        return _execute(store, p, replace=replace, profile_name=profile_name, backup=backup)
    except SumOverflowError as err:
        raise TableError([f"{p.source.file_name}: {err}"]) from err
    except Exception as err:  # the store's InterruptedStatement, or a read that was stopped
        if cancelled is not None and cancelled() and is_interrupted(err):
            raise ImportCancelled(_("Inläsningen avbröts; inget sparades.")) from err
        raise


def _locked(p: Plan, err: PeriodLockedError) -> TableError:
    return TableError(
        [
            _("{w}: {u} {p} är låst; filen lästes inte in.").format(
                w=p.place(i), u=unit, p=parse_period(period).label()
            )
            for i, (unit, period) in zip(err.indexes, err.cells, strict=True)
        ]
    )


def _execute(
    store: Store,
    p: Plan,
    *,
    replace: bool,
    profile_name: str,
    backup: Callable[[], AbstractContextManager[object]] | None,
) -> Result:
    if p.same_file and not replace:
        raise AlreadyImportedError(p.same_file)
    if p.overlaps and not replace and not p.same_file:
        raise OverlapError(p.overlaps, p.overlap_example)
    if backup is not None and store.locks():
        try:
            store._refuse_locked(p.facts)  # the store's own rule, asked before the backup
        except PeriodLockedError as err:
            raise _locked(p, err) from err
    try:
        with backup() if backup is not None else nullcontext(), store.transaction():
            counts = None
            if p.same_file and replace:
                store.undo_batch(p.same_file["id"])
                counts = _compare(store, p.rows)[:2]  # against the database without the old import
            if p.new_measures or p.changed_measures:  # audited; first, so the figures may use them
                declare(
                    store,
                    p.new_measures + p.changed_measures,
                    source=_("import {f}").format(f=p.source.declared_in or p.source.file_name),
                    checked=p.source.kind is not Kind.KOLADA,
                )
            store.add_units(p.new_units)
            batch = store.add_batch(
                p.source.file_name,
                p.source.sha256,
                p.source.rows,
                profile=profile_name,
                costs_negative=bool(p.source.profile and p.source.profile.negate),
            )
            if any(r[2] == Scenario.BUDGET.value and r[3] for r in p.rows):  # an ombudgetering
                changed = store.write_revision(p.facts, source="import", batch_id=batch)
            else:  # write_revision without revised budgets: the rows as they are, locks refused
                changed = store.write_fact_rows(p.rows, source="import", batch_id=batch)
    except PeriodLockedError as err:
        raise _locked(p, err) from err
    except UnitClosedError as err:
        raise TableError(
            [
                _("{w}: {u} är stängd fr.o.m. {m} ({p}); filen lästes inte in.").format(
                    w=p.place(i), u=unit, m=month_label(month), p=parse_period(period).label()
                )
                for i, (unit, period, month) in zip(err.indexes, err.cells, strict=True)
            ]
        ) from err
    return Result(batch, changed, p.summary(counts))


def refuse_reading_database(path: Path, database: Path) -> None:
    """The open database (or one of SQLite's files beside it) is never read as a file to
    import: nothing comes of it, and closing the file would drop every lock SQLite holds on it
    in this process."""
    if is_database_file(path, database):
        message = _("{f} är den öppna databasen eller en av SQLites filer bredvid den; den läses inte in.")
        raise TableError([message.format(f=path.name)])


def import_path(
    store: Store,
    path: str | Path,
    chosen: Profile | None = None,
    *,
    replace: bool = False,
    profile_name: str = "",
    create: dict[str, str | None] | None = None,
) -> Result:
    """The whole import of one file (with the measures declared beside it), as ``socdesk import``
    does it."""
    path = Path(path)
    refuse_reading_database(path, store.path)
    try:
        data = read_file(path)
    except OSError as err:
        raise TableError(
            [_("{f}: filen kan inte läsas ({e}).").format(f=path.name, e=reading_reason(err))]
        ) from err
    try:
        source = read_source(data, path.name, store, chosen, declared=declarations_beside(path))
    except SheetError as err:
        raise TableError(err.errors) from err
    return execute(store, plan(store, source, create=create), replace=replace, profile_name=profile_name)
