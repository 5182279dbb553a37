"""Traffic simulator: realistic AIS traffic for a port file, as NMEA with tag blocks.

No Qt; seeded, so the same seed gives the same bytes.
"""
