"""Names of states, organisations, bodies, offices and known persons, as spaCy entities.

One ruler built from the reference base's aliases (spaCy's EntityRuler
rules, over PhraseMatchers: see :class:`AliasRuler`). Matching is
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
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

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


class AliasRuler:
    """spaCy's EntityRuler (``overwrite_ents``) for exact-token patterns, at PhraseMatcher speed.

    Every alias pattern is a plain token sequence matched on ORTH or LOWER, so
    two PhraseMatchers (hash lookups, one pass over the text) find what the
    EntityRuler's token Matcher finds by trying all ~1,700 patterns at every
    token. Overlaps are settled as the EntityRuler settles them -- longest
    match first, then leftmost; a token belongs to one entity -- with one
    rule between them: of two matches of one length, the one with more words
    that are not articles wins, so "the Union State" is the Union State, not
    "the Union" (the EU) followed by "State".
    """

    SEP = "||"  # the EntityRuler's separator of label and id

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.matchers = {attr: PhraseMatcher(vocab, attr=attr) for attr in ("ORTH", "LOWER")}
        self._ent_ids: dict[int, tuple[str, str | None]] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        grouped: dict[tuple[str, str], list[Doc]] = defaultdict(list)
        for p in patterns:
            tokens = p["pattern"]
            attr = next(iter(tokens[0]))
            words = [t[attr] for t in tokens]
            if any(next(iter(t)) != attr for t in tokens):
                raise ValueError(f"alias pattern mixes token attributes: {tokens}")
            key = f"{p['label']}{self.SEP}{p['id']}" if isinstance(p.get("id"), str) else p["label"]
            self._ent_ids[self.vocab.strings.add(key)] = (p["label"], p.get("id"))
            grouped[(attr, key)].append(Doc(self.vocab, words=words, spaces=[False] * len(words)))
        for (attr, key), docs in grouped.items():
            self.matchers[attr].add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        matches = [m for matcher in self.matchers.values() for m in matcher(doc)]
        final = sorted({(m_id, start, end) for m_id, start, end in matches if start != end},
                       key=lambda m: (m[2] - m[1], _named_words(doc, m[1], m[2]), -m[1]),
                       reverse=True)
        entities = list(doc.ents)
        new_entities = []
        seen: set[int] = set()
        for match_id, start, end in final:
            if start in seen or end - 1 in seen:
                continue
            label, ent_id = self._ent_ids[match_id]
            new_entities.append(Span(doc, start, end, label=label, span_id=ent_id or 0))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


def _named_words(doc: Doc, start: int, end: int) -> int:
    """Words of doc[start:end] that are not articles: between two names of one length,
    the one with more name words wins ("[Union State]" over "[the Union] State")."""
    return sum(doc[i].lower_ not in ARTICLES for i in range(start, end))


ARTICLES = frozenset({"the", "a", "an"})


@Language.factory(RULER_NAME)
def make_alias_ruler(nlp: Language, name: str) -> AliasRuler:
    return AliasRuler(nlp.vocab)


def add_entity_ruler(nlp: Language, gazetteer: Gazetteer) -> AliasRuler:
    ruler = nlp.add_pipe(RULER_NAME, name=RULER_NAME)
    ruler.add_patterns(entity_patterns(nlp, gazetteer))
    return ruler
