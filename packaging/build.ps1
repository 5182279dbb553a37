# Windows equivalent of packaging/build.sh: PortWatch as an application, a
# PyInstaller one-folder build from the same spec (packaging\portwatch.spec):
# dist\portwatch\portwatch.exe (the command line, in a console) and
# dist\portwatch\portwatchw.exe (the same program without a console window, for
# a Start-menu or desktop shortcut).
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1 [-Dist DIR]
# Needs Python 3.11 or newer from python.org (its "py" launcher). The build
# environment is build\venv, made once and then reused. Written for Windows
# and not run by CI, which has no Windows machine.
param([string]$Dist = "")
$ErrorActionPreference = "Stop"

function Invoke-Checked([string]$Program, [string[]]$Arguments) {
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

$Started = Get-Date
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
if (-not $Dist) { $Dist = Join-Path $Root "dist" }
$Build = Join-Path $Root "build"
$Venv = Join-Path $Build "venv"
$Python = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Python)) { Invoke-Checked "py" @("-3", "-m", "venv", $Venv) }
Invoke-Checked $Python @("-m", "pip", "install", "-q", "pyinstaller>=6.10,<7")

# setuptools keeps build\lib between builds: a wheel of the checkout as it is now.
foreach ($Stale in @("lib", "wheel")) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $Build $Stale)
}
Get-ChildItem $Build -Directory -Filter "bdist.*" | Remove-Item -Recurse -Force
$Wheels = Join-Path $Build "wheel"
Invoke-Checked $Python @("-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir", $Wheels, $Root)
$Wheel = (Get-ChildItem $Wheels -Filter "portwatch-*.whl").FullName
Invoke-Checked $Python @("-m", "pip", "install", "-q", $Wheel)
Invoke-Checked $Python @("-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", $Wheel)

# Not from the checkout's root, where its portwatch\ folder would shadow the installed package.
Push-Location $Build
try {
    Invoke-Checked (Join-Path $Venv "Scripts\pyinstaller.exe") @(
        "--noconfirm", "--log-level", "WARN", "--distpath", $Dist,
        "--workpath", (Join-Path $Build "pyinstaller"), (Join-Path $Root "packaging\portwatch.spec"))
} finally {
    Pop-Location
}
$App = Join-Path $Dist "portwatch"
Copy-Item (Join-Path $Root "LICENSE") $App

$Version = & (Join-Path $App "portwatch.exe") --version
$SizeMB = [math]::Round((Get-ChildItem $App -Recurse -File | Measure-Object Length -Sum).Sum / 1MB)
$Seconds = [int]((Get-Date) - $Started).TotalSeconds
Write-Output "${App}: $Version, $SizeMB MB, built in $Seconds s"
