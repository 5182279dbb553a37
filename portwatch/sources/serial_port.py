"""A serial source: the AIS receiver on a USB or RS-232 port, through pyserial.

A receiver that is unplugged disappears and comes back, often under the same
name: every failure to open or read is retried with back-off, for ever.
"""

from __future__ import annotations

from collections.abc import Iterator

import serial

from portwatch.sources.base import POLL_S, StreamSource

READ_BYTES = 4096


class SerialSource(StreamSource):
    """Reads ``serial:///dev/ttyUSB0?baud=38400`` (8 data bits, no parity, 1 stop bit)."""

    _port: serial.Serial | None = None

    def _connection(self) -> Iterator[bytes]:
        try:
            port = serial.Serial(self.url.path, self.url.baud or 38400, timeout=POLL_S)
        except (serial.SerialException, ValueError) as error:
            raise OSError(str(error)) from error
        self._port = port
        self._set_state("connected")
        while not self.stopped:
            try:
                chunk = port.read(READ_BYTES)
            except serial.SerialException as error:  # unplugged: the device went away
                raise OSError(str(error)) from error
            if chunk:
                yield chunk

    def _close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None
