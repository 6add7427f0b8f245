"""pandas and numpy, imported on first use.

Listing the rules, printing help or checking a config must not pay for importing pandas
(about a second): rule modules take ``pd`` and ``np`` from here, and the real import
happens the first time a check touches them. Type checkers see the real modules.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING


def lazy_module(name: str) -> ModuleType:
    """``name``, loaded when one of its attributes is first read (or at once if loaded)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import numpy as numpy
    import pandas as pandas
else:
    numpy = lazy_module("numpy")
    pandas = lazy_module("pandas")
