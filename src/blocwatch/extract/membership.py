"""Membership statements: who is (not) a member of what, and who joins, leaves or wants to.

There is no parser in the blank spaCy pipeline, so each sentence is read as
a row of *items*: the names the EntityRuler found (a state, an organisation,
a group...) and the plain words between them. Small hand-written readers
then look for the constructions news uses to state membership:

- a verb of being: "Armenia is (not) a member of the CSTO", "are CSTO
  members", "belongs to", "is in neither the CIS nor the CSTO";
- an apposition: "Kazakhstan, a member of the EAEU,";
- members named after the organisation: "CSTO member Belarus", "the CSTO's
  members Armenia and Belarus", "members of the CIS such as ...",
  "non-member Azerbaijan";
- quantified: "(not) all members of X are members of Y";
- an ellipsis: "Azerbaijan and Moldova are not." takes its organisation from
  the statement just before it;
- counts: "the ten member states of the CIS", "the 15 former Soviet
  republics", "NATO's 32 allies", "all 27 member states" (of the organisation
  the text is about), and the members listed after a count ("six members:
  Armenia, ...") when the list has as many states as the number says;
- "participates in the CIS as an associate member", a relative clause after a
  predicate ("EU members that are not NATO allies"), "Both countries are ..."
  (the states named just before) and a gapped verb ("Armenia joined in May
  and Kyrgyzstan in August");
- verbs of change: joins, leaves, suspends, applies_to, considers_joining.

Lists of states are expanded one statement per state, and a group ("the
Baltic states") into its member states from the reference base. The words
themselves live in ``vocab/membership.toml``.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from blocwatch.extract.gazetteer import Gazetteer
from blocwatch.extract.model import Context, DateMention, Mention, Section, Statement
from blocwatch.extract.tokens import Tokens
from blocwatch.extract.tokens import tokens as token_table

VOCAB_PATH = Path(__file__).with_name("vocab") / "membership.toml"
NAME_KINDS = {"state", "organisation", "group", "body", "office", "person", "place", "ambiguous"}
MEMBER_PREDICATES = {"member_of", "member_count"}
MAX_SKIP = 12  # words looked back over between a verb and its subject
YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_ORDINAL = re.compile(r"(\d{1,3})(st|nd|rd|th)")
PUNCTUATION = frozenset(",;:()\"'.!?")
MAX_LIST = 40  # names in one list; keeps every reader linear on odd input


# --- vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """A trigger phrase: per position the words allowed (None: an organisation) and optionality."""

    slots: tuple[frozenset[str] | None, ...]
    optional: tuple[bool, ...]


def _phrase(text: str, classes: dict[str, list[str]]) -> Phrase:
    """Read "a|b" (either word), "word?" (optional), "{org}" and "@class" (any word of a class)."""
    slots: list[frozenset[str] | None] = []
    optional: list[bool] = []
    for part in text.lower().split():
        opt = part.endswith("?") and len(part) > 1
        part = part.rstrip("?") if opt else part
        words: set[str] = set()
        for alt in part.split("|"):
            words.update(classes[alt[1:]] if alt.startswith("@") else [alt])
        slots.append(None if part == "{org}" else frozenset(words))
        optional.append(opt)
    return Phrase(tuple(slots), tuple(optional))


@dataclass(frozen=True)
class Vocab:
    words: dict[str, frozenset[str]]
    multi: dict[str, tuple[tuple[str, ...], ...]]
    statuses: dict[str, str]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    # first word of a change phrase -> (predicate, phrase), longest phrases first
    change: dict[str, tuple[tuple[str, Phrase], ...]]

    def has(self, key: str, word: str | None) -> bool:
        return word is not None and word in self.words[key]

    @cached_property
    def verbs_of_being(self) -> frozenset[str]:
        """Where the copula reader starts: "is", "belongs", "do"."""
        return self.words["copulas"] | self.words["belong"] | self.words["do_aux"] | \
            self.words["participate"]

    @cached_property
    def member_nouns(self) -> frozenset[str]:
        """Where the reader of named members starts: "member", "allies"."""
        return self.words["member"] | self.words["ally"]

    @cached_property
    def change_needs(self) -> dict[str, tuple[tuple[frozenset[str], ...], ...]]:
        """First word of a change phrase -> per phrase, the words allowed in each of its
        required word slots: the phrase can stand only where each slot has a word."""
        return {word: tuple(tuple(slot for slot, optional in zip(p.slots, p.optional, strict=True)
                                  if slot is not None and not optional) for _, p in pairs)
                for word, pairs in self.change.items()}


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The word lists, read once per process."""
    with VOCAB_PATH.open("rb") as fh:
        raw: dict[str, Any] = tomllib.load(fh)
    words: dict[str, frozenset[str]] = {}
    multi: dict[str, tuple[tuple[str, ...], ...]] = {}
    for table in ("words", "counts", "dates"):
        for key, value in raw[table].items():
            if isinstance(value, list) and value and isinstance(value[0], list):
                multi[key] = tuple(tuple(w.lower() for w in v) for v in value)
            elif isinstance(value, list):
                words[key] = frozenset(w.lower() for w in value)
    classes = {name: [w.lower() for w in ws] for name, ws in raw["classes"].items()}
    phrases = [(pred, _phrase(text, classes))
               for pred, texts in raw["change"].items() for text in texts]
    phrases.sort(key=lambda pair: -len(pair[1].slots))
    change: dict[str, list[tuple[str, Phrase]]] = {}
    for pred, phrase in phrases:
        first = phrase.slots[0]
        if first is None or phrase.optional[0]:
            raise ValueError(f"{VOCAB_PATH}: a change phrase must start with a required word")
        for word in first:
            change.setdefault(word, []).append((pred, phrase))
    counts = raw["counts"]
    return Vocab(words, multi, dict(raw["words"]["statuses"]), dict(counts["numbers"]),
                 dict(counts["ordinals"]), {word: tuple(pairs) for word, pairs in change.items()})


@dataclass(frozen=True)
class Lexicon:
    """What the readers need from the reference base's names, computed once per gazetteer."""

    demonyms: frozenset[str]  # alias texts that are only demonyms ("Russian")
    org_words: dict[str, frozenset[str]]  # organisation id -> the words of its names


_LEXICONS: dict[int, tuple[Gazetteer, Lexicon]] = {}


def _lexicon(gazetteer: Gazetteer) -> Lexicon:
    cached = _LEXICONS.get(id(gazetteer))
    if cached is not None and cached[0] is gazetteer:
        return cached[1]
    demonyms = {a.text for a in gazetteer.aliases if a.kind == "demonym"}
    names = {a.text for a in gazetteer.aliases if a.kind != "demonym"}
    words: dict[str, set[str]] = {}
    for entity in gazetteer.of_kind("organisation"):
        words[entity.id] = set(re.findall(r"\w+", entity.name.lower()))
    for alias in gazetteer.aliases:
        if alias.entity_id in words:
            words[alias.entity_id].update(re.findall(r"\w+", alias.text.lower()))
    lexicon = Lexicon(frozenset(demonyms - names), {k: frozenset(v) for k, v in words.items()})
    _LEXICONS[id(gazetteer)] = (gazetteer, lexicon)
    return lexicon


class Antecedents:
    """Resolves "the alliance", "the Union", "the organisation" to an organisation named earlier.

    A head that must be part of the name ("Union", "Commonwealth") takes the
    latest organisation so named; a generic head ("the bloc") prefers one so
    named and otherwise takes the latest organisation named at all. Names in
    the title count as named before the body.
    """

    def __init__(self, orgs: Sequence[tuple[int, str]], fallback: Sequence[str],
                 lexicon: Lexicon, v: Vocab) -> None:
        self.orgs, self.fallback, self.lexicon, self.v = list(orgs), fallback, lexicon, v
        self.starts = [start for start, _ in orgs]
        self.heads = v.words["anaphora_named"] | v.words["anaphora_any"]  # what may refer back

    def note(self, position: int, org: str) -> None:
        """Remember that "the organisation" at POSITION meant ORG: a later "it" may mean it too."""
        at = bisect_left(self.starts, position)
        if at < len(self.starts) and self.starts[at] == position:
            self.orgs[at] = (position, org)  # "the Union" read as the EAEU, not the EU
            return
        self.starts.insert(at, position)
        self.orgs.insert(at, (position, org))

    def resolve(self, head: str, position: int) -> str | None:
        named = self.v.has("anaphora_named", head)
        if not named and not self.v.has("anaphora_any", head):
            return None
        before = [i for _, i in self.orgs[:bisect_left(self.starts, position)]]
        before = list(self.fallback) + before
        if not self.v.has("anaphora_latest", head):
            for org in reversed(before[-MAX_LIST:]):
                if head in self.lexicon.org_words.get(org, ()):
                    return org
        else:  # "the organisation" is no bare treaty: "signed the Treaty, ... the organisation"
            before = [org for org in before if not self._bare_treaty(org)]
        return None if named or not before else before[-1]

    def _bare_treaty(self, org: str) -> bool:
        words = self.lexicon.org_words.get(org, frozenset())
        return not words.isdisjoint(self.v.words["treaty_words"]) and \
            words.isdisjoint(self.v.words["anaphora_latest"])


