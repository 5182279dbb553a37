"""The history database: every accepted fix, static-data change, event and port call,
in SQLite through sqlite-utils (the embedded default) or in PostgreSQL through
psycopg (a control centre's shared history), behind one store (``backend``)."""
