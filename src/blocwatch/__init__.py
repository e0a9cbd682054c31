"""blocwatch: a sourced, time-aware knowledge base of international blocs.

The public API::

    import blocwatch
    store, _ = blocwatch.connect("bloc.sqlite")
    blocwatch.members(store, "CIS - CSTO", at="2018-11-21")
"""

from blocwatch.analysis import accession, copresence, explain, facts, overlap, related
from blocwatch.api import analyze, connect, import_cow_igo, ingest, init
from blocwatch.dates import PartialDate, parse_date
from blocwatch.doctor import doctor
from blocwatch.export import export
from blocwatch.errors import (
    BlocwatchError,
    DatasetImportError,
    DateError,
    ExpressionError,
    QueryError,
    ReferenceDataError,
    StoreError,
    UnknownEntityError,
)
from blocwatch.query import history, holder, members, resolve, resolve_one
from blocwatch.reference import load_reference
from blocwatch.store import Store, open_store

__all__ = [
    "BlocwatchError",
    "accession",
    "analyze",
    "copresence",
    "doctor",
    "explain",
    "export",
    "facts",
    "ingest",
    "overlap",
    "related",
    "DatasetImportError",
    "DateError",
    "ExpressionError",
    "PartialDate",
    "QueryError",
    "ReferenceDataError",
    "Store",
    "StoreError",
    "UnknownEntityError",
    "connect",
    "history",
    "holder",
    "import_cow_igo",
    "init",
    "load_reference",
    "members",
    "open_store",
    "parse_date",
    "resolve",
    "resolve_one",
]
