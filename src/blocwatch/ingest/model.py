"""What ingestion produces: a page as read, and the documents found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["main", "teaser"]
Format = Literal["text", "html", "warc", "jsonl"]


@dataclass(frozen=True)
class Link:
    """A link a page points to as related content ("See also related content: X")."""

    title: str
    url: str | None = None


@dataclass
class Document:
    """One article found on a page: the main article or a teaser of another one.

    ``start``/``end`` locate ``text`` in the page text the segmenter was given
    (character offsets) when it is a contiguous slice of it; None otherwise.
    ``published`` is an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from this
    document's own metadata, never from another document on the page.
    ``metadata`` holds what is not body text: ``captions`` (list of str),
    ``source_lines`` (list of str), and reader-specific keys.
    """

    role: Role
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    start: int | None = None
    end: int | None = None


@dataclass
class RawPage:
    """One page as a reader found it, before segmentation.

    ``text`` is set for plain text input, ``html`` for HTML (also from WARC
    response records and JSON Lines ``html``). ``meta`` carries what the
    container said: ``url``, ``title``, ``published`` (JSON Lines), the WARC
    record id and date.
    """

    path: str  # file path, "path#record-n" inside an archive, or "-" for stdin
    format: Format
    raw: bytes  # the bytes this page came from (the record, the line, the file)
    text: str | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadFailure:
    """An input, or a record in it, that could not be read, and why (one line)."""

    path: str
    reason: str
