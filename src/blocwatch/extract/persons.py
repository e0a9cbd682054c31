"""Persons named by their role, linked to the reference base, and the offices they hold.

News names officials by role far more than by name alone: "Secretary of the
Security Council of Armenia Armen Grigoryan", "Valeri Semerikov, the Acting
Secretary General of the CSTO", "Russia's President Vladimir Putin". This
module reads those constructions from tokens, punctuation and the names the
EntityRuler already found (no parser: a blank pipeline has none):

* a *title* is an office the ruler tagged ("CSTO Secretary General") or a
  title phrase from the vocabulary ("secretary general") with the state,
  organisation or body it belongs to in, after or before it; a template table
  in the vocabulary turns (title, state/organisation) into an office id;
* a *name* follows the title (optionally after a comma) or precedes it with a
  comma ("Mark Rutte, NATO's secretary general");
* the written name is linked to a known person: the ruler's match, an exact
  alias, the holder of the office (initial + surname), a transliteration-
  normalised form and a fuzzy match, preferring people who held the office at
  the document's date; otherwise it is a new person ``new:<Full Name>``.

``resolve_ambiguous`` then settles what needs the whole document: ambiguous
surnames, bare surnames of people named in full, "the alliance", and titles
without a name ("the Nato chief said"). ``office_statements`` turns the role
mentions into "holds" statements, one per (person, office) and document.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Container, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from blocwatch.extract.gazetteer import Gazetteer
from blocwatch.extract.model import Context, Mention, Section, Statement
from blocwatch.extract.tokens import Tokens, tokens

VOCAB_PATH = Path(__file__).parent / "vocab" / "persons.toml"
SLOT_KINDS = {"state", "organisation", "body"}
PERSON_KINDS = {"person", "ambiguous"}
MAX_ROLE_UNITS = 24  # how far a role is read backwards from its title
MAX_NAME_WORDS = 5
POST_TITLE_UNITS = 5  # how far after a name's comma its title may begin
_INITIAL = re.compile(r"^[A-Z][a-z]?\.$")
_SHORT = re.compile(r"^[A-Z][a-z]?$")


# ---------------------------------------------------------------- vocabulary

@dataclass(frozen=True)
class _TitleRule:
    words: tuple[str, ...]
    templates: tuple[str, ...]


@dataclass(frozen=True)
class _Generic:
    words: tuple[str, ...]
    candidates: tuple[str, ...]
    case: bool


@dataclass(frozen=True)
class _Vocab:
    titles: dict[str, tuple[_TitleRule, ...]]  # first word -> rules, longest first
    words: dict[str, frozenset[str]]
    translit: tuple[tuple[str, str], ...]
    generics: tuple[_Generic, ...]
    fuzzy_threshold: float
    holder_threshold: float


def _phrase_words(text: str) -> tuple[str, ...]:
    """Split a vocabulary phrase the way spaCy's English tokenizer splits it."""
    return tuple(re.findall(r"\w+|[^\w\s]", text))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data: dict[str, Any] = tomllib.loads(VOCAB_PATH.read_text(encoding="utf-8"))
    titles: dict[str, list[_TitleRule]] = {}
    for entry in data.get("title", []):
        for phrase in entry.get("phrases", []):
            words = _phrase_words(phrase.lower())
            if words:
                rule = _TitleRule(words, tuple(entry.get("templates", [])))
                titles.setdefault(words[0], []).append(rule)
    generics = tuple(
        _Generic(_phrase_words(p if g.get("case") else p.lower()), tuple(g["candidates"]),
                 bool(g.get("case")))
        for g in data.get("generic", []) for p in g.get("phrases", [])
    )
    link = data.get("link", {})
    return _Vocab(
        titles={k: tuple(sorted(v, key=lambda r: -len(r.words))) for k, v in titles.items()},
        words={k: frozenset(w.lower() for w in v) for k, v in data.get("words", {}).items()},
        translit=tuple((t["from"], t["to"]) for t in data.get("translit", [])),
        generics=generics,
        fuzzy_threshold=float(link.get("fuzzy_threshold", 90)),
        holder_threshold=float(link.get("holder_threshold", 82)),
    )


def _is(word: str, group: str) -> bool:
    return word.lower() in _vocab().words.get(group, frozenset())


def _where(column: list[str], wanted: Container[str]) -> list[int]:
    """The indices of COLUMN's items that are in WANTED (one pass at C speed)."""
    return list(compress(range(len(column)), map(wanted.__contains__, column)))


# ---------------------------------------------------------------- names

