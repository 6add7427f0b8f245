"""Delivery: reports to the people they are for, by mail, exactly once (docs/delivery.md)."""