# --- items: the sentence as names and words -------------------------------------------------


@dataclass(slots=True)  # not frozen: one is made per token, and frozen ones are slow to make
class Item:
    start: int  # character offsets in the section text
    end: int
    text: str
    word: str | None  # lower-cased token text; None for a name
    kind: str | None = None  # state, demonym, organisation, group, body, other (names only)
    id: str | None = None


def _mention_item(m: Mention, demonyms: frozenset[str]) -> Item:
    """One name as an item; a demonym or an unresolved name is not an actor."""
    kind = m.kind if m.entity_id else "other"
    if kind == "state" and m.text in demonyms:
        kind = "demonym"
    if kind not in {"state", "demonym", "organisation", "group", "body"}:
        kind = "other"
    return Item(m.start, m.end, m.text, None, kind, m.entity_id)


def _items(sent: tuple[int, int], tokens: Tokens, mentions: Sequence[Mention],
           starts: Sequence[int], demonyms: frozenset[str],
           antecedents: Antecedents | None = None) -> list[Item]:
    """The tokens of the sentence SENT (token bounds [start, end)), with each name the ruler
    found folded into one item, and "the (Russian-led) alliance" folded into one organisation
    item when it can be resolved.

    ``mentions`` are sorted and ``starts`` are their start offsets, so finding a
    sentence's names is a bisection, not a scan of the whole section.
    """
    start, end = sent
    start_char, end_char = tokens.idx[start], tokens.end_char(end - 1)
    lo, hi = bisect_left(starts, start_char), bisect_left(starts, end_char)
    inside = [m for m in mentions[lo:hi] if m.end <= end_char]
    heads = antecedents.heads if antecedents is not None else frozenset()
    texts, offsets, spaces = tokens.text, tokens.idx, tokens.blank
    items: list[Item] = []
    mi, last = 0, -1
    for i in range(start, end):
        text, ts = texts[i], offsets[i]
        te = ts + len(text)
        while mi < len(inside) and inside[mi].end <= ts:
            mi += 1
        if mi < len(inside) and inside[mi].start < te:
            if mi != last:
                item = _mention_item(inside[mi], demonyms)
                if antecedents is not None:
                    item = _reresolve(item, antecedents, tokens.doc, inside[mi].end,
                                      len(tokens.section_text))
                items.append(item)
                last = mi
            continue
        if not spaces[i]:
            word = text.lower()
            items.append(Item(ts, te, text, word))
            if antecedents is not None and word in heads:  # it acts only after a head noun
                _fold_anaphor(items, antecedents, texts[i + 1] if i + 1 < len(texts) else "")
    return items


def _reresolve(item: Item, antecedents: Antecedents, doc: Doc, end: int, text_end: int) -> Item:
    """A name that is a definite description ("the Union", an alias of the EU) means the
    organisation named before it (the EAEU in an article about the EAEU), and nothing when it
    begins a longer name the ruler did not match ("the Union State")."""
    words = item.text.lower().split()
    if item.kind != "organisation" or len(words) != 2 or words[0] != "the":
        return item
    following = doc.char_span(end, text_end, alignment_mode="expand")
    nxt = following[0].text if following is not None and len(following) else ""
    if nxt[:1].isupper():
        return Item(item.start, item.end, item.text, None, "other", None)
    org = antecedents.resolve(words[1], item.start)
    if org is None:
        return item
    antecedents.note(item.start, org)
    return Item(item.start, item.end, item.text, None, item.kind, org)


def _fold_anaphor(items: list[Item], antecedents: Antecedents, following: str) -> None:
    """Replace "the [up to three words] <head>" just appended by the organisation it means."""
    head = items[-1].word or ""
    if following.lower() == "of" or not (antecedents.v.has("anaphora_named", head)
                                         or antecedents.v.has("anaphora_any", head)):
        return
    for back in range(2, 9):
        if len(items) < back:
            return
        item = items[-back]
        if item.word == "the":
            break
        if item.kind == "state" and items[-back + 1].word == "-":
            continue  # "the China- and Russia-backed grouping"
        if item.kind not in (None, "demonym") or item.word in PUNCTUATION or \
                antecedents.v.has("member", item.word) or (item.word or "").isdigit() or \
                (item.word or "") in antecedents.v.numbers:
            return  # "the 32-member alliance" is a count, read by the count reader
    else:
        return
    org = antecedents.resolve(head, items[-1].start)
    if org is not None:
        antecedents.note(items[-1].start, org)
        start, end = items[-back].start, items[-1].end
        del items[-back:]
        items.append(Item(start, end, "", None, "organisation", org))


def _non_overlapping(mentions: Iterable[Mention]) -> list[Mention]:
    """Names sorted by position, the longest kept where two overlap."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in ordered:
        if m.end <= m.start or m.kind not in NAME_KINDS:
            continue
        if out and m.start < out[-1].end:
            prev = out[-1]
            # "the Union" (an alias) inside "the Union State": the longer name wins
            if prev.text.lower().startswith("the ") and m.end > prev.end and \
                    m.start == prev.start + 4:
                out[-1] = m
            continue
        out.append(m)
    return out


class Row:
    """Read access to a sentence's items that never raises on an index out of range."""

    def __init__(self, items: list[Item], v: Vocab, gazetteer: Gazetteer,
                 antecedents: Antecedents | None = None) -> None:
        self.items, self.v, self.gaz = items, v, gazetteer
        self.words = [item.word for item in items]
        self.antecedents = antecedents
        self._ends: list[int] | None = None
        self._years: list[int] | None = None

    def __len__(self) -> int:
        return len(self.items)

    def w(self, k: int) -> str | None:
        return self.words[k] if 0 <= k < len(self.words) else None

    def where(self, words: Container[str | None]) -> list[int]:
        """Indices of the items whose word is one of ``words``: where a reader may find
        something, so it need not look at every item."""
        return [k for k, word in enumerate(self.words) if word in words]

    def kind(self, k: int) -> str | None:
        return self.items[k].kind if 0 <= k < len(self.items) else None

    def id(self, k: int) -> str | None:
        return self.items[k].id if 0 <= k < len(self.items) else None

    def seq(self, k: int, words: Sequence[str]) -> int | None:
        """End index when ``words`` stand at k, else None."""
        for i, word in enumerate(words):
            if self.w(k + i) != word:
                return None
        return k + len(words)

    def seq_any(self, k: int, key: str) -> int | None:
        for words in self.v.multi.get(key, ()):
            end = self.seq(k, words)
            if end is not None:
                return end
        return None

    def context_org(self, k: int) -> str | None:
        """The organisation the text is about at item k: the one named last before it
        (in this section, or the title), for "Finland joined last year." and "is not yet
        a member"."""
        if self.antecedents is None:
            return None
        position = self.items[k].start if 0 <= k < len(self.items) else (
            self.items[-1].end if self.items else 0)
        return self.antecedents.resolve("organisation", position)

    def clause_end(self, k: int) -> bool:
        return k >= len(self.items) or self.v.has("clause_ends", self.w(k))

    def years(self) -> list[int]:
        """Indices of four-digit years written as dates ("in 2023"), computed once."""
        if self._years is None:
            self._years = [i for i in range(len(self.items))
                           if YEAR.fullmatch(self.w(i) or "")
                           and self.v.has("year_openers", self.w(i - 1))]
        return self._years

    def clause_ends(self) -> list[int]:
        """Indices of the items that end a clause, computed once."""
        if self._ends is None:
            self._ends = [i for i in range(len(self.items)) if self.clause_end(i)]
        return self._ends

    def actors(self, k: int) -> tuple[str, ...]:
        """The states an item names: a state itself, or the members of a group."""
        kind, ident = self.kind(k), self.id(k)
        if ident is None:
            return ()
        if kind == "state":
            return (ident,)
        if kind == "group":
            return self.gaz.group_members.get(ident, ())
        return ()


# --- hits: what a reader found, before it becomes statements ---------------------------------


@dataclass
class Hit:
    subjects: tuple[str, ...]
    predicate: str
    objects: tuple[str, ...]
    first: int  # item indices, inclusive
    last: int
    negated: bool = False
    quantifier: str | None = None
    value: int | None = None
    elliptic: str | None = None  # "previous": object from the statement before; "nearby"
    extra: dict[str, Any] = field(default_factory=dict)
    plural: int = 0  # "both countries": the subjects are that many states named before