def normalise_name(name: str) -> str:
    """A spelling-insensitive key for a name: Valeri/Valery/Valeriy, Makhmudov/Mahmudov..."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z\s]", " ", text)
    for old, new in _vocab().translit:
        text = text.replace(old, new)
    text = re.sub(r"([a-z])\1+", r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Index:
    """Person names of one gazetteer, keyed for exact, normalised and fuzzy lookup."""

    exact: dict[str, frozenset[str]]
    norm: dict[str, frozenset[str]]
    choices: tuple[str, ...]  # normalised full names
    sorted_choices: tuple[str, ...]  # the same with their words sorted, for rapidfuzz
    owners: tuple[str, ...]  # person id of each choice
    surnames: dict[str, frozenset[str]]  # normalised surname -> persons
    initials: dict[str, frozenset[str]]  # person -> first letters of first names


_INDEXES: dict[int, tuple[Gazetteer, _Index]] = {}


def _index(gaz: Gazetteer) -> _Index:
    cached = _INDEXES.get(id(gaz))
    if cached is not None and cached[0] is gaz:
        return cached[1]
    exact: dict[str, set[str]] = {}
    norm: dict[str, set[str]] = {}
    surnames: dict[str, set[str]] = {}
    initials: dict[str, set[str]] = {}
    pairs: dict[tuple[str, str], None] = {}
    for alias in gaz.aliases:
        entity = gaz.entities.get(alias.entity_id)
        if entity is None or entity.kind != "person" or alias.kind == "id":
            continue
        pid, words = entity.id, alias.text.split()
        exact.setdefault(alias.text.lower(), set()).add(pid)
        if len(words) < 2:
            continue
        key = normalise_name(alias.text)
        norm.setdefault(key, set()).add(pid)
        pairs[(key, pid)] = None
        surnames.setdefault(normalise_name(words[-1]), set()).add(pid)
        initials.setdefault(pid, set()).add(words[0][0].upper())
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    index = _Index(
        {k: frozenset(v) for k, v in exact.items()}, {k: frozenset(v) for k, v in norm.items()},
        tuple(k for k, _ in pairs), tuple(_sorted_words(k) for k, _ in pairs),
        tuple(p for _, p in pairs),
        {k: frozenset(v) for k, v in surnames.items()},
        {k: frozenset(v) for k, v in initials.items()},
    )
    _INDEXES[id(gaz)] = (gaz, index)
    return index


def _holds(ctx: Context, person: str, office: str | None, *, at_date: bool) -> bool:
    """Did PERSON hold OFFICE (at the document's date when AT_DATE and it is known)?"""
    if office is None:
        return False
    for t in ctx.gazetteer.tenures_by_person.get(person, ()):
        if t.office != office:
            continue
        if not at_date or ctx.published is None:
            return True
        if t.may_hold(ctx.published.first, ctx.published.last):
            return True
    return False


def _best(ctx: Context, people: set[str] | frozenset[str], office: str | None) -> str | None:
    """One person among PEOPLE: the only one, or the only holder of OFFICE (at the date)."""
    if len(people) == 1:
        return next(iter(people))
    for at_date in (True, False):
        holders = {p for p in people if _holds(ctx, p, office, at_date=at_date)}
        if len(holders) == 1:
            return holders.pop()
    return None


def link_name(name: str, office: str | None, ctx: Context
              ) -> tuple[str | None, str, tuple[str, ...]]:
    """Link a written person name to a person id: (id, how, candidates when undecided).

    ``how`` is "alias" (a known spelling), "role" (the holder of OFFICE with
    that surname and initial), "fuzzy" (a transliteration variant) or "new".
    """
    index, vocab = _index(ctx.gazetteer), _vocab()
    words = name.split()
    if not words:
        return None, "new", ()
    found = index.exact.get(name.lower())
    if found:
        pid = _best(ctx, found, office)
        return (pid, "alias" if len(found) == 1 else "role", ()) if pid else \
            (None, "alias", tuple(sorted(found)))
    surname = normalise_name(words[-1])
    given = [w for w in words[:-1] if w.lower() not in vocab.words.get("name_particles", ())]
    if all(_INITIAL.match(w) or _SHORT.match(w) for w in given):
        # "N. Patrushev", or a surname alone: the office holder with that surname.
        people = index.surnames.get(surname, frozenset())
        if given:
            people = frozenset(p for p in people if given[0][0] in index.initials.get(p, ()))
        holders = {p for p in people if _holds(ctx, p, office, at_date=True)}
        if len(holders) == 1:
            return holders.pop(), "role", ()
        pid = _best(ctx, people, office)
        if pid:
            return pid, "fuzzy", ()
        return None, "new", tuple(sorted(people)) if len(people) > 1 else ()
    key = normalise_name(name)
    if key in index.norm and (pid := _best(ctx, index.norm[key], office)):
        return pid, "fuzzy", ()
    pid = _fuzzy(key, surname, office, ctx)
    return (pid, "fuzzy", ()) if pid else (None, "new", ())


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _fuzzy(key: str, surname: str, office: str | None, ctx: Context) -> str | None:
    """rapidfuzz over normalised names; holders of the office pass a lower bar.

    The score is rapidfuzz's token_sort_ratio, which is the ratio of the names
    with their words sorted: the index keeps its names sorted so, once.
    """
    index, vocab = _index(ctx.gazetteer), _vocab()
    ranked: list[tuple[bool, bool, float, str]] = []
    for _, score, i in process.extract(_sorted_words(key), index.sorted_choices,
                                       scorer=fuzz.ratio, score_cutoff=vocab.holder_threshold,
                                       limit=20):
        pid = index.owners[i]
        if fuzz.ratio(surname, index.choices[i].split()[-1]) < 80:
            continue
        held = _holds(ctx, pid, office, at_date=False)
        if score >= vocab.fuzzy_threshold or held:
            ranked.append((_holds(ctx, pid, office, at_date=True), held, score, pid))
    ranked.sort(reverse=True)
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[0][:3] == ranked[1][:3] and ranked[0][3] != ranked[1][3]:
        return None
    return ranked[0][3]


# ---------------------------------------------------------------- units and titles

@dataclass(slots=True)
class _Units:
    """The section's tokens with the names the ruler found merged, as parallel lists.

    A unit is a token, or a whole name the ruler found (state, organisation,
    body, person): unit j is ``text[j]``, ``low[j]``, ``mention[j]``. The
    lists are sliced from the shared token table, so no Python object is built
    per token; they are never changed (without merged names they are the
    table's own). Where a unit lies in the text is read from the token table.
    """

    tok: Tokens
    names: list[tuple[int, int]]  # the token spans merged into one unit each, in order
    text: Sequence[str]  # a token's text, or the text of the ruler's mention
    low: Sequence[str]  # a token's lower case; "" for a merged name
    mention: Sequence[Mention | None]  # the ruler's mention, for a merged name
    in_office: set[int] = field(default_factory=set)  # units inside an office the ruler found
    title_words: list[int] = field(default_factory=list)  # token units that may begin a title
    _starts: list[int] = field(init=False)  # the first token of each name
    _hidden: list[int] = field(init=False)  # the tokens merged away before each name, and in all
    _name_units: list[int] = field(init=False)  # the unit of each name

    def __post_init__(self) -> None:
        self._starts = [a for a, _ in self.names]
        self._hidden = list(accumulate((b - a - 1 for a, b in self.names), initial=0))
        self._name_units = [a - h for a, h in zip(self._starts, self._hidden, strict=False)]

    def __len__(self) -> int:
        return len(self.low)

    def token(self, j: int) -> int:
        """The first token of unit J (J may be one past the last unit)."""
        return j + self._hidden[bisect_left(self._name_units, j)]

    def unit_of(self, k: int) -> int:
        """The unit that holds token K."""
        i = bisect_right(self._starts, k)  # the names that begin at or before K
        if i and k < self.names[i - 1][1]:
            return self._name_units[i - 1]
        return k - self._hidden[i]

    def start(self, j: int) -> int:
        """Where unit J begins in the section text."""
        return self.tok.idx[self.token(j)]

    def end(self, j: int) -> int:
        """Where unit J ends in the section text."""
        return self.tok.end_char(self.token(j + 1) - 1)

    def sent_start(self, j: int) -> bool:
        return self.tok.sent_start[self.token(j)]

    def space_after(self, j: int) -> bool:
        return self.tok.space[self.token(j + 1) - 1]


@dataclass(frozen=True)
class _Title:
    start: int  # unit indices, [start, end)
    end: int
    office: str | None  # set when the ruler tagged an office here
    templates: tuple[str, ...]
    inside: Mention | None  # a state/organisation inside the title ("the Russian Security Council")


def _title_words(section: Section) -> list[int]:
    """The tokens whose word may begin a title phrase, found once per Doc."""
    found = section.doc.user_data.get(_TITLE_WORDS)
    if found is None:
        lower, rules = tokens(section).lower, _vocab().titles
        # most sections have none, and isdisjoint says so faster than _where
        found = [] if rules.keys().isdisjoint(lower) else _where(lower, rules)
        section.doc.user_data[_TITLE_WORDS] = found
    return found


_TITLE_WORDS = "blocwatch.persons.title_words"


def _spliced(column: Sequence[Any], names: list[tuple[int, int]], values: list[Any]
             ) -> Sequence[Any]:
    """COLUMN with each token span [a, b) of NAMES (in order) replaced by one value."""
    if not names:
        return column
    out: list[Any] = []
    i = 0
    for (a, b), value in zip(names, values, strict=True):
        out += column[i:a]
        out.append(value)
        i = b
    out += column[i:]
    return out


def _token_span(tok: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """The tokens [a, b) over the characters [start, end), as ``char_span(..., "expand")``.

    A mention mostly begins and ends where tokens do: then its tokens are looked
    up in the token table (spaCy would find the same); other spans go to spaCy.
    """
    a = bisect_right(tok.idx, start) - 1
    b = bisect_left(tok.idx, end)  # the first token at or after END
    if 0 <= a < b and tok.idx[a] == start and tok.end_char(b - 1) == end:
        return a, b
    span = tok.doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def _units(section: Section, ctx: Context) -> tuple[_Units, list[tuple[int, int, Mention]]]:
    """The section's tokens with named slots merged, and the ruler's office spans."""
    merged: dict[int, tuple[int, Mention]] = {}
    offices: list[tuple[int, int, Mention]] = []
    tok = tokens(section)
    for m in ctx.section_mentions(section.name):
        span = _token_span(tok, m.start, m.end)
        if span is None:
            continue
        if m.kind in SLOT_KINDS or m.kind in PERSON_KINDS:
            merged.setdefault(span[0], (span[1], m))
        elif m.kind == "office" and m.entity_id:
            offices.append((span[0], span[1], m))
    names: list[tuple[int, int]] = []  # token spans merged into one unit each, in order
    mentions: list[Mention] = []
    i = 0  # the next token
    for start in sorted(merged):
        if start < i:
            continue  # inside the name merged before
        end, m = merged[start]
        names.append((start, end))
        mentions.append(m)
        i = end
    units = _Units(
        tok, names,
        text=_spliced(tok.text, names, [m.text for m in mentions]),
        low=_spliced(tok.lower, names, [""] * len(names)),
        mention=_spliced([None] * len(tok.idx), names, mentions),
    )
    spans = [(units.unit_of(a), units.unit_of(b - 1) + 1, m) for a, b, m in offices]
    units.in_office = {j for a, b, _ in spans for j in range(a, b)}
    units.title_words = [u for k in _title_words(section)
                         if units.mention[u := units.unit_of(k)] is None]
    return units, spans


def _may_hold_titles(section: Section, ctx: Context) -> bool:
    """Can :func:`_titles` find anything: an office the ruler found, or a title's first word?"""
    if any(m.kind == "office" and m.entity_id for m in ctx.section_mentions(section.name)):
        return True
    return bool(_title_words(section))


def _is_slot(m: Mention | None) -> bool:
    """Is M (a unit's mention) a state, organisation or body the ruler linked?"""
    return m is not None and m.kind in SLOT_KINDS and m.entity_id is not None


def _match_phrase(units: _Units, i: int, words: tuple[str, ...]
                  ) -> tuple[int, Mention | None] | None:
    """Match WORDS at unit I; one state/organisation may sit inside ("of the Russian Security")."""
    low, n = units.low, len(units)
    j, inside = i, None
    for k, w in enumerate(words):
        if j < n and low[j] == w:
            j += 1
        elif (k > 0 and inside is None and j + 1 < n and _is_slot(units.mention[j])
              and low[j + 1] == w):
            inside, j = units.mention[j], j + 2
        else:
            return None
    return j, inside


def _titles(units: _Units, offices: list[tuple[int, int, Mention]],
            gaz: Gazetteer) -> list[_Title]:
    """Every title in the section; where two overlap, the earlier (then longer) one wins.

    A title phrase that runs into an office the ruler found ("Advisor to the
    [President of Moldova]", "Secretary of the Security Council under the
    [President of Uzbekistan]") keeps its own meaning and takes the office's
    state or organisation as the one it belongs to.
    """
    found = [_Title(a, b, m.entity_id, (), None) for a, b, m in offices]
    rules = _vocab().titles
    for i in units.title_words:
        for rule in rules[units.low[i]]:
            hit = _match_phrase(units, i, rule.words)
            if hit:
                found.append(_Title(i, hit[0], None, rule.templates, hit[1]))
                break
    found.sort(key=lambda t: (t.start, -(t.end - t.start), t.office is None))
    kept: list[_Title] = []
    for t in found:
        if not kept or t.start >= kept[-1].end:
            kept.append(t)
        elif t.office and kept[-1].office is None and t.end > kept[-1].end:
            kept[-1] = replace(kept[-1], end=t.end,
                               inside=kept[-1].inside or _owner(t.office, units, t, gaz))
    return kept


def _owner(office: str, units: _Units, t: _Title, gaz: Gazetteer) -> Mention | None:
    """The state or organisation an office belongs to, as a slot over the office's words."""
    parent = gaz.entities.get(office)
    owner = gaz.entities.get(parent.parent) if parent and parent.parent else None
    if owner is None:
        return None
    return Mention("", units.start(t.start), units.end(t.end - 1), "", owner.id, owner.kind)


def _tail(units: _Units, end: int) -> tuple[int, Mention | None]:
    """Read "of the Collective Security Treaty Organisation (CSTO)" after a title."""
    j, last, slot = end, end, None
    while j < len(units) and j - end < 10:
        m, low = units.mention[j], units.low[j]
        if _is_slot(m):
            slot = slot or m
            last = j + 1
        elif _is(low, "connectors"):
            if low == ")" and last == j:
                last = j + 1
        else:
            break
        j += 1
    return last, slot


def _slot_before(units: _Units, start: int) -> int | None:
    """"CSTO Secretary General", "NATO's secretary general": the unit of the slot, if any."""
    j = start - 1
    while j >= 0 and (_is(units.low[j], "acting") or units.low[j] in {"'s", "’s"}):
        j -= 1
    return j if j >= 0 and _is_slot(units.mention[j]) else None


def _office_for(title: _Title, slot: Mention | None, gaz: Gazetteer) -> str | None:
    """The office a title names, from the ruler or the template table."""
    if title.office:
        return title.office
    if slot is None or slot.entity_id is None:
        return None
    eid = slot.entity_id
    values = {"state": {"iso3": eid.lower()}, "organisation": {"org": eid}}.get(slot.kind)
    if slot.kind == "body":
        parent = gaz.entities[eid].parent if eid in gaz.entities else None
        values = {"body": eid, "parent_org": parent or ""}
    for template in title.templates:
        try:
            office = template.format(**(values or {}))
        except (KeyError, IndexError, ValueError):
            continue
        entity = gaz.entities.get(office)
        if entity is not None and entity.kind == "office":
            return office
    return None


# ---------------------------------------------------------------- roles and names

@dataclass(frozen=True)
class _Role:
    start: int  # unit indices of the role as written, [start, end)
    end: int
    title: _Title
    office: str | None
    represents: str | None
    subordinate: bool  # "Deputy Secretary General": someone else than the holder
    slotted: bool  # the role names the state or organisation it belongs to


def _role(units: _Units, title: _Title, end: int, slot: Mention | None,
          ctx: Context, start: int | None = None) -> _Role:
    """The role around TITLE: where it starts as written, its office, whom it represents."""
    low = units.low
    if start is None:
        start = title.start
        while start > 0 and title.start - start < MAX_ROLE_UNITS and not units.sent_start(start):
            prev = start - 1
            if not (_is_slot(units.mention[prev]) or prev in units.in_office
                    or _is(low[prev], "role")):
                break
            start -= 1
    before_slot = _slot_before(units, title.start)
    if title.inside is None and slot is None and before_slot is not None:
        slot, start = units.mention[before_slot], min(start, before_slot)
    while start < title.start and _is(low[start], "role_trim"):
        start += 1
    before = low[max(start, title.start - 2):title.start]
    subordinate = any(_is(w, "subordinate") for w in before)
    slot = title.inside or slot
    office = None if subordinate else _office_for(title, slot, ctx.gazetteer)
    entity = ctx.gazetteer.entities.get(office) if office else None
    represents = entity.parent if entity else (slot.entity_id if slot else None)
    return _Role(start, end, title, office, represents, subordinate, slot is not None)


def _name_after(units: _Units, i: int) -> tuple[int, int] | None:
    """The person name starting at unit I: a ruler match, or capitalised words and initials."""
    n, texts, mentions = len(units), units.text, units.mention
    while i < n and _is(units.low[i], "honorifics"):
        i += 1
    if i >= n:
        return None
    first = mentions[i]
    if first is not None:
        return (i, i + 1) if first.kind in PERSON_KINDS else None
    j, last = i, None
    while j < n and j - i < MAX_NAME_WORDS * 2:
        m, text = mentions[j], texts[j]
        if m is not None:
            if m.kind in PERSON_KINDS:  # "G. Baizhanov": initials before a known surname
                last = j + 1
            break
        if _INITIAL.match(text) or (_SHORT.match(text) and not units.space_after(j)
                                    and j + 1 < n and texts[j + 1] == "."):
            j += 1 if _INITIAL.match(text) else 2
            continue
        if _name_word(text):
            j, last = j + 1, j + 1
            continue
        if text in {"-", "'"} and not units.space_after(j) and last == j and j + 1 < n \
                and _name_word(texts[j + 1]):
            j += 1
            continue
        if _is(units.low[j], "name_particles") and last == j and j + 1 < n \
                and _name_word(texts[j + 1]):
            j += 1
            continue
        break
    return (i, last) if last is not None else None


def _name_word(text: str) -> bool:
    return (len(text) > 1 and text[0].isupper() and text.replace("'", "").isalpha()
            and not text.isupper() and not _is(text, "not_name") and not _is(text, "role"))


def _name_before(units: _Units, comma: int) -> tuple[int, int] | None:
    """The person name ending just before the comma at unit COMMA ("Mark Rutte, NATO's ...")."""
    j = comma - 1
    if j < 0:
        return None
    last = units.mention[j]
    if last is not None:
        return (j, comma) if last.kind in PERSON_KINDS else None
    start = comma
    while start > 0 and comma - start < MAX_NAME_WORDS and _name_word(units.text[start - 1]) \
            and units.mention[start - 1] is None:
        start -= 1
        if units.sent_start(start):
            break
    return (start, comma) if comma - start >= 2 else None


def _post_title(units: _Units, comma: int, by_start: dict[int, _Title]) -> _Title | None:
    """The title a role after a name begins with: ", the Acting Secretary General of ..."."""
    j = comma + 1
    while j < len(units) and j - comma <= POST_TITLE_UNITS:
        if j in by_start:
            return by_start[j]
        low = units.low[j]
        if not (_is(low, "determiners") or _is(low, "acting") or _is(low, "former")
                or _is(low, "subordinate") or _is_slot(units.mention[j]) or low in {"'s", "’s"}):
            return None
        j += 1
    return None


def _ends_clause(units: _Units, i: int) -> bool:
    return i >= len(units) or units.text[i] in {",", ".", ";", ":", ")", "!", "?"} \
        or units.sent_start(i)


def _construction(units: _Units, titles: list[_Title], ctx: Context
                  ) -> list[tuple[tuple[int, int], _Role]]:
    """(name, role) pairs: title then name, then name then title; one role per name."""
    found: dict[int, tuple[tuple[int, int], _Role]] = {}
    by_start = {t.start: t for t in titles}
    texts = units.text
    for t in titles:
        end, slot = _tail(units, t.end)
        i, comma = end, False
        if i < len(units) and texts[i] == ",":
            i, comma = i + 1, True
        name = _name_after(units, i)
        if name is None or name[0] in by_start:
            continue
        if slot is None and t.inside is None and _slot_before(units, t.start) is None \
                and name[1] + 1 < len(units) and units.low[name[1]] in {"of", "from"} \
                and _is_slot(units.mention[name[1] + 1]):
            slot = units.mention[name[1] + 1]  # "Foreign Minister Jane Doe of Georgia"
        role = _role(units, t, end, slot, ctx)
        if comma and not (_ends_clause(units, name[1]) or role.start == 0
                          or units.sent_start(role.start)
                          or texts[role.start - 1] in {",", ":", ";"}):
            continue  # "After talks with the NATO chief, Lavrov said": not an apposition
        found.setdefault(name[0], (name, role))
    # the commas a title begins shortly after (no other comma has a _post_title)
    commas = sorted({c for s in by_start for c in range(max(s - POST_TITLE_UNITS, 0), s)
                     if texts[c] == ","})
    for c in commas:
        post = _post_title(units, c, by_start)
        name = _name_before(units, c) if post else None
        if post is None or name is None or name[0] in found:
            continue
        t = post
        end, slot = _tail(units, t.end)
        if _name_after(units, end + (end < len(units) and texts[end] == ",")):
            continue  # the title introduces the next name in a list
        found[name[0]] = (name, _role(units, t, end, slot, ctx, start=c + 1))
    return [found[k] for k in sorted(found)]


def is_acting(mention: Mention) -> bool:
    """Does the role as written make the person an acting holder ("Acting Secretary General")?"""
    return any(_is(w, "acting") for w in re.findall(r"[\w-]+", mention.role or ""))


def is_former(mention: Mention) -> bool:
    """Does the role as written place the office in the past ("former NATO chief")?"""
    return any(_is(w, "former") for w in re.findall(r"\w+", mention.role or ""))


# ---------------------------------------------------------------- find_persons

def _link_ruler(ruler: Mention, office: str | None, ctx: Context
                ) -> tuple[str | None, str, tuple[str, ...]]:
    """Keep the ruler's person; settle an ambiguous one by the office its role names."""
    if ruler.entity_id:
        return ruler.entity_id, "alias", ()
    people = tuple(c for c in ruler.candidates
                   if (e := ctx.gazetteer.entities.get(c)) is not None and e.kind == "person")
    holder = _best(ctx, set(people), office) if office and people else None
    if holder:
        return holder, "role", ()
    if len(people) == 1:
        return people[0], "alias", ()
    return None, "alias", people


def _office_from_tenures(role: _Role, person: str, ctx: Context) -> str | None:
    """"President Putin": a title that needs a state, filled in from the person's tenures."""
    if role.office or role.subordinate or role.slotted or not role.title.templates:
        return None
    patterns = [re.compile("^" + re.sub(r"\\\{\w+\\\}", "[a-z0-9-]+", re.escape(t)) + "$")
                for t in role.title.templates]
    for at_date in (True, False):
        offices = {t.office for t in ctx.gazetteer.tenures_by_person.get(person, ())
                   if any(p.match(t.office) for p in patterns)
                   and _holds(ctx, person, t.office, at_date=at_date)}
        if len(offices) == 1:
            return offices.pop()
    return None


def _link_role(name: str, ruler: Mention | None, role: _Role, ctx: Context
               ) -> tuple[str | None, str, tuple[str, ...], str | None]:
    """Link the name of a role mention; returns (id, how, candidates, office)."""
    if ruler is not None:
        entity, how, candidates = _link_ruler(ruler, role.office, ctx)
    else:
        entity, how, candidates = link_name(name, role.office, ctx)
    if entity is None and candidates and role.office is None:
        # "President Rahmon": the candidate whose tenures fit the title.
        fits = {c: o for c in candidates if (o := _office_from_tenures(role, c, ctx))}
        if len(fits) == 1:
            ((fit, fit_office),) = fits.items()
            return fit, "role", (), fit_office
    if entity is None and not candidates:
        return f"new:{name}", "new", (), role.office
    office = role.office
    if entity and not entity.startswith("new:") and office is None:
        office = _office_from_tenures(role, entity, ctx)
    return entity, how, candidates, office


def find_persons(section: Section, ctx: Context) -> list[Mention]:
    """Persons named by role in SECTION, linked; replaces the ruler's bare mention of them."""
    if not section.text.strip() or not _may_hold_titles(section, ctx):
        return []
    units, offices = _units(section, ctx)
    titles = _titles(units, offices, ctx.gazetteer)
    out: list[Mention] = []
    superseded: set[int] = set()
    for (a, b), role in _construction(units, titles, ctx):
        name = " ".join(section.text[units.start(a):units.end(b - 1)].split())
        ruler = units.mention[a] if b == a + 1 else None
        superseded.update(id(m) for m in units.mention[a:b] if m is not None)
        entity, how, candidates, office = _link_role(name, ruler, role, ctx)
        represents = role.represents
        if office and office != role.office:
            represents = ctx.gazetteer.entities[office].parent
        r0, r1 = units.start(role.start), units.end(role.end - 1)
        out.append(Mention(
            section=section.name, start=units.start(a), end=units.end(b - 1),
            text=ruler.text if ruler else name, entity_id=entity, kind="person", how=how,
            candidates=candidates, role=section.text[r0:r1], office=office,
            represents=represents, role_span=(r0, r1),
        ))
    if superseded:
        ctx.mentions[:] = [m for m in ctx.mentions if id(m) not in superseded]
    return out


# ---------------------------------------------------------------- resolve_ambiguous

def _order(ctx: Context) -> dict[str, int]:
    return {s.name: i for i, s in enumerate(ctx.sections)}


def _sentence_bounds(section: Section) -> list[tuple[int, int]]:
    return tokens(section).sent_chars if len(section.doc) else []


def _sentence_of(bounds: list[tuple[int, int]], char: int) -> tuple[int, int] | None:
    i = bisect_right([b[0] for b in bounds], char) - 1
    return bounds[i] if 0 <= i < len(bounds) else None


def _by_context(ctx: Context) -> None:
    """Ambiguous names: a candidate named in full elsewhere, or holding an office named nearby."""
    ambiguous = [m for m in ctx.mentions if m.entity_id is None and len(m.candidates) >= 2]
    if not ambiguous:
        return
    named = {m.entity_id for m in ctx.mentions if m.kind == "person" and m.entity_id}
    bounds = {s.name: _sentence_bounds(s) for s in ctx.sections}
    offices: dict[str, list[tuple[int, str]]] = {}  # section -> (start, office id)
    for o in ctx.mentions:
        office = o.entity_id if o.kind == "office" else o.office
        if office:
            offices.setdefault(o.section, []).append((o.start, office))
    for m in ambiguous:
        seen = [c for c in m.candidates if c in named]
        if len(seen) == 1:
            m.entity_id, m.how = seen[0], "coreference"
            continue
        people = [c for c in m.candidates
                  if (e := ctx.gazetteer.entities.get(c)) and e.kind == "person"]
        sent = _sentence_of(bounds.get(m.section, []), m.start)
        if ctx.published is None or not people or sent is None:
            continue
        near = {o for start, o in offices.get(m.section, []) if sent[0] <= start < sent[1]}
        holders = {p for p in people for o in near if _holds(ctx, p, o, at_date=True)}
        if len(holders) == 1:
            m.entity_id, m.how = holders.pop(), "role"


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in taken)


def _surnames(ctx: Context) -> None:
    """A bare surname ("Petrov said") of someone named in full by role earlier or later."""
    owners: dict[str, set[str]] = {}
    for m in ctx.mentions:
        if m.kind == "person" and m.entity_id and m.role and m.how in {"new", "fuzzy", "role"}:
            words = m.text.split()
            if len(words) > 1:
                owners.setdefault(words[-1], set()).add(m.entity_id)
    owners = {k: v for k, v in owners.items() if len(v) == 1}
    if not owners:
        return
    for section in ctx.sections:
        if not any(surname in section.text for surname in owners):
            continue  # a token is a piece of the text
        tok = tokens(section)
        found = _where(tok.text, owners)
        if not found:
            continue
        taken = [(m.start, m.end) for m in ctx.section_mentions(section.name)]
        for k in found:
            text, start, end = tok.text[k], tok.idx[k], tok.end_char(k)
            if not _overlaps(taken, start, end):
                ctx.mentions.append(Mention(section.name, start, end, text,
                                            next(iter(owners[text])), "person", how="coreference"))


def _named_with_offices(ctx: Context) -> dict[str, list[tuple[tuple[int, int], str]]]:
    """Office -> the persons the document names with it, in document order."""
    order = _order(ctx)
    out: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for m in ctx.mentions:
        if m.kind == "person" and m.office and m.entity_id and m.how != "coreference":
            out.setdefault(m.office, []).append(((order.get(m.section, 0), m.start), m.entity_id))
    for named in out.values():
        named.sort()
    return out


def _office_holder_named(ctx: Context, named: list[tuple[tuple[int, int], str]], office: str,
                         where: tuple[int, int]) -> str | None:
    """The person named with OFFICE: the last one before WHERE, else the only one, else the
    only person in the document who held it at the document's date."""
    before = [pid for key, pid in named if key < where]
    if before:
        return before[-1]
    if len({pid for _, pid in named}) == 1:
        return named[0][1]
    if ctx.published is not None and not named:
        present = {m.entity_id for m in ctx.mentions if m.kind == "person" and m.entity_id}
        holders = {p for p in present if _holds(ctx, p, office, at_date=True)}
        if len(holders) == 1:
            return holders.pop()
    return None


def _titles_alone(ctx: Context) -> None:
    """"The Nato chief said": a title without a name, linked to whoever holds it in the text."""
    order, named = _order(ctx), _named_with_offices(ctx)
    if not named and (ctx.published is None or not any(
            m.kind == "person" and m.entity_id for m in ctx.mentions)):
        return  # no one to link a title to (see _office_holder_named)
    added: list[Mention] = []
    for section in ctx.sections:
        if not section.text.strip() or not _may_hold_titles(section, ctx):
            continue
        units, offices = _units(section, ctx)
        roles = [m.role_span for m in ctx.section_mentions(section.name)
                 if m.kind == "person" and m.role_span]
        for t in _titles(units, offices, ctx.gazetteer):
            t0, t1 = units.start(t.start), units.end(t.end - 1)
            if any(a <= t0 and t1 <= b for a, b in roles):
                continue  # the title of a named person's role
            end, slot = _tail(units, t.end)
            role = _role(units, t, end, slot, ctx)
            r0, r1 = units.start(role.start), units.end(role.end - 1)
            text = section.text[r0:r1]
            if role.office is None or any(_is(w, "former") for w in re.findall(r"\w+", text)):
                continue
            person = _office_holder_named(ctx, named.get(role.office, []), role.office,
                                          (order[section.name], r0))
            if person:
                added.append(Mention(
                    section.name, r0, r1, text, person, "person", how="coreference",
                    role=text, office=role.office, represents=role.represents, role_span=(r0, r1)))
    ctx.mentions.extend(added)


def _generic_at(texts: list[str], i: int, words: tuple[str, ...], case: bool) -> bool:
    """Does the phrase start at token I? A capitalised first word ("The alliance") still counts."""
    found = texts[i:i + len(words)]
    if len(found) != len(words) or found[0].lower() != words[0].lower():
        return False
    pairs = zip(found[1:], words[1:], strict=True)
    return all((a == b) if case else (a.lower() == b) for a, b in pairs)


@lru_cache(maxsize=1)
def _generics_by_first() -> dict[str, tuple[_Generic, ...]]:
    """The generic phrases by their first word, lowercased, in vocabulary order."""
    by_first: dict[str, list[_Generic]] = {}
    for g in _vocab().generics:
        by_first.setdefault(g.words[0].lower(), []).append(g)
    return {k: tuple(v) for k, v in by_first.items()}


@lru_cache(maxsize=1)
def _generics_last_words() -> frozenset[str]:
    """The last word of every generic phrase, lowercased."""
    return frozenset(g.words[-1].lower() for g in _vocab().generics)


def _generics(ctx: Context) -> None:
    """"The alliance", "the Commonwealth": the organisation last named, when that is clear."""
    order = _order(ctx)
    by_first, last_words = _generics_by_first(), _generics_last_words()
    named: list[tuple[tuple[int, int], str, str]] | None = None  # built on first need
    bounds: dict[str, list[tuple[int, int]]] = {}
    for section in ctx.sections:
        # no phrase where the lowercased text lacks every phrase's last word (a token's
        # lower case is a piece of it: str.lower maps the characters one by one)
        lowered = section.text.lower()
        if not any(w in lowered for w in last_words):
            continue
        if named is None:
            named = sorted(((order.get(m.section, 0), m.start), org, m.section)
                           for m in ctx.mentions if m.how != "coreference"
                           and (org := _organisation_of(m, ctx.gazetteer)))
            bounds = {s.name: _sentence_bounds(s) for s in ctx.sections}
        doc = section.doc
        taken = [(m.start, m.end) for m in ctx.section_mentions(section.name)]
        tok = tokens(section)
        texts = tok.text
        for i in _where(tok.lower, by_first):
            # only the phrases whose first word is this token's can start here
            for g in by_first[tok.lower[i]]:
                if len(g.words) > 1 and tok.lower[i + 1:i + 2] != [g.words[1].lower()]:
                    continue  # not even the second word is the phrase's
                if not _generic_at(texts, i, g.words, g.case):
                    continue
                span = doc[i:i + len(g.words)]
                if _overlaps(taken, span.start_char, span.end_char):
                    continue
                org = _last_named(named, (order[section.name], span.start_char), g.candidates,
                                  bounds)
                if org:
                    taken.append((span.start_char, span.end_char))
                    ctx.mentions.append(Mention(section.name, span.start_char, span.end_char,
                                                span.text, org, "organisation", how="coreference"))
                break


def _organisation_of(m: Mention, gaz: Gazetteer) -> str | None:
    """The organisation a mention names: itself, or the organisation of a body ("CIS summit")."""
    if m.entity_id is None or m.kind not in {"organisation", "body"}:
        return None
    if m.kind == "body":
        body = gaz.entities.get(m.entity_id)
        return body.parent if body else None
    return m.entity_id


def _last_named(named: list[tuple[tuple[int, int], str, str]], where: tuple[int, int],
                candidates: tuple[str, ...], bounds: dict[str, list[tuple[int, int]]]
                ) -> str | None:
    """The candidate named last before WHERE, unless another one shares its sentence."""
    before = [n for n in named if n[0] < where and n[1] in candidates]
    if not before:
        everywhere = {n[1] for n in named if n[1] in candidates}
        return everywhere.pop() if len(everywhere) == 1 else None
    (key, last, section) = before[-1]
    sent = _sentence_of(bounds.get(section, []), key[1])
    for other_key, other, other_section in reversed(before[:-1]):
        if other == last:
            continue
        if other_section == section and sent and sent[0] <= other_key[1] < sent[1]:
            return None
        break
    return last


def resolve_ambiguous(ctx: Context) -> None:
    """Settle what needs the whole document: ambiguous names, bare surnames, generic references."""
    _by_context(ctx)
    _surnames(ctx)
    _titles_alone(ctx)
    _generics(ctx)


# ---------------------------------------------------------------- office_statements

def _states_office(m: Mention) -> bool:
    return (m.kind == "person" and bool(m.entity_id) and bool(m.office) and bool(m.role)
            and m.how != "coreference" and not is_former(m))


def office_statements(section: Section, ctx: Context) -> list[Statement]:
    """One "holds" statement per (person, office) in the document, at its first mention."""
    stating = [m for m in ctx.mentions if _states_office(m)]
    if not any(m.section == section.name for m in stating):
        return []  # the statements are made at mentions in their own section
    order = _order(ctx)
    first: dict[tuple[str, str], Mention] = {}
    for m in sorted(stating, key=lambda m: (order.get(m.section, len(order)), m.start)):
        first.setdefault((m.entity_id or "", m.office or ""), m)
    bounds = _sentence_bounds(section)
    out = []
    mine = sorted((m for m in first.values() if m.section == section.name), key=lambda m: m.start)
    for m in mine:
        r0, r1 = m.role_span or (m.start, m.end)
        span = (min(r0, m.start), max(r1, m.end))
        first_sent, last_sent = _sentence_of(bounds, span[0]), _sentence_of(bounds, span[1] - 1)
        sentence = section.text[first_sent[0]:last_sent[1]] if first_sent and last_sent else ""
        out.append(Statement(
            kind="office", subject=m.entity_id, predicate="holds", object=m.office,
            value="acting" if is_acting(m) else None, section=section.name, span=span,
            sentence=sentence.strip(), extra={"role": m.role, "represents": m.represents,
                                              "how": m.how},
        ))
    return out
