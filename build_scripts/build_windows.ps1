# Build socdesk.exe on Windows (one folder, icon, version resource, no console) and beside it
# socdesk-cli.exe (the same program with a console: the subcommands print), and smoke-run both.
#   powershell -ExecutionPolicy Bypass -File build_scripts\build_windows.ps1
# Needs Python 3.11 from python.org (the "py" launcher). Optional: Inno Setup 6 (iscc.exe on PATH)
# builds a per-user installer that needs no administrator rights (build_scripts\socdesk.iss).
# PDF output (WeasyPrint) needs Pango and its DLLs: MSYS2 (https://www.msys2.org) with
#   pacman -S mingw-w64-ucrt-x86_64-pango
# in C:\msys64 (or set SOCDESK_GTK_BIN to the folder holding libpango-1.0-0.dll). That folder is
# put first on PATH for the build, so PyInstaller collects the DLLs into the program folder.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$gtk = if ($env:SOCDESK_GTK_BIN) { $env:SOCDESK_GTK_BIN } else { "C:\msys64\ucrt64\bin" }
if (-not (Test-Path (Join-Path $gtk "libpango-1.0-0.dll"))) {
    throw "Pango saknas i $gtk. Installera MSYS2 och kör: pacman -S mingw-w64-ucrt-x86_64-pango (eller sätt SOCDESK_GTK_BIN)."
}
$env:PATH = "$gtk;$env:PATH"
$env:WEASYPRINT_DLL_DIRECTORIES = $gtk
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install --quiet --upgrade pip
& $py -m pip install --quiet -c constraints.txt -e ".[test]" "pyinstaller>=6.10"
& $py -m PyInstaller --noconfirm --clean --log-level WARN --distpath build\dist --workpath build\work build_scripts\socdesk.spec
# The smoke run: the frozen program must pass its own self-test.
$p = Start-Process -FilePath "build\dist\socdesk\socdesk.exe" -ArgumentList "--selftest" -Wait -PassThru -NoNewWindow
if ($p.ExitCode -ne 0) { throw "socdesk --selftest misslyckades ($($p.ExitCode))" }
# The console executable prints its help (socdesk.exe, without a console, could print nothing).
$help = & "build\dist\socdesk\socdesk-cli.exe" --help
if ($LASTEXITCODE -ne 0 -or -not ($help -match "import")) { throw "socdesk-cli --help skrev ingen hjälp" }
if (Get-Command iscc.exe -ErrorAction SilentlyContinue) { iscc.exe build_scripts\socdesk.iss }
Write-Host "Byggt: build\dist\socdesk\socdesk.exe och socdesk-cli.exe"
