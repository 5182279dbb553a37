"""The one error hierarchy of PortWatch.

It lives in the lowest layer so that every layer above can derive from it;
streams never raise these (they skip and count), single-message calls do.
"""


class PortwatchError(Exception):
    """Base of every error PortWatch raises on purpose."""


class PortwatchWarning(UserWarning):
    """Base of PortWatch's own warnings (turned into errors in the test suite)."""


class DecodeError(PortwatchError):
    """A sentence or message could not be decoded.

    ``kind`` is the statistics counter the failure is counted under in a
    stream (``bad_checksum``, ``malformed``, ``unsupported_type``, ...).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
