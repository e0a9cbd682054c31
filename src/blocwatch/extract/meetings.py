"""Meetings: which body met, the how-many-th time, when, where, hosted by whom, on what, with whom.

An article tells of a meeting over several sentences and a photo caption:
one sentence names the body and the meeting ("... took place in Moscow on
Wednesday"), the next ones refer back to it ("It was hosted by ...", "This
was the sixth gathering ..."), the caption lists who was there. This module
reads sentence by sentence and keeps a list of drafts:

* a sentence that names a body and speaks of meeting (an *anchor*) joins the
  draft of that body it is compatible with (same ordinal, overlapping date)
  or opens a new one — so "the 5th meeting ... in 2017" is a second, earlier
  meeting and not the sixth one again;
* a sentence that only refers back ("the meeting", "It was") adds to the
  draft read last, unless its ordinal contradicts it;
* a caption that speaks of a meeting adds its persons as participants to the
  draft of the body it names (or to the first meeting of the article).

Participants are the person mentions found by the persons component (with
their role and the state or organisation they represent); when that
component left ``represents`` empty the nearest office, state or
organisation named beside the person stands in. The same person named twice
("Nikolai Patrushev", "N. Patrushev") is one participant.

Trigger words, phrases naming bodies, host/participation/absence cues and
topic cues live in ``vocab/meetings.toml``; places in ``vocab/places.csv``.
"""

from __future__ import annotations

import bisect
import csv
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from blocwatch.dates import PartialDate
from blocwatch.extract.gazetteer import Gazetteer
from blocwatch.extract.model import (
    Context,
    DateMention,
    Meeting,
    Mention,
    Participant,
    Section,
    Statement,
)
from blocwatch.extract.tokens import tokens
from blocwatch.needles import fold, needles

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"


# ------------------------------------------------------------------ cues: regexes, pre-filtered


@dataclass(frozen=True, eq=False)
class _Cue:
    """A compiled regex with the literals one of which each of its matches contains.

    A sentence holding none of them cannot match, and substring tests on the
    folded sentence, done once for the needles of all cues, say so far faster
    than the scan (case-insensitive regexes starting with "\\b" are matched
    character by character); where one is there the regex runs on the sentence
    as before, so results are the same.
    """

    regex: re.Pattern[str]
    needles: frozenset[str]  # empty: none known, always scan

    @classmethod
    def compile(cls, pattern: str, flags: int = re.IGNORECASE) -> _Cue:
        return cls(re.compile(pattern, flags), needles(pattern, flags))

    def may_match(self, sent: _Sentence) -> bool:
        return self.may_match_in(sent.needles)

    def may_match_in(self, found: frozenset[str]) -> bool:
        """May the regex match a text in which ``found`` are the needles of this cue?"""
        return not self.needles or not self.needles.isdisjoint(found)

    def search(self, sent: _Sentence) -> re.Match[str] | None:
        return self.regex.search(sent.text) if self.may_match(sent) else None

    def finditer(self, sent: _Sentence) -> Iterator[re.Match[str]]:
        return self.regex.finditer(sent.text) if self.may_match(sent) else iter(())


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Vocab:
    """The compiled contents of meetings.toml and places.csv."""

    trigger: _Cue
    anaphora: tuple[_Cue, ...]
    not_modifiers: frozenset[str]
    other_meeting: _Cue
    ordinal: _Cue
    ordinal_words: dict[str, int]
    phrases: tuple[tuple[_Cue, str], ...]
    groups: tuple[tuple[re.Pattern[str], re.Pattern[str], str, dict[str, str]], ...]
    # (after ORG, before ORG, suffix, organisation -> body overrides)
    summit: dict[str, str]
    host_after: tuple[_Cue, ...]
    host_before: tuple[_Cue, ...]
    part_after: tuple[_Cue, ...]
    part_before: tuple[_Cue, ...]
    absence: tuple[_Cue, ...]
    bilateral: tuple[_Cue, ...]
    topic_triggers: tuple[_Cue, ...]
    topic_stops: tuple[str, ...]
    topic_strip: tuple[str, ...]
    topic_drop_trailing: frozenset[str]
    topic_max_words: int
    place: _Cue | None
    place_names: dict[str, str]  # name -> iso3

    @cached_property
    def needles(self) -> frozenset[str]:
        """The needles of all cues, looked for once in each sentence read closely."""
        cues = [self.trigger, *self.anaphora, self.other_meeting, self.ordinal,
                *(cue for cue, _ in self.phrases), *self.host_after, *self.host_before,
                *self.part_after, *self.part_before, *self.absence, *self.bilateral,
                *self.topic_triggers, *([self.place] if self.place else [])]
        return frozenset().union(*(cue.needles for cue in cues))

    @cached_property
    def anchors(self) -> tuple[_Cue, ...]:
        """The cues one of which a sentence needs to open a meeting: trigger, bilateral."""
        return (self.trigger, *self.bilateral)

    @cached_property
    def anchor_needles(self) -> frozenset[str]:
        """The needles of the anchor cues, looked for in every sentence (see _anchor_cues)."""
        return frozenset().union(*(cue.needles for cue in self.anchors))


def _compile(patterns: Iterable[str], flags: int = re.IGNORECASE) -> tuple[_Cue, ...]:
    return tuple(_Cue.compile(p, flags) for p in patterns)