@dataclass
class ActorList:
    ids: tuple[str, ...]
    first: int
    last: int
    negated: bool = False  # "neither Georgia nor Ukraine"
    groups: tuple[str, ...] = ()
    only_group: str | None = None  # the list is one group: "the Baltic states"
    plural: int = 0  # "both countries", "the three states": that many states named before


@dataclass
class OrgList:
    ids: tuple[str, ...]
    end: int  # index after the last organisation
    negated: bool = False  # "neither the CIS nor the CSTO"


def _org_list(row: Row, k: int, *, possessive: bool = False) -> OrgList | None:
    """Organisations from k: "the CIS", "either the CIS or the CSTO", "the CSTO and the EAEU".

    None when the last one is followed by a word showing it is a meeting or an
    organ of the organisation ("the CSTO summit"), or by "'s" unless ``possessive``.
    """
    v, ids, neg = row.v, [], False
    while True:
        j = k
        while True:
            if row.w(j) in ("the", "either", "neither", "both", "of", "in"):
                neg = neg or row.w(j) == "neither"
                j += 1
            elif row.w(j + 1) == "-" and v.has("led", row.w(j + 2)):
                j += 3  # "the Russian-led", "the Moscow-backed"
            elif v.has("org_premodifiers", row.w(j)) and row.kind(j + 1) == "organisation":
                j += 1
            else:
                break
        if row.kind(j) != "organisation":
            break
        ids.append(row.id(j) or "")
        k = j + 1
        sep = k + 1 if row.w(k) == "," else k
        if row.w(sep) in ("or", "nor", "and"):
            sep += 1
        if sep == k:
            break
        j = sep
        while row.w(j) in ("the", "of", "in"):
            j += 1
        if row.kind(j) != "organisation":
            break
        k = sep
    if not ids or v.has("org_blockers", row.w(k)) or (row.w(k) == "'s" and not possessive):
        return None
    return OrgList(tuple(ids), k, neg)


def _is_small_number(word: str | None, numbers: dict[str, int]) -> bool:
    """A number that may count a list ("the three Baltic states"), not a year ("in 2023")."""
    return word is not None and (word in numbers or word.isdigit() and int(word) < 1000)


def _skip_fillers_back(row: Row, k: int) -> tuple[int, bool]:
    neg = False
    while row.w(k) in row.v.words["list_fillers"] or _is_small_number(row.w(k), row.v.numbers):
        neg = neg or row.w(k) == "neither"
        k -= 1
    return k, neg


def _actor_list_back(row: Row, j: int) -> ActorList | None:
    """States (and groups) listed up to item j: "the Baltic States, Georgia and Ukraine"."""
    ids: list[str] = []
    groups: list[str] = []
    first, neg, seen_and = j, False, False
    k = j
    while row.actors(k) and j - k < 4 * MAX_LIST:
        ids[:0] = row.actors(k)
        if row.kind(k) == "group":
            groups.append(row.id(k) or "")
        first = k
        k, filler_neg = _skip_fillers_back(row, k - 1)
        neg = neg or filler_neg
        sep = k
        if row.w(sep) in ("and", "&", "or", "nor"):
            seen_and, sep = True, sep - 1
            if row.w(sep) == ",":
                sep -= 1
        elif row.w(sep) == "," and seen_and:
            sep -= 1
        elif row.seq(sep - 2, ("as", "well", "as")) == sep + 1:
            seen_and, sep = True, sep - 3
        elif _companion_back(row, sep) is not None:
            seen_and, sep = True, _companion_back(row, sep) or 0
        else:
            break
        nxt, _ = _skip_fillers_back(row, sep)
        if not row.actors(nxt) or _governed(row, nxt) and _companion_back(row, nxt - 1) is None:
            break  # "Of the 15 former Soviet republics, the Baltic states and Georgia are"
        k = nxt
    if not ids or _governed(row, first):
        return None
    only = row.id(first) if first == j and row.kind(j) == "group" else None
    return ActorList(tuple(dict.fromkeys(ids)), first, j, neg, tuple(groups), only)


def _companion_back(row: Row, k: int) -> int | None:
    """", together with" / ", along with" / ", alongside" ending at item k: the item before it."""
    for words in row.v.multi["companions"]:
        start = k - len(words) + 1
        if row.seq(start, words) == k + 1 and words[-1] in ("with", "alongside"):
            return start - 1 - (row.w(start - 1) == ",")
    return None


def _governed(row: Row, k: int) -> bool:
    """Is the name at k the object of a preposition ("the Security Council of Armenia")?

    "non member of Azerbaijan" is the exception: there the state is the non-member.
    """
    before, _ = _skip_fillers_back(row, k - 1)
    return row.w(before) in row.v.words["prepositions"] and not (
        row.w(before) == "of" and row.v.has("member", row.w(before - 1)))


def _actor_list_fwd(row: Row, k: int) -> ActorList | None:
    """States (and groups) written as a list from item k: "Armenia, Belarus and Russia"."""
    parts: list[tuple[int, tuple[str, ...]]] = []
    seen_and, neg = False, False
    while True:
        while row.w(k) in row.v.words["list_fillers"] or row.w(k) in row.v.numbers:
            neg = neg or row.w(k) == "neither"
            k += 1
        if not row.actors(k) or len(parts) >= MAX_LIST:
            break
        if row.w(k + 1) == "'s":  # "Russia's closest ally" is not one of the list
            break
        parts.append((k, row.actors(k)))
        k += 1
        end = row.seq_any(k, "list_joins_multi")
        if end is not None:
            seen_and, k = True, end
        elif row.w(k) == "," and row.w(k + 1) in ("and", "&"):
            seen_and, k = True, k + 2
        elif row.w(k) in ("and", "&", "or", "nor"):
            seen_and, k = True, k + 1
        elif row.w(k) != ",":
            break
        else:
            k += 1
    if not parts:
        return None
    if not seen_and:
        parts = parts[:1]
    ids = tuple(dict.fromkeys(i for _, actor_ids in parts for i in actor_ids))
    groups = tuple(row.id(p) or "" for p, _ in parts if row.kind(p) == "group")
    only = groups[0] if len(parts) == 1 and groups else None
    return ActorList(ids, parts[0][0], parts[-1][0], neg, groups, only)


@dataclass
class PreVerb:
    end: int  # the item where the subject should end
    negated: bool = False
    perfect: bool = False
    hypothetical: bool = False
    modals: tuple[str, ...] = ()


def _aside_start(row: Row, k: int) -> int | None:
    """The comma opening an aside that ends with the comma at item k ("Sweden, which applied
    on the same day, is ..."): its index, or None when k does not close an aside."""
    for j in range(k - 1, max(-1, k - 3 * MAX_SKIP), -1):
        word = row.w(j)
        if word in (",", "(", "—", "–"):
            return j if row.v.has("aside_openers", row.w(j + 1)) and j + 1 < k else None
        if row.clause_end(j) and not row.v.has("aside_openers", word) or word == '"':
            return None
    return None


def _pre_verb(row: Row, c: int) -> PreVerb:
    """Walk back from a verb over auxiliaries, adverbs and negation to where its subject ends."""
    v, pre = row.v, PreVerb(c - 1)
    k = c - 1
    while k >= max(0, c - 4 * MAX_SKIP):
        word = row.w(k)
        if word in (",", "—", "–", ")"):
            aside = _aside_start(row, k)
            if aside is not None and aside >= 1 and (
                    row.kind(aside - 1) in ("state", "group")
                    or v.has("subject_nouns", row.w(aside - 1))):
                k = aside - 1
                break
        if v.has("weekdays", word) and row.w(k - 1) == "on":
            k -= 2  # "Moldova on Monday announced"
            continue
        if k < c - MAX_SKIP:
            break
        if v.has("negations", word):
            pre.negated = True
        elif v.has("perfect", word):
            pre.perfect = True
        elif v.has("hypothetical", word):
            pre.hypothetical = True
            pre.modals += (word or "",)
        elif not v.has("subject_skip", word):
            break
        if word == "never":
            pre.perfect = True
        k -= 1
    pre.end = k
    return pre


def _pronoun_subject(row: Row, k: int) -> ActorList | None:
    """"It is a member of ...": a pronoun subject opening its clause, resolved later to the
    single state that the statements just before were about."""
    if not row.v.has("subject_pronouns", row.w(k)):
        return None
    if not (k == 0 or row.clause_end(k - 1) or row.w(k - 1) in (",", "and", "but", "-")):
        return None
    return ActorList((), k, k)


def _subject_noun(row: Row, k: int) -> ActorList | None:
    """"The country has never been a member": a definite noun for the state the statements just
    before were about, resolved like a pronoun."""
    if not (row.v.has("subject_nouns", row.w(k)) and row.w(k - 1) == "the"):
        return None
    first = k - 1
    if not (first == 0 or row.clause_end(first - 1) or row.w(first - 1) in (",", "and", "but")):
        return None
    return ActorList((), first, k)


