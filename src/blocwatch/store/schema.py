"""The store's tables, as SQLAlchemy Core, portable to SQLite and PostgreSQL.

Every fact row carries ``origin`` (where blocwatch got it: ``reference`` for
the bundled curated files, ``cow`` for an imported COW IGO dataset,
``learned`` for facts read from articles) and ``source`` (a citation).
Dates are stored three ways: the text as written (``start``, whose format is
its precision) and the first and last day it can mean (``start_first``,
``start_last``), so interval queries stay plain comparisons.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

migration = sa.Table(
    "migration",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

entity = sa.Table(
    "entity",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    # organisation of a body; organisation, body or state of an office
    sa.Column("parent", sa.String(200)),
    sa.Column("wikidata", sa.String(20)),
    sa.Column("details", sa.JSON, nullable=False, default=dict),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Index("ix_entity_kind", "kind"),
)

alias = sa.Table(
    "alias",
    metadata,
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entity.id", ondelete="CASCADE"), nullable=False),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("norm", sa.Text, nullable=False),
    # name, official, alias, abbreviation, demonym, derived
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.UniqueConstraint("entity_id", "norm", "kind", name="uq_alias"),
    sa.Index("ix_alias_norm", "norm"),
)


def _dated(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(prefix, sa.String(10)),
        sa.Column(f"{prefix}_first", sa.Date),
        sa.Column(f"{prefix}_last", sa.Date),
    ]


membership = sa.Table(
    "membership",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("state", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("organisation", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    *_dated("start"),
    *_dated("end"),
    sa.Column("announced", sa.String(10)),
    sa.Column("notified", sa.String(10)),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Index("ix_membership_org_start", "organisation", "start_first"),
    sa.Index("ix_membership_state", "state"),
)

group_member = sa.Table(
    "group_member",
    metadata,
    sa.Column("group_id", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("state", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("group_id", "state"),
)

office_holding = sa.Table(
    "office_holding",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("office", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("person", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    *_dated("start"),
    *_dated("end"),
    sa.Column("acting", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Index("ix_office_holding_office", "office", "start_first"),
    sa.Index("ix_office_holding_person", "person"),
)

rule = sa.Table(
    "rule",
    metadata,
    sa.Column("organisation", sa.String(200), sa.ForeignKey("entity.id"), nullable=False),
    sa.Column("rule", sa.String(30), nullable=False),
    sa.Column("procedure", sa.String(50), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("organisation", "rule", "origin"),
)

REFERENCE_TABLES = (entity, alias, membership, group_member, office_holding, rule)


# --- Ingestion: pages as read, documents found in them, where each was seen. ---

page = sa.Table(
    "page",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),  # sha256 of raw bytes
    sa.Column("path", sa.Text, nullable=False),  # where it was first read from
    sa.Column("format", sa.String(10), nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("raw", sa.LargeBinary, nullable=False),  # zlib-compressed bytes
    sa.Column("meta", sa.JSON, nullable=False, default=dict),
    sa.Column("ingested_at", sa.String(32), nullable=False),
)

document = sa.Table(
    "document",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("text_hash", sa.String(64), nullable=False, unique=True),  # of normalised text
    sa.Column("role", sa.String(10), nullable=False),  # role at first sighting
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("outlet", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("metadata", sa.JSON, nullable=False, default=dict),
    sa.Column("links", sa.JSON, nullable=False, default=list),
    sa.Column("minhash", sa.LargeBinary),
    sa.Column("created_at", sa.String(32), nullable=False),
)

# A document seen on a page: the main article once, a teaser on every page that shows it.
sighting = sa.Table(
    "sighting",
    metadata,
    sa.Column("page_id", sa.Integer, sa.ForeignKey("page.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id"), nullable=False),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("match", sa.String(10), nullable=False),  # new, exact, near
    sa.Column("similarity", sa.Float),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.PrimaryKeyConstraint("page_id", "position"),
    sa.Index("ix_sighting_document", "document_id"),
)

# MinHash LSH bands, so near duplicates are found across the whole store by an index lookup.
document_band = sa.Table(
    "document_band",
    metadata,
    sa.Column("band", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(32), nullable=False),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
    sa.PrimaryKeyConstraint("band", "hash", "document_id"),
)

# An input (or a record in it) that could not be ingested, and why.
failure = sa.Table(
    "failure",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
)

INGEST_TABLES = (page, document, sighting, document_band, failure)


# --- Facts read from documents, each with its section, span and sentence. ---

extraction = sa.Table(
    "extraction",
    metadata,
    sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("date_from", sa.String(10)),  # the window the document's date lies in
    sa.Column("date_to", sa.String(10)),
    sa.Column("document_date", sa.String(10)),  # published, else the event date the text pins
    sa.Column("document_date_basis", sa.String(80)),
    sa.Column("extracted_at", sa.String(32), nullable=False),
)

mention = sa.Table(
    "mention",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entity_id", sa.String(200)),  # None when ambiguous
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("section", sa.String(40), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("how", sa.String(20), nullable=False),
    sa.Column("candidates", sa.JSON, nullable=False, default=list),
    sa.Column("role", sa.Text),
    sa.Column("office", sa.String(200)),
    sa.Column("represents", sa.String(200)),
    sa.Index("ix_mention_entity", "entity_id"),
    sa.Index("ix_mention_document", "document_id"),
)

statement = sa.Table(
    "statement",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("subject", sa.String(200)),
    sa.Column("predicate", sa.String(50), nullable=False),
    sa.Column("object", sa.String(200)),
    sa.Column("negated", sa.Boolean, nullable=False, default=False),
    sa.Column("quantifier", sa.String(20)),
    sa.Column("value", sa.JSON),
    sa.Column("plover", sa.String(20)),
    sa.Column("cameo", sa.String(4)),
    sa.Column("date", sa.String(10)),
    sa.Column("section", sa.String(40), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("extra", sa.JSON, nullable=False, default=dict),
    sa.Index("ix_statement_subject", "subject"),
    sa.Index("ix_statement_object", "object"),
    sa.Index("ix_statement_document", "document_id"),
)

meeting = sa.Table(
    "meeting",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
    sa.Column("body", sa.String(200)),
    sa.Column("ordinal", sa.Integer),
    sa.Column("date", sa.String(10)),
    sa.Column("date_basis", sa.String(60)),
    sa.Column("place", sa.Text),
    sa.Column("host", sa.String(200)),
    sa.Column("topic", sa.Text),
    sa.Column("absent", sa.JSON, nullable=False, default=list),
    sa.Column("section", sa.String(40), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Index("ix_meeting_body", "body"),
)

participant = sa.Table(
    "participant",
    metadata,
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("person", sa.String(200)),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("represents", sa.String(200)),
    sa.PrimaryKeyConstraint("meeting_id", "position"),
)

FACT_TABLES = (extraction, mention, statement, meeting, participant)
