"""PortWatch: vessel traffic and AIS monitoring for ports (the headless core)."""

__version__ = "0.1.0"
