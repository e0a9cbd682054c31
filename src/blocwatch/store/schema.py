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
