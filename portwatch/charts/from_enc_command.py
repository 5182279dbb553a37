"""``portwatch port from-enc``: a port file from ENC cells, and what to check in it.

The edge where chart errors become one line each on standard error and exit 2.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Sequence
from pathlib import Path

from portwatch.charts.cells import ChartError
from portwatch.charts.port_from_enc import coastline_path, port_from_enc
from portwatch.command_files import refuse_writing_over_inputs


def run_from_enc(
    cells: Sequence[str], name: str, output: str, approach: str, all_restricted: bool
) -> int:
    """Make the port, write it (and its coastline) at ``output``, print the summary.
    Raises ``WriteRefusedError`` when either would be written over a cell or one of
    its update files."""
    updates = [
        update
        for cell in cells
        for update in Path(cell).parent.glob(f"{glob.escape(Path(cell).stem)}.[0-9][0-9][0-9]")
    ]
    refuse_writing_over_inputs([output, coastline_path(output)], [*cells, *updates])
    try:
        port = port_from_enc(cells, name, approach=approach, all_restricted=all_restricted)
    except ChartError as error:
        for line in str(error).splitlines():
            print(f"portwatch port from-enc: {line}", file=sys.stderr)
        return 2
    try:
        written, coastline = port.write(output)
    except OSError as error:
        print(f"portwatch port from-enc: {output}: cannot write: {error.strerror or error}",
              file=sys.stderr)  # fmt: skip
        return 2
    print(f"wrote {written} and {coastline}")
    for line in port.summary():
        print(line)
    return 0
