"""001: Nacka socialnämnd, Bilaga 3 Nyckeltal och mått 2023 (five-year tables).

The document's tables are tab-separated, so they are read from the document itself
(../shared/seeds/001_*.txt); each table is matched to a unit by its heading, in order, and
each row to a measure by its label.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

DOC = "001 Nacka socialnämnd Bilaga 3 Nyckeltal och mått 2023"

# (words in the heading, unit code, row-label mode) in document order.
TABLES = [
    ("Aktualiseringar och utredningar Barn och Unga", "N-BOU", "akt"),
    ("Total heldygnsvård Barn och Unga", "N-BOU-HDV", "hdv"),
    ("Institutionsvård: HVB, HVB LVU, SIS", "N-BOU-INST", "hdv"),
    ("varav SIS", "N-BOU-INST-SIS", "sis"),
    ("Stödboende/Träningslägenhet", "N-BOU-STOD", "hdv"),
    ("Familjehem inkl. behandlingshem och nätverkshem", "N-BOU-FH", "hdv"),
    ("Jourhem inkl. tillfällig placering i nätverk", "N-BOU-JOUR", "hdv"),
    ("Öppenvård inkl. strukturerad öppenvård", "N-BOU-BOPV", "hdv"),
    ("Aktualiseringar och utredningar Vuxna", "N-VUX", "akt"),
    ("Total heldygnsvård Vuxna", "N-VUX-HDV", "hdv"),
    ("Institutionsvård: HVB inkl. arbetskooperativ", "N-VUX-INST", "hdv"),
    ("varav SIS", "N-VUX-INST-SIS", "sis"),
    ("Stödboende/träninglägenhet", "N-VUX-STOD", "hdv"),
    ("Familjehem", "N-VUX-FH", "hdv"),
    ("Öppenvård Vuxna", "N-VUX-OPV", "group"),
    ("våld i nära relation", "N-VUX-VNR", "akt"),
    ("Skyddat boende", "N-VUX-SKB", "hdv"),
    ("Aktualiseringar och utredningar Socialpsykiatri", "N-FN-SPS", "akt"),
    ("Total heldygnsvård Socialpsykiatri", "N-FN-SPS-HDV", "hdv"),
    ("HVB", "N-FN-SPS-HVB", "hdv"),
    ("Stödboende", "N-FN-SPS-STOD", "hdv"),
    ("Träninglägenhet", "N-FN-SPS-TRL", "hdv"),
    ("Särskilt boende", "N-FN-SPS-SAB", "hdv"),
    ("Öppenvård Socialpsykiatri, antal kunder", "N-FN-SPS-OPV", "group"),
    ("fysisk funktionsnedsättning", "N-FN-FYS", "akt"),
    ("Hemtjänst", "N-FN-HT", "hdv"),
    ("Aktualiseringar och utredningar LSS", "N-FN-LSS", "akt"),
    ("Insatser beviljade enligt LSS", "N-FN-LSS", "lss"),
    # Personlig assistans is one insats of LSS: its figures are that grupp of N-FN-LSS.
    (
        "Personlig assistans",
        "N-FN-LSS",
        "hdv:Personlig assistans enl. 9§ 2 LSS (beslut av kommunen)",
    ),
    ("Turbundna resor", "N-FN-TUR", "hdv"),
]

AKT = [
    ("Antal aktualiseringar", "aktualiseringar"),
    ("Antal unika personer med aktualiseringar", "unika_aktualiseringar"),
    ("Antal inledda utredningar", "inledda_utredningar"),
    ("Antal unika personer med inledda utredningar", "unika_inledda_utredningar"),
    ("Antal avslutade utredningar", "avslutade_utredningar"),
    ("Antal unika personer med avslutade utredningar", "unika_avslutade_utredningar"),
]
HDV = [
    ("Antal unika kunder per år", "unika_personer"),
    ("Antal unika personer (vuxna)", "unika_personer"),
    ("Antal unika personer", "unika_personer"),
    ("Antal unika medföljande barn", "unika_barn"),
    ("Antal kunder i snitt per månad", "personer_medeltal"),
    ("Antal kunder med utförd tid, snitt per år", "personer_medeltal"),
    ("Antal kunder, medeltal per år", "personer_medeltal"),
    ("Antal resenärer, medeltal per år", "personer_medeltal"),
    ("Antal ensamåkare, medeltal per år", "ensamakare_medeltal"),
    ("Antal dygn per år", "varddygn"),
    ("Antal dygn", "varddygn"),
    ("Årsplaceringar", "arsplaceringar"),
    ("Nettokostnad per årsplacering", "nettokostnad_per_arsplacering"),
    ("Nettokostnad per dygn", "nettokostnad_per_dygn"),
    ("Nettokostnad", "netto"),
    ("Antal utförda timmar, summa per år", "timmar"),
    ("Antal timmar per kund och månad", "timmar_per_kund_manad"),
    ("Antal timmar, summa per år", "timmar"),
    ("Timmar per kund och år", "timmar_per_kund_ar"),
    ("Antal resor, summa per år", "resor"),
    ("Antal resor per kund och år", "resor_per_kund_ar"),
]
SIS = [  # the "varav SIS" tables: the same measures, on the därav unit of institutionsvård
    ("Antal unika kunder per år", "unika_personer"),
    ("Antal dygn per år", "varddygn"),
    ("Årsplaceringar", "arsplaceringar"),
]


def _measure(label, mode):
    table = {"akt": AKT, "hdv": HDV, "sis": SIS}[mode]
    for prefix, key in table:
        if label == prefix or (label.startswith(prefix) and mode == "akt"):
            return key
    for prefix, key in table:
        if label.startswith(prefix + " ") or label.startswith(prefix + "*"):
            return key
    raise SystemExit(f"001: no measure for row {label!r} ({mode})")


def _clean(cell):
    return re.sub(r"</?b>", "", cell).strip()


def document_lines() -> list[str]:
    folder = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    doc = next(folder.glob("001_*.txt"), None)
    if doc is None:
        raise SystemExit(f"001: the document is read from {folder}/001_*.txt, which is missing")
    return doc.read_text(encoding="utf-8").splitlines()


@dataclass
class Printed:
    """One table of 001 as printed: its heading, the first header cell, the years of its
    columns and its rows (label, cells as printed: "3 459", "801 053 kr", "-", "24,0")."""

    heading: str
    unit: str
    mode: str
    group: str
    corner: str
    years: list[int]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


def printed_tables(lines: list[str] | None = None) -> list[Printed]:
    """Every table of 001 in document order, matched to its unit (TABLES): the transcription
    the seed CSV is written from, and the oracle of tests/test_seed_report_001.py."""
    lines = document_lines() if lines is None else lines
    found: list[Printed] = []
    tables = iter(TABLES)
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\tUtfall 20" in line:
            first = _clean(line.split("\t")[0])
            words, unit, mode = next(tables)
            mode, _sep, fixed_group = mode.partition(":")
            title = first if first.startswith(("varav", "Antal personer med insatser")) else heading
            if words.lower() not in title.lower() and not (mode == "lss" and "LSS" in heading):
                raise SystemExit(f"001: expected table {words!r}, found {title!r}")
            ys = [int(y) for y in re.findall(r"Utfall (\d{4})", line)]
            table = Printed(heading.strip("#* "), unit, mode, fixed_group, first, ys)
            i += 1
            while i < len(lines) and "\t" in lines[i]:
                cells = [_clean(c) for c in lines[i].split("\t")]
                assert len(cells) - 1 == len(ys), lines[i]
                table.rows.append((cells[0], cells[1:]))
                i += 1
            found.append(table)
            continue
        if line.strip() and not line.startswith(("År\t", "\\*", "Det finns", "Exempelvis", "Utfallet")):
            heading = line.strip()
        i += 1
    if next(tables, None) is not None:
        raise SystemExit("001: not every table was found")
    return found


def build(Out, Col, years, q1):
    out = Out("001_nyckeltal_2023.csv")
    from seedtables.s004 import PARTS, UNITS

    for code, name, parent in UNITS:
        out.unit(code, name, parent, DOC)
    for code, name, parent in PARTS:
        out.unit(code, name, parent, DOC, part=True)
    for table in printed_tables():
        mode, unit, ys = table.mode, table.unit, table.years
        source = f"{DOC}, {table.heading}" + (" (varav SIS)" if mode == "sis" else "")
        for label, values in table.rows:
            if mode in ("group", "lss"):
                measure = "unika_personer" if mode == "group" else "personer_medeltal"
                group = "" if label == "Summering" else label
                for col, v in zip(years(measure, ys), values, strict=True):
                    out.fact(unit, col, v, source, group=group)
            else:
                measure = _measure(label, mode)
                for col, v in zip(years(measure, ys), values, strict=True):
                    out.fact(unit, col, v, source, group=table.group)
    return [out]
