"""The end-to-end demo on the embedded demo institution (outside the core: nothing in the
core imports this package)."""
