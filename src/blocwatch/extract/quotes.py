"""Quotes: who said what, word for word (direct) or in the writer's words (reported).

Quote marks are paired by how they face (curly marks and guillemets say it;
a straight mark is read from the characters around it). Real pages break
the rules, so pairing never fails: a mark that opens while another quote is
open closes the first one there; a quote still open at the end of its
paragraph continues into the next paragraph when that one opens with a
quote mark (the printers' convention) and ends with its paragraph otherwise.

A speaker stands next to a speech verb from ``vocab/quotes.toml`` beside the
quote ("..., Rutte warned", "said the Nato chief", 'he feared "...'), or is
carried over: a pronoun or "he added" is the last speaker, an unattributed
quote right after another one continues it, and "Nato's secretary-general"
is the person the document names for that office. Reported speech is a
speaker, a speech verb and a clause after it ("Putin said his country ...")
or before it ("Putin was not sincere, Nato's secretary-general said").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc

from blocwatch.extract.actors import Actor, load_vocab, resolve_office, section_actors
from blocwatch.extract.model import Context, Section, Statement
from blocwatch.extract.tokens import Bounds, Tokens, tokens

SPEAKER_KINDS = {"person", "office", "state", "organisation", "body"}
POSSESSIVE = {"'s", "’s"}


@cache
def _vocab() -> dict[str, Any]:
    raw = load_vocab("quotes")
    verbs = {form.lower(): lemma for lemma, forms in raw["verbs"].items() for form in forms}
    words = dict(raw["words"])
    for key, value in words.items():
        if isinstance(value, list):
            words[key] = {w.lower() for w in value}
    marks = raw["marks"]
    every_mark = set(marks["open"]) | set(marks["close"]) | set(marks["straight"])
    return {"verbs": verbs, "words": words, "open": set(marks["open"]),
            "close": set(marks["close"]), "straight": set(marks["straight"]),
            # the first words of the speech verbs ("pointed" of "pointed out")
            "verb_starts": {form.split()[0] for form in verbs},
            # what a word must be for "<word> <next word>" to be a speech verb
            "pair_firsts": {f[:i] for f in verbs for i, ch in enumerate(f) if ch == " "},
            "any_mark": re.compile("|".join(re.escape(m) for m in sorted(every_mark)))}


# ---------------------------------------------------------------- quote marks


@dataclass
class _Quote:
    open: int  # char index of the opening mark
    close: int  # char index of the closing mark, or where the quote was cut off
    start: int = 0  # the quoted words, without marks and edge spaces
    end: int = 0


def _role(text: str, k: int) -> str:
    """Whether the mark at k opens, closes, or could do either."""
    v = _vocab()
    ch = text[k]
    if ch in v["open"]:
        return "open"
    if ch in v["close"]:
        return "close"
    prev = text[k - 1] if k > 0 else " "
    nxt = text[k + 1] if k + 1 < len(text) else " "
    if (prev.isspace() or prev in "([{—–-/") and not nxt.isspace():
        return "open"
    if (nxt.isspace() or nxt in ",.;:!?)]}—–-") and not prev.isspace():
        return "close"
    return "either"


def pair_quotes(text: str) -> list[_Quote]:
    """Pair quote marks into quotes; never fails on unbalanced marks."""
    out: list[_Quote] = []
    open_at: int | None = None
    since = 0  # where the open quote's current paragraph starts
    for mark in _vocab()["any_mark"].finditer(text):
        k = mark.start()
        role = _role(text, k)
        if open_at is None:
            if role != "close":
                open_at = since = k
            continue
        newline = text.rfind("\n", since, k)
        if newline != -1:
            if role != "close" and not text[newline:k].strip():
                since = k
                continue  # the next paragraph opens with a mark: the quote goes on
            out.append(_Quote(open_at, _paragraph_end(text, open_at)))
            open_at, since = (k, k) if role != "close" else (None, 0)
        elif role == "open":
            out.append(_Quote(open_at, k))
            open_at = since = k
        else:
            out.append(_Quote(open_at, k))
            open_at = None
    if open_at is not None:
        out.append(_Quote(open_at, _paragraph_end(text, open_at)))
    for q in out:
        body = text[q.open + 1:q.close]
        q.start = q.open + 1 + (len(body) - len(body.lstrip()))
        q.end = q.open + 1 + len(body.rstrip().rstrip(","))
    return [q for q in out if q.end > q.start]


def _paragraph_end(text: str, at: int) -> int:
    """Where the paragraph holding ``at`` ends (skipping continued quote paragraphs)."""
    marks = _vocab()["open"] | _vocab()["straight"]
    end = text.find("\n", at)
    while end != -1:
        rest = text[end:].lstrip()
        if not rest or rest[0] not in marks:
            return end
        nxt = text.find("\n", len(text) - len(rest))
        if nxt == -1:
            return len(text)
        end = nxt
    return len(text)


def _value(text: str, start: int, end: int) -> str:
    """The quoted words, with the marks that reopen continued paragraphs removed."""
    marks = _vocab()["open"] | _vocab()["straight"]
    lines = [ln.strip().lstrip("".join(marks)) for ln in text[start:end].split("\n")]
    return " ".join(" ".join(lines).split())


# ---------------------------------------------------------------- speakers


@dataclass
class _Speaker:
    kind: str  # actor, pronoun, unnamed
    text: str
    start: int  # first token
    actor: Actor | None = None
    office: str | None = None  # for "Nato's secretary-general"


@dataclass
class _Item:
    """A quote waiting for its speaker to be resolved in text order."""

    start: int  # chars of the value
    end: int
    value: str
    mode: str
    verb: str | None
    speaker: _Speaker | None
    sentence: int  # sentence number


@dataclass
class _Reader:
    section: Section
    ctx: Context
    doc: Doc
    tok: Tokens  # the Doc's token table: the tokens are read from it, not from the Doc
    actors: list[Actor]
    ends: dict[int, Actor] = field(default_factory=dict)  # end token -> actor
    starts: dict[int, Actor] = field(default_factory=dict)
    tok_starts: list[int] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    lowers: list[str] = field(default_factory=list)  # each token's lower_, read once
    covered: set[int] = field(default_factory=set)  # tokens inside any mention

    def token_at(self, char: int) -> int:
        """The first token that starts at or after ``char``."""
        return bisect_left(self.tok_starts, char)

    def sentence_of(self, char: int) -> int:
        return max(bisect_right(self.sent_starts, char) - 1, 0)

    def is_verb(self, i: int) -> str | None:
        """The predicate a speech verb at token i stands for ("pointed out" spans two)."""
        lowers = self.lowers
        if not 0 <= i < len(lowers):
            return None
        lower, verbs = lowers[i], _vocab()["verbs"]
        if (lower in _vocab()["pair_firsts"] and i + 1 < len(lowers)
                and f"{lower} {lowers[i + 1]}" in verbs):
            return verbs[f"{lower} {lowers[i + 1]}"]
        return verbs.get(lower)

    def speaker_before(self, v: int, lo: int) -> _Speaker | None:
        """The speaker phrase ending right before the verb at token v (not before token lo)."""
        tok, words = self.tok, _vocab()["words"]
        p = v - 1
        while p >= lo and (tok.blank[p] or tok.lower[p] in {"also", "again", "later", "then",
                                                            "has", "had", "have"}):
            p -= 1
        if p >= lo and tok.text[p] == "," and p - 1 >= lo and p - 1 + 1 in self.ends:
            p -= 1  # "Mark Rutte, said"
        elif p >= lo and tok.text[p] == ",":
            aside = self._before_aside(p, lo)
            if aside is not None:
                return aside
        if p < lo:
            return None
        actor = self.ends.get(p + 1)
        if actor is not None and actor.start >= lo:
            return _Speaker("actor", tok.span_text(actor.start, p + 1), actor.start, actor)
        possessive = self._possessive_office(p, lo)
        if possessive is not None:
            return possessive
        name = self.name_ending(p, lo)
        if name is not None:
            return name
        if tok.lower[p] in words["pronouns"]:
            return _Speaker("pronoun", tok.text[p], p)
        for k in range(p, max(lo, p - int(words["speaker_max_tokens"])) - 1, -1):
            if not (self.doc[k].is_alpha or "-" in tok.text[k]):
                return None
            if tok.lower[k] in words["speaker_openers"]:
                return _Speaker("unnamed", tok.span_text(k, p + 1), k)
        return None

    def speaker_after(self, v: int, hi: int) -> _Speaker | None:
        """The speaker right after the verb: 'said Rutte', 'said the Nato chief', 'said he'."""
        k, tok = v + 1, self.tok
        if k < hi and tok.lower[k] in {"the", "a", "an"}:
            k += 1
        actor = self.starts.get(k)
        if actor is None and k > v + 1:
            actor = self.starts.get(v + 1)
        if actor is not None and actor.end <= hi:
            return _Speaker("actor", tok.span_text(v + 1, actor.end), v + 1, actor)
        name = self.name_starting(v + 1, hi)
        if name is not None:
            return name
        if v + 1 < hi and tok.lower[v + 1] in _vocab()["words"]["pronouns"]:
            return _Speaker("pronoun", tok.text[v + 1], v + 1)
        return None

    def _before_aside(self, p: int, lo: int) -> _Speaker | None:
        """'Putin, in his first appearance since ..., told': a person, then an aside set
        off by commas, then the verb."""
        text = self.tok.text
        reach = int(_vocab()["words"]["aside_max_tokens"])
        for k in range(p - 1, max(lo, p - reach) - 1, -1):
            if text[k] != ",":
                if self.is_verb(k) or text[k] in {".", ";", ":"}:
                    return None
                continue
            actor = self.ends.get(k)
            if actor is not None and actor.start >= lo and actor.kind in {"person", "office"}:
                return _Speaker("actor", self.tok.span_text(actor.start, k), actor.start, actor)
            return None
        return None

    def _name_word(self, k: int) -> bool:
        """A token that can be part of a person's name the reference base does not know."""
        tok, words = self.tok, _vocab()["words"]
        if (len(tok.text[k]) <= 1 or k in self.covered or tok.lower[k] in words["title_words"]
                or tok.lower[k] in words["not_names"]):
            return False
        t = self.doc[k]
        return t.is_alpha and t.is_title

    def name_ending(self, p: int, lo: int) -> _Speaker | None:
        """'Vladimir Makei stressed': two or three name words right before the verb."""
        k = p
        while k >= lo and p - k < 3 and self._name_word(k):
            k -= 1
        if p - k < 2 or (k >= lo and k + 1 in self.ends):
            return None  # one word, or the tail of a named actor ("Kyrgyz Border Guards")
        return _Speaker("name", self.tok.span_text(k + 1, p + 1), k + 1)

    def name_starting(self, k: int, hi: int) -> _Speaker | None:
        """'said Timur Rashidov, an analyst': two or three name words after the verb."""
        j = k
        while j < hi and j - k < 3 and self._name_word(j):
            j += 1
        if j - k < 2 or (j < hi and self.doc[j].is_title and self.doc[j].is_alpha):
            return None
        return _Speaker("name", self.tok.span_text(k, j), k)

    def _possessive_office(self, p: int, lo: int) -> _Speaker | None:
        """"Nato's secretary-general": an organisation or state, 's, then an office title."""
        tok = self.tok
        for k in range(p, max(lo, p - 4) - 1, -1):
            if tok.text[k] in POSSESSIVE:
                owner = self.ends.get(k)
                if owner is None or owner.start < lo or k == p:
                    return None
                office = _office_by_title(self.ctx, owner.id, tok.span_text(k + 1, p + 1))
                if office is None:
                    return None
                return _Speaker("actor", tok.span_text(owner.start, p + 1), owner.start, None,
                                office)
            if not (tok.text[k] == "-" or self.doc[k].is_alpha):
                return None
        return None


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _office_by_title(ctx: Context, owner: str, title: str) -> str | None:
    """The office of ``owner`` (organisation or state) whose name or alias ends with ``title``."""
    wanted = _norm(title)
    if not wanted:
        return None
    found = {a.entity_id for a in ctx.gazetteer.aliases
             if (e := ctx.gazetteer.entities.get(a.entity_id)) is not None
             and e.kind == "office" and e.parent == owner
             and (_norm(a.text).endswith(wanted) or _norm(a.text).startswith(wanted))}
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------- finding quotes