def _alternation(words: Iterable[str]) -> str:
    """Words as one regex alternation, longest first, spaces matching any whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _read_places(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["name"].strip(): row["iso3"].strip() for row in csv.DictReader(handle)
                if row.get("name") and row.get("iso3")}


@lru_cache(maxsize=4)
def load_vocab(directory: Path = VOCAB_DIR) -> _Vocab:
    """Read and compile the vocabulary once per process."""
    with (directory / "meetings.toml").open("rb") as handle:
        raw: dict[str, Any] = tomllib.load(handle)
    ordinal_words = {k.lower(): int(v) for k, v in raw["ordinals"]["words"].items()}
    ordinal = _Cue.compile(
        rf"\b(?P<ord>{_alternation(ordinal_words)}|\d{{1,3}}(?:st|nd|rd|th))\s+"
        rf"(?:[\w-]+\s+){{0,2}}?"
        rf"(?:{_alternation(raw['ordinals']['nouns'])})s?\b")
    groups = []
    for group in raw["groups"]:
        words = _alternation(group["words"])
        after = re.compile(rf"^\s*(?:'s\s+)?(?:{words})\b", re.IGNORECASE)
        before = re.compile(rf"\b(?:{words})\s+of\s+(?:the\s+)?$", re.IGNORECASE)
        overrides = {str(k): str(v) for k, v in group.get("bodies", {}).items()}
        groups.append((after, before, str(group["suffix"]), overrides))
    places = _read_places(directory / "places.csv")
    preps = _alternation(raw["place"]["prepositions"])
    # case-sensitive: "in Minsk", not "in minsk" as a word
    names = _alternation(places)
    place = (_Cue.compile(rf"\b(?:{preps})\s+(?:the\s+city\s+of\s+)?(?P<place>{names})\b", 0)
             if places else None)
    topic = raw["topic"]
    return _Vocab(
        trigger=_Cue.compile(rf"\b(?:{_alternation(raw['triggers']['words'])})\b"),
        anaphora=_compile(raw["anaphora"]["patterns"]),
        not_modifiers=frozenset(w.lower() for w in raw["anaphora"]["not_modifiers"]),
        other_meeting=_Cue.compile(
            rf"\b(?:{_alternation(raw['anaphora']['not_modifiers'])})\s+(?:[\w-]+\s+)?"
            rf"(?:{_alternation(raw['ordinals']['nouns'])})s?\b"),
        ordinal=ordinal,
        ordinal_words=ordinal_words,
        phrases=tuple((_Cue.compile(p), str(entry["body"]))
                      for entry in raw["phrases"] for p in entry["patterns"]),
        groups=tuple(groups),
        summit={str(k): str(v) for k, v in raw["summit"].items()},
        host_after=_compile(raw["host"]["after"], 0),  # some rely on capitals: "host Kazakhstan"
        host_before=_compile(raw["host"]["before"]),
        part_after=_compile(raw["participation"]["after"]),
        part_before=_compile(raw["participation"]["before"]),
        absence=_compile(raw["absence"]["patterns"]),
        bilateral=_compile(raw["bilateral"]["patterns"]),
        topic_triggers=_compile(topic["triggers"]),
        topic_stops=tuple(s.lower() for s in topic["stops"]),
        topic_strip=tuple(s.lower() for s in topic["strip_prefixes"]),
        topic_drop_trailing=frozenset(w.lower() for w in topic["drop_trailing"]),
        topic_max_words=int(topic["max_words"]),
        place=place,
        place_names=places,
    )


# --------------------------------------------------------------------------- reading one sentence


_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:but|while|whilst)\b", re.IGNORECASE)


@dataclass
class _Sentence:
    """A sentence (or a whole caption) with the mentions (sorted by start) and dates inside it."""

    section: str
    start: int
    end: int
    text: str
    mentions: list[Mention]
    dates: list[DateMention]
    anchor_cues: tuple[_Cue, ...]  # the anchor cues that may match the text (see _anchor_cues)
    vocab_needles: frozenset[str]  # the needles of all the vocabulary's cues
    starts: list[int] = field(default_factory=list)  # mention starts, for bisect

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]

    @cached_property
    def needles(self) -> frozenset[str]:
        """The needles of the vocabulary's cues found in the text, looked for when first
        asked for: most sentences are never read closely (see ``_may_add``)."""
        folded = fold(self.text)
        return frozenset(n for n in self.vocab_needles if n in folded)

    @cached_property
    def breaks(self) -> list[int]:
        """Clause breaks (section offsets), found when first asked for."""
        return [self.start + m.start() for m in _CLAUSE_BREAK.finditer(self.text)]

    def local(self, offset: int) -> int:
        return offset - self.start

    def between(self, lo: int, hi: int) -> Iterable[Mention]:
        """Mentions lying in [lo, hi), in text order, found by bisection."""
        for i in range(bisect.bisect_left(self.starts, lo), len(self.mentions)):
            mention = self.mentions[i]
            if mention.start >= hi:
                break
            if mention.end <= hi:
                yield mention


@dataclass
class _Found:
    """A participant found in one place, with how sure its ``represents`` is."""

    participant: Participant
    guessed: bool  # represents/role inferred here rather than given by the persons component


@dataclass
class _Facts:
    """What one sentence says about a meeting."""

    bodies: list[tuple[str, int, int]]
    trigger: bool
    anaphoric: bool
    other: bool  # "the next meeting", "a previous summit": not the one being told of
    ordinal: int | None
    date: DateMention | None
    place: str | None
    host: str | None
    topic: str | None
    participants: list[_Found]
    absent: list[str]
    bilateral: bool


@dataclass
class _Draft:
    body: str | None
    section: str
    span: tuple[int, int]
    sentence: str
    ordinal: int | None = None
    date: DateMention | None = None
    place: str | None = None
    host: str | None = None
    topic: str | None = None
    participants: list[_Found] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    by_person: dict[str, _Found] = field(default_factory=dict)  # indexes for merging
    by_surname: dict[str, list[_Found]] = field(default_factory=dict)

    def index(self, found: _Found) -> None:
        if found.participant.person:
            self.by_person.setdefault(found.participant.person, found)
        bucket = self.by_surname.setdefault(_name_key(found.participant.name)[1], [])
        if not any(f is found for f in bucket):
            bucket.append(found)


class _Sentences:
    """A section's sentences (or the section as one piece) with their mentions, dates and cue
    needles, each sentence built when first read: most are only looked at through
    ``anchor_cues`` (one opening no meeting is skipped while no meeting is being told of)."""

    def __init__(self, section: Section, ctx: Context, vocab: _Vocab, whole: bool) -> None:
        self.section = section
        self.vocab = vocab
        self.mentions = sorted(ctx.section_mentions(section.name), key=lambda m: (m.start, -m.end))
        self.mention_starts = [m.start for m in self.mentions]
        self.dates = sorted((d for d in ctx.dates if d.section == section.name),
                            key=lambda d: d.start)
        self.date_starts = [d.start for d in self.dates]
        self.spans: list[tuple[int, int]]
        if whole or not section.text.strip():
            self.spans = [(0, len(section.text))] if section.text.strip() else []
        else:
            try:
                self.spans = tokens(section).sent_chars
            except ValueError:  # no sentence boundaries set: read the section whole
                self.spans = [(0, len(section.text))]
        self.anchor_cues = _anchor_cues(section.text, self.spans, vocab)
        self._built: dict[int, _Sentence] = {}

    def __len__(self) -> int:
        return len(self.spans)

    def __iter__(self) -> Iterator[_Sentence]:
        return (self[index] for index in range(len(self.spans)))

    def __getitem__(self, index: int) -> _Sentence:
        """Sentence ``index`` (0 <= index < len), built on first use."""
        sent = self._built.get(index)
        if sent is None:
            sent = self._built[index] = self._build(index)
        return sent

    def _build(self, index: int) -> _Sentence:
        start, end = self.spans[index]
        mentions = []
        for j in range(bisect.bisect_left(self.mention_starts, start), len(self.mentions)):
            mention = self.mentions[j]
            if mention.start >= end:
                break
            if mention.end <= end:
                mentions.append(mention)
        dates = []
        for k in range(bisect.bisect_left(self.date_starts, start), len(self.dates)):
            if self.dates[k].start >= end:
                break
            dates.append(self.dates[k])
        return _Sentence(self.section.name, start, end, self.section.text[start:end], mentions,
                         dates, self.anchor_cues[index], self.vocab.needles)


def _anchor_cues(text: str, spans: list[tuple[int, int]], vocab: _Vocab) -> list[tuple[_Cue, ...]]:
    """For each span (sorted, not overlapping) of the text, the anchor cues that may match it:
    those it holds a needle of, and any without needles.

    Each needle is looked for once in the whole folded text and every place found is
    given to the span holding it, rather than every needle looked for in every span.
    """
    found: dict[int, set[str]] = {}
    if "\u0307" in text:  # offsets may shift (see needles.fold): fold span by span
        for i, (start, end) in enumerate(spans):
            folded = fold(text[start:end])
            found[i] = {n for n in vocab.anchor_needles if n in folded}
    else:
        folded = fold(text)
        starts = [start for start, _ in spans]
        for needle in vocab.anchor_needles:
            at = folded.find(needle)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                if i >= 0 and at + len(needle) <= spans[i][1]:
                    found.setdefault(i, set()).add(needle)
                at = folded.find(needle, at + 1)
    unfiltered = tuple(cue for cue in vocab.anchors if not cue.needles)
    out = [unfiltered] * len(spans)
    for i, held_needles in found.items():
        held = frozenset(held_needles)
        out[i] = tuple(cue for cue in vocab.anchors if cue.may_match_in(held))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _bodies(sent: _Sentence, gaz: Gazetteer, vocab: _Vocab) -> list[tuple[str, int, int]]:
    """Bodies named in the sentence: known aliases, vocabulary phrases, "<group> of the <ORG>"."""
    found: list[tuple[str, int, int]] = []

    def add(body: str, start: int, end: int) -> None:
        entity = gaz.entities.get(body)
        if entity is None or entity.kind != "body":
            return
        if any(_overlaps((start, end), (s, e)) for _, s, e in found):
            return
        found.append((body, start, end))

    for cue, body in vocab.phrases:  # longest, most specific first
        for match in cue.finditer(sent):
            add(body, sent.start + match.start(), sent.start + match.end())
    for mention in sent.mentions:
        if mention.kind == "body" and mention.entity_id and not _longer_name(mention, sent):
            add(mention.entity_id, mention.start, mention.end)
    for mention in sent.mentions:
        if mention.kind != "organisation" or not mention.entity_id:
            continue
        after = sent.text[sent.local(mention.end):sent.local(mention.end) + 60]
        before_start = max(0, sent.local(mention.start) - 60)
        before = sent.text[before_start:sent.local(mention.start)]
        for after_re, before_re, suffix, overrides in vocab.groups:
            composed = overrides.get(mention.entity_id) or (
                vocab.summit.get(mention.entity_id) if suffix == "@summit"
                else f"{mention.entity_id}-{suffix}")
            if composed is None:
                continue
            if (m := after_re.search(after)) is not None:
                add(composed, mention.start, mention.end + m.end())
            elif (m := before_re.search(before)) is not None:
                add(composed, sent.start + before_start + m.start(), mention.end)
    return sorted(found, key=lambda b: b[1])


def _longer_name(mention: Mention, sent: _Sentence) -> bool:
    """"the Council" (an alias of the EU's Council) opening "the Council of Heads of State" is
    the start of another body's name, not that body."""
    words = mention.text.split()
    if len(words) != 2 or words[0].lower() != "the":
        return False
    after = sent.text[sent.local(mention.end):sent.local(mention.end) + 8]
    return re.match(r"\s+of\s+[A-Z]", after) is not None


def _anaphoric(sent: _Sentence, vocab: _Vocab) -> bool:
    """Does the sentence refer back to a meeting already told of ("the meeting", "It was ...")?"""
    for cue in vocab.anaphora:
        for match in cue.finditer(sent):
            words = match.group(0).lower().split()
            if not any(w in vocab.not_modifiers for w in words):
                return True
    return False


def _ordinal(sent: _Sentence, vocab: _Vocab) -> int | None:
    match = vocab.ordinal.search(sent)
    if match is None:
        return None
    word = match.group("ord").lower()
    if word in vocab.ordinal_words:
        return vocab.ordinal_words[word]
    digits = re.match(r"\d+", word)
    return int(digits.group(0)) if digits else None


def _date(sent: _Sentence, near: int) -> DateMention | None:
    """The resolved date mention of the sentence nearest to ``near`` (a section offset)."""
    resolved = [d for d in sent.dates if d.date is not None]
    if not resolved:
        return None
    return min(resolved, key=lambda d: abs(d.start - near))


def _place(sent: _Sentence, vocab: _Vocab) -> str | None:
    if vocab.place is None:
        return None
    match = vocab.place.search(sent)
    return match.group("place") if match else None


def _topic(sent: _Sentence, vocab: _Vocab) -> str | None:
    """A few words after "focused on", "discussed": "the threat of terrorism" -> "terrorism"."""
    for cue in vocab.topic_triggers:
        match = cue.search(sent)
        if match is None:
            continue
        rest = " " + sent.text[match.end():].strip() + " "
        lower = rest.lower()
        stops = (lower.find(s) for s in vocab.topic_stops)
        cut = min((i for i in stops if i > 0), default=len(rest))
        phrase = rest[:cut].strip()
        changed = True
        while changed:
            changed = False
            for prefix in vocab.topic_strip:
                if phrase.lower().startswith(prefix):
                    phrase, changed = phrase[len(prefix):].strip(), True
        words = phrase.split()[:vocab.topic_max_words]
        while words and words[-1].lower() in vocab.topic_drop_trailing:
            words.pop()
        if words:
            return " ".join(words)
    return None


def _actors(sent: _Sentence, lo: int, hi: int, kinds: tuple[str, ...]) -> list[Mention]:
    """Linked mentions of the given kinds lying in [lo, hi) (section offsets)."""
    return [m for m in sent.between(lo, hi) if m.kind in kinds and m.entity_id]


def _clause_start(sent: _Sentence, offset: int) -> int:
    """Where the clause holding ``offset`` begins: after the last ';', ':' or ', but'."""
    i = bisect.bisect_left(sent.breaks, offset)
    return sent.breaks[i - 1] + 1 if i > 0 else sent.start


def _matches(cues: tuple[_Cue, ...], sent: _Sentence) -> list[tuple[int, int]]:
    return sorted((sent.start + m.start(), sent.start + m.end())
                  for cue in cues if cue.may_match(sent) for m in cue.regex.finditer(sent.text))


def _host(sent: _Sentence, vocab: _Vocab) -> str | None:
    """The host: the person, else the state, else the organisation, named beside a host cue."""
    for lo, hi in _matches(vocab.host_after, sent):
        for kinds in (("person",), ("state",), ("organisation",)):
            found = _actors(sent, hi, sent.end, kinds)
            if found:
                return found[0].entity_id
    for lo, _ in _matches(vocab.host_before, sent):
        for kinds in (("person",), ("state",), ("organisation",)):
            found = _actors(sent, _clause_start(sent, lo), lo, kinds)
            if found:
                return found[-1].entity_id
    return None


def _absent(sent: _Sentence, vocab: _Vocab) -> tuple[list[str], list[tuple[int, int]]]:
    """Ids stated absent, and the stretches of text they were named in."""
    ids: list[str] = []
    spans: list[tuple[int, int]] = []
    # "Armenian" in "Armenian Prime Minister Nikol Pashinyan" belongs to the person
    person_spans = [span for p in _persons(sent.mentions)
                    for span in ((p.start, p.end), getattr(p, "role_span", None)) if span]
    for lo, _ in _matches(vocab.absence, sent):
        start = _clause_start(sent, lo)
        spans.append((start, lo))
        for mention in _actors(sent, start, lo, ("state", "organisation", "person")):
            if mention.kind != "person" and any(
                    _overlaps(span, (mention.start, mention.end)) for span in person_spans):
                continue
            if mention.entity_id and mention.entity_id not in ids:
                ids.append(mention.entity_id)
    return ids, spans


def _persons(mentions: Iterable[Mention]) -> list[Mention]:
    """Person mentions, one per stretch of text: where two overlap keep the one the persons
    component filled in (represents, then role) and the plain name text of the other."""
    chosen: list[Mention] = []
    persons = sorted((m for m in mentions if m.kind == "person"), key=lambda m: (m.start, -m.end))
    for mention in persons:
        if chosen and _overlaps((chosen[-1].start, chosen[-1].end), (mention.start, mention.end)):
            if _richness(mention) > _richness(chosen[-1]):
                chosen[-1] = mention
            continue
        chosen.append(mention)
    return chosen


def _richness(mention: Mention) -> tuple[int, int, int]:
    return (mention.represents is not None, mention.role is not None, mention.entity_id is not None)


def _name(mention: Mention, sent: _Sentence) -> str:
    """The person's name as written, without a role the mention may span ("Secretary ... Zas")."""
    plain = [m for m in sent.between(mention.start, mention.end)
             if m.kind == "person" and m is not mention]
    if plain:
        return plain[-1].text
    text = mention.text
    if mention.role and mention.role in text:
        text = text.replace(mention.role, "", 1)
    return text.strip(" ,.;:") or mention.text


_LEAD = re.compile(r"^(?:[\s,.;:()\-–—]|and\b|the\b|is\b|are\b|was\b|were\b)+", re.IGNORECASE)


def _represents_nearby(person: Mention, sent: _Sentence, lo: int,
                       gaz: Gazetteer) -> tuple[str | None, str | None]:
    """(represents, role) from the office, state or organisation named beside the person.

    Before the name from ``lo`` (the end of the previous person or cue), else in
    an apposition after it (", the Acting Secretary General of the CSTO,").
    """
    text = sent.text
    bracket = _bracket_after(person, sent)
    if bracket is not None:  # "Nikol Pashinyan (Armenia)", "Tokayev (Kazakhstan, host)"
        found = _actors(sent, bracket[0], bracket[1], ("state", "organisation", "body"))
        if found:
            return found[0].entity_id, None
    lo = _after_bracket(lo, person.start, sent)
    after_lo = person.end
    after_hi = after_lo
    if text[sent.local(after_lo):sent.local(after_lo) + 2].startswith(","):
        rest = text[sent.local(after_lo) + 1:]
        stops = (rest.find(","), rest.find(";"), rest.find(". "))
        stop = min((i for i in stops if i >= 0), default=len(rest))
        after_hi = after_lo + 1 + stop
    windows = [(lo, person.start), (after_lo, after_hi)]
    for kinds in (("office",), ("state", "organisation", "body")):
        for w_lo, w_hi in windows:
            found = _actors(sent, w_lo, w_hi, kinds)
            if not found:
                continue
            mention = found[-1] if w_hi == person.start else found[0]
            if mention.kind == "office":
                entity = gaz.entities.get(mention.entity_id or "")
                return (entity.parent if entity else None), mention.text
            return mention.entity_id, _role_text(text[sent.local(w_lo):sent.local(w_hi)])
    return None, None


def _bracket_after(person: Mention, sent: _Sentence) -> tuple[int, int] | None:
    """The span of a bracket standing right after the name, "(Armenia)", if there is one."""
    at = sent.local(person.end)
    rest = sent.text[at:at + 80]
    stripped = rest.lstrip(" ")
    if not stripped.startswith("("):
        return None
    close = stripped.find(")")
    if close < 0:
        return None
    open_at = person.end + (len(rest) - len(stripped))
    return open_at, open_at + close + 1


def _after_bracket(lo: int, hi: int, sent: _Sentence) -> int:
    """A window before a name that opens with the previous name's bracket ("(Armenia), ")
    starts after it: the bracket belongs to the name before."""
    window = sent.text[sent.local(lo):sent.local(hi)]
    stripped = window.lstrip(" ")
    if stripped.startswith("(") and ")" in stripped:
        return lo + (len(window) - len(stripped)) + stripped.find(")") + 1
    return lo


def _role_text(window: str) -> str | None:
    """The words around a name as a role: no leading article, no unclosed "(CSTO"."""
    role = _LEAD.sub("", window).strip(" ,;:")
    if role.count("(") > role.count(")"):
        role = role[:role.rfind("(")].strip(" ,;:")
    return role if 0 < len(role.split()) <= 15 else None


def _participants(sent: _Sentence, persons: list[Mention], gaz: Gazetteer,
                  cues: list[tuple[int, int]], excluded: list[tuple[int, int]]) -> list[_Found]:
    """Participants from the given person mentions; ``cues`` bound the role windows."""
    out: list[_Found] = []
    wanted = {id(p) for p in persons}
    cue_ends = sorted(hi for _, hi in cues)
    previous_end = sent.start
    for person in _persons(sent.mentions):
        if id(person) not in wanted:
            previous_end = max(previous_end, person.end)
            continue
        if any(lo <= person.start < hi for lo, hi in excluded):
            continue
        i = bisect.bisect_right(cue_ends, person.start)
        lo = max(previous_end, _clause_start(sent, person.start), cue_ends[i - 1] if i else 0)
        represents, role = person.represents, person.role
        guessed = False
        if represents is None:
            represents, near_role = _represents_nearby(person, sent, lo, gaz)
            role = role or near_role
            guessed = represents is not None
        participant = Participant(person.entity_id, _name(person, sent), role, represents)
        out.append(_Found(participant, guessed))
        previous_end = person.end
    return out


def _facts(sent: _Sentence, gaz: Gazetteer, vocab: _Vocab, caption: bool) -> _Facts:
    bodies = _bodies(sent, gaz, vocab)
    trigger = vocab.trigger.search(sent) is not None
    absent, absent_spans = _absent(sent, vocab)
    persons = _persons(sent.mentions)
    host_cues = _matches(vocab.host_after, sent)
    after_cues = _matches(vocab.part_after, sent)
    before_cues = _matches(vocab.part_before, sent)
    host = _host(sent, vocab)
    first_after = min((hi for _, hi in after_cues + host_cues), default=sent.end + 1)
    before = [(_clause_start(sent, lo), lo) for lo, _ in before_cues]
    chosen = [p for p in persons
              if caption or (host is not None and p.entity_id == host) or first_after <= p.start
              or any(lo <= p.start and p.end <= hi for lo, hi in before)]
    found = _participants(sent, chosen, gaz, host_cues + after_cues, absent_spans)
    near = bodies[0][1] if bodies else sent.start
    who = {f.participant.person or f.participant.name for f in found}
    bilateral = (not bodies and len(who) >= 2
                 and any(cue.search(sent) for cue in vocab.bilateral))
    return _Facts(
        bodies=bodies, trigger=trigger, anaphoric=_anaphoric(sent, vocab),
        other=vocab.other_meeting.search(sent) is not None,
        ordinal=_ordinal(sent, vocab), date=_date(sent, near), place=_place(sent, vocab),
        host=host, topic=_topic(sent, vocab), participants=found, absent=absent,
        bilateral=bilateral,
    )


# --------------------------------------------------------------------------- drafts


def _disjoint(a: PartialDate | None, b: PartialDate | None) -> bool:
    return a is not None and b is not None and (a.last < b.first or b.last < a.first)


def _compatible(draft: _Draft, facts: _Facts, use_date: bool = True) -> bool:
    if facts.ordinal is not None and draft.ordinal is not None and facts.ordinal != draft.ordinal:
        return False
    if use_date and facts.date is not None and draft.date is not None:
        return not _disjoint(facts.date.date, draft.date.date)
    return True


def _target(drafts: list[_Draft], body: str, facts: _Facts, current: _Draft | None,
            prefer_first: bool) -> _Draft | None:
    """The draft of ``body`` this sentence speaks of, if any is compatible."""
    same = [d for d in drafts if d.body == body and _compatible(d, facts)]
    if not same:
        return None
    if facts.ordinal is not None:
        exact = [d for d in same if d.ordinal == facts.ordinal]
        if exact:
            return exact[0]
    if facts.other:  # "the next meeting of ...": only an explicit ordinal or date may join
        if facts.date is None or facts.date.date is None:
            return None
        dated = [d for d in same if d.date is not None and d.date.date is not None]
        return dated[0] if dated else None
    if not prefer_first and current in same:
        return current
    return same[0]


def _name_key(name: str) -> tuple[str, str]:
    """(first initial, surname) of a written name: "Ivan Petrov" and "I. Petrov" agree."""
    words = re.findall(r"[^\W\d_][\w-]*", name.lower())
    if not words:
        return ("", name.lower())
    return (words[0][:1] if len(words) > 1 else "", words[-1])


def _same(a: Participant, b: Participant) -> bool:
    """One person? Two known ids decide; a learned (``new:``) or missing id is compared
    by surname and first initial."""
    known = [p.person for p in (a, b) if p.person and not p.person.startswith("new:")]
    if len(known) == 2 or (a.person and a.person == b.person):
        return a.person == b.person
    (ia, sa), (ib, sb) = _name_key(a.name), _name_key(b.name)
    return sa == sb and (not ia or not ib or ia == ib)


def _add_participant(draft: _Draft, found: _Found) -> None:
    """Merge a participant: one per person; a stated ``represents`` beats a guessed one."""
    new = found.participant
    candidates = list(draft.by_surname.get(_name_key(new.name)[1], []))
    if new.person and new.person in draft.by_person:
        candidates.insert(0, draft.by_person[new.person])
    for existing in candidates:
        if not _same(existing.participant, new):
            continue
        old = existing.participant
        if old.represents is None or (existing.guessed and not found.guessed and new.represents):
            old.represents, existing.guessed = new.represents, found.guessed
        old.role = old.role or new.role
        learned = old.person is None or old.person.startswith("new:")
        if learned and new.person and not new.person.startswith("new:"):
            old.person = new.person
        if len(new.name) > len(old.name):
            old.name = new.name  # "Nikolai Patrushev" over "N. Patrushev"
        draft.index(existing)
        return
    added = _Found(Participant(**vars(new)), found.guessed)
    draft.participants.append(added)
    draft.index(added)


def _apply(draft: _Draft, facts: _Facts) -> None:
    """Fill what the draft lacks from one sentence's facts; participants and absences add up."""
    draft.ordinal = draft.ordinal if draft.ordinal is not None else facts.ordinal
    if draft.date is None:
        draft.date = facts.date
    draft.place = draft.place or facts.place
    draft.host = draft.host or facts.host
    draft.topic = draft.topic or facts.topic
    for found in facts.participants:
        _add_participant(draft, found)
    for absent in facts.absent:
        if absent not in draft.absent:
            draft.absent.append(absent)


def _new(body: str | None, sent: _Sentence, span: tuple[int, int] | None,
         drafts: list[_Draft]) -> _Draft:
    draft = _Draft(body, sent.section, span or (sent.start, sent.end), sent.text.strip())
    drafts.append(draft)
    return draft


def _anchored(cue: _Cue, sent: _Sentence) -> bool:
    """Does an anchor cue (trigger, bilateral) match the sentence? Only its ``anchor_cues`` can."""
    return cue in sent.anchor_cues and cue.regex.search(sent.text) is not None


def _may_name_body(sent: _Sentence, vocab: _Vocab) -> bool:
    """Can ``_bodies`` find a body in the sentence? Not without a linked body or organisation
    mention or a phrase cue that may match."""
    return (any(m.entity_id and m.kind in ("body", "organisation") for m in sent.mentions)
            or any(cue.may_match(sent) for cue, _ in vocab.phrases))


def _may_add(sent: _Sentence, vocab: _Vocab, current: _Draft | None, follows: bool) -> bool:
    """Can ``_read_running`` add this sentence to a draft? False only when none of its cases
    can hold, checked cheaply before the sentence's facts are read: an anchor needs a
    trigger and a body, a bilateral meeting its cue and two persons; the rest add to the
    current draft only, a sentence referring back when it does ("the meeting"), one right
    after the current draft's (``follows``) when it names a person or an absence."""
    if _anchored(vocab.trigger, sent) and _may_name_body(sent, vocab):
        return True
    if (sum(m.kind == "person" for m in sent.mentions) >= 2
            and any(_anchored(cue, sent) for cue in vocab.bilateral)):
        return True
    if current is None:
        return False
    if _anaphoric(sent, vocab):
        return True
    return follows and (any(m.kind == "person" for m in sent.mentions)
                        or any(cue.may_match(sent) for cue in vocab.absence))


def _read_running(sentences: _Sentences, gaz: Gazetteer, vocab: _Vocab, drafts: list[_Draft],
                  owner: dict[tuple[str, int], _Draft]) -> None:
    """Anchors open or join drafts; sentences referring back add to the current one."""
    current: _Draft | None = None
    for index in range(len(sentences)):
        if current is None and not sentences.anchor_cues[index]:
            continue  # it opens no meeting and none is being told of (see _may_add)
        sent = sentences[index]
        follows = current is not None and owner.get((sent.section, index - 1)) is current
        if not _may_add(sent, vocab, current, follows):
            continue
        facts = _facts(sent, gaz, vocab, caption=False)
        target: _Draft | None = None
        if facts.bodies and facts.trigger:
            body, start, end = facts.bodies[0]
            target = _target(drafts, body, facts, current, prefer_first=False)
            if target is None:
                target = _new(body, sent, (start, end), drafts)
        elif facts.anaphoric and not facts.other and current is not None:
            if _compatible(current, facts, use_date=False):
                target = current
            else:  # "the fifth meeting was held in Minsk" after the sixth: another meeting
                same = (_target(drafts, current.body, facts, None, prefer_first=True)
                        if current.body else None)
                target = same or _new(current.body, sent, None, drafts)
        elif facts.bilateral:
            target = _new(None, sent, None, drafts)
        elif ((facts.participants or facts.absent)
              and owner.get((sent.section, index - 1)) is current):
            target = current  # "Shoigu and Khrenin took part." right after the meeting sentence
        if target is None:
            continue
        _apply(target, facts)
        owner[(sent.section, index)] = target
        current = target


def _main_draft(drafts: list[_Draft], body: str, facts: _Facts) -> _Draft | None:
    """The meeting of ``body`` the article is about: the first one dated to the day.

    A caption naming the body shows the meeting reported on, not a past one the text
    mentions in passing ("at the previous, 5th meeting in 2017"); a caption's own ordinal
    or date still decides (via ``_target``) when it gives one.
    """
    if facts.ordinal is not None or facts.date is not None:
        return None
    for draft in drafts:
        when = draft.date.date if draft.date is not None else None
        if draft.body == body and when is not None and when.first == when.last:
            return draft
    return None


def _read_caption(sent: _Sentence, gaz: Gazetteer, vocab: _Vocab, drafts: list[_Draft]) -> None:
    """A caption that speaks of a meeting lends it its persons (and place, ordinal...)."""
    if not (any(m.kind == "person" for m in sent.mentions)
            or any(cue.may_match(sent) for cue in vocab.absence)):
        return  # no participant, no absence (checked cheaply, as below)
    if not (_anchored(vocab.trigger, sent) or _may_name_body(sent, vocab)):
        return  # no trigger, no body (likewise)
    facts = _facts(sent, gaz, vocab, caption=True)
    if not facts.participants and not facts.absent:
        return
    if not (facts.bodies or facts.trigger):
        return
    if facts.bodies:
        body, start, end = facts.bodies[0]
        target = (_main_draft(drafts, body, facts)
                  or _target(drafts, body, facts, None, prefer_first=True)
                  or _new(body, sent, (start, end), drafts))
    else:
        compatible = [d for d in drafts if _compatible(d, facts)]
        target = compatible[0] if compatible else _new(None, sent, None, drafts)
    _apply(target, facts)


def _fill_dates(drafts: list[_Draft], sentences: dict[str, _Sentences],
                owner: dict[tuple[str, int], _Draft]) -> None:
    """A meeting with no date in its own sentences takes one from an adjacent sentence
    that belongs to no other meeting."""
    for draft in drafts:
        if draft.date is not None:
            continue
        section = sentences.get(draft.section, [])
        own = [i for (name, i), d in owner.items() if d is draft and name == draft.section]
        for i in own:
            for j in (i + 1, i - 1):
                other = owner.get((draft.section, j))
                if 0 <= j < len(section) and (other is None or other is draft):
                    date = _date(section[j], section[j].start)
                    if date is not None:
                        draft.date = date
                        break
            if draft.date is not None:
                break


def find_meetings(ctx: Context) -> list[Meeting]:
    """Meetings told of in the running text (body first, then title) and in captions."""
    vocab = load_vocab()
    drafts: list[_Draft] = []
    owner: dict[tuple[str, int], _Draft] = {}
    running = sorted((s for s in ctx.sections if not s.name.startswith("caption")),
                     key=lambda s: s.name != "body")
    by_section: dict[str, _Sentences] = {}
    for section in running:
        sentences = _Sentences(section, ctx, vocab, whole=False)
        by_section[section.name] = sentences
        _read_running(sentences, ctx.gazetteer, vocab, drafts, owner)
    _fill_dates(drafts, by_section, owner)
    for section in ctx.sections:
        if section.name.startswith("caption"):
            for sent in _Sentences(section, ctx, vocab, whole=True):
                _read_caption(sent, ctx.gazetteer, vocab, drafts)
    return [_meeting(d) for d in drafts if d.body or len(d.participants) >= 2]


def _meeting(draft: _Draft) -> Meeting:
    return Meeting(
        body=draft.body, ordinal=draft.ordinal,
        date=str(draft.date.date) if draft.date and draft.date.date else None,
        date_basis=draft.date.basis if draft.date and draft.date.date else None,
        place=draft.place, host=draft.host, topic=draft.topic,
        participants=[f.participant for f in draft.participants],
        section=draft.section, span=draft.span, sentence=draft.sentence,
        absent=list(draft.absent),
    )


# --------------------------------------------------------------------------- events


def _subject(meeting: Meeting, gaz: Gazetteer) -> str | None:
    """Who consults: the host, else the first participant's state or organisation,
    else the organisation the body belongs to (the meeting of its own body)."""
    if meeting.host:
        return meeting.host
    for p in meeting.participants:
        if p.represents:
            return p.represents
    if meeting.participants and meeting.participants[0].person:
        return meeting.participants[0].person
    body = gaz.entities.get(meeting.body or "")
    return body.parent if body else None


def _object(meeting: Meeting, subject: str | None) -> str | None:
    if meeting.body:
        return meeting.body
    others = [p for p in meeting.participants if subject not in (p.represents, p.person)]
    # no body: the other side
    for actor in [p.represents for p in others] + [p.person for p in others]:
        if actor:
            return actor
    return None


def _event(meeting: Meeting, subject: str | None, obj: str | None, negated: bool) -> Statement:
    extra: dict[str, Any] = {"about": meeting.topic}
    if negated:
        extra["absent"] = True
    return Statement(kind="event", subject=subject, predicate="meet", object=obj, negated=negated,
                     plover="CONSULT", cameo="04", date=meeting.date, section=meeting.section,
                     span=meeting.span, sentence=meeting.sentence, extra=extra)


def meeting_events(meetings: list[Meeting], ctx: Context) -> list[Statement]:
    """A CONSULT event per meeting; a negated one per actor stated absent from it
    (so co-presence over time can count "the CSTO was not present" as well as presence)."""
    out: list[Statement] = []
    for meeting in meetings:
        subject = _subject(meeting, ctx.gazetteer)
        obj = _object(meeting, subject)
        out.append(_event(meeting, subject, obj, negated=False))
        out.extend(_event(meeting, absent, obj, negated=True) for absent in meeting.absent)
    return out
