"""Questions answered from the store: membership at a date, office holders, timelines, names."""

from blocwatch.query.history import HistoryResult, history
from blocwatch.query.members import MembersResult, members
from blocwatch.query.offices import HolderResult, holder
from blocwatch.query.resolve import EntityRef, Resolution, resolve, resolve_one

__all__ = [
    "EntityRef",
    "HistoryResult",
    "HolderResult",
    "MembersResult",
    "Resolution",
    "history",
    "holder",
    "members",
    "resolve",
    "resolve_one",
]
