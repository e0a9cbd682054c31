"""Checking: statements -> verdicts against the reference base at the statement's date."""

from blocwatch.check.verdicts import Claim, Judgement, judge

__all__ = ["Claim", "Judgement", "judge"]