def find_quotes(section: Section, ctx: Context) -> list[Statement]:
    """Direct and reported quotes in a section, each with its speaker when it can be told."""
    doc = section.doc
    if not section.text.strip() or len(doc) == 0:
        return []
    tok = tokens(section)
    verb_hits = tok.where(_vocab()["verb_starts"])  # where a speech verb can begin
    if not verb_hits and not _vocab()["any_mark"].search(section.text):
        return []  # neither a quote mark nor a speech verb
    actors = section_actors(section, ctx, SPEAKER_KINDS)
    reader = _Reader(section, ctx, doc, tok, actors,
                     ends={a.end: a for a in actors}, starts={a.start: a for a in actors},
                     tok_starts=tok.idx, sent_starts=[a for a, _ in tok.sent_chars],
                     lowers=tok.lower, covered=_covered(section, ctx))
    used: set[int] = set()
    scare: list[_Item] = []
    items = _direct(reader, used, scare)
    items.extend(_reported(reader, used, items, scare, verb_hits))
    items.sort(key=lambda it: it.start)
    return _resolve(reader, items)


def _covered(section: Section, ctx: Context) -> set[int]:
    """Tokens inside any name the reference base or the persons component found."""
    out: set[int] = set()
    tok = tokens(section)
    for m in ctx.section_mentions(section.name):
        span = tok.char_span(m.start, m.end)  # as doc.char_span(..., alignment_mode="expand")
        if span is not None:
            out.update(range(*span))
    return out


