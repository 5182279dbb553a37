"""UI tests run a real Qt application on the offscreen platform."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
