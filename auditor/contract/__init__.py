"""The shapes the stages agree on, below all of them: the frames the store fills and the
rules read (``frames``), the value codes of the interval tables (``values``), and the
findings the rules produce and the store, the reports and the archive take (``findings``).

Nothing here does I/O or knows the store, the engine or the connector; pandas is taken
lazily, so importing a contract module is cheap.
"""
