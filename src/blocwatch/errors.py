"""Errors blocwatch raises on purpose.

Every error a user can cause is a ``BlocwatchError`` with a one-line message
that names the input and the problem. The tree::

    BlocwatchError
    ├── ReferenceDataError   a reference data file is malformed or inconsistent
    ├── QueryError           a query names something unknown or is malformed
    │   ├── UnknownEntityError   no entity has that id, name or alias
    │   ├── ExpressionError      a members expression does not parse
    │   └── DateError            a date is malformed or impossible
    ├── StoreError           the database cannot be opened, is corrupt or too new
    └── DatasetImportError        an external dataset cannot be imported

Third-party errors are re-raised at the boundary as one of these with
``raise ... from exc``.
"""

from __future__ import annotations


class BlocwatchError(Exception):
    """Root of every error blocwatch raises on purpose."""


class ReferenceDataError(BlocwatchError):
    """A reference data file is malformed or inconsistent (names file and line).

    ``problems`` holds every ``file:line: problem`` found, the message the first.
    """

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (message,)


class QueryError(BlocwatchError):
    """A query cannot be answered as asked."""


class UnknownEntityError(QueryError):
    """No entity has the given id, name or alias."""


class ExpressionError(QueryError):
    """A members expression does not parse or names an unknown set."""


class DateError(QueryError):
    """A date is malformed or impossible."""


class StoreError(BlocwatchError):
    """The database cannot be opened, is corrupt, or has an unknown schema."""


class DatasetImportError(BlocwatchError):
    """An external dataset (e.g. COW IGO) cannot be imported."""