def _plural_subject(row: Row, k: int) -> ActorList | None:
    """"Both countries are members", "the two states have never joined": a plural noun for the
    states named just before, resolved later from the statements or the sentence before."""
    if not row.v.has("subject_plurals", row.w(k)):
        return None
    if row.w(k - 1) == "both":
        first, count = k - 1, 2
    elif row.w(k - 1) in row.v.numbers and row.w(k - 2) in ("the", "all"):
        first, count = k - 2, row.v.numbers[row.w(k - 1) or ""]
    else:
        return None
    if not (first == 0 or row.clause_end(first - 1) or row.w(first - 1) in (",", "and", "but")):
        return None
    return ActorList((), first, k, plural=count)


def _reported_subject(row: Row, k: int) -> ActorList | None:
    """"Moldova announced it would withdraw", "Georgia and Ukraine have said they want to join":
    the pronoun after a verb of saying stands for the subject of that verb."""
    if row.w(k) not in ("it", "they"):
        return None
    j = k - 1 - (row.w(k - 1) == "that")
    if not row.v.has("announce", row.w(j)):
        return None
    pre = _pre_verb(row, j)
    return _actor_list_back(row, pre.end)


def _shared_subject(row: Row, k: int) -> ActorList | None:
    """"Uzbekistan joined in 1999, ..., but suspended its participation": a verb after "and" /
    "but" with no subject of its own shares the subject of the clause before: the nearest
    state (or list) before it that opens a clause and is no preposition's object."""
    if row.w(k) not in ("and", "but", "yet"):
        return None
    for i in range(k - 1, max(-1, k - 4 * MAX_SKIP), -1):
        if row.w(i) in (".", ";", "!", "?"):
            return None
        if (i == 0 or row.w(i - 1) in (".", ";")) and _pronoun_subject(row, i) is not None:
            return _pronoun_subject(row, i)  # "It has not been ... and never joined"
        if not row.actors(i) or row.w(i + 1) == "'s":
            continue
        actors = _actor_list_back(row, i)
        if actors is None:
            continue
        before = actors.first - 1
        before -= row.w(before) == "the"
        if before < 0 or row.w(before) in ("that", ",", ":", "and", "but") or \
                row.clause_end(before):
            return actors
    return None


def _subjects(row: Row, pre: PreVerb) -> ActorList | None:
    return (_actor_list_back(row, pre.end) or _pronoun_subject(row, pre.end)
            or _subject_noun(row, pre.end) or _plural_subject(row, pre.end) or _reported_subject(row, pre.end)
            or _shared_subject(row, pre.end))


def _conditional_before(row: Row, first: int) -> bool:
    """"If Armenia leaves the CSTO, ..." or "whether Armenia is a member" is not a claim."""
    return any(row.w(k) in ("if", "whether", "unless") for k in range(max(0, first - 3), first))


# --- readers ---------------------------------------------------------------------------------


@dataclass
class Predicate:
    objects: tuple[str, ...]
    negated: bool
    end: int  # index after the predicate
    status: str | None = None
    elliptic: bool = False


def _predicate(row: Row, k: int, mode: str) -> Predicate | None:
    """What follows a verb of being (mode "be"), "belong", an apposition comma ("apposition")
    or "do" (only the elliptic "do not.")."""
    v, neg, status = row.v, False, None
    while k < len(row):
        word = row.w(k)
        if word == "not" and row.w(k + 1) == "only":
            k += 2
        elif word == "one" and row.w(k + 1) == "of":
            k += 2
        elif v.has("negations", word):
            neg, k = True, k + 1
        elif v.has("predicate_modifiers", word):
            status = v.statuses.get(word or "", status)
            k += 1
        else:
            break
    if mode in ("do", "belong", "be") and row.clause_end(k):
        # "Azerbaijan and Moldova are not." / "do not." / "does not belong.": the caller
        # accepts it only when negated, and takes the organisation from the statement before
        return Predicate((), neg, k, status, elliptic=True)
    if mode == "do":
        return None
    if mode == "participate":  # "participates in the Commonwealth as an associate member"
        orgs = _org_list(row, k + 1) if row.w(k) == "in" else None
        if orgs is None or row.w(orgs.end) != "as":
            return None
        j = orgs.end + 1
        while v.has("predicate_modifiers", row.w(j)):
            status = v.statuses.get(row.w(j) or "", status)
            j += 1
        if not v.has("member", row.w(j)):
            return None
        return Predicate(orgs.ids, neg or orgs.negated, j + 1, status)
    if mode == "belong":
        orgs = _org_list(row, k + 1) if row.w(k) == "to" else None
        return Predicate(orgs.ids, neg or orgs.negated, orgs.end) if orgs else None
    if v.has("member", row.w(k)):
        k += 1 + v.has("member_heads", row.w(k + 1))
        if row.w(k) in ("of", "in"):
            orgs = _org_list(row, k + 1)
            return Predicate(orgs.ids, neg or orgs.negated, orgs.end, status) if orgs else None
        if mode == "be" and row.clause_end(k):
            return Predicate((), neg, k, status, elliptic=True)
        return None
    if row.kind(k) == "organisation" or row.w(k) in ("either", "neither", "both"):
        orgs = _org_list(row, k, possessive=True)
        if orgs is None:
            return None
        j = orgs.end
        if row.w(j) == "'s":
            j += 1
            while v.has("predicate_modifiers", row.w(j)):
                j += 1
        if v.has("member", row.w(j)) or v.has("ally", row.w(j)):
            j += 1 + v.has("member_heads", row.w(j + 1))
            return Predicate(orgs.ids, neg or orgs.negated, j, status)
        return None
    if row.w(k) == "part" and row.w(k + 1) == "of" or mode == "be" and row.w(k) == "in":
        orgs = _org_list(row, k + (2 if row.w(k) == "part" else 1))
        return Predicate(orgs.ids, neg or orgs.negated, orgs.end) if orgs else None
    return None


def _quantified(row: Row, j: int) -> tuple[str, str, int] | None:
    """(org, quantifier, first item) of "all members of the CSTO" / "not all CIS members" ending
    at item j."""
    v = row.v
    if row.kind(j) == "organisation":  # members of [the] ORG
        org, k = row.id(j), j - 1
        k -= row.w(k) == "the"
        if row.w(k) != "of":
            return None
        k -= 1
        k -= v.has("member_heads", row.w(k))
        if not v.has("member", row.w(k)):
            return None
    else:  # ORG members [states]
        k = j - v.has("member_heads", row.w(j))
        if not v.has("member", row.w(k)) or row.kind(k - 1) != "organisation":
            return None
        org, k = row.id(k - 1), k - 1
    k -= 1
    if row.w(k) == "the":
        k -= 1
    if row.w(k) == "of":
        k -= 1
    if row.w(k) == "some":
        return (org or "", "some", k)
    if row.w(k) not in ("all", "every"):
        return None
    if row.w(k - 1) == "not":
        return (org or "", "not_all", k - 1)
    return (org or "", "all", k)


def _copula_hits(row: Row) -> list[Hit]:
    """"Armenia is (not) a member of the CSTO", "belongs to", "all members of X are in Y"."""
    v, hits = row.v, []
    for c in row.where(v.verbs_of_being):
        word = row.w(c)
        mode = next((m for m in ("copulas", "belong", "do_aux", "participate")
                     if v.has(m, word)), None)
        if mode is None:
            continue
        pre = _pre_verb(row, c)
        if pre.hypothetical and not (v.has("remain", word) and set(pre.modals) <= {"will"}):
            continue  # "could be", "would remain"; but "will remain" says it is a member now
        pred = _predicate(row, c + 1, {"copulas": "be", "belong": "belong", "do_aux": "do",
                                       "participate": "participate"}[mode])
        if pred is None:
            continue
        subjects = _subjects(row, pre)
        negated = pre.negated or pred.negated
        org = _of_which(row, subjects.first) if pred.elliptic and subjects is not None else None
        if subjects is not None and org is not None:  # "the CSTO, of which Armenia is a member"
            pred = Predicate((org,), pred.negated, pred.end, pred.status)
            sole = any(row.w(j) in ("only", "sole") for j in range(c + 1, pred.end))
            if sole and not negated and not subjects.only_group and not subjects.plural:
                # "of which Belarus and Russia are the only members": it has that many
                hits.append(Hit((org,), "member_count", (org,), subjects.first, pred.end - 1,
                                value=len(subjects.ids)))
        if pred.elliptic and not negated:
            continue  # "Russia is." says nothing; "Armenia is not." after a statement does
        extra = {"status": pred.status} if pred.status else {}
        if subjects is not None and not _conditional_before(row, subjects.first):
            negated = negated or subjects.negated
            hits.append(_actor_hit(subjects, "member_of", pred.objects, subjects.first,
                                   pred.end - 1, negated, extra,
                                   elliptic="previous" if pred.elliptic else None))
            contrast = _contrast(row, pred.end)
            if contrast is not None and pred.objects:
                hits.append(_actor_hit(subjects, "member_of", contrast.ids, subjects.first,
                                       contrast.end - 1, not negated, extra))
            relative = _relative(row, pred.end) if pred.objects and not negated else None
            if relative is not None:
                hits.append(_actor_hit(subjects, "member_of", relative.objects, subjects.first,
                                       relative.end - 1, relative.negated, extra))
            companions = _companions(row, pred.end)
            if companions is not None and pred.objects:
                hits.append(_actor_hit(companions, "member_of", pred.objects, companions.first,
                                       companions.last, negated, extra))
            continue
        none = _none_subject(row, pre.end, hits)
        if none is not None and pred.objects and not pred.negated:
            hits.append(Hit((none[0],), "member_of", pred.objects, none[1], pred.end - 1, True,
                            "all"))
            continue
        quant = _quantified(row, pre.end)
        if quant is not None and pred.objects:
            org, quantifier, first = quant
            if quantifier == "some":  # "some members of X are not members of Y": not all are
                if not negated:
                    continue
                quantifier, negated = "not_all", False
            hits.append(Hit((org,), "member_of", pred.objects, first, pred.end - 1, negated,
                            quantifier))
    return hits


