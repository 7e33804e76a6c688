"""The Linux build: PyInstaller builds the committed spec, and the frozen program does what users
do with it – its self-test (a file of every format imported, every report kind written, the main
window opened), the console executable's subcommands, and imports of real files: a ledger CSV
(pandas reads it) and an SIE file from the corpus (a broken spec is caught here, not on a user's
machine)."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIE = ROOT.parent / "shared" / "sie-corpus" / "sie4j" / "SIE_test_av_KST_projekt_Testbolaget_e_-_kopia.SE"
LEDGER = (
    "Ansvar;Konto;Bokföringsdatum;Belopp\n"
    "7762;4010;2024-06-03;1\u00a0000,50\n"
    "7762;4010;2024-06-28;-200\n"
    "7762;3010;2024-06-14;-150,25\n"
    "7764;5410;2024-06-30;300\n"
    "7764;1930;2024-06-30;99999\n"  # a bank account: left out
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("build")
    r = subprocess.run(
        ["sh", str(ROOT / "build_scripts" / "build_linux.sh"), str(out)],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return out / "dist" / "socdesk", r.stdout


def frozen(folder: Path, program: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(folder / program), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"},
    )


def test_the_build_has_both_programs_and_the_data_where_the_package_looks(built):
    folder, _log = built
    for program in ("socdesk", "socdesk-cli"):
        assert (folder / program).is_file(), program
    data = folder / "_internal" / "socdesk" / "_data"
    assert (data / "seeds" / "matt.csv").is_file() and (data / "resources" / "socdesk.png").is_file()
    assert (data / "resources" / "templates" / "tertial.toml").is_file()
    out = subprocess.run([str(folder / "socdesk"), "--version"], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "socdesk 0.1.0"


def test_the_frozen_selftest_imports_every_format_and_writes_every_report(built):
    _folder, log = built  # build_linux.sh ran the frozen program's --selftest
    assert log.count("selftest ok") == 1
    for name in ("lang.csv", "bred.csv", "huvudbok.csv", "huvudbok.xlsx", "bred_formler.ods", "sjalvtest.se"):
        assert f"selftest: {name} inläst" in log
    for kind in ("Månadsuppföljning", "Tertialrapport", "Nyckeltalsbilaga", "Statistikrapport"):
        assert f"selftest: {kind} " in log


def test_the_console_program_prints_and_imports_real_files(built, tmp_path):
    folder, _log = built
    helped = frozen(folder, "socdesk-cli", "--help", cwd=tmp_path)
    assert helped.returncode == 0 and "import" in helped.stdout and "report" in helped.stdout
    db = tmp_path / "demo.db"
    demo = frozen(folder, "socdesk-cli", "demo", "--db", str(db), cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert f"Demodatabasen skapad: {db}" in demo.stdout

    ledger = tmp_path / "huvudbok.csv"
    ledger.write_text(LEDGER, encoding="cp1252")
    imported = frozen(folder, "socdesk-cli", "import", "--db", str(db), str(ledger), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    # 7762: 1 000,50 − 200 − 150,25; 7764: 300 (the bank row left out)
    assert "5 rader gav 5 uppgifter för 2 enheter, jun 2024" in imported.stdout
    assert "Nettokostnad, utfall jun 2024: 950,25\u00a0kr" in imported.stdout
    assert "1 rad med konto utanför kontoreglerna togs inte med" in imported.stdout

    sie = frozen(folder, "socdesk", "import", "--db", str(db), "--create-under", "SN", str(SIE), cwd=tmp_path)
    assert sie.returncode == 0, sie.stderr
    # its two vouchers on 5010: 100,00 + 200,00 in January 2021 (its #RES 0 5010 says 300,00)
    assert "Nettokostnad, utfall jan 2021: 300\u00a0kr" in sie.stdout

    pdf = tmp_path / "manad.pdf"
    report = frozen(folder, "socdesk-cli", "report", "manad", "--db", str(db), "--unit", "SN", "--period", "2024-05", "-o", str(pdf), cwd=tmp_path)  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
