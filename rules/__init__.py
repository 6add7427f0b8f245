"""One module per rule of the regulation (filled in by the rule-engine work)."""
