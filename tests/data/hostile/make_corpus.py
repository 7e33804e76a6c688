"""The hostile and broken files of issue 11 §6, generated (nothing large is committed).

Run: ``python tests/data/hostile/make_corpus.py OUTDIR`` writes every file and prints what
socdesk must say about each; ``tests/test_hostile_corpus.py`` imports ``make(folder)`` and runs
each file through ``socdesk import`` as a subprocess.

Each case is a file and the fragments its refusal must contain (the file's name is always
required too). Every file is otherwise importable into the demo database with
``--create-under SN --replace``, so only the hostile part can be the reason it is refused.
Big cases are cheap: the 1 GiB file is sparse, the zip bombs are deflated spaces. SIE cases are
mutations of a real file from ``../shared/sie-corpus/sie4j/`` (read from there, not copied).
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SIE_BASE = (
    ROOT.parent / "shared" / "sie-corpus" / "sie4j" / "SIE_test_av_KST_projekt_Testbolaget_e_-_kopia.SE"
)
LONG = "enhet;namn;överordnad;period;mått;scenario;värde;skala\r\n"
LEDGER = "Ansvar;Konto;Period;Belopp\r\n"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Case:
    name: str
    says: tuple[str, ...]  # fragments of the message, besides the file name
    what: str  # the hostile part, for the report


def make(folder: Path) -> list[Case]:
    """Write the corpus into ``folder``; return its cases."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, data: bytes | str, says: tuple[str, ...], what: str) -> None:
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, says, what))

    # --- numbers -----------------------------------------------------------------------
    add(
        "lang-15-siffror.csv",
        LONG + "771;;;2024-06;netto;utfall;999 999 999 999 999;\r\n",
        ("rad 2, kolumn värde", "för stort"),
        "15-digit amount (long CSV)",
    )
    add(
        "lang-mnkr.csv",
        LONG + "771;;;2024-06;netto;utfall;2 000 000;mnkr\r\n",
        ("rad 2, kolumn värde", "mnkr", "för stort"),
        "an amount over the bound only after skala mnkr",
    )
    add(
        "lang-15-siffror-mnkr.csv",
        LONG + "771;;;2024-06;netto;utfall;999 999 999 999 999;mnkr\r\n",
        ("rad 2, kolumn värde", "för stort"),
        "15-digit amount in mnkr",
    )
    add(
        "bred-15-siffror.csv",
        "Ansvar;jan 2024;feb 2024\r\n771;1;999999999999999\r\n",
        ("rad 2, kolumn feb 2024", "för stort"),
        "15-digit amount (wide CSV)",
    )
    add(
        "huvudbok-15-siffror.csv",
        LEDGER + "7762;4010;2024-06;12\r\n7762;4010;2024-06;999 999 999 999 999\r\n",
        ("rad 3, kolumn Belopp", "för stort"),
        "15-digit amount (ledger CSV, the pandas fast path hands it to the exact one)",
    )
    add(
        "huvudbok-tar-ut-varandra.csv",
        LEDGER + "7762;4010;2024-06;2000000000000\r\n7762;4010;2024-06;-2000000000000\r\n",
        ("rad 2, kolumn Belopp", "rad 3, kolumn Belopp", "för stort"),
        "two rows over the bound that cancel in the sum",
    )
    add(
        "huvudbok-summa.csv",
        LEDGER + "".join("7762;4010;2024-06;900 000 000 000\r\n" for _ in range(20)),
        ("rad 2", "summan för 7762 kostnader 2024-06", "för stort"),
        "rows inside the bound whose sum is not",
    )
    add(
        "huvudbok-64-bitar.csv",
        LEDGER + "".join(f"A{i % 5};4010;2024-06;900 000 000 000\r\n" for i in range(20_000)),
        ("summan för A0 kostnader 2024-06", "för stort"),
        "sums past 64 bits in ten-thousandths (numpy would wrap around silently)",
    )
    rows = "".join(
        f"H{i:04d};Enhet {i};HOSTIL;2024-06;netto;utfall;999 999 999 999;\r\n" for i in range(1000)
    )
    add(
        "rollup-overflow.csv",
        LONG + "HOSTIL;Hostil nämnd;;;;;;\r\n" + rows,
        ("för stor för att räknas exakt",),
        "1 000 figures at the bound under one parent: the rollup sum passes 64 bits",
    )
    add(
        "kolada-15-siffror.csv",
        "kpi;municipality;period;gender;value;status\r\nN1;0180;2023;T;999 999 999 999 999;\r\n",
        ("rad 2, kolumn value", "för stort"),
        "15-digit value (Kolada CSV)",
    )
    kolada = '{{"values": [{{"kpi": "N1", "municipality": "0180", "period": 2023, "values": [{{"gender": "T", "value": {v}}}]}}]}}'
    add(
        "kolada-nan.json",
        kolada.format(v="NaN"),
        ("post 1", "NaN", "inget ändligt tal"),
        "NaN in Kolada JSON",
    )
    add("kolada-1e400.json", kolada.format(v="1e400"), ("post 1", "för stort"), "1e400 in Kolada JSON")
    add(
        "kolada-heltal.json",
        kolada.format(v="9" * 5000),
        ("post 1", "för stort"),
        "a 5 000-digit integer in Kolada JSON (past Python's int/str limit)",
    )
    add(
        "kolada-djup.json",
        '{"kpi": 1, "values": ' + "[" * 200_000 + "]" * 200_000 + "}",
        ("nästlad för djupt",),
        "JSON nested 200 000 deep",
    )
    add(
        "kolada-dubbla-nycklar.json",
        '{"values": [{"kpi": "N1", "municipality": "0180", "period": 2023, "values": '
        '[{"gender": "T", "value": 1, "value": 2}]}]}',
        ("post 1", "”value” finns två gånger"),
        "a key twice in one object",
    )

    # --- XLSX ----------------------------------------------------------------------------
    wide = [["Ansvar", "jan 2024", "feb 2024"], ["7762", 12345.0, 1]]
    add(
        "xlsx-nan.xlsx",
        _xlsx(wide, {"<v>12345</v>": "<v>NaN</v>"}),
        ("rad 2, kolumn jan 2024 (B)", "NaN", "inget tal"),
        "NaN cell",
    )
    add(
        "xlsx-inf.xlsx",
        _xlsx(wide, {"<v>12345</v>": "<v>1e400</v>"}),
        ("rad 2, kolumn jan 2024 (B)", "ändligt"),
        "INF cell",
    )
    add(
        "xlsx-15-siffror.xlsx",
        _xlsx([["Ansvar", "jan 2024", "feb 2024"], ["7762", 999999999999999, 1]]),
        ("rad 2, kolumn jan 2024", "för stort"),
        "15-digit number cell (wide XLSX)",
    )
    add(
        "xlsx-lang-15-siffror.xlsx",
        _xlsx(
            [
                ["enhet", "period", "mått", "scenario", "värde"],
                ["771", "2024-06", "netto", "utfall", "999 999 999 999 999"],
            ]
        ),
        ("rad 2, kolumn värde", "för stort"),
        "15-digit amount (long XLSX)",
    )
    doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    add(
        "xlsx-xxe.xlsx",
        _xlsx(wide, {"<worksheet ": doctype + "<worksheet ", "<v>12345</v>": "<v>&e;</v>"}),
        ("xl/worksheets/sheet1.xml", "DTD"),
        "XXE: an external entity in the sheet XML",
    )
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    add(
        "xlsx-billion-laughs.xlsx",
        _xlsx(
            [["Ansvar", "jan 2024"], ["7762", "x"]],
            {"<worksheet ": laughs + "<worksheet ", "<t>x</t>": "<t>&lol9;</t>"},
        ),
        ("xl/worksheets/sheet1.xml", "DTD"),
        "billion laughs (10⁹ lol from 1 kB)",
    )
    late = '<?xml version="1.0"?><!--' + " " * 70_000 + '--><!DOCTYPE x [<!ENTITY e "boom">]>'
    add(
        "xlsx-dtd-sent.xlsx",
        _xlsx(wide, {"<worksheet ": late + "<worksheet ", "<v>12345</v>": "<v>&e;</v>"}),
        ("egna entiteter", "EntitiesForbidden"),
        "an entity declared after 70 kB of comment (past the DTD scan): defusedxml refuses it",
    )
    add("xlsx-tomt-blad.xlsx", _xlsx(wide, replace_part=b""), ("sheet1.xml", "tomt"), "an empty sheet XML")
    add("xlsx-zip-bomb.xlsx", _bomb(300 * 2**20), ("zip-bomb", "MB"), "300 MB of sheet XML in 0,3 MB")
    add(
        "xlsx-kvot-bomb.xlsx",
        _bomb(50 * 2**20),
        ("zip-bomb", "gånger större"),
        "50 MB of sheet XML, ratio 1000:1",
    )
    add(
        "xlsx-dimension.xlsx",
        _xlsx_sheet(
            '<dimension ref="A1:XFD1048576"/><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Ansvar</t></is></c><c r="B1" t="inlineStr"><is><t>jan 2024</t></is></c>'
            '<c r="C1" t="inlineStr"><is><t>feb 2024</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>7762</t></is></c><c r="B2"><v>1</v></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
        ("rad 1048576", "enhetskod saknas"),
        "a stated dimension A1:XFD1048576 and a cell there (was: padding to 17 000 million cells)",
    )
    add(
        "xlsx-rader.xlsx",
        _xlsx_sheet(
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ansvar</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>jan 2024</t></is></c>'
            '<c r="C1" t="inlineStr"><is><t>feb 2024</t></is></c></row>'
            '<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>7762</t></is></c>'
            '<c r="B2000000"><v>1</v></c></row></sheetData>'
        ),
        ("rad 1048577", "fler rader än Excel"),
        "a row past Excel's last row",
    )
    add(
        "xlsx-lang-cell.xlsx",
        _xlsx_sheet(
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ansvar</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>jan 2024</t></is></c>'
            '<c r="C1" t="inlineStr"><is><t>feb 2024</t></is></c></row><row r="2">'
            f'<c r="A2" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c><c r="B2"><v>1</v></c></row>'
            "</sheetData>"
        ),
        ("rad 2, kolumn Ansvar (A)", "40000 tecken"),
        "a cell of 40 000 characters",
    )

    # --- CSV -----------------------------------------------------------------------------
    add(
        "falt-over-grans.csv",
        LONG + '771;;;2024-06;netto;utfall;1;"' + ("x" * 100_000 + "\r\n") * 2 + '"\r\n',
        ("rad 2", "längre än 131 072 tecken"),
        "a quoted field over csv's field limit (131 072 characters), no line over the line cap",
    )
    add(
        "monsterrad.csv",
        LEDGER + "7762;4010;2024-06;1\r\n" + "7762;4010;2024-06;" + "9" * (128 * 1024) + "\r\n",
        ("rad 3", "längre än 131 072 tecken"),
        "a line just over the line cap (128 KiB): refused before decoding",
    )
    big = folder / "en-gigabyte.csv"
    with big.open("wb") as f:
        f.write(LEDGER.encode() + b"7762;4010;2024-06;")
        f.truncate(2**30)  # sparse: a 1 GiB line costs nothing on disk
    cases.append(Case(big.name, ("1024 MB", "högst 256 MB"), "a 1 GiB file (one line): refused unread"))
    add(
        "blandad-kodning.csv",
        (LONG + "H1;Hemtjänst;SN;2024-06;netto;utfall;1;\r\n").encode("utf-8")
        + "H2;Äldreomsorg;SN;2024-06;netto;utfall;2;\r\n".encode("cp1252"),
        ("rad 1 är UTF-8 men rad 3", "blandar teckenkodningar"),
        "UTF-8 lines, then a Windows-1252 line",
    )
    add(
        "blandad-kodning-1252-forst.csv",
        b"enhet;namn;overordnad;period;matt;scenario;varde\r\n"
        + "H1;Äldreomsorg;SN;2024-06;netto;utfall;1\r\n".encode("cp1252")
        + "H2;Hemtjänst;SN;2024-06;netto;utfall;2\r\n".encode(),
        ("rad 3 är UTF-8 men rad 2", "blandar teckenkodningar"),
        "a Windows-1252 line, then a UTF-8 line (was stored as HemtjÃ¤nst)",
    )
    add(
        "felkodad.csv",
        LONG + "H1;HemtjÃ¤nst;SN;2024-06;netto;utfall;1;\r\n",
        ("rad 2", "HemtjÃ¤nst", "”ä”"),
        "valid UTF-8 carrying mojibake (double encoded)",
    )
    add(
        "fel-byte.csv",
        "enhet;namn;överordnad;period;mått;scenario;värde\r\n".encode("cp1252")
        + b"771;A\x81;;2024-06;netto;utfall;1\r\n",
        ("rad 2: byte 0x81",),
        "the byte invalid in both encodings is on row 2 (was: rad 1, byte 0xF6)",
    )
    add(
        "slutar-i-citat.csv",
        LONG + '771;"Hemtjänst;;2024-06;netto;utfall;1;\r\n771;;;2024-07;netto;utfall;2;\r\n',
        ("rad 2", "aldrig stängs"),
        "the file ends inside a quoted field",
    )
    add(
        "text-efter-citat.csv",
        LONG + '771;"Hemtjänst"x;;2024-06;netto;utfall;1;\r\n',
        ("rad 2", "efter ett avslutande citattecken"),
        "text after a closing quote",
    )
    add(
        "dubbel-rubrik.csv",
        "enhet;period;mått;scenario;värde;värde\r\n771;2024-06;netto;utfall;1;2\r\n",
        ("rad 1", "”värde” finns två gånger", "kolumn E och F"),
        "a column header twice (long CSV)",
    )
    add(
        "dubbel-rubrik-huvudbok.csv",
        "Ansvar;Konto;Period;Belopp;belopp\r\n7762;4010;2024-06;1;2\r\n",
        ("rad 1", "”belopp” finns två gånger"),
        "a column header twice (ledger CSV)",
    )
    add(
        "dubbel-rubrik-matt.csv",
        "enhet;period;mått;matt;scenario;värde\r\n771;2024-06;netto;netto;utfall;1\r\n",
        ("rad 1", "”mått” finns två gånger"),
        "mått and its alias matt: one column twice",
    )
    add(
        "bom-i-falt.csv",
        LEDGER + "7762;4010;2024-06;1\r\n\ufeff7764;4010;2024-06;2\r\n",
        ("rad 3, kolumn Ansvar", "BOM"),
        "a byte-order mark inside a field (two files joined)",
    )
    add(
        "tusen-kolumner.csv",
        "enhet;period;mått;scenario;värde;"
        + ";".join(f"x{i}" for i in range(10_000))
        + "\r\n771;2024-06;netto;utfall;1\r\n",
        ("okända kolumner: x0, x1", "och 9990 till"),
        "10 000 unknown columns (the message lists ten)",
    )
    add(
        "lang-cell.csv",
        LONG + "771;;;" + "2" * 100_000 + ";netto;utfall;1;\r\n",
        ("rad 2, kolumn period", "ingen period", "…"),
        "a 100 000-character period cell (the message quotes 40)",
    )
    add(
        "miljon-kolumner.csv",
        "enhet;period;mått;scenario;värde;" + ";" * 1_000_000 + "\r\n",
        ("rad 1", "längre än 131 072 tecken"),
        "a million columns (refused by the line cap, not listed)",
    )

    # --- SIE -------------------------------------------------------------------------------
    base = _sie_base()
    lines = base.split("\r\n")
    first_trans = next(i for i, line in enumerate(lines) if line.startswith("#TRANS"))
    open_brace = lines.index("{")
    close_brace = lines.index("}")

    def sie(name: str, new_lines: list[str], says: tuple[str, ...], what: str) -> None:
        add(name, "\r\n".join(new_lines).encode("cp437"), says, what)

    t = lines[first_trans]
    sie(
        "sie-stort-belopp.se",
        [*lines[:first_trans], t.replace("100.00", "999999999999999.00"), *lines[first_trans + 1 :]],
        (f"rad {first_trans + 1} (#TRANS)", "för stort"),
        "a 15-digit amount in a #TRANS",
    )
    sie(
        "sie-avkortad.se",
        lines[: first_trans + 1],
        (f"rad {open_brace + 1}", "slutar inne i en verifikation"),
        "cut after the first #TRANS of a voucher (the rest of it would be lost)",
    )
    cut = t.index("{") + 5
    sie(
        "sie-avkortad-post.se",
        [*lines[:first_trans], t[:cut]],
        (f"rad {first_trans + 1} (#TRANS)", "stängs inte"),
        "cut in the middle of a record's object list",
    )
    sie(
        "sie-jatterad.se",
        [*lines[:first_trans], t + ' "' + "x" * 200_000 + '"', *lines[first_trans + 1 :]],
        (f"rad {first_trans + 1}", "längre än 131 072 tecken"),
        "a 200 kB line",
    )
    sie(
        "sie-citat.se",
        [*lines[:first_trans], t + ' "oavslutad', *lines[first_trans + 1 :]],
        (f"rad {first_trans + 1} (#TRANS)", "citattecknet"),
        "an unbalanced quote",
    )
    sie(
        "sie-klammer.se",
        [*lines[:first_trans], t.replace("}", ""), *lines[first_trans + 1 :]],
        (f"rad {first_trans + 1} (#TRANS)", "stängs inte"),
        "an unbalanced brace",
    )
    sie(
        "sie-kvadratisk.se",
        [*lines[:first_trans], "#TRANS 5010 " + "{ " * 60_000, *lines[first_trans + 1 :]],
        (f"rad {first_trans + 1} (#TRANS)", "stängs inte"),
        "60 000 unclosed braces on one line (quadratic for the old backtracking tokenizer)",
    )
    sie(
        "sie-extra-klammer.se",
        [*lines[: close_brace + 1], "}", *lines[close_brace + 1 :]],
        (f"rad {close_brace + 2}", "utan ”{” före"),
        "a voucher closed twice",
    )
    return cases


def _sie_base() -> str:
    """A real SIE 4 file (vouchers with cost centres) moved to 2024 and to the demo's units."""
    text = SIE_BASE.read_bytes().decode("cp437")
    return (
        text.replace("2021", "2024")
        .replace('"100000"', '"7762"')
        .replace('"1000012"', '"7764"')
        .replace("\r\n", "\n")
        .replace("\n", "\r\n")
    )


def _xlsx(
    rows: list[list[object]],
    edits: dict[str, str] | None = None,
    *,
    replace_part: bytes | None = None,
) -> bytes:
    """A workbook openpyxl writes (inline strings), with text edits in its sheet XML."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    part = "xl/worksheets/sheet1.xml"
    dst = io.BytesIO()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                if replace_part is not None:
                    data = replace_part
                else:
                    text = data.decode("utf-8")
                    for old, new in (edits or {}).items():
                        assert old in text, (old, text[:300])
                        text = text.replace(old, new)
                    data = text.encode("utf-8")
            z.writestr(info.filename, data)
    return dst.getvalue()


def _xlsx_sheet(body: str) -> bytes:
    """A workbook whose one sheet XML is ``body`` inside <worksheet>."""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">{body}</worksheet>'
    return _xlsx([["x"]], {}, replace_part=sheet.encode("utf-8"))


def _bomb(size: int) -> bytes:
    """A workbook whose sheet XML is ``size`` bytes (mostly spaces, deflated about 1000:1)."""
    template = zipfile.ZipFile(io.BytesIO(_xlsx([["Ansvar"], ["7762"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in template.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, template.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            head = f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
            f.write(head)
            chunk = b" " * 2**20
            for _ in range((size - len(head)) // len(chunk)):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in make(target):
        print(f"{case.name:36} {case.what}")
