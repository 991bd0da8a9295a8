"""The checks: the rule catalogue and the engine that runs it on a report. Pure Python, no I/O."""

from .catalogue import RULES, RuleSpec
from .engine import run_rules

__all__ = ["RULES", "RuleSpec", "run_rules"]
