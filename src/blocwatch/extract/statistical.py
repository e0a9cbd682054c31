"""Persons a statistical model finds, when one is installed: names written without a role.

The default pipeline needs no model weights: persons come from the reference
base's names and from role constructions ("Secretary General of NATO Mark
Rutte"). A person named without a role ("Aram Petrosyan told reporters")
is found only by a statistical named-entity recogniser. When a spaCy
pipeline with one is installed, its PERSON entities that no other component
found are linked like any written name (:func:`persons.link_name`: a known
spelling, a transliteration variant) or become new persons, ``how="model"``.

Which model: ``BLOCWATCH_SPACY_MODEL`` (a package name or a path), else
``en_core_web_sm`` when that package is installed, else none.
"""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

from blocwatch.errors import BlocwatchError
from blocwatch.extract import persons
from blocwatch.extract.model import Context, Mention, Section

MODEL_ENV = "BLOCWATCH_SPACY_MODEL"
DEFAULT_MODEL = "en_core_web_sm"
PERSON_LABELS = frozenset({"PERSON", "PER"})


def load_model() -> Language | None:
    """The installed model to use (see the module's docstring), or None."""
    name = os.environ.get(MODEL_ENV, "").strip()
    if not name:
        if not spacy.util.is_package(DEFAULT_MODEL):
            return None
        name = DEFAULT_MODEL
    try:
        model = spacy.load(name)
    except (OSError, ValueError) as exc:
        raise BlocwatchError(f"{MODEL_ENV}={name}: cannot load this spaCy model ({exc})") from exc
    if "ner" not in model.pipe_names:
        raise BlocwatchError(f"{MODEL_ENV}={name}: the model has no named-entity recogniser")
    return model


def model_persons(section: Section, ctx: Context, model: Language) -> list[Mention]:
    """PERSON entities of SECTION that no mention covers yet, linked or new."""
    taken = [(m.start, m.end) for m in ctx.section_mentions(section.name)]
    out: list[Mention] = []
    for ent in model(section.text).ents:
        if ent.label_ not in PERSON_LABELS or len(ent.text.split()) < 2:
            continue  # one word is too little to make a person of
        if any(a < ent.end_char and ent.start_char < b for a, b in taken):
            continue  # a name, role construction or office is already there
        name = " ".join(ent.text.split())
        entity, how, candidates = persons.link_name(name, None, ctx)
        if entity is None and not candidates:
            entity = f"new:{name}"
        out.append(Mention(section.name, ent.start_char, ent.end_char, ent.text, entity,
                           "person", "model" if how == "new" else how, candidates))
    return out
