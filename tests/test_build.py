"""The Linux build: PyInstaller builds the committed spec and the frozen program passes its
self-test (a broken spec is caught here, not on a user's machine)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_build_linux_produces_a_program_whose_selftest_passes(tmp_path):
    r = subprocess.run(
        ["sh", str(ROOT / "build_scripts" / "build_linux.sh"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "selftest ok" in r.stdout
    program = tmp_path / "dist" / "socdesk" / "socdesk"
    assert program.exists()
    bundled = tmp_path / "dist" / "socdesk" / "_internal"
    assert (bundled / "seeds" / "matt.csv").exists() and (bundled / "resources" / "socdesk.png").exists()
    out = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "socdesk 0.1.0"
