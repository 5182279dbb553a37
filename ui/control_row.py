"""A panel's row of controls (buttons, filters, a note) that wraps onto another line
when the panel is narrower than its controls at the text size chosen, instead of
squeezing them until their texts are cut: at 20 points an Event log's filters
and buttons need more than a panel's width. Within each line the room left goes
to the controls that can use it (a search box, a note), so buttons keep to the
right as in an ordinary row. After Qt's flow layout example, with that sharing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QComboBox, QLayout, QLayoutItem, QSizePolicy, QWidget

SPACING_PX = 6


class ControlRow(QLayout):
    """Controls left to right, wrapping; ``add_stretching`` for those that take the
    room left on their line."""

    def __init__(self) -> None:
        super().__init__()
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(SPACING_PX)

    def add_stretching(self, widget: QWidget) -> None:
        """``widget`` takes its share of the room left on its line (a note, a label)."""
        policy = widget.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
        widget.setSizePolicy(policy)
        self.addWidget(widget)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """All on one line."""
        shown = [item.sizeHint() for item in self._items if not item.isEmpty()]
        width = sum(size.width() for size in shown) + self.spacing() * max(0, len(shown) - 1)
        height = max((size.height() for size in shown), default=0)
        margins = self.contentsMargins()
        return QSize(width, height) + QSize(
            margins.left() + margins.right(), margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        """As narrow as the widest control: the others go onto lines of their own."""
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = []
        line: list[QLayoutItem] = []
        used = 0
        for item in self._items:
            if item.isEmpty():  # a hidden control takes no room
                continue
            wanted = item.sizeHint().width()
            if line and used + self.spacing() + wanted > width:
                lines.append(line)
                line, used = [], 0
            used += (self.spacing() if line else 0) + wanted
            line.append(item)
        if line:
            lines.append(line)
        return lines

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place the controls in ``rect`` (when ``apply``); the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        top = area.y()
        for line in self._lines(area.width()):
            widths = [min(item.sizeHint().width(), area.width()) for item in line]
            height = max(item.sizeHint().height() for item in line)
            room = area.width() - sum(widths) - self.spacing() * (len(line) - 1)
            growing = [
                k
                for k, item in enumerate(line)
                if item.expandingDirections() & Qt.Orientation.Horizontal
            ]
            if room > 0 and growing:
                for n, k in enumerate(growing):
                    widths[k] += room // len(growing) + (room % len(growing) if n == 0 else 0)
            if apply:
                left = area.x()
                for item, width in zip(line, widths, strict=True):
                    item.setGeometry(QRect(QPoint(left, top), QSize(width, height)))
                    left += width + self.spacing()
            top += height + self.spacing()
        return max(0, top - self.spacing() - rect.y()) + margins.bottom()


def compact(combo: QComboBox, characters: int = 16) -> QComboBox:
    """A filter's combo box as wide as ``characters``, not as its longest choice (an
    anchorage's name can be 45 characters); its list still shows them whole."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
    return combo
