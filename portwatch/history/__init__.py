"""The history database: every accepted fix, static-data change, event and port call,
in SQLite through sqlite-utils."""
