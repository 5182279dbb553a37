"""The operator's watch: zones, anchorages, anchor drag, close quarters, speeding,
restricted areas and the alerts they raise, computed on the data clock in the
engine's thread (no Qt here). ``PortAnalytics`` runs one pass; ``WatchView`` is
what it shows."""

from portwatch.analytics.alerts import Alert, AlertBook
from portwatch.analytics.anchorages import AnchorageState
from portwatch.analytics.settings import WatchSettings
from portwatch.analytics.view import VesselWatch, WatchView
from portwatch.analytics.watch import PortAnalytics

__all__ = [
    "Alert",
    "AlertBook",
    "AnchorageState",
    "PortAnalytics",
    "VesselWatch",
    "WatchSettings",
    "WatchView",
]
