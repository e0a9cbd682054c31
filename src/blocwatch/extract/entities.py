"""Names of states, organisations, bodies, offices and known persons, as spaCy entities.

One EntityRuler built from the reference base's aliases. Matching is
case-sensitive where case carries meaning (one-word names: "Turkey" but not
"turkey"; abbreviations: "US" but not "us", "CIS" but not "cis") and
case-insensitive for longer names ("Collective Security Treaty
Organisation"). An alias that names several entities becomes one pattern
whose id lists them all ("emomali-rahmon|yusuf-rahmon"), resolved later from
context.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.language import Language
from spacy.pipeline import EntityRuler

from blocwatch.extract.gazetteer import Gazetteer

RULER_NAME = "blocwatch_entities"
SKIP_KINDS = {"id"}  # ids are not written in news


def _variants(text: str) -> set[str]:
    """Case variants a one-word alias or an abbreviation may appear in."""
    out = {text}
    if text.isupper() and len(text) >= 4:
        out.add(text.title())  # NATO -> Nato
    return out


def entity_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict]:
    by_key: dict[tuple, dict] = {}
    ids: dict[tuple, set[str]] = defaultdict(set)
    for alias in gazetteer.aliases:
        if alias.kind in SKIP_KINDS:
            continue
        entity = gazetteer.entities.get(alias.entity_id)
        if entity is None:
            continue
        tokens = [t.text for t in nlp.make_doc(alias.text)]
        if not tokens:
            continue
        if len(tokens) == 1 or alias.kind == "abbreviation":
            for variant in _variants(alias.text):
                vt = [t.text for t in nlp.make_doc(variant)]
                key = ("ORTH", tuple(vt))
                by_key[key] = {"label": entity.kind, "pattern": [{"ORTH": w} for w in vt]}
                ids[key].add(entity.id)
        else:
            key = ("LOWER", tuple(w.lower() for w in tokens))
            by_key[key] = {"label": entity.kind, "pattern": [{"LOWER": w.lower()} for w in tokens]}
            ids[key].add(entity.id)
    patterns = []
    for key, pattern in by_key.items():
        entity_ids = sorted(ids[key])
        kinds = {gazetteer.entities[i].kind for i in entity_ids}
        label = pattern["label"] if len(kinds) == 1 else "ambiguous"
        patterns.append({"label": label, "pattern": pattern["pattern"], "id": "|".join(entity_ids)})
    return patterns


def add_entity_ruler(nlp: Language, gazetteer: Gazetteer) -> EntityRuler:
    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, config={"overwrite_ents": True})
    ruler.add_patterns(entity_patterns(nlp, gazetteer))
    return ruler
