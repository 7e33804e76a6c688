"""The readers' caps and checks at their edges, and the ordinary files they must still take
(issue 11 §6; the whole hostile corpus runs through the CLI in test_hostile_corpus.py)."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from socdesk.core.errors import SocdeskError
from socdesk.io import importer, text
from socdesk.io.kolada import parse_kolada_json
from socdesk.io.sheets import read_sheets
from socdesk.io.sie import parse_sie
from socdesk.io.tables import detect, wide_records
from socdesk.io.text import FileFormatError, check_lines, decode, read_file, read_rows


def test_a_line_at_the_cap_is_read_one_byte_over_is_refused_with_its_line():
    limit = text.MAX_LINE_BYTES
    check_lines(b"a\n" + b"x" * limit + b"\nb", "f.csv")
    check_lines(b"x" * limit, "f.csv")
    with pytest.raises(FileFormatError, match=r"f.csv, rad 3: raden är längre än 131 072 tecken"):
        check_lines(b"a\nb\n" + b"x" * (limit + 1) + b"\n", "f.csv")
    check_lines(b"a;b\r" * 100_000, "mac.csv")  # old Mac line ends are lines too


def test_the_line_check_does_not_walk_a_large_file_line_by_line():
    data = b"7762;4010;2024-06;1 000,50\r\n" * 1_000_000  # 28 MB
    start = time.perf_counter()
    check_lines(data, "stor.csv")
    assert time.perf_counter() - start < 1  # line by line it takes seconds


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "MAX_FILE_BYTES", 100)
    ok, big = tmp_path / "ok.csv", tmp_path / "stor.csv"
    ok.write_bytes(b"x" * 100)
    big.write_bytes(b"x" * 101)
    assert read_file(ok) == b"x" * 100
    with pytest.raises(FileFormatError, match=r"stor.csv: filen är 0 MB; socdesk läser högst 0 MB"):
        read_file(big)


def test_ordinary_encodings_still_read():
    assert decode("enhet;namn\r\n7762;Hemtjänst\r\n".encode("cp1252"), "f.csv").endswith("Hemtjänst\r\n")
    assert decode(b"\xef\xbb\xbfenhet;namn\r\n7762;Hemtj\xc3\xa4nst\r\n", "f.csv").startswith("enhet")
    assert decode("Ansvar;Belopp\r\n7762;1\u00a0000\r\n".encode(), "f.csv")  # NBSP in UTF-8 is no mojibake
    assert decode("x;São\r\n".encode(), "f.csv")  # Ã followed by a letter is Portuguese, not mojibake


def test_the_byte_named_is_the_one_invalid_in_both_encodings():
    data = "enhet;namn;överordnad\r\n".encode("cp1252") + b"771;A\x81;\r\n"
    with pytest.raises(FileFormatError, match=r"f.csv, rad 2: byte 0x81"):
        decode(data, "f.csv")


def test_rows_are_refused_where_quotes_bom_or_headers_break():
    with pytest.raises(FileFormatError, match=r"rad 2: ett citattecken"):
        read_rows('a;b\n1;"x\n2;3\n', "f.csv")
    with pytest.raises(FileFormatError, match=r"rad 3, kolumn b: fältet innehåller ett BOM-tecken"):
        read_rows("a;b\n1;2\n3;\ufeff4\n", "f.csv")
    with pytest.raises(FileFormatError, match=r"rad 1: kolumnen ”b” finns två gånger \(kolumn B och C\)"):
        read_rows("a;B;b \n1;2;3\n", "f.csv")
    header, rows = read_rows('a;b;;\n1;"x\ny";;\n', "f.csv")  # empty headers may repeat; quoted newlines
    assert header == ["a", "b", "", ""] and rows == [(3, ["1", "x\ny", "", ""])]


def test_a_workbook_with_a_lying_dimension_and_styled_empty_cells_far_right_still_reads():
    book = Workbook()
    ws = book.active
    ws.append(["Ansvar", "jan 2024", "feb 2024"])
    ws.append(["7762", 1, 2])
    ws["XFD2"].font = Font(bold=True)  # formatted, no value: written as <c r="XFD2" s="1"/>
    out = io.BytesIO()
    book.save(out)
    sheet = read_sheets(out.getvalue(), "bok.xlsx")[0]
    assert sheet.header == ["Ansvar", "jan 2024", "feb 2024"]
    assert sheet.rows == [(2, ["7762", 1, 2])]
    assert [r.value.number for r in wide_records(sheet, detect(sheet))] == [1, 2]


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML, "defusedxml is a dependency: without it XML entities are expanded"


def test_sie_tokens_cost_linear_time_and_unclosed_ones_are_named():
    head = '#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n#DIM 1 "Kst"\r\n#VER A 1 20240601\r\n{\r\n'
    for line, reason in [
        ("#TRANS 4010 " + "{ " * 60_000, "stängs inte"),
        ('#TRANS 4010 {} 1.00 "' + '\\"' * 60_000, "citattecknet"),
        ('#TRANS 4010 "" 100.00', "ingen objektlista"),
    ]:
        start = time.perf_counter()
        with pytest.raises(SocdeskError, match=rf"b.se, rad 7 \(#TRANS\): .*{reason}"):
            parse_sie((head + line + "\r\n}\r\n").encode("cp437"), "b.se")
        assert time.perf_counter() - start < 2, reason  # the old tokenizer: minutes


def test_kolada_json_keys_given_twice_are_named():
    with pytest.raises(SocdeskError, match=r"k.json: nyckeln ”values” finns två gånger i filens yttersta"):
        parse_kolada_json(b'{"values": [], "values": []}', "k.json")


def test_the_import_reads_files_through_the_size_cap(demo_db, tmp_path, monkeypatch):
    from socdesk.io.seeds import open_database

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 10)
    path = tmp_path / "h.csv"
    path.write_bytes(b"Ansvar;Konto;Period;Belopp\r\n7762;4010;2024-06;1\r\n")
    with open_database(demo_db) as store, pytest.raises(SocdeskError, match=r"h\.csv: filen är 0 MB"):
        importer.import_path(store, path)
