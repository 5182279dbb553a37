"""Help > About: the version, and the licences of PortWatch and of the data and
libraries it ships with, read from ``resources/licences/README.md`` so that the
window and the files cannot disagree. Its links open the licence texts in place."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from portwatch import __version__
from portwatch.bundled import LICENCES, bundled_file


def version_line() -> str:
    """What a support request needs: PortWatch's version and what it runs on."""
    return (
        f"PortWatch {__version__} — Python {platform.python_version()}, "
        f"Qt {qVersion()}, PySide6 {pyside_version}"
    )


class LicenceBrowser(QTextBrowser):
    """A text browser that shows ``.txt`` files (the licence texts) as written:
    QTextBrowser would read them as HTML and run their lines together."""

    def loadResource(self, kind: int, name: QUrl) -> object:
        if name.isLocalFile() and name.toLocalFile().endswith(".txt"):
            text = Path(name.toLocalFile()).read_text(encoding="utf-8")
            return f"<pre>{html.escape(text)}</pre>"
        return super().loadResource(kind, name)


class AboutDialog(QDialog):
    """The version above the licences; Back returns from a licence text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About PortWatch")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.version = QLabel(version_line())
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.version)
        self.licences = LicenceBrowser()
        self.licences.setOpenExternalLinks(True)  # the NOAA agreement's address
        self.licences.setSource(QUrl.fromLocalFile(str(bundled_file(LICENCES))))
        layout.addWidget(self.licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.back_button = buttons.addButton("Back", QDialogButtonBox.ButtonRole.ActionRole)
        self.back_button.clicked.connect(self.licences.backward)
        self.back_button.setEnabled(False)
        self.licences.backwardAvailable.connect(self.back_button.setEnabled)
        about_qt = buttons.addButton("About Qt", QDialogButtonBox.ButtonRole.HelpRole)
        about_qt.clicked.connect(lambda: QMessageBox.aboutQt(self))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
