"""Read a document the way an analyst does: one orchestrating function, stage by stage.

    sections (title, body, captions) -> spaCy Docs (tokens, sentences, known names)
      -> persons by role (and by a statistical model, when one is installed)
      -> date range from office tenures -> dates
      -> meetings -> membership statements -> events -> quotes -> quantities

Every stage is a typed function in its own module taking the section and the
shared :class:`Context`. The spaCy pipeline is blank English (no model
weights): tokenizer, sentencizer and an EntityRuler built from the
reference base.
"""

from __future__ import annotations

import logging

import spacy
from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, LOWER
from spacy.language import Language

from blocwatch.dates import PartialDate, parse_date
from blocwatch.errors import DateError
from blocwatch.extract import entities
from blocwatch.extract.gazetteer import Gazetteer
from blocwatch.extract.model import Context, Extraction, Mention, Section
from blocwatch.ingest.model import Document

log = logging.getLogger(__name__)


# The lexical attributes blocwatch reads from a token (lower_, is_alpha, is_title,
# is_upper, like_num; is_punct for the sentencizer; LOWER for the alias matcher).
# A blank English vocabulary computes 23 for every word it has not seen (shape,
# prefix, suffix, norm, stop word, ...), one Python call each: on a first pass over
# news pages, most words are new.
LEXICAL_ATTRIBUTES = frozenset({LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, IS_PUNCT, IS_SPACE, LIKE_NUM})


def build_nlp(gazetteer: Gazetteer) -> Language:
    """The spaCy pipeline: blank English, sentencizer, the reference base's names.

    Its vocabulary computes only the lexical attributes blocwatch reads
    (``LEXICAL_ATTRIBUTES``); the tokenizer and its rules are spaCy's own.
    """
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters = {attr: getter for attr, getter
                                  in nlp.vocab.lex_attr_getters.items()
                                  if attr in LEXICAL_ATTRIBUTES}
    nlp.add_pipe("sentencizer")
    entities.add_entity_ruler(nlp, gazetteer)
    return nlp


def _known_mentions(section: Section) -> list[Mention]:
    out = []
    for ent in section.doc.ents:
        ids = tuple(ent.ent_id_.split("|")) if ent.ent_id_ else ()
        out.append(Mention(
            section=section.name, start=ent.start_char, end=ent.end_char, text=ent.text,
            entity_id=ids[0] if len(ids) == 1 else None, kind=ent.label_, how="alias",
            candidates=ids if len(ids) > 1 else (),
        ))
    return out


class Extractor:
    """Built once (per process or Spark executor); called once per document."""

    def __init__(self, gazetteer: Gazetteer, model: Language | None = None) -> None:
        self.gazetteer = gazetteer
        self.nlp = build_nlp(gazetteer)
        self.model = model  # an optional statistical pipeline (see extract/statistical.py)

    def sections(self, document: Document) -> list[Section]:
        parts: list[tuple[str, str, int | None]] = []
        if document.title:
            parts.append(("title", document.title, None))
        parts.append(("body", document.text, document.start))
        for i, caption in enumerate(document.metadata.get("captions") or []):
            parts.append((f"caption:{i}", str(caption), None))
        return [Section(name, text, self.nlp(text), offset) for name, text, offset in parts]

    def context(self, document: Document) -> Context:
        """The shared context with sections and the names the EntityRuler knows."""
        published: PartialDate | None = None
        if document.published:
            try:
                published = parse_date(document.published[:10])
            except DateError:
                published = None
        ctx = Context(self.gazetteer, published, self.sections(document))
        for section in ctx.sections:
            ctx.mentions.extend(_known_mentions(section))
        return ctx

    def __call__(self, document: Document) -> Extraction:
        from blocwatch.extract import dates, events, meetings, membership, persons, quantities, quotes

        ctx = self.context(document)
        for section in ctx.sections:
            ctx.mentions.extend(persons.find_persons(section, ctx))
        if self.model is not None:
            from blocwatch.extract.statistical import model_persons

            for section in ctx.sections:
                ctx.mentions.extend(model_persons(section, ctx, self.model))
        persons.resolve_ambiguous(ctx)
        ctx.date_range = dates.date_range(ctx)
        for section in ctx.sections:
            ctx.dates.extend(dates.find_dates(section, ctx))
        found_meetings = meetings.find_meetings(ctx)
        statements = []
        for section in ctx.sections:
            statements.extend(membership.find_membership(section, ctx))
            statements.extend(persons.office_statements(section, ctx))
            statements.extend(events.find_events(section, ctx))
            statements.extend(quotes.find_quotes(section, ctx))
            statements.extend(quantities.find_quantities(section, ctx))
        statements.extend(meetings.meeting_events(found_meetings, ctx))
        when, basis = dates.document_date(ctx)
        return Extraction(ctx.mentions, ctx.dates, found_meetings, statements, ctx.date_range,
                          when, basis)
