"""``portwatch port from-enc``: a port file from ENC cells, and what to check in it.

The edge where chart errors become one line each on standard error and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from portwatch.charts.cells import ChartError
from portwatch.charts.port_from_enc import port_from_enc


def run_from_enc(
    cells: Sequence[str], name: str, output: str, approach: str, all_restricted: bool
) -> int:
    """Make the port, write it (and its coastline) at ``output``, print the summary."""
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
