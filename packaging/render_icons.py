"""Render PortWatch's icon (``resources/icons/portwatch.svg``) to the PNG sizes a
desktop asks for and to the Windows ``.ico``, so that they can be made again
whenever the drawing changes. A developer script, not part of the app.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

The ``.ico`` holds the PNGs themselves (an ICO directory of PNG images, which
Windows reads since Vista): no image library beyond Qt is needed.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from portwatch.bundled import ICON_SIZES_PX, icon_name

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICONS = RESOURCES / "icons"


def render_png(renderer: QSvgRenderer, size_px: int) -> bytes:
    """The drawing at ``size_px`` square, antialiased, as PNG bytes."""
    image = QImage(size_px, size_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size_px, size_px))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_file(pngs: dict[int, bytes]) -> bytes:
    """An ICO file of PNG images: a 6-byte header, a 16-byte entry per image, the images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size_px, png in sorted(pngs.items()):
        side = 0 if size_px >= 256 else size_px  # 0 stands for 256 in an ICO entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QImage needs one
    renderer = QSvgRenderer(str(ICONS / "portwatch.svg"))
    if not renderer.isValid():
        print(f"{ICONS / 'portwatch.svg'}: not a drawing Qt can read", file=sys.stderr)
        return 1
    pngs = {size_px: render_png(renderer, size_px) for size_px in ICON_SIZES_PX}
    for size_px, png in pngs.items():
        (RESOURCES / icon_name(size_px)).write_bytes(png)
    (ICONS / "portwatch.ico").write_bytes(ico_file(pngs))
    print(f"{ICONS}: {len(pngs)} PNG sizes and portwatch.ico", file=sys.stderr)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
