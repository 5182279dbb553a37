"""PyInstaller runtime hook: a stand-in for PySide6.QtOpenGL, which the packaged
build leaves out (its bindings are 9 MB). pyqtgraph imports the module as it
loads but uses it only to draw curves with OpenGL (its ``useOpenGL`` option),
which PortWatch never turns on. The finder comes last, so a real QtOpenGL, if
one is ever bundled, is found first; asked for a name, the stand-in says why it
has none.
"""

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

LEFT_OUT = "PySide6.QtOpenGL"


def _left_out(name: str) -> object:
    raise AttributeError(
        f"{LEFT_OUT}.{name}: PySide6's OpenGL bindings are not in PortWatch's packaged "
        "build (see packaging/portwatch.spec)"
    )


class _StandIn(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.machinery.ModuleSpec(name, self) if name == LEFT_OUT else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: ModuleType) -> None:
        module.__getattr__ = _left_out


sys.meta_path.append(_StandIn())
