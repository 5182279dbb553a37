"""PortWatch's Qt desktop front end (PySide6, pyqtgraph); the only layer that imports Qt."""