def _of_which(row: Row, first: int) -> str | None:
    """The organisation a relative clause opened before item FIRST is about: "the Union
    State, of which Belarus and Russia are the only members"."""
    if row.w(first - 1) in ("which", "whom") and row.w(first - 2) == "of" and \
            row.w(first - 3) == "," and row.kind(first - 4) == "organisation":
        return row.id(first - 4)
    return None


def _none_subject(row: Row, k: int, hits: Sequence[Hit]) -> tuple[str, int] | None:
    """"none of them has ever been a member of the CIS", "None of the four members belongs to":
    (group or organisation quantified over, first item). "them" is the group or organisation
    the sentence's claim before was about; "members" the organisation the text is about."""
    j = k
    if row.w(j) == "them" and row.w(j - 1) == "of" and row.v.has("none_words", row.w(j - 2)):
        before = [h for h in hits if h.quantifier == "all" and len(h.subjects) == 1]
        if before:
            return before[-1].subjects[0], j - 2
        return None
    if row.v.has("member", row.w(j)) or row.v.has("member_heads", row.w(j)):
        j -= 1
        j -= row.v.has("member", row.w(j))
        while _is_small_number(row.w(j), row.v.numbers) or row.w(j) in ("the", "its"):
            j -= 1
        if row.w(j) == "of" and row.v.has("none_words", row.w(j - 1)):
            org = row.context_org(j)
            return (org, j - 1) if org else None
        return None
    if row.v.has("none_words", row.w(j)):
        org = row.context_org(j)
        return (org, j) if org else None
    return None


def _relative(row: Row, k: int) -> Predicate | None:
    """"... members of the EU that are not NATO allies": a relative clause after a predicate
    says more of the same subjects."""
    if row.w(k) not in ("that", "which", "who") or not row.v.has("copulas", row.w(k + 1)):
        return None
    pred = _predicate(row, k + 2, "be")
    return pred if pred is not None and pred.objects and not pred.elliptic else None


def _companions(row: Row, k: int) -> ActorList | None:
    """", alongside Ukraine and Moldova" after a predicate: more subjects of the same claim."""
    k += row.w(k) == ","
    end = row.seq_any(k, "companions")
    return _actor_list_fwd(row, end) if end is not None else None


def _contrast(row: Row, k: int) -> OrgList | None:
    """", but not of the CSTO" after a predicate: the same subjects, the other polarity."""
    k += row.w(k) == ","
    if row.w(k) not in ("but", "and") or row.w(k + 1) not in ("not", "never"):
        return None
    k += 2
    k += row.w(k) in ("of", "in", "to", "part")
    k += row.w(k) == "of"
    return _org_list(row, k)


def _with_groups(extra: dict[str, Any], actors: ActorList) -> dict[str, Any]:
    if actors.groups:
        return {**extra, "groups": list(actors.groups)}
    return extra


def _actor_hit(actors: ActorList, predicate: str, objects: tuple[str, ...], first: int,
               last: int, negated: bool, extra: dict[str, Any] | None = None,
               elliptic: str | None = None) -> Hit:
    """A hit about listed states; a group alone ("the Baltic states are ...") is a statement
    about all its members, with the group as subject; in a list it is expanded."""
    if actors.only_group:
        return Hit((actors.only_group,), predicate, objects, first, last, negated, "all",
                   elliptic=elliptic, extra=dict(extra or {}))
    return Hit(actors.ids, predicate, objects, first, last, negated,
               elliptic=elliptic, extra=_with_groups(dict(extra or {}), actors),
               plural=actors.plural)


_APPOSITION_OPENERS = frozenset({",", "(", "—", "–"})


def _apposition_hits(row: Row) -> list[Hit]:
    """"Kazakhstan, a member of the EAEU," and "Azerbaijan, not a member of the CSTO,"."""
    hits = []
    for c in row.where(_APPOSITION_OPENERS):
        if c < 1 or not row.actors(c - 1):
            continue
        start = c + 1 + row.v.has("apposition_openers", row.w(c + 1))
        pred = _predicate(row, start, "apposition")
        if pred is None or not pred.objects or row.actors(pred.end):
            continue
        subjects = _actor_list_back(row, c - 1)
        if subjects is None:
            continue
        extra = {"status": pred.status} if pred.status else {}
        hits.append(_actor_hit(subjects, "member_of", pred.objects, subjects.first,
                               pred.end - 1, pred.negated or subjects.negated, extra))
    return hits


def _non_at(row: Row, k: int) -> int | None:
    """Where "non" / "non -" ending at item k starts, if it does."""
    if row.w(k) == "non":
        return k
    if row.w(k) == "-" and row.w(k - 1) == "non":
        return k - 1
    return None


def _named_member_hits(row: Row) -> list[Hit]:
    """Members named after the organisation or the members phrase.

    "CSTO member Belarus", "the CSTO's members Armenia and Belarus", "members of
    the CIS such as Armenia", "non-member Azerbaijan" (organisation found nearby).
    """
    v, hits = row.v, []
    for k in row.where(v.member_nouns):
        noun = row.w(k)
        after = k + 1 + v.has("member_heads", row.w(k + 1))
        before = k - 1
        while v.has("prenominal_modifiers", row.w(before)) and k - before < MAX_SKIP:
            before -= 1
        if row.kind(before) == "organisation":
            non = _non_at(row, before - 1)
            neg, first = non is not None, before if non is None else non
            start = after
            end = row.seq_any(after, "examples")
            if end is not None and row.w(after) != ",":
                start = end
            elif row.w(after) == ",":
                start = after + 1
            actors = _actor_list_fwd(row, start)
            if actors is not None and _opens_clause(row, actors.last + 1):
                continue  # "members of the CSTO: Azerbaijan and Moldova are not."
            if actors is not None:
                hits.append(_actor_hit(actors, "member_of", (row.id(before) or "",), first,
                                       actors.last, neg))
            continue
        if not v.has("member", noun):
            continue
        non = _non_at(row, k - 1)
        neg = non is not None
        if row.w(after) == "of" and row.kind(after + 1) != "organisation" and \
                row.kind(after + 2) != "organisation" and neg:
            after += 1  # "non member of Azerbaijan"
        orgs = _org_list(row, after + 1) if row.w(after) == "of" else None
        if orgs is not None:
            if not (noun or "").endswith("s") and not neg:
                continue
            end = row.seq_any(orgs.end, "examples")
            actors = _actor_list_fwd(row, end) if end is not None else None
            if actors is not None and not _opens_clause(row, actors.last + 1):
                hits.append(_actor_hit(actors, "member_of", orgs.ids, k, actors.last,
                                       neg or orgs.negated))
        elif neg:
            actors = _actor_list_fwd(row, after)
            if actors is not None:
                hits.append(_actor_hit(actors, "member_of", (), k if non is None else non,
                                       actors.last, True, elliptic="nearby"))
    return hits


def _opens_clause(row: Row, k: int) -> bool:
    """Is the word at k the verb of a new clause ("... Azerbaijan and Moldova are not")?"""
    while row.v.has("subject_skip", row.w(k)) and row.w(k) not in row.v.words["copulas"] and \
            row.w(k) not in (",",) and k < len(row):
        k += 1
    return row.v.has("copulas", row.w(k)) or row.v.has("do_aux", row.w(k)) or \
        row.v.has("belong", row.w(k))


