"""What the S-57 codes PortWatch uses mean (IHO S-57 Edition 3.1, Appendix A,
attribute catalogue), for the ``reason`` of a restricted area and the colours of
aids to navigation."""

from __future__ import annotations

RESTRICTION = {
    1: "anchoring prohibited", 2: "anchoring restricted", 3: "fishing prohibited",
    4: "fishing restricted", 5: "trawling prohibited", 6: "trawling restricted",
    7: "entry prohibited", 8: "entry restricted", 9: "dredging prohibited",
    10: "dredging restricted", 11: "diving prohibited", 12: "diving restricted",
    13: "no wake", 14: "area to be avoided", 15: "construction prohibited",
    16: "discharging prohibited", 17: "discharging restricted",
    18: "industrial or mineral exploration prohibited",
    19: "industrial or mineral exploration restricted", 20: "drilling prohibited",
    21: "drilling restricted", 22: "removal of historical artifacts prohibited",
    23: "cargo transhipment prohibited", 24: "dragging prohibited",
    25: "stopping prohibited", 26: "landing prohibited", 27: "speed restricted",
}  # fmt: skip
"""RESTRN."""

ENTRY_RESTRICTIONS = frozenset({7, 8, 14})
"""RESTRN codes that are about a ship being there at all (entry prohibited or
restricted, area to be avoided), as opposed to what it may do there."""

RESTRICTED_AREA_CATEGORY = {
    1: "offshore safety zone", 4: "nature reserve", 5: "bird sanctuary",
    6: "game preserve", 7: "seal sanctuary", 8: "degaussing range", 9: "military area",
    10: "historic wreck area", 12: "navigational aid safety zone", 14: "minefield",
    18: "swimming area", 19: "waiting area", 20: "research area", 21: "dredging area",
    22: "fish sanctuary", 23: "ecological reserve", 24: "no wake area", 25: "swinging area",
    26: "water skiing area", 27: "environmentally sensitive sea area",
    28: "particularly sensitive sea area",
}  # fmt: skip
"""CATREA."""

COLOUR = {
    1: "white", 2: "black", 3: "red", 4: "green", 5: "blue", 6: "yellow", 7: "grey",
    8: "brown", 9: "amber", 10: "violet", 11: "orange", 12: "magenta", 13: "pink",
}  # fmt: skip
"""COLOUR."""

WATER_LEVEL_NOT_LAND = frozenset({3, 4, 5, 7})
"""WATLEV codes of a construction that is no obstacle above water: always under
water, covers and uncovers, awash, floating."""
