# Build socdesk.exe on Windows (one folder, icon, version resource, no console) and smoke-run it.
#   powershell -ExecutionPolicy Bypass -File build_scripts\build_windows.ps1
# Needs Python 3.11 from python.org (the "py" launcher). Optional: Inno Setup 6 (iscc.exe on PATH)
# builds a per-user installer that needs no administrator rights (build_scripts\socdesk.iss).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install --quiet --upgrade pip
& $py -m pip install --quiet -c constraints.txt -e ".[test]" "pyinstaller>=6.10"
& $py -m PyInstaller --noconfirm --clean --log-level WARN --distpath build\dist --workpath build\work build_scripts\socdesk.spec
# The smoke run: the frozen program must pass its own self-test.
$p = Start-Process -FilePath "build\dist\socdesk\socdesk.exe" -ArgumentList "--selftest" -Wait -PassThru -NoNewWindow
if ($p.ExitCode -ne 0) { throw "socdesk --selftest misslyckades ($($p.ExitCode))" }
if (Get-Command iscc.exe -ErrorAction SilentlyContinue) { iscc.exe build_scripts\socdesk.iss }
Write-Host "Byggt: build\dist\socdesk\socdesk.exe"
