"""The local store: what every sync saw, as intervals, and frames for the rule engine."""

from auditor.contract.frames import Frames
from auditor.store.interface import FirstSeen, FrameSource, PlanState, RunSummary, Store
from auditor.store.sqlstore import SqlStore, open_store

__all__ = [
    "FirstSeen",
    "FrameSource",
    "Frames",
    "PlanState",
    "RunSummary",
    "SqlStore",
    "Store",
    "open_store",
]