def _direct(r: _Reader, used: set[int], scare: list[_Item]) -> list[_Item]:
    """Direct quotes with the speaker phrase beside them (or None, to carry over).

    Short unattributed quotes go to ``scare``: they count only when reported
    speech around them says who spoke them.
    """
    text = r.section.text
    out = []
    for q in pair_quotes(text):
        found = _attribution_after(r, q.close + 1) or _attribution_before(r, q.open)
        value = _value(text, q.start, q.end)
        if found is None and _is_scare_quote(value):
            scare.append(_Item(q.start, q.end, value, "direct", None, None,
                               r.sentence_of(q.start)))
            continue
        speaker, verb, verb_tok = found if found else (None, None, -1)
        if verb_tok >= 0:
            used.add(verb_tok)
        out.append(_Item(q.start, q.end, value, "direct", verb, speaker, r.sentence_of(q.start)))
    return out


def _is_scare_quote(value: str) -> bool:
    """A few words that are not a sentence of their own ('"next door" to Europe')."""
    sentence = value[:1].isupper() and value.rstrip()[-1:] in {".", "!", "?"}
    return not sentence and len(value.split()) <= int(_vocab()["words"]["scare_max_words"])


def _attribution_after(r: _Reader, char: int) -> tuple[_Speaker, str, int] | None:
    """', Rutte warned', ' the Nato chief said', ', said Rutte', ', he added' after a quote."""
    j = r.token_at(char)
    if j < len(r.tok.text) and r.tok.text[j] == ",":
        j += 1
    hi = _line_end(r, j)
    verb = r.is_verb(j)
    if verb is not None:
        speaker = r.speaker_after(j, hi)
        return (speaker, verb, j) if speaker else None
    limit = min(hi, j + int(_vocab()["words"]["speaker_max_tokens"]) + 3)
    for v in range(j + 1, limit):
        verb = r.is_verb(v)
        if verb is not None:
            speaker = r.speaker_before(v, j)
            if speaker is not None and (speaker.start == j or _is_title(r, j, speaker.start)):
                return speaker, verb, v
            return None
    return None


