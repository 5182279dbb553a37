"""The control centre: the relay of the de-duplicated stream to the workstations, and
acknowledgements shared between them through the history database."""
