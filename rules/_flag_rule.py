"""The shared check of the two institution-wide setup items (clause 2.2) that are one flag:
the academic-year structure and the parent notification schedule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.lazy import pandas as pd
from rules._setup import institution_flag, setup_facts
from rules._setup_result import setup_result
from rules.base import RuleContext

if TYPE_CHECKING:
    from auditor.contract.frames import Frames


@dataclass(frozen=True, slots=True)
class FlagParams:
    report_cannot_prove: bool = True  # list items already met when first read, after the deadline


def flag_check(
    fact: str, *, what: str, fixed: str, item: str
) -> Callable[[Frames, FlagParams, RuleContext], pd.DataFrame]:
    """A rule check judging the setup fact ``fact`` ("true" when the item is configured)."""

    def check(frames: Frames, params: FlagParams, ctx: RuleContext) -> pd.DataFrame:
        facts, window = setup_facts(frames, ctx)
        judged = institution_flag(facts, window, fact, cannot_prove=params.report_cannot_prove)
        return setup_result(judged, ctx, what=what, fixed=fixed, item=item)

    return check
