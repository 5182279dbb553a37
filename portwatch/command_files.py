"""The files a command reads and writes, checked before it opens any for writing.

``portwatch decode LOG -o LOG`` would empty the log before reading a line of it,
``portwatch run history:///X --db X`` would replay a database into itself, and
``record -o /typo/x.nmea`` would make a folder nobody asked for. So a command
checks its outputs against its inputs, and their folders, first: a refusal
leaves every file as it was. The core raises ``WriteRefusedError``; the CLI turns it
into one line and exit status 2.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from portwatch.decoders.errors import PortwatchError
from portwatch.decoders.stats import DecodeStats
from portwatch.sources.urls import REPLAY_KINDS, SourceUrl

STANDARD_INPUT = "-"
"""An input read from standard input: compared as the file it is redirected from."""


class WriteRefusedError(PortwatchError):
    """An output that would destroy an input, or whose folder is not there."""


class OutputError(PortwatchError):
    """An output could not be opened or written (a full disk, no permission)."""


class InputError(PortwatchError):
    """An input cannot be opened at all (not there, no permission)."""


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are one file: the same device and inode (through a
    symbolic or hard link, or standard input redirected from it), or, while one
    is not there yet, the same path once links are resolved. A terminal, a pipe
    or a device is never "the same file": it is read and written at once by design."""
    a, b = _as_path(a), _as_path(b)
    try:
        first, second = os.stat(a), os.stat(b)
    except (OSError, ValueError):  # not there yet, or a NUL in the name
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop
            return False
    if not (stat.S_ISREG(first.st_mode) and stat.S_ISREG(second.st_mode)):
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def refuse_writing_over_inputs(
    outputs: Iterable[str | Path | None], inputs: Iterable[str | Path | None]
) -> None:
    """Raise ``WriteRefusedError`` when an output is one of the inputs, or two outputs
    are one file (``run --db X --events X``); None stands for "not given"."""
    given_inputs = [path for path in inputs if path is not None]
    given_outputs = [path for path in outputs if path is not None]
    for index, output in enumerate(given_outputs):
        for source in given_inputs:
            if same_file(output, source):
                shown = "standard input" if str(source) == STANDARD_INPUT else source
                raise WriteRefusedError(f"will not write {output}: it is the input {shown}")
        for other in given_outputs[:index]:
            if same_file(output, other):
                raise WriteRefusedError(f"will not write {output}: it is also the output {other}")


def refuse_missing_folder(output: str | Path) -> None:
    """Raise ``WriteRefusedError`` unless the folder ``output`` goes in is there: a
    mistyped path is not a request for new folders."""
    folder = Path(output).parent
    if not folder.is_dir():
        raise WriteRefusedError(f"cannot write {output}: there is no folder {folder}")


def source_inputs(urls: Iterable[SourceUrl]) -> list[str]:
    """The files sources read: recorded logs, history databases, standard input."""
    return [
        url.path if url.kind in REPLAY_KINDS and url.path else STANDARD_INPUT
        for url in urls
        if url.kind in REPLAY_KINDS or url.kind == "stdin"
    ]


def cannot_read(path: str) -> str | None:
    """Why ``path`` cannot be opened for reading, or None when it can (standard
    input always can)."""
    if path == STANDARD_INPUT:
        return None
    try:
        with open(path, "rb"):
            return None
    except OSError as error:
        return error.strerror or str(error)


def refuse_unreadable_inputs(paths: Iterable[str]) -> None:
    """Raise ``InputError`` naming the first input that cannot be opened, before any
    output is made: a replay with one of its logs missing would tell a wrong story."""
    for path in paths:
        reason = cannot_read(path)
        if reason is not None:
            raise InputError(f"{path}: cannot read: {reason}")


def no_ais(stats: DecodeStats) -> str:
    """What to say of an input in which not one line is an AIS sentence (a wrong
    file, random bytes, another device's output): plainly that, not "malformed N"."""
    if stats.lines == stats.blank:
        return "holds no AIS: it is empty"
    return f"holds no AIS: not one of its {stats.lines:,} lines is an AIS sentence"


def redirected_output() -> str | None:
    """Standard output as a path when it goes to a regular file (``>> LOG``), so it
    can be checked like ``-o``; None for a terminal or a pipe."""
    try:
        if stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode):
            return "/dev/stdout"
    except (OSError, ValueError, AttributeError):  # closed, or replaced by a test
        pass
    return None


def _as_path(path: str | Path) -> Path:
    return Path("/dev/stdin") if str(path) == STANDARD_INPUT else Path(path)
