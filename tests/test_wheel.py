"""The wheel, installed outside the repository, is a working program: it is built from a copy of
the source (``pip wheel``, offline: no build isolation), installed into a new venv in a temporary
folder, and its ``socdesk`` command then builds the demo, imports a seed table and a real SIE
file, writes a tertial report and passes ``--selftest`` – all from the data inside the wheel."""

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "sie-corpus" / "sie4j"
SIE = CORPUS / "SIE_test_av_KST_projekt_Testbolaget_e_-_kopia.SE"
PIP = (sys.executable, "-m", "pip")
NOT_SOURCE = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "tests"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the tree (the build leaves nothing in the repository)."""
    src = tmp_path_factory.mktemp("src") / "socdesk-src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (built,) = out.glob("socdesk-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new venv outside the repository with socdesk installed from the wheel; its dependencies
    (PySide6, WeasyPrint …) are this venv's, reached through a .pth, since nothing can be
    downloaded here – socdesk itself comes only from the wheel."""
    env_dir = tmp_path_factory.mktemp("venv") / "v"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
        .decode()
        .strip()
    )
    ours = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "zz_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    r = subprocess.run(
        [*PIP, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return env_dir


def run(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [str(installed / "bin" / "socdesk"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env=env,
    )


def test_the_wheel_carries_the_seeds_templates_and_selftest_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in ("seeds", "resources"):
        for f in (ROOT / source).rglob("*"):
            if f.is_file():
                assert f"socdesk/_data/{f.relative_to(ROOT).as_posix()}" in names, f
    assert "socdesk/_data/resources/templates/tertial.toml" in names
    entry = zipfile.ZipFile(wheel).read("socdesk-0.1.0.dist-info/entry_points.txt").decode()
    assert "socdesk = socdesk.cli:main" in entry and "socdesk-cli = socdesk.cli:main" in entry


def test_the_installed_wheel_runs_demo_import_report_and_selftest(installed, tmp_path):
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import socdesk.resources as r; print(r.__file__, r.seed_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    module, seeds = where.stdout.split()
    assert Path(module).is_relative_to(installed) and not Path(module).is_relative_to(ROOT), where.stdout
    assert Path(seeds).is_relative_to(installed) and (Path(seeds) / "matt.csv").is_file()

    demo = run(installed, "demo", "--db", str(tmp_path / "demo.db"), cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "demo.db").is_file()

    fresh = tmp_path / "ny.db"
    seed = run(
        installed,
        "import",
        "--db",
        str(fresh),
        str(Path(seeds) / "002_socialtjanstrapporten_2024.csv"),
        cwd=tmp_path,
    )
    assert seed.returncode == 0, seed.stderr
    assert "1372 rader gav 1363 uppgifter för 13 enheter" in seed.stdout
    sie = run(installed, "import", "--db", str(fresh), "--create-under", "STH", str(SIE), cwd=tmp_path)
    assert sie.returncode == 0, sie.stderr
    # the file's two vouchers on 5010: 100,00 + 200,00 in January 2021 (its #RES 0 5010 says 300,00)
    assert "Nettokostnad, utfall jan 2021: 300\u00a0kr" in sie.stdout

    pdf = tmp_path / "tertial.pdf"
    report = run(
        installed, "report", "tertial", "--db", str(tmp_path / "demo.db"), "--unit", "N", "--period", "2023-T1",
        "-o", str(pdf), cwd=tmp_path,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert (
        len(PdfReader(str(pdf)).pages) > 5 and "Tertialrapport" in PdfReader(str(pdf)).pages[0].extract_text()
    )

    selftest = run(installed, "--selftest", cwd=tmp_path)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert selftest.stdout.strip().endswith("selftest ok")
    for name in ("lang.csv", "bred.csv", "huvudbok.csv", "huvudbok.xlsx", "sjalvtest.se", "kolada.json"):
        assert f"selftest: {name} inläst" in selftest.stdout


def test_the_selftest_fails_and_names_the_file_when_a_reader_is_missing(tmp_path):
    """The fault it exists for: a build without pandas passed the old selftest while every ledger
    import crashed. Here pandas cannot be imported, and the selftest says which file broke."""
    code = "import sys; sys.modules['pandas'] = None; from socdesk.cli import main; raise SystemExit(main(['--selftest']))"
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=tmp_path
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "selftest: lang.csv inläst" in r.stdout and "selftest ok" not in r.stdout
    assert "selftest: huvudbok.csv lästes inte in: ModuleNotFoundError" in r.stderr
