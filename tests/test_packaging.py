"""PortWatch as a package and as an application.

A wheel holds every package: setuptools installs only the packages pyproject.toml
lists, and an editable install hides a missing one (it maps the folders). The
licences, icon, desktop entry and metainfo are what the packaged build ships.

Tests marked ``packaging`` build the PyInstaller folder (``packaging/build.sh``),
copy it away from the checkout, and run it there as an operator would: the
command line, the app on the demo port, a replay, an ENC chart, a PostgreSQL
history, the installer; and ask the build's cut-down ICU data what Qt asks of it.
They take minutes, so the normal run leaves them out; ``.ci/run`` runs them in a
step of their own (``pytest -m packaging``).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from configparser import ConfigParser
from pathlib import Path
from typing import Any

import pytest

from portwatch import __version__
from portwatch.bundled import ICON_SIZES_PX, LICENCES, icon_name
from portwatch.decoders import DECODERS

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
LINUX = ROOT / "packaging" / "linux"
DESKTOP_ID = "org.portwatch.PortWatch"
ENC_CELL = ROOT / "tests" / "data" / "enc" / "US4MD81M" / "US4MD81M.000"
WINDOW_LINE = re.compile(
    r"^portwatch: window open on (?P<port>.+) with (?P<vessels>\d+) vessels on the map "
    r"\(chart: (?P<chart>drawn|none)\)$",
    re.MULTILINE,
)


def test_every_python_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = config["tool"]["setuptools"]["package-dir"]
    on_disk = set()
    for package, folder in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            on_disk.add(".".join([package, *relative.parts]))
    missing = {p for p in on_disk if not p.startswith("portwatch.resources")} - listed
    assert not missing, f"packages left out of the wheel: {sorted(missing)}"
    assert "portwatch.simulator" in on_disk  # the walk found the subpackages


def test_every_resources_folder_is_listed_in_pyproject() -> None:
    """A data folder missing from the list still ships, but setuptools warns of it on
    every build; the list is the one place that says what the wheel holds."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(["portwatch.resources", *path.relative_to(RESOURCES).parts])
        for path in RESOURCES.rglob("*")
        if path.is_dir() and path.name != "__pycache__"
    }
    assert folders, "no resources folders found"
    assert folders <= listed, f"resources folders not listed: {sorted(folders - listed)}"


def test_the_licence_is_the_gpl_pyproject_declares() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["license"] == "GPL-3.0-or-later"
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.split()[:5] == ["GNU", "GENERAL", "PUBLIC", "LICENSE", "Version"]
    assert "Version 3, 29 June 2007" in licence
    # The copy that ships inside the package (and so in the built app) is the same text.
    assert (RESOURCES / "licences" / "GPL-3.0.txt").read_text(encoding="utf-8") == licence