def _is_title(r: _Reader, lo: int, hi: int) -> bool:
    """Tokens [lo, hi) are a title before a name: '"...," President Maia Sandu said',
    'the Ukrainian Deputy Prime Minister ...' (capitalised words and role nouns only)."""
    words = _vocab()["words"]
    if hi - lo > int(words["title_max_tokens"]):
        return False
    for k in range(lo, hi):
        t = r.doc[k]
        ok = (t.is_title or t.is_upper or k in r.covered or t.lower_ in words["speaker_openers"]
              or t.lower_ in words["title_words"] or t.text in {"-", "'s", "’s", "."})
        if not ok or r.is_verb(k):
            return False
    return True


def _attribution_before(r: _Reader, char: int) -> tuple[_Speaker, str, int] | None:
    """'Rutte said: "', 'he feared "', 'she told reporters: "' before a quote."""
    text = r.tok.text
    b = r.token_at(char) - 1
    colon = b >= 0 and text[b] == ":"
    if b >= 0 and text[b] in {":", ",", "that"}:
        b -= 1
    reach = 3 if colon else 0  # only "told reporters:" puts words between verb and quote
    for v in range(b, max(b - reach, 0) - 1, -1):
        if v < 0 or "\n" in text[v]:
            return None
        verb = r.is_verb(v)
        if verb is not None:
            speaker = r.speaker_before(v, _line_start(r, v))
            return (speaker, verb, v) if speaker else None
    return None


