"""Analyses over the store: accession, co-presence and overlap, related documents, facts, explain."""

from blocwatch.analysis.accession import AccessionResult, accession
from blocwatch.analysis.copresence import copresence, overlap
from blocwatch.analysis.explain import explain
from blocwatch.analysis.facts import FactsResult, facts
from blocwatch.analysis.related import related

__all__ = [
    "AccessionResult", "FactsResult", "accession", "copresence", "explain", "facts", "overlap",
    "related",
]
