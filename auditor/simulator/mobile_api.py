"""Placeholder: the mobile JSON API (``/api3d/``) is being written."""

from __future__ import annotations

from datetime import datetime

from auditor.simulator.dataset import Dataset
from auditor.simulator.http import SimRequest, SimResponse


def handle(request: SimRequest, dataset: Dataset, now: datetime) -> SimResponse:
    return SimResponse.json_bytes(b'{"success": false, "error": "not implemented"}', 501)