def _line_end(r: _Reader, j: int) -> int:
    """The token ending the attribution window: the sentence end or a line break."""
    text = r.tok.text
    marks = _vocab()["open"] | _vocab()["straight"]
    k = j
    while k < len(text) and k < j + 20:
        if "\n" in text[k] or text[k] in {".", "!", "?"} or text[k] in marks:
            break
        k += 1
    return k


def _line_start(r: _Reader, v: int) -> int:
    if not 0 <= v < len(r.tok.text):
        return 0
    sents = r.tok.sents  # the sentence holding token v
    return sents[bisect_right(sents, (v, len(r.tok.text))) - 1][0]


def _reported(r: _Reader, used: set[int], direct: list[_Item],
              scare: list[_Item], every_hit: list[int]) -> list[_Item]:
    """'X said (that) <clause>' and '<clause>, X said' in sentences, outside direct quotes.

    A clause that holds quoted words gives its speaker to them: a quote of its own
    is then the statement ('Makei stressed that the Commonwealth "remains a unique
    platform ..."'); words quoted in passing ('Borrell said the talks were "a
    geopolitical investment"') become a direct quote beside the reported clause.
    EVERY_HIT holds the section's tokens where a speech verb can begin.
    """
    quoted = [(it.start, it.end) for it in direct]
    out = []
    for start, end in r.tok.sents:
        hits = every_hit[bisect_left(every_hit, start):bisect_left(every_hit, end)]
        if not hits:
            continue  # no speech verb in the sentence
        sent = Bounds(start, end)
        for v in hits:
            verb = r.is_verb(v)
            if verb is None or v in used or _inside(r.tok_starts[v], quoted):
                continue
            speaker = r.speaker_before(v, sent.start)
            if speaker is None or speaker.kind == "unnamed":
                continue
            item = (_clause_after(r, sent, v, verb, speaker)
                    or _clause_before(r, sent, v, verb, speaker))
            if item is None:
                continue
            inner = [it for it in direct + scare
                     if it.start < item.end and item.start < it.end]
            if not any(it in direct for it in inner):
                out.append(item)  # words quoted in passing leave the reported clause whole
            for it in inner:
                if it.speaker is None and item.start <= it.start:
                    it.speaker, it.verb = speaker, item.verb
                    if it in scare:
                        scare.remove(it)
                        out.append(it)
    return out


def _inside(char: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= char < e for s, e in spans)


def _clause_after(r: _Reader, sent: Bounds, v: int, verb: str, speaker: _Speaker) -> _Item | None:
    tok, words = r.tok, _vocab()["words"]
    lower, text = tok.lower, tok.text
    k = v + (2 if lower[v] == "pointed" else 1)
    if verb in words["to_listener"]:
        that = next((i for i in range(k, min(sent.end, k + 7)) if lower[i] == "that"), None)
        if that is None:
            return None
        k = that + 1
    while k < sent.end and tok.blank[k]:
        k += 1
    if k < sent.end and lower[k] in words["not_content"]:
        # "said on social media that ...": a circumstance, then the reported words
        that = next((i for i in range(k, min(sent.end, k + 7)) if lower[i] == "that"), None)
        if that is not None and not any(text[i] == "," for i in range(k, that)):
            k = that
    if verb not in words["to_listener"] and k < sent.end and lower[k] == "that":
        k += 1
    end = sent.end
    for i in range(k + 1, sent.end - 1):
        # "... would take part and that they would guard ...": the first reported clause
        if lower[i] in words["clause_joiners"] and lower[i + 1] == "that":
            end = i
            break
    marks = _vocab()["open"] | _vocab()["close"] | _vocab()["straight"]
    while end > k and (tok.blank[end - 1] or r.doc[end - 1].is_punct):
        if text[end - 1] in marks and sum(w in marks for w in text[k:end]) % 2 == 0:
            break  # the mark closes a quote opened inside the clause: keep it
        end -= 1
    if k >= end or lower[k] in words["not_content"] or end - k < 3 or r.doc[k].is_punct:
        return None
    start_char, end_char = tok.idx[k], tok.end_char(end - 1)
    value = " ".join(r.section.text[start_char:end_char].split())
    return _Item(start_char, end_char, value, "reported", verb, speaker, r.sentence_of(start_char))


