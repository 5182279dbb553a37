"""The port model: a port file (GeoJSON, DESIGN.md "Port file") read, checked and
put on a local metric plane for the analytics."""