def _number(row: Row, k: int) -> tuple[int, int] | None:
    """(value, end) for "ten", "32", "thirty-two", "twenty seven" at item k."""
    word, numbers = row.w(k), row.v.numbers
    if word is None:
        return None
    digits = word.replace(",", "")
    if digits.isdigit():
        return (int(digits), k + 1) if 0 < int(digits) < 1000 else None
    if word not in numbers:
        return None
    value, end = numbers[word], k + 1
    if value >= 20 and value % 10 == 0:
        j = end + (row.w(end) == "-")
        unit = numbers.get(row.w(j) or "", 0)
        if 0 < unit < 10:
            value, end = value + unit, j + 1
    return value, end


def _nearest_org(row: Row, k: int) -> str | None:
    """The organisation written nearest to item k in the sentence, after it preferred."""
    after = [i for i in range(k, len(row)) if row.kind(i) == "organisation"]
    if after:
        return row.id(after[0])
    before = [i for i in range(0, k) if row.kind(i) == "organisation"]
    return row.id(before[-1]) if before else None


def _count_after(row: Row, end: int, owner: str | None, *,
                 whole_group: bool = True, context: bool = False) -> tuple[str, int] | None:
    """What a number counts, from the item after it: (organisation or group id, last item).

    With ``context``, members counted without an organisation ("all 27 member states") are
    the members of the organisation named last (in the sentence, else in the text).
    """
    v = row.v
    if row.w(end) == "-" and row.w(end + 1) == "member":  # "the 32-member alliance"
        if row.kind(end + 2) == "organisation":
            return row.id(end + 2) or "", end + 2
        if v.has("bloc_words", row.w(end + 2)):  # "the six-member bloc" in a CSTO story
            org = owner or _nearest_org(row, end) or row.context_org(end)
            return (org, end + 2) if org else None
        return None
    if row.kind(end) == "group":
        return (row.id(end) or "", end) if whole_group else None
    if row.kind(end) == "organisation":
        owner, end = row.id(end), end + 1
    while v.has("count_modifiers", row.w(end)):
        end += 1  # "six active members"
    has_member = v.has("member", row.w(end)) and v.has("heads", row.w(end + 1))
    k = end + has_member
    head = row.w(k)
    if not v.has("heads", head):
        return None
    if row.w(k + 1) == "of" and row.kind(k + 2) in ("organisation", "group"):
        return row.id(k + 2) or "", k + 2
    if row.w(k + 1) == "of" and row.w(k + 2) == "the" and row.kind(k + 3) in ("organisation",
                                                                                "group"):
        return row.id(k + 3) or "", k + 3
    if owner and (has_member or v.has("self_heads", head)):
        return owner, k
    if head == "allies":
        org = _nearest_org(row, k) or row.context_org(k)
        return (org, k) if org else None
    if context and (has_member or v.has("self_heads", head)):
        # "all 27 member states", "the four member states" in a story about one organisation
        org = _org_before(row, k) or row.context_org(k)
        return (org, k) if org else None
    return None


def _org_before(row: Row, k: int) -> str | None:
    """The organisation named last before item k in the sentence."""
    before = [i for i in range(k) if row.kind(i) == "organisation"]
    return row.id(before[-1]) if before else None


def _count_hits(row: Row) -> list[Hit]:
    """"the ten member states of the CIS", "NATO's 32 allies", "the 15 former Soviet republics"."""
    v, hits = row.v, []
    numeric = [k for k, word in enumerate(row.words)
               if word is not None and (word in v.numbers or word.replace(",", "").isdigit())]
    for k in numeric:
        number = _number(row, k)
        if number is None:
            continue
        value, end = number
        owner, first, listed = None, k - 1, None
        if row.w(k - 1) == "'s" and row.kind(k - 2) == "organisation":
            owner, first = row.id(k - 2), k - 2
        else:
            j = k
            while v.has("having_before_number", row.w(j - 1)) and k - j < 3:
                j -= 1
            owner, first = _having_owner(row, j)
            listed = _listed_members(row, end, value) if owner is None else None
            if owner is None and not v.has("determiners", row.w(k - 1)) and listed is None:
                continue
            first = k - 1 if owner is None else first
        # a group is counted whole only as "(out) of the 15 former Soviet republics", "all 15"
        whole = row.w(k - 1) == "all" or (row.w(k - 1) == "the" and row.w(k - 2) in ("of", "all"))
        context = row.w(k - 1) in ("the", "all") and owner is None
        counted = _count_after(row, end, owner, whole_group=whole, context=context or
                               listed is not None)
        if counted is None:
            continue
        hits.append(Hit((counted[0],), "member_count", (counted[0],), max(first, 0),
                        counted[1], value=value))
        listed = _listed_members(row, end, value)
        if listed is not None and row.kind(counted[1]) != "group":
            hits.append(_actor_hit(listed, "member_of", (counted[0],), max(first, 0),
                                   listed.last, False))
    return hits


def _listed_members(row: Row, end: int, value: int) -> ActorList | None:
    """"six active members: Armenia, Belarus, ...": the members counted, listed after a colon
    or a dash, when the list has as many states as the number says."""
    k = end
    while row.v.has("count_modifiers", row.w(k)) and k - end < 3:
        k += 1
    if not row.v.has("member", row.w(k)):
        return None
    k += 1 + row.v.has("member_heads", row.w(k + 1))
    if row.w(k) == "of":  # "the five member states of the EAEU: ..."
        k += 1 + (row.w(k + 1) == "the")
        if row.kind(k) != "organisation":
            return None
        k += 1
    if row.w(k) not in (":", "-", "—", "–"):
        return None
    actors = _actor_list_fwd(row, k + 1) or _states_in_titles(row, k + 1)
    if actors is None or actors.groups or len(actors.ids) != value or actors.negated:
        return None
    return actors


def _states_in_titles(row: Row, k: int) -> ActorList | None:
    """"the five member states: President of Armenia X, President of Belarus Y and ...": the
    states named in a list of office holders after a colon, up to "as well as" or the clause's
    end."""
    ids: list[str] = []
    first = last = k
    while not row.clause_end(k) and row.seq_any(k, "list_joins_multi") is None and \
            row.seq_any(k, "companions") is None and len(ids) < MAX_LIST:
        if row.kind(k) == "state" and row.w(k - 1) == "of" or \
                row.kind(k) == "state" and row.w(k - 1) == "the" and row.w(k - 2) == "of":
            if not ids:
                first = k
            ids.append(row.id(k) or "")
            last = k
        k += 1
    return ActorList(tuple(dict.fromkeys(ids)), first, last) if ids else None


def _ordinal(row: Row, k: int) -> tuple[int, int] | None:
    """(value, end) for "31st", "tenth", "thirty-first" at item k."""
    word, ordinals = row.w(k) or "", row.v.ordinals
    match = _ORDINAL.fullmatch(word)
    if match:
        return int(match.group(1)), k + 1
    if word in ordinals:
        return ordinals[word], k + 1
    tens = row.v.numbers.get(word, 0)
    if tens >= 20 and tens % 10 == 0:
        j = k + 1 + (row.w(k + 1) == "-")
        unit = ordinals.get(row.w(j) or "", 0)
        if 0 < unit < 10:
            return tens + unit, j + 1
    return None


def _ordinal_hits(row: Row) -> list[Hit]:
    """"Finland became the 31st member of NATO": it joins, and NATO now counts 31 members."""
    v = row.v
    hits: list[Hit] = []
    if v.words["member"].isdisjoint(row.words):
        return hits  # each reading below needs "member"
    numeric = [k for k, word in enumerate(row.words) if word is not None and (
        word[:1].isdigit() or word in v.ordinals or word in v.numbers)]
    for k in numeric:
        ordinal = _ordinal(row, k)
        if ordinal is None:
            continue
        value, end = ordinal
        if row.w(k - 1) == "the":
            owner, verb = None, k - 2
        elif row.w(k - 1) == "'s" and row.kind(k - 2) == "organisation":
            owner, verb = row.id(k - 2), k - 3
        else:
            continue
        while v.has("predicate_modifiers", row.w(end)):
            end += 1
        if not v.has("member", row.w(end)):
            continue
        end += 1 + v.has("member_heads", row.w(end + 1))
        orgs = _org_list(row, end + 1) if row.w(end) == "of" else None
        org = orgs.ids[0] if orgs is not None and len(orgs.ids) == 1 else owner
        if org is None:
            continue
        last = orgs.end - 1 if orgs is not None else end - 1
        hits.append(Hit((org,), "member_count", (org,), k - 1, last, value=value))
        predicate = "joins" if v.has("become", row.w(verb)) else (
            "member_of" if v.has("copulas", row.w(verb)) else None)
        if predicate is None:
            continue
        pre = _pre_verb(row, verb)
        subjects = _subjects(row, pre)
        if subjects is not None and not pre.hypothetical:
            hits.append(_actor_hit(subjects, predicate, (org,), subjects.first, last,
                                   pre.negated))
    return hits