def _clause_before(r: _Reader, sent: Bounds, v: int, verb: str, speaker: _Speaker) -> _Item | None:
    """'<clause>, <speaker> said [, <rest of clause>]': the speaker set off by commas."""
    tok, words = r.tok, _vocab()["words"]
    commas = [i for i in range(sent.start + 2, speaker.start) if tok.text[i] == ","]
    set_off = speaker.start - 1 in commas or tok.lower[speaker.start - 1] in {"the", "a"}
    if not commas or not set_off:
        return None
    cut = commas[0] if v - commas[0] <= int(words["attribution_max_tokens"]) else commas[-1]
    first = r.section.text[tok.idx[sent.start]:tok.idx[cut]].strip()
    if not first or first[0] in _vocab()["open"] | _vocab()["straight"]:
        return None
    end_tok = cut
    rest = ""
    if v + 1 < sent.end and tok.text[v + 1] == ",":
        stop = sent.end
        while stop > v + 2 and (tok.blank[stop - 1] or r.doc[stop - 1].is_punct):
            stop -= 1
        if stop > v + 2:
            rest = r.section.text[tok.idx[v + 2]:tok.end_char(stop - 1)]
            end_tok = stop
    start_char = tok.idx[sent.start]
    end_char = tok.end_char(end_tok - 1) if rest else tok.idx[cut]
    value = " ".join(f"{first} {rest}".split())
    return _Item(start_char, end_char, value, "reported", verb, speaker, r.sentence_of(start_char))


# ---------------------------------------------------------------- speakers in text order


def _resolve(r: _Reader, items: list[_Item]) -> list[Statement]:
    """Give every item a speaker id, carrying the last speaker to pronouns and bare quotes."""
    words = _vocab()["words"]
    last: tuple[str | None, int] = (None, -10)  # speaker id, sentence number
    out = []
    for it in items:
        sp = it.speaker
        speaker_id: str | None
        if sp is None:
            speaker_id = last[0] if it.sentence - last[1] <= 2 else _previous_subject(r, it)
        elif sp.kind == "pronoun":
            recent = it.sentence - last[1] <= 1 or (it.verb in words["continuing"] and last[0])
            speaker_id = last[0] if recent and last[0] else _last_person(r, sp.start)
        elif sp.kind == "unnamed":
            speaker_id = None
        elif sp.kind == "name":
            speaker_id = f"new:{sp.text}"
        else:
            speaker_id = _actor_id(r, sp)
        if speaker_id is not None:
            last = (speaker_id, it.sentence)
        out.append(_statement(r, it, speaker_id))
    return out


def _actor_id(r: _Reader, sp: _Speaker) -> str | None:
    if sp.office is not None:
        return resolve_office(sp.office, r.ctx) or sp.office
    actor = sp.actor
    if actor is None:
        return None
    if actor.kind == "office" and actor.mention.entity_id:
        return actor.mention.entity_id  # no holder known: the office itself speaks
    return actor.id


def _last_person(r: _Reader, tok: int) -> str | None:
    """The person named last before token ``tok``."""
    for a in reversed(r.actors):
        if a.end <= tok and a.kind == "person":
            return a.id
    return None


def _previous_subject(r: _Reader, it: _Item) -> str | None:
    """The first person named in the sentence before the item's."""
    if it.sentence == 0:
        return None
    lo = r.token_at(r.sent_starts[it.sentence - 1])
    hi = r.token_at(r.sent_starts[it.sentence])
    for a in r.actors:
        if lo <= a.start < hi and a.kind == "person":
            return a.id
    return None


def _statement(r: _Reader, it: _Item, speaker_id: str | None) -> Statement:
    sentence_start = r.sent_starts[it.sentence] if r.sent_starts else 0
    last_sentence = r.sentence_of(max(it.end - 1, it.start))
    sentence_end = (r.sent_starts[last_sentence + 1] if last_sentence + 1 < len(r.sent_starts)
                    else len(r.section.text))
    return Statement(
        kind="quote", subject=speaker_id, predicate=it.verb or "said", value=it.value,
        section=r.section.name, span=(it.start, it.end),
        sentence=r.section.text[sentence_start:sentence_end].strip(),
        extra={"mode": it.mode, "speaker_text": it.speaker.text if it.speaker else None,
               "attribution": "explicit" if it.speaker else "carried-over"},
    )