def test_every_bundled_data_file_has_its_licence_listed() -> None:
    """Data added to resources/ without a line saying where it comes from and under
    which licence fails here (Help > About shows that list)."""
    listing = (RESOURCES / LICENCES).read_text(encoding="utf-8")
    data = [
        path.relative_to(RESOURCES)
        for path in RESOURCES.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and path.name != "README.md"
        and path.parent.name != "licences"
    ]
    assert data, "no data files found"
    unlisted = [
        str(path)
        for path in data
        if f"`{path.as_posix()}`" not in listing and f"`{path.parent.as_posix()}/`" not in listing
    ]
    assert not unlisted, f"data files without a licence line in resources/{LICENCES}: {unlisted}"
    for text in re.findall(r"\]\(([^)]+\.txt)\)", listing):  # every licence it links to ships
        assert (RESOURCES / "licences" / text).is_file(), text


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_the_icon_is_there_at_every_size() -> None:
    assert (RESOURCES / "icons" / "portwatch.svg").read_text(encoding="utf-8").startswith("<?xml")
    for size_px in ICON_SIZES_PX:
        assert _png_size(RESOURCES / icon_name(size_px)) == (size_px, size_px)
    ico = (RESOURCES / "icons" / "portwatch.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(ICON_SIZES_PX))
    sides = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert sides == set(ICON_SIZES_PX)


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_desktop_entry_names_the_app_and_its_icon() -> None:
    from portwatch.ui.app import DESKTOP_ID as APP_DESKTOP_ID

    assert APP_DESKTOP_ID == DESKTOP_ID  # the taskbar matches the window to the entry by it
    entry = _desktop_entry(LINUX / f"{DESKTOP_ID}.desktop")
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "portwatch"  # install.sh writes the full path
    assert entry["Icon"] == DESKTOP_ID
    assert entry["Terminal"] == "false"


def test_the_desktop_entry_is_valid() -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    result = subprocess.run(
        [validator, str(LINUX / f"{DESKTOP_ID}.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


# What Qt asks ICU for (packaging/icu_data.py): collation (QCollator, the file
# dialog's sort), case mapping, time-zone names (which need the locales' own
# data too: their digits), the algorithmic converters; printed so that two runs
# can be compared.
ICU_PROBE = """
from PySide6.QtCore import QCollator, QDateTime, QLocale, QStringDecoder, QTimeZone

words = ["Äpfel", "apfel", "Zebra", "zoo", "öl", "Ol", "ch", "cz", "file10", "file2",
         "İstanbul", "ıi", "Łódź", "ñu", "nu", "ß", "ss", "日本", "中文", "Ångström"]
for name in ["C", "en_US", "de_DE", "sv_SE", "es_ES", "tr_TR", "pl_PL", "ja_JP", "zh_CN", "nl_NL"]:
    locale = QLocale(name)
    collator = QCollator(locale)
    collator.setNumericMode(True)
    print(name, sorted(words, key=collator.sortKey))
    print(name, [locale.toUpper(w) for w in words], [locale.toLower(w) for w in words])
moment = QDateTime.fromSecsSinceEpoch(1_700_000_000)
for zone in [b"Europe/Amsterdam", b"America/Los_Angeles", b"Etc/GMT-14", b"UTC"]:
    for name in ["en_US", "nl_NL", "zh_CN", "ar_EG", "fa_IR"]:  # Arabic, Persian digits
        for kind in QTimeZone.NameType:
            print(zone, name, QTimeZone(zone).displayName(moment, kind, QLocale(name)))
for encoding in ["UTF-8", "UTF-16LE", "UTF-7", "US-ASCII", "ISO-8859-1"]:
    print(encoding, QStringDecoder(encoding).isValid())
"""


def icu_answers(icu_folder: Path) -> str:
    """What Qt (this interpreter's PySide6) answers with the ICU data library in
    ``icu_folder``: LD_LIBRARY_PATH comes before Qt's own library folder."""
    result = subprocess.run(
        [sys.executable, "-c", ICU_PROBE],
        env={**os.environ, "LD_LIBRARY_PATH": str(icu_folder), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") > 80
    return result.stdout


def qt_icu_data() -> Path:
    """PySide6's own ICU data library (Linux wheels; Windows' Qt uses the system's)."""
    pyside6 = pytest.importorskip("PySide6")
    found = sorted((Path(pyside6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 carries no ICU data library")
    return found[0]


def test_qt_answers_the_same_on_the_cut_icu_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's ICU data (a third of the full) holds all that Qt asks ICU for."""
    if not all(shutil.which(tool) for tool in ("as", "ld")):
        pytest.skip("binutils (as, ld) are not installed: the build keeps ICU's data whole")
    full = qt_icu_data()
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    import icu_data

    icu_data.filter_library(full, tmp_path / full.name)
    assert (tmp_path / full.name).stat().st_size < full.stat().st_size / 2
    assert icu_answers(tmp_path) == icu_answers(full.parent)


def test_the_metainfo_describes_this_version() -> None:
    component = ElementTree.parse(LINUX / f"{DESKTOP_ID}.metainfo.xml").getroot()
    assert component.findtext("id") == DESKTOP_ID
    assert component.findtext("launchable") == f"{DESKTOP_ID}.desktop"
    assert component.findtext("project_license") == "GPL-3.0-or-later"
    releases = [release.get("version") for release in component.iter("release")]
    assert releases[0] == __version__, "the newest release in the metainfo is not this version"


def test_the_metainfo_is_valid() -> None:
    validator = shutil.which("appstreamcli")
    if validator is None:
        pytest.skip("appstreamcli is not installed (Debian: appstream)")
    result = subprocess.run(
        [validator, "validate", "--no-net", str(LINUX / f"{DESKTOP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The packaged application, built and run from a copy outside the checkout.


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``packaging/build.sh``'s folder, copied elsewhere, the build's own deleted: the
    copy cannot lean on the checkout, the build environment or the build folder."""
    built = tmp_path_factory.mktemp("build")
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh"), "--dist", str(built)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"packaging/build.sh failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    print(result.stdout.strip().splitlines()[-1])  # the size and the build time
    elsewhere = tmp_path_factory.mktemp("installed") / "portwatch"
    shutil.copytree(built / "portwatch", elsewhere, symlinks=True)
    shutil.rmtree(built)
    return elsewhere


def run_app_folder(
    folder: Path, *args: str, home: Path, quit_after_s: float | None = None, timeout_s: float = 120
) -> subprocess.CompletedProcess[str]:
    """The copied build's ``portwatch ARGS`` in an environment of a workstation's:
    no Python, no virtual environment, a home of its own, no display but offscreen."""
    home.mkdir(parents=True, exist_ok=True)
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    if quit_after_s is not None:
        environment["PORTWATCH_QUIT_AFTER_S"] = str(quit_after_s)
    return subprocess.run(
        [str(folder / "portwatch"), *args],
        cwd=home,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def window_report(result: subprocess.CompletedProcess[str]) -> re.Match[str]:
    assert result.returncode == 0, result.stderr
    found = WINDOW_LINE.search(result.stdout)
    assert found, f"the app did not say what its window shows:\n{result.stdout}\n{result.stderr}"
    return found


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_build_runs_from_a_copy_and_prints_its_version(
    app_folder: Path, tmp_path: Path
) -> None:
    assert not str(app_folder).startswith(str(ROOT))
    result = run_app_folder(app_folder, "--version", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    version, decoders = result.stdout.splitlines()
    assert version == f"portwatch {__version__}"
    # build.sh compiles the decoders as bootstrap.sh did for the checkout: where they
    # build, the app has them; else it runs the pure-Python ones, and says so.
    if DECODERS == "compiled (mypyc)":
        assert decoders == "decoders: compiled (mypyc)"
    else:
        assert decoders.startswith("decoders: pure Python ("), decoders
    for shipped in ("LICENSE", f"{DESKTOP_ID}.desktop", f"{DESKTOP_ID}.metainfo.xml", "install.sh"):
        assert (app_folder / shipped).is_file(), shipped


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_build_decodes_a_log_as_the_installed_package_does(
    app_folder: Path, tmp_path: Path
) -> None:
    log = tmp_path / "harbour.nmea.gz"
    shutil.copy(RESOURCES / "samples" / "demo-approach.nmea.gz", log)
    frozen = run_app_folder(app_folder, "decode", str(log), home=tmp_path / "home")
    installed = subprocess.run(
        [sys.executable, "-m", "portwatch", "decode", str(log)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert frozen.returncode == installed.returncode == 0, frozen.stderr
    assert frozen.stdout.count("\n") > 7000
    assert frozen.stdout == installed.stdout
    assert frozen.stderr == installed.stderr


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_build_opens_the_demo_port_with_vessels(app_folder: Path, tmp_path: Path) -> None:
    """A first run, as from the desktop menu: the command line starts the app (the
    executable again, with the app's argument) on the demo port and its simulator."""
    result = run_app_folder(app_folder, home=tmp_path / "home", quit_after_s=6)
    report = window_report(result)
    assert report["port"].startswith("San Pedro Bay")
    assert int(report["vessels"]) > 0
    assert report["chart"] == "none"


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_build_imports_and_replays_in_windows_of_their_own(
    app_folder: Path, tmp_path: Path
) -> None:
    """``import`` (its history writer is a child process: multiprocessing in a frozen
    build), then the commands that File > Open log and Replay history start
    (``MainWindow.open_log`` and ``replay_history``, through ``portwatch.launch``)."""
    from portwatch.history.store import HistoryStore

    home = tmp_path / "home"
    log = tmp_path / "harbour.nmea.gz"
    shutil.copy(RESOURCES / "samples" / "demo-approach.nmea.gz", log)
    database = tmp_path / "history.sqlite"
    imported = run_app_folder(app_folder, "import", str(log), "--db", str(database), home=home)
    assert imported.returncode == 0, imported.stderr
    with HistoryStore.open(database, create=False, readonly=True) as store:
        assert store.position_count() > 6000
        since_s, until_s = store.time_span()

    opened = run_app_folder(app_folder, "open", str(log), home=home, quit_after_s=5)
    assert int(window_report(opened)["vessels"]) > 0
    replayed = run_app_folder(
        app_folder,
        "open",
        str(database),
        "--from",
        str(since_s),
        "--to",
        str(until_s),
        home=home,
        quit_after_s=5,
    )
    assert int(window_report(replayed)["vessels"]) > 0


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_build_reads_enc_charts(app_folder: Path, tmp_path: Path) -> None:
    """GDAL's S-57 tables travel with the build: a port made from the test cell is the
    one the installed package makes, and the app draws the cell."""
    if not ENC_CELL.is_file():
        pytest.skip(f"the test ENC cell is not in this checkout ({ENC_CELL})")
    home = tmp_path / "home"
    frozen_dir, installed_dir = tmp_path / "frozen", tmp_path / "installed"
    for folder in (frozen_dir, installed_dir):
        folder.mkdir()
    made = run_app_folder(
        app_folder,
        "port",
        "from-enc",
        "--name",
        "Cove Point",
        "-o",
        str(frozen_dir / "cove.geojson"),
        str(ENC_CELL),
        home=home,
    )
    assert made.returncode == 0, made.stderr
    subprocess.run(
        [
            sys.executable,
            "-m",
            "portwatch",
            "port",
            "from-enc",
            "--name",
            "Cove Point",
            "-o",
            str(installed_dir / "cove.geojson"),
            str(ENC_CELL),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    made_files = sorted(p.name for p in frozen_dir.iterdir())
    assert made_files == sorted(p.name for p in installed_dir.iterdir())
    for name in made_files:
        assert (frozen_dir / name).read_bytes() == (installed_dir / name).read_bytes(), name
    report = window_report(
        run_app_folder(app_folder, "--chart", str(ENC_CELL), home=home, quit_after_s=5)
    )
    assert report["chart"] == "drawn"


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_build_keeps_a_history_in_postgresql(
    app_folder: Path, tmp_path: Path, postgresql_server: Any
) -> None:
    """psycopg's libpq, with the OpenSSL the build shares between it and the
    interpreter's ssl module (which psycopg imports), in the frozen build."""
    from portwatch.history.store import HistoryStore

    log = tmp_path / "harbour.nmea.gz"
    shutil.copy(RESOURCES / "samples" / "demo-approach.nmea.gz", log)
    url = postgresql_server.new_database()
    imported = run_app_folder(app_folder, "import", str(log), "--db", url, home=tmp_path / "home")
    assert imported.returncode == 0, imported.stderr
    with HistoryStore.open(url, create=False, readonly=True) as store:
        assert store.position_count() > 6000


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_the_builds_icu_data_holds_what_qt_asks_for(app_folder: Path, tmp_path: Path) -> None:
    """The ICU data library that ships, cut down, against PySide6's whole one."""
    full = qt_icu_data()
    shipped = app_folder / "_internal" / "PySide6" / "Qt" / "lib" / full.name
    assert shipped.stat().st_size < full.stat().st_size / 2, "the ICU data was not cut down"
    alone = tmp_path / "icu"
    alone.mkdir()
    (alone / full.name).symlink_to(shipped)
    assert icu_answers(alone) == icu_answers(full.parent)


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_install_puts_the_build_in_the_menu_and_uninstall_takes_it_away(
    app_folder: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "prefix"
    home = tmp_path / "home"
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    installed = subprocess.run(
        ["bash", str(app_folder / "install.sh"), "--prefix", str(prefix)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    desktop = prefix / "share" / "applications" / f"{DESKTOP_ID}.desktop"
    program = Path(_desktop_entry(desktop)["Exec"])
    assert program == prefix / "lib" / "portwatch" / "portwatch"
    assert os.access(program, os.X_OK)
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stdout
    for size_px in ICON_SIZES_PX:
        icon = prefix / "share/icons/hicolor" / f"{size_px}x{size_px}/apps/{DESKTOP_ID}.png"
        assert _png_size(icon) == (size_px, size_px)
    assert (prefix / "share" / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").is_file()
    through_link = run_app_folder(prefix / "bin", "--version", home=home)  # bin/portwatch: a link
    assert through_link.stdout.splitlines()[0] == f"portwatch {__version__}", through_link.stderr

    removed = subprocess.run(
        ["bash", str(app_folder / "install.sh"), "--prefix", str(prefix), "--uninstall"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert removed.returncode == 0, removed.stderr
    left = [str(p.relative_to(prefix)) for p in prefix.rglob("*") if not p.is_dir()]
    assert left == [], f"left behind: {left}"