def _having_owner(row: Row, k: int) -> tuple[str | None, int]:
    """"NATO (now) has 32 members": the organisation before a having-verb ending at item k."""
    v = row.v
    for words in v.multi["having"]:
        start = k - len(words)
        if row.seq(start, words) != k:
            continue
        j = start - 1
        while v.has("having_skip", row.w(j)):
            j -= 1
        if row.kind(j) == "organisation":
            return row.id(j), j
    return None, k


def _match_phrase(row: Row, k: int, phrase: Phrase) -> tuple[int, str | None] | None:
    """(end, organisation in the slot) when the phrase stands at item k."""
    org = None
    for allowed, optional in zip(phrase.slots, phrase.optional, strict=True):
        if allowed is None:
            if row.kind(k) != "organisation":
                return None
            org, k = row.id(k), k + 1
        elif row.w(k) in allowed:
            k += 1
        elif not optional:
            return None
    return k, org


def _change_hits(row: Row) -> list[Hit]:
    """joins, leaves, suspends, applies_to, considers_joining: "Finland joined NATO in 2023"."""
    hits, k = [], 0
    for start in row.where(row.v.change):  # the first words of change phrases
        if start < k:
            continue  # inside the phrase found last
        found = None
        for predicate, phrase in row.v.change[row.w(start) or ""]:
            matched = _match_phrase(row, start, phrase)
            if matched is not None:
                found = (predicate, *matched)
                break
        if found is None:
            continue
        predicate, end, org = found
        hit = _change_hit(row, start, predicate, end, org)
        if hit is not None:
            hits.append(hit)
            gapped = _gapped(row, hit)
            if gapped is not None:
                hits.append(gapped)
        k = max(end, start + 1)
    return hits


def _gapped(row: Row, hit: Hit) -> Hit | None:
    """"Armenia joined the next day and Kyrgyzstan in August": a second subject with only a
    time after it shares the verb and organisation of the clause before."""
    if hit.negated or hit.quantifier or not hit.subjects or hit.predicate == "considers_joining":
        return None
    k = hit.last + 1
    while not row.clause_end(k) and k - hit.last < MAX_SKIP:
        if row.w(k) in ("and", ",") and row.kind(k + 1) is None and row.w(k + 1) != "and":
            k += 1
            continue
        if row.w(k) == "and" or row.w(k) == "," and row.w(k + 1) == "and":
            break
        if row.kind(k) is not None:
            return None
        k += 1
    else:
        return None
    k += 1 + (row.w(k + 1) == "and")
    actors = _actor_list_fwd(row, k)
    if actors is None or actors.negated or set(actors.ids) & set(hit.subjects):
        return None
    j = actors.last + 1
    if not (row.w(j) in ("in", "on") and (YEAR.fullmatch(row.w(j + 1) or "") or
                                           row.v.has("year_openers", row.w(j + 1)) or
                                           row.v.has("weekdays", row.w(j + 1)))
            or row.w(j) == "a" and row.w(j + 2) == "later"):
        return None
    end = j + 1
    while not row.clause_end(end) and row.w(end) != ",":
        word = row.w(end) or ""
        if not (word.isdigit() or word in ("of", "the", "a", "later", "week", "weeks", "months")
                or row.v.has("year_openers", word) or row.v.has("weekdays", word)
                or row.v.has("bare_time_after_the", word)) or end - j > 5:
            return None  # "and Sweden in March said ...": a clause of its own
        end += 1
    return _actor_hit(actors, hit.predicate, hit.objects, actors.first, end - 1, False,
                      hit.extra)


def _context_object(row: Row, k: int, end: int) -> str | None:
    """The organisation of a change written without one: a bare verb ("Finland joined last
    year.", "Sweden, which applied on the same day,"), a noun of membership with nothing after
    it ("applying for membership in May"), or "it" ("never joined it")."""
    v, nxt = row.v, row.w(end)
    if v.has("object_pronouns", nxt) and (row.clause_end(end + 1) or
                                          v.has("bare_followers", row.w(end + 1))):
        return row.context_org(k)
    bare = end == k + 1 and v.has("bare_verbs", row.w(k))
    noun = v.has("context_nouns", row.w(end - 1))
    if not (bare or noun):
        return None
    if row.kind(end) is not None:
        return None
    if not (row.clause_end(end) or v.has("bare_followers", nxt) or (
            nxt == "the" and v.has("bare_time_after_the", row.w(end + 1)))):
        return None
    if nxt in ("in", "on", "at", "for") and row.kind(end + 1) is not None:
        return None  # "left for Moscow", "joined in Astana"
    return row.context_org(k)


def _orgs_of_kind(row: Row, k: int) -> OrgList | None:
    """"military-political blocs, whether NATO or the CSTO": a kind of organisation from item k,
    then the organisations meant."""
    j = k
    while row.kind(j) is None and not row.v.has("org_kinds", row.w(j)) and j - k < 4:
        if row.clause_end(j) or row.w(j) == ",":
            return None
        j += 1
    if not row.v.has("org_kinds", row.w(j)):
        return None
    j += 1 + (row.w(j + 1) == ",")
    end = row.seq_any(j, "org_kind_examples")
    return _org_list(row, end) if end is not None else None


def _possessive_subject(row: Row, k: int) -> ActorList | None:
    """"Georgia's exit from the CIS", "its withdrawal from": the owner of a noun of change."""
    if row.w(k - 1) == "'s" and row.actors(k - 2):
        return ActorList(row.actors(k - 2), k - 2, k - 2)
    if row.w(k - 1) == "its":
        return ActorList((), k - 1, k - 1)
    return None


def _change_hit(row: Row, k: int, predicate: str, end: int, org: str | None) -> Hit | None:
    if org is not None:
        objects, last = (org,), end - 1
    else:
        j = end
        while row.v.has("object_skip", row.w(j)) and j - end < MAX_SKIP:
            j += 1
        orgs = _org_list(row, j) or _orgs_of_kind(row, j)
        if orgs is None:
            context = _context_object(row, k, j)
            if context is None:
                return None
            objects, last = (context,), j - 1
        else:
            objects, last = orgs.ids, orgs.end - 1
    if row.v.has("nouns_of_change", row.w(k)):
        subjects = _possessive_subject(row, k)
        if subjects is None:
            return None
        return _actor_hit(subjects, predicate, objects, subjects.first, last, False)
    pre = _pre_verb(row, k)
    reported = _reported_subject(row, pre.end) if pre.hypothetical else None
    if pre.hypothetical and predicate != "considers_joining" and not (
            set(pre.modals) <= {"will", "'ll"} or
            reported is not None and set(pre.modals) <= {"would", "will", "'ll", "to"}):
        return None  # "could join"; but "will join on 1 May", "announced it would withdraw"
    subjects = _subjects(row, pre)
    if subjects is None or _conditional_before(row, subjects.first):
        return None
    negated = pre.negated or subjects.negated
    if predicate == "joins" and negated and pre.perfect:
        predicate = "member_of"  # "has never joined the CSTO": not a member
    return _actor_hit(subjects, predicate, objects, subjects.first, last, negated)


# --- statements ------------------------------------------------------------------------------


def _clause(row: Row, hit: Hit) -> tuple[int, int]:
    """Item bounds of the clause a hit stands in, so a date of the next clause stays there."""
    ends = row.clause_ends()
    i = bisect_left(ends, hit.first)
    lo = ends[i - 1] + 1 if i > 0 else 0
    j = bisect_left(ends, hit.last + 1)
    hi = ends[j] if j < len(ends) else len(row)
    return lo, max(hi, lo + 1)


def _statement_date(row: Row, hit: Hit, dates: Sequence[DateMention]) -> str | None:
    """The date the hit's clause gives explicitly: a date of the dates component, else a year."""
    lo, hi = _clause(row, hit)
    start, end = row.items[lo].start, row.items[hi - 1].end
    anchor = row.items[hit.first].start
    found = [d for d in dates if start <= d.start and d.end <= end]
    if found:
        return str(min(found, key=lambda d: abs(d.start - anchor)).date)
    years = row.years()
    at = bisect_left(years, hit.first)  # the years either side of the hit are the candidates
    near = [i for i in years[max(at - 1, 0):at + 1] if lo <= i < hi]
    if not near:
        return None
    return row.w(min(near, key=lambda i: (abs(i - hit.first), i < hit.first)))


def _resolve_objects(hit: Hit, row: Row, previous: tuple[str, ...]) -> tuple[str, ...]:
    if hit.elliptic == "previous":
        if previous:
            return previous
        org = row.context_org(hit.first)  # "Sweden ... is not yet a member:" in a NATO story
        return (org,) if org else ()
    if hit.elliptic == "nearby":
        org = _nearest_org(row, hit.last + 1)
        return (org,) if org else previous
    return hit.objects


