"""Fault modes of the simulator, and the short spec string that switches them on.

The same spec syntax is read from the CLI (``auditor simulate --fault SPEC``), from the
``X-Sim-Fault`` request header (that request only) and from ``POST /__sim__/faults``
(``{"spec": SPEC}``, for the rest of the run). A spec is a comma-separated list of items:

=====================  ===================================================================
``slow=200ms``         delay every answer (``1.5s``, ``200ms``; a bare number is milliseconds)
``slow``               the same with a delay of 1 s
``5xx=0.1``            answer 503 with this probability (``10%`` works too)
``5xx-status=500``     the status that 5xx faults use: 500 or 503 (default 503)
``429=0.05``           answer 429 Too Many Requests with this probability
``retry-after=5``      the Retry-After seconds of 429 answers (default 1)
``next-5xx=2``         fail exactly the next N requests with the 5xx status (deterministic)
``next-429=1``         answer exactly the next N requests with 429 (deterministic)
``expire-after=30``    invalidate every session after N more requests (0: at once)
``expire-now``         the same as ``expire-after=0``
``layout=changed``     serve staff pages with changed markup (``layout=normal`` undoes it)
``truncate=0.2``       cut the body of this share of answers short (bare ``truncate``: all)
``wrong-credentials``  refuse every login as a wrong password (staff form and mobile API)
``seed=7``             reseed the random draws of the rates
=====================  ===================================================================

An empty spec means no faults. Items that are given replace the defaults (or, in a request
header, the run's current settings); a key given twice keeps the last value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from auditor.errors import ConfigError

_RATE = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)(%?)$")
_DURATION = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)(ms|s)?$")


class FaultSpecError(ConfigError, ValueError):
    """A fault spec could not be read; ``problems`` names every bad item at once.

    Also a ValueError, so that a caller parsing a command-line value may catch either.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            problems,
            source="fault spec",
            hint="write items like slow=200ms,5xx=0.1,next-429=1; docs/simulator.md lists them",
        )


@dataclass(frozen=True, slots=True)
class FaultConfig:
    """Which faults the simulator injects. The default injects none."""

    delay_s: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    throttle_rate: float = 0.0
    retry_after_s: int = 1
    next_5xx: int = 0
    next_429: int = 0
    expire_after: int | None = None  # None: sessions live by their TTL only
    layout_changed: bool = False
    truncate_rate: float = 0.0
    wrong_credentials: bool = False
    seed: int | None = None  # None: keep the simulator's own seed

    @classmethod
    def parse(cls, spec: str) -> FaultConfig:
        """Read a spec string; raise :class:`FaultSpecError` listing every bad item."""
        return cls().with_spec(spec)

    def with_spec(self, spec: str) -> FaultConfig:
        """This config with the items of ``spec`` applied on top."""
        return replace(self, **parse_overrides(spec))

    @property
    def is_clean(self) -> bool:
        return self == FaultConfig()

    def to_spec(self) -> str:
        """The canonical spec string of this config ("" when clean)."""
        items: list[str] = []
        if self.delay_s:
            items.append(f"slow={round(self.delay_s * 1000)}ms")
        if self.error_rate:
            items.append(f"5xx={self.error_rate:g}")
        if self.error_status != 503:
            items.append(f"5xx-status={self.error_status}")
        if self.throttle_rate:
            items.append(f"429={self.throttle_rate:g}")
        if self.retry_after_s != 1:
            items.append(f"retry-after={self.retry_after_s}")
        if self.next_5xx:
            items.append(f"next-5xx={self.next_5xx}")
        if self.next_429:
            items.append(f"next-429={self.next_429}")
        if self.expire_after is not None:
            items.append(f"expire-after={self.expire_after}")
        if self.layout_changed:
            items.append("layout=changed")
        if self.truncate_rate:
            items.append(f"truncate={self.truncate_rate:g}")
        if self.wrong_credentials:
            items.append("wrong-credentials")
        if self.seed is not None:
            items.append(f"seed={self.seed}")
        return ",".join(items)

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _rate(raw: str) -> float:
    match = _RATE.match(raw)
    if not match:
        raise ValueError("expected a probability such as 0.1 or 10%")
    value = float(match.group(1)) / (100 if match.group(2) else 1)
    if not 0 <= value <= 1:
        raise ValueError("a probability must lie between 0 and 1")
    return value


def _duration(raw: str) -> float:
    match = _DURATION.match(raw)
    if not match:
        raise ValueError("expected a delay such as 200ms or 1.5s")
    number = float(match.group(1))
    return number if match.group(2) == "s" else number / 1000


def _count(raw: str) -> int:
    if not raw.isdigit():
        raise ValueError("expected a whole number >= 0")
    return int(raw)


def _status(raw: str) -> int:
    if raw not in ("500", "503"):
        raise ValueError("expected 500 or 503")
    return int(raw)


def _layout(raw: str) -> bool:
    if raw not in ("changed", "normal"):
        raise ValueError("expected changed or normal")
    return raw == "changed"


# key -> (FaultConfig field, converter of the value)
_VALUED = {
    "slow": ("delay_s", _duration),
    "5xx": ("error_rate", _rate),
    "5xx-status": ("error_status", _status),
    "429": ("throttle_rate", _rate),
    "retry-after": ("retry_after_s", _count),
    "next-5xx": ("next_5xx", _count),
    "next-429": ("next_429", _count),
    "expire-after": ("expire_after", _count),
    "layout": ("layout_changed", _layout),
    "truncate": ("truncate_rate", _rate),
    "seed": ("seed", _count),
}
# bare flags -> (field, value)
_FLAGS: dict[str, tuple[str, Any]] = {
    "wrong-credentials": ("wrong_credentials", True),
    "expire-now": ("expire_after", 0),
    "truncate": ("truncate_rate", 1.0),
    "slow": ("delay_s", 1.0),
}


def parse_overrides(spec: str) -> dict[str, Any]:
    """The FaultConfig fields that ``spec`` sets, by field name."""
    overrides: dict[str, Any] = {}
    problems: list[str] = []
    for raw_item in spec.split(","):
        item = raw_item.strip()
        if not item:
            continue
        key, sep, value = (part.strip() for part in item.partition("="))
        key = key.lower()
        if not sep:
            if key in _FLAGS:
                name, flag_value = _FLAGS[key]
                overrides[name] = flag_value
            else:
                problems.append(f"{item!r}: unknown flag (or a key without '=value')")
            continue
        if key not in _VALUED:
            problems.append(f"{item!r}: unknown key {key!r}")
            continue
        name, convert = _VALUED[key]
        try:
            overrides[name] = convert(value)
        except ValueError as exc:
            problems.append(f"{item!r}: {exc}")
    if problems:
        raise FaultSpecError(problems)
    return overrides
