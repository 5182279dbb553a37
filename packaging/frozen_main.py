"""The frozen build's entry point (PyInstaller runs this script as ``__main__``).

One executable is both programs: the command line, and with ``APP_ARGUMENT``
first the desktop app, which the command line and the app start in place of
``python -m portwatch.ui`` / ``python -m portwatch`` (see ``portwatch.launch``).
"""

import multiprocessing
import sys

from portwatch.launch import APP_ARGUMENT

if __name__ == "__main__":
    # A bulk import's history writer is a multiprocessing child: started by
    # re-running this executable, which must become that child and nothing else.
    multiprocessing.freeze_support()
    if sys.argv[1:2] == [APP_ARGUMENT]:
        del sys.argv[1]
        from portwatch.ui.__main__ import main
    else:
        from portwatch.cli import main
    sys.exit(main())
