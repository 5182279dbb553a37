"""Peak memory of a benchmark's own subprocess, and running one.

A figure of memory is only the benchmark's own when the work runs in a fresh
process: the parent's imports, caches and earlier rounds are not in it. The peak
is ``VmHWM``, the high-water mark of this process image, not ``ru_maxrss``: Linux
carries ``ru_maxrss`` over ``exec`` from the process that forked, so a subprocess
of a big benchmark would report the parent's peak (checked: a child of a parent
holding 300 MB reports 300 MB). ``ru_maxrss`` is kept for the record; it is the
fallback off Linux.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any


def proc_status_kib(field: str) -> int | None:
    """A size from ``/proc/self/status`` in KiB (Linux), or None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_memory() -> dict[str, Any]:
    """Peak and current resident set size of this process, in KiB: ``peak_kib`` (and
    where it was read, ``peak_source``), ``ru_maxrss_kib``, ``rss_kib``."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hwm = proc_status_kib("VmHWM")
    return {
        "peak_kib": hwm if hwm is not None else maxrss,
        "peak_source": "VmHWM" if hwm is not None else "ru_maxrss",
        "ru_maxrss_kib": maxrss,
        "rss_kib": proc_status_kib("VmRSS"),
    }


def run_script(script: str | Path, *args: str, timeout_s: float = 1800) -> dict[str, Any] | str:
    """Run ``script`` with ``args`` in a fresh interpreter; its last stdout line (JSON),
    or why it failed."""
    done = subprocess.run(
        [sys.executable, str(Path(script).resolve()), *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"exit {done.returncode}: {tail}"
    data: dict[str, Any] = json.loads(lines[-1])
    return data
