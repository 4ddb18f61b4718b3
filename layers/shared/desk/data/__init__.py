"""The data layer: the table's item kinds and keys (``schema``)."""