def _sentences(tokens: Tokens) -> list[tuple[int, int]]:
    """Token bounds [start, end) of the sentences, also cut at blank lines: a paragraph or
    caption without a final stop ("... in 2017 (see picture below)") must not lend its words
    to the next one."""
    try:
        sents = tokens.sents
    except ValueError:  # no sentence boundaries set
        sents = [(0, len(tokens.text))] if tokens.text else []
    blank = tokens.blank
    breaks = [i for i in compress(range(len(blank)), blank) if tokens.text[i].count("\n") >= 2]
    out: list[tuple[int, int]] = []
    for start, end in sents:
        for i in breaks[bisect_left(breaks, start):bisect_left(breaks, end)]:
            if i > start:
                out.append((start, i))
            start = i + 1
        if start < end:
            out.append((start, end))
    return out


class NamedBefore:
    """The states the sentence before named, for "Both countries are members of GUAM".

    That is the last sentence with items that does not open with a retraction. Most
    sentences are skipped unread (see ``find_membership``), so the items of a skipped one
    are built only when a later sentence asks.
    """

    def __init__(self, tokens: Tokens, mentions: Sequence[Mention], starts: Sequence[int],
                 demonyms: frozenset[str], v: Vocab) -> None:
        self.tokens, self.mentions, self.starts, self.demonyms, self.v = \
            tokens, mentions, starts, demonyms, v
        self.value: tuple[str, ...] = ()
        self.unread: list[tuple[int, int]] = []  # sentences skipped since, the latest last

    def read(self, items: Sequence[Item]) -> None:
        """The items of a sentence that was read (with items, no retraction)."""
        self.value = _states_named(items)
        self.unread.clear()

    def skip(self, sent: tuple[int, int]) -> None:
        self.unread.append(sent)

    def get(self) -> tuple[str, ...]:
        while self.unread:
            # a skipped sentence has no organisation to resolve: no antecedents needed
            items = _items(self.unread.pop(), self.tokens, self.mentions, self.starts,
                           self.demonyms)
            if items and not self.v.has("retractions", items[0].word):
                self.read(items)
        return self.value


def _states_named(items: Sequence[Item]) -> tuple[str, ...]:
    """The states (and demonyms) among the items, once each, in order."""
    return tuple(dict.fromkeys(
        item.id for item in items if item.kind in ("state", "demonym") and item.id))


def _may_give_hits(words: Sequence[str], v: Vocab, group: bool) -> bool:
    """May the readers find anything in a sentence with these tokens (lower case) and no
    organisation item? False only when none can, reader by reader:

    - named members and ordinals start at "member" or "ally";
    - a verb of being needs "member" or an organisation after it, or else an ellipsis, which
      counts only when negated ("Azerbaijan and Moldova are not."); an apposition needs an
      organisation;
    - a count needs a number and what it counts: "member", a head ("states") or a group;
    - a change needs a word in each required word slot of one of its phrases.
    """
    if not v.member_nouns.isdisjoint(words):
        return True
    if not v.verbs_of_being.isdisjoint(words) and not v.words["negations"].isdisjoint(words):
        return True
    if (group or not v.words["heads"].isdisjoint(words)) and any(
            word in v.numbers or word.replace(",", "").isdigit() for word in words):
        return True
    present = set(words)
    return any(all(not slot.isdisjoint(present) for slot in needs)
               for first in v.change.keys() & present for needs in v.change_needs[first])


def find_membership(section: Section, ctx: Context) -> list[Statement]:
    """Membership statements of one section, one per (subject, object) pair."""
    v = vocab()
    named = ctx.section_mentions(section.name)
    title_orgs = [m.entity_id for m in ctx.section_mentions("title")
                  if section.name != "title" and m.kind == "organisation" and m.entity_id]
    # Which sentences are read. A statement's object is an organisation: an organisation item
    # (a name of the section, or a description resolved to one named before), or the one the
    # text is about (named before, or in the title). When the section and its title name
    # none, Antecedents resolves nothing, so the object can only be a group counted in the
    # sentence ("the 15 former Soviet republics") or, in an ellipsis, the object of the
    # statement just before. A sentence that may hold an organisation item is always read
    # (resolving a description there is remembered for later sentences); any other is read
    # only when it offers an object and a reader may find something in it. A sentence not
    # read gives no statement and changes nothing a later sentence reads but the states it
    # names (``NamedBefore``).
    if not title_orgs and not any(m.kind == "group" or m.kind == "organisation" and m.entity_id
                                  for m in named):
        return []  # no sentence offers an object, so there is no statement just before either
    mentions = _non_overlapping(named)
    starts = [m.start for m in mentions]
    lexicon = _lexicon(ctx.gazetteer)
    antecedents = Antecedents(
        [(m.start, m.entity_id) for m in mentions if m.kind == "organisation" and m.entity_id],
        title_orgs, lexicon, v)
    orgs_named = bool(antecedents.orgs or antecedents.fallback)
    dates = [d for d in ctx.dates if d.section == section.name and d.date is not None]
    out: list[Statement] = []
    previous: tuple[str, ...] = ()  # the organisations of the last statement, for ellipses
    previous_sentence = -2
    topic: tuple[str, ...] = ()  # the one state the last statements were about, for "it"
    topic_sentence = -3
    plural_topic: tuple[str, ...] = ()  # the states the last statements were about together
    plural_sentence = -4
    tokens = token_table(section)
    named_before = NamedBefore(tokens, mentions, starts, lexicon.demonyms, v)
    for si, sent in enumerate(_sentences(tokens)):
        start_char, end_char = tokens.idx[sent[0]], tokens.end_char(sent[1] - 1)
        words = tokens.lower[sent[0]:sent[1]]
        kinds = {m.kind for m in mentions[bisect_left(starts, start_char):
                                          bisect_left(starts, end_char)]}
        # an organisation item may stand here: a name, or a description to resolve
        organisation = "organisation" in kinds or \
            orgs_named and not antecedents.heads.isdisjoint(words)
        group = "group" in kinds
        offers_object = orgs_named or group or previous_sentence >= si - 1
        if not organisation and not (offers_object and _may_give_hits(words, v, group)):
            named_before.skip(sent)
            continue
        row = Row(_items(sent, tokens, mentions, starts, lexicon.demonyms, antecedents), v,
                  ctx.gazetteer, antecedents)
        if not len(row):
            continue
        if row.v.has("retractions", row.w(0)):
            continue  # "Corrections: an earlier version said ..." retracts what follows
        hits = _count_hits(row) + _ordinal_hits(row)
        text = section.text[start_char:end_char]  # the sentence's text, without its tokens
        if not text.rstrip(" \n\"'”’»)").endswith("?"):  # a question asserts no membership
            hits += _copula_hits(row) + _apposition_hits(row) + _named_member_hits(row)
            hits += _change_hits(row)
        hits.sort(key=lambda h: (h.first, h.last))
        seen: set[tuple[Any, ...]] = set()
        for hit in hits:
            recent = previous if previous_sentence >= si - 1 else ()
            objects = _resolve_objects(hit, row, recent)
            if not hit.subjects and hit.plural:  # "Both countries are members of GUAM"
                if plural_sentence >= si - 3 and len(plural_topic) == hit.plural:
                    hit.subjects = plural_topic
                elif len(named_before.get()) == hit.plural:
                    hit.subjects = named_before.get()
            elif not hit.subjects and topic_sentence >= si - 2:
                hit.subjects = topic  # "It is a member of the CIS" after "Azerbaijan is not ..."
            if not objects or not hit.subjects:
                continue
            date = _statement_date(row, hit, dates)
            span = (row.items[hit.first].start, row.items[hit.last].end)
            for subject in hit.subjects:
                for obj in objects:
                    key = (subject, hit.predicate, obj, hit.negated, hit.quantifier, hit.value)
                    if key in seen or (subject == obj and hit.predicate != "member_count"):
                        continue
                    seen.add(key)
                    out.append(Statement(
                        kind="membership", subject=subject, predicate=hit.predicate,
                        object=obj, negated=hit.negated, quantifier=hit.quantifier,
                        value=hit.value, date=date, section=section.name, span=span,
                        sentence=text, extra=dict(hit.extra),
                    ))
            if hit.predicate in MEMBER_PREDICATES and objects:
                previous, previous_sentence = objects, si
            if len(hit.subjects) == 1 and hit.quantifier is None and hit.subjects[0].isupper():
                topic, topic_sentence = hit.subjects, si
            elif len(hit.subjects) > 1 and hit.quantifier is None and \
                    all(s.isupper() for s in hit.subjects):
                plural_topic, plural_sentence = hit.subjects, si
        named_before.read(row.items)
    return out
