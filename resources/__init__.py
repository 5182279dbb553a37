"""PortWatch's data files (ports, sample logs, icons): a package only so that
importlib.resources finds them once installed. No code lives here."""
