"""Writing TOML values and tables (Python reads TOML with ``tomllib`` but cannot write it).

Only what the configuration holds: strings, booleans, integers, floats, lists of those,
tables and arrays of tables. ``config show`` prints with this, so what it prints loads back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any


def toml_value(value: Any) -> str:
    """One value in TOML spelling: ``true``, ``"text"``, ``1.0``, ``["a", "b"]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no finite TOML spelling for {value}")
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string (the same escapes), non-ASCII kept.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML spelling for {type(value).__name__}")


def toml_table(name: str, values: Mapping[str, Any]) -> list[str]:
    """``[name]`` and its plain keys; nested tables and arrays of tables after them."""
    lines = [f"[{name}]"]
    nested: list[str] = []
    for key, value in values.items():
        if isinstance(value, Mapping):
            nested += ["", *toml_table(f"{name}.{_key(key)}", value)]
        elif _is_table_array(value):
            for item in value:
                nested += ["", *toml_table(f"[{name}.{_key(key)}]", item)]
        else:
            lines.append(f"{_key(key)} = {toml_value(value)}")
    return lines + nested


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)
