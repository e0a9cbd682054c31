"""Events: who did what to whom, typed with PLOVER and CAMEO root codes.

A blank spaCy pipeline has no parser, so an event is read the way a coder
skims a sentence: a trigger word from ``vocab/events.toml`` ("accused",
"promised to veto", "invaded"), the nearest actor before it in its clause as
the source, the nearest actor after it as the target. Three kinds of
reference are followed because news prose leans on them:

- a relative clause whose object is the clause before it ("Baku is weighing
  a bid to join the CSTO, a move Yerevan has vowed to veto": target
  Azerbaijan, about ``accession:csto``);
- collective nouns for the members of an organisation named earlier
  ("accusing some of the member states": the organisation);
- office titles, read as the person who holds the office ("the Nato chief").

Actors (what a source or target can be) come from :mod:`blocwatch.extract.actors`,
shared with the quotes and quantities components.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from spacy.tokens import Doc

from blocwatch.extract.actors import (
    Actor,
    actors_between,
    inflect,
    load_vocab,
    party,
    section_actors,
)
from blocwatch.extract.model import Context, Mention, Section, Statement
from blocwatch.extract.tokens import Bounds, Tokens, tokens

# ---------------------------------------------------------------- triggers


@dataclass(frozen=True)
class Trigger:
    lemma: str
    plover: str
    cameo: str
    rest: tuple[str, ...]  # words that must follow the first one
    target_until: str | None
    strict: bool
    reciprocal: bool = False  # "trade blame": the coordinated sources target each other
    noun: bool = False  # the trigger is a noun phrase ("talks with"): a determiner may precede it
    target_kinds: frozenset[str] = frozenset()  # when given, the only kinds a target may be


@cache
def _triggers() -> dict[str, list[Trigger]]:
    """First word form -> triggers starting with it, longest phrase first."""
    index: dict[str, list[Trigger]] = defaultdict(list)
    for row in load_vocab("events")["trigger"]:
        words = str(row.get("phrase") or row["lemma"]).lower().split()
        trig = Trigger(row["lemma"], row["plover"], str(row["cameo"]), tuple(words[1:]),
                       row.get("target_until"), bool(row.get("strict", False)),
                       bool(row.get("reciprocal", False)), bool(row.get("noun", False)),
                       frozenset(row.get("target_kinds", ())))
        forms = (set(row["forms"]) if "forms" in row
                 else inflect(words[0]) | set(row.get("extra_forms", ())))
        for form in forms:
            index[form.lower()].append(trig)
    for trigs in index.values():
        trigs.sort(key=lambda t: -len(t.rest))
    return dict(index)


@cache
def _metonym_lowers() -> frozenset[str]:
    """The lower forms of the metonyms (the table itself is case-sensitive)."""
    return frozenset(name.lower() for name in load_vocab("events")["metonyms"])


@cache
def _words() -> dict[str, Any]:
    """The [words] table with lists turned into sets and phrase lists into tuples."""
    raw = load_vocab("events")["words"]
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value and isinstance(value[0], list):
            out[key] = [tuple(w.lower() for w in phrase) for phrase in value]
        else:
            out[key] = {w.lower() for w in value}
    return out


def _match(lower: list[str], i: int, end: int) -> tuple[Trigger, int] | None:
    """The trigger starting at token i (and the token after it), if any."""
    for trig in _triggers().get(lower[i], ()):
        j = i + 1 + len(trig.rest)
        if j <= end and all(lower[i + 1 + k] == w for k, w in enumerate(trig.rest)):
            return trig, j
    return None


# ---------------------------------------------------------------- events


@dataclass
class _Sentence:
    """One sentence being read, with what the rules around a trigger need."""

    doc: Doc
    tok: Tokens
    sent: Bounds
    actors: list[Actor]  # the whole section's, in order
    starts: list[int]
    breaks: list[int]  # token indices that end a clause, in the sentence


def find_events(section: Section, ctx: Context) -> list[Statement]:
    """Every trigger with a source actor, as an ``event`` statement."""
    tok = tokens(section)
    lower = tok.lower
    words, triggers = _words(), _triggers()
    every_hit = tok.where(triggers.keys())
    if not every_hit:
        return []  # no trigger word in the section
    actors = section_actors(section, ctx)
    actors = sorted(actors + _metonyms(section, ctx, actors, tok), key=lambda a: a.start)
    actors = [a for a in actors if not _in_compound(tok, a.end)]
    actors = sorted(actors + _pair_actors(section, ctx, actors, tok), key=lambda a: a.start)
    starts = [a.start for a in actors]
    every_break = tok.where(words["clause_breaks"])  # "-" inside a word is left out below
    out: list[Statement] = []
    for start, end in tok.sents:
        hits = every_hit[bisect_left(every_hit, start):bisect_left(every_hit, end)]
        if not hits:
            continue  # no trigger word: nothing to read in this sentence
        in_sentence = every_break[bisect_left(every_break, start):bisect_left(every_break, end)]
        breaks = [k for k in in_sentence if not _inside_word(tok, k)]
        s = _Sentence(section.doc, tok, Bounds(start, end), actors, starts, breaks)
        headline: bool | None = None  # read when first needed
        last_end = -10
        resume = start  # a trigger read goes up to here
        for i in hits:
            if i < resume:
                continue
            found = _match(lower, i, end)
            if found is None or _inside_actor(s, i) or (i > start and _in_compound(tok, i)):
                continue
            if _in_name(tok, i, start):
                if headline is None:
                    headline = _title_case(tok, start, end)
                if not headline:
                    continue
            trig, j = found
            if not trig.noun and (_is_noun_use(lower, i, start)
                                  or _is_gerund_complement(lower, i, start)):
                continue
            between = range(max(last_end, start), i)
            # "threatened to veto", "agreed on the sidelines to withdraw": the act agreed
            # or threatened is part of the first event, not one of its own
            nested = ((i - last_end <= 3 and any(lower[k] == "to" for k in between))
                      or (last_end > start and lower[i - 1] == "to"
                          and not any(last_end <= b < i for b in breaks)))
            last_end = j
            if not nested:
                out.extend(_events_at(s, trig, i, j, section, ctx))
            resume = j
    return out


def _metonyms(section: Section, ctx: Context, actors: list[Actor], tok: Tokens) -> list[Actor]:
    """Capitals and seats of government acting for their state ("the Kremlin accused
    Chisinau"), outside the names already found and not as places ("in Moscow")."""
    table = load_vocab("events")["metonyms"]
    places = _words()["place_before"]
    taken = {k for a in actors for k in range(a.start, a.end)}
    out = []
    for k in [k for k in tok.where(_metonym_lowers()) if tok.text[k] in table]:
        target = table[tok.text[k]]
        if k in taken or target not in ctx.gazetteer.entities:
            continue
        if k > 0 and tok.lower[k - 1] in places:
            continue
        if k + 1 < len(tok.text) and tok.text[k + 1] == "-" and not tok.space[k]:
            continue  # "Moscow-led": part of a compound word
        kind = ctx.gazetteer.entities[target].kind
        m = Mention(section.name, tok.idx[k], tok.end_char(k), tok.text[k], target, kind,
                    "metonym")
        out.append(Actor(target, kind, k, k + 1, m))
    return out


def _pair_actors(section: Section, ctx: Context, actors: list[Actor],
                 tok: Tokens) -> list[Actor]:
    """'Both countries', 'the two sides': the last two states named as a pair before
    ("Moldova and Ukraine", "the Kyrgyz and Tajik presidents"), as two actors over
    the phrase, so that they can act or be acted on like the names themselves."""
    lower = tok.lower
    phrases = _words()["pair_nouns"]
    ends = tok.where({p[-1] for p in phrases})  # where a phrase can end
    written: dict[int, tuple[str, ...]] = {}  # start token -> the first listed phrase written there
    for phrase in phrases:
        for e in ends:
            k = e + 1 - len(phrase)
            if k >= 0 and k not in written and tuple(lower[k:e + 1]) == phrase:
                written[k] = phrase
    out: list[Actor] = []
    for k in sorted(written):
        phrase = written[k]
        pair = _last_pair(section, ctx, [a for a in actors if a.end <= k], tok)
        if pair is None:
            continue
        end = k + len(phrase)
        for state in pair:
            kind = ctx.gazetteer.entities[state].kind
            m = Mention(section.name, tok.idx[k], tok.end_char(end - 1),
                        tok.span_text(k, end), state, kind, "pair")
            out.append(Actor(state, kind, k, end, m))
    return out


def _last_pair(section: Section, ctx: Context, before: list[Actor],
               tok: Tokens) -> tuple[str, str] | None:
    """The states of the last two actors joined by 'and' in ``before``, if two states."""
    for n in range(len(before) - 1, 0, -1):
        first, second = before[n - 1], before[n]
        if not _joined(tok, first.end, second.start):
            continue
        ids = (party(first, ctx, section.doc), party(second, ctx, section.doc))
        entities = ctx.gazetteer.entities
        if ids[0] != ids[1] and all(x in entities and entities[x].kind == "state" for x in ids):
            return ids
        return None
    return None


def _joined(tok: Tokens, lo: int, hi: int) -> bool:
    """Do tokens [lo, hi) join two actors: 'and' or commas alone, or 'and' and the
    title of the second name ("Japarov and Tajik President Emomali Rahmon")?"""
    gap = tok.lower[lo:hi]
    if not gap or gap[0] not in {"and", ",", "or", "&"}:
        return False
    if all(w in {"and", ",", "or", "&"} for w in gap):
        return True
    roles = _words()["role_nouns"]
    rest = range(lo + 1, hi)
    return len(rest) <= 4 and all(tok.text[k][:1].isupper() or tok.lower[k] in roles
                                  for k in rest)


def _title_case(tok: Tokens, start: int, end: int) -> bool:
    """Is the sentence a headline in title case (most words capitalised)?"""
    words = [t for t in tok.text[start:end] if t[:1].isalpha()]
    return len(words) >= 3 and sum(t[0].isupper() for t in words) * 3 >= len(words) * 2


def _in_name(tok: Tokens, i: int, start: int) -> bool:
    """A capitalised trigger inside a sentence, after another capitalised word, is part
    of a name ("the Resolute Support mission"), not an event."""
    return (i > start and tok.text[i][:1].isupper()
            and tok.text[i - 1][:1].isupper() and tok.text[i - 1][:1].isalpha())


def _inside_actor(s: _Sentence, i: int) -> bool:
    return any(a.start <= i < a.end for a in actors_between(s.actors, s.starts, i - 8, i + 1))


def _in_compound(tok: Tokens, k: int) -> bool:
    """Is token k joined by a hyphen to the word before or after it ("Russian-led",
    "China-backed")? Such a word modifies a noun: it neither acts nor is an event."""
    text, space = tok.text, tok.space
    after = k < len(text) and text[k] == "-" and not space[k - 1] and not space[k]
    before = k >= 2 and text[k - 1] == "-" and not space[k - 1] and not space[k - 2]
    return after or before


def _is_gerund_complement(lower: list[str], i: int, lo: int) -> bool:
    """'accused Baku of shelling villages', 'criticised for attacking': the charge of
    another event, not an event of its own."""
    return (i - 1 >= lo and lower[i].endswith("ing")
            and lower[i - 1] in _words()["gerund_heads"])


def _is_noun_use(lower: list[str], i: int, lo: int) -> bool:
    """'an attack', 'the threat', 'under attack': a determiner right before the trigger
    word, or a determiner or possessive and one adjective ("Russia's continuing attacks")."""
    words = _words()
    if i - 1 >= lo and lower[i - 1] in words["determiners"]:
        return True
    return (i - 2 >= lo and (lower[i - 2] in words["determiners"]
                             or lower[i - 2] in {"'s", "’s"})
            and lower[i - 1].endswith(tuple(words["adjective_endings"])))


def _clause(s: _Sentence, i: int, j: int) -> tuple[int, int]:
    """Token bounds of the clause around tokens [i, j)."""
    left = max((b + 1 for b in s.breaks if b < i), default=s.sent.start)
    right = min((b for b in s.breaks if b >= j), default=s.sent.end)
    return left, right


def _events_at(s: _Sentence, trig: Trigger, i: int, j: int, section: Section,
               ctx: Context) -> list[Statement]:
    doc, lower, words = s.doc, s.tok.lower, _words()
    left, right = _clause(s, i, j)
    sources = (trig.noun and _possessor(s, i, left)) or _sources(s, i, left)
    targets, about = _targets(s, trig, i, j, left, right)
    close = False  # a passive's agent right after the trigger
    if _is_passive(lower, i, left):
        # "was attacked by Russia": the agent acts; with no agent, who acted is not said
        agents = _agent(s, j, right)
        if not agents:
            return []
        sources, targets = agents, sources
        close = agents[0].start - j <= 3  # "was blocked by Hungary": an actor right after
    if trig.target_kinds:
        targets = [t for t in targets if t.kind in trig.target_kinds]
    if any(t.mention.how == "pair" for t in targets):
        # "X and Y agreed on a pact between the two countries": the pair is the sources
        ids = {a.id for a in sources}
        targets = [t for t in targets if t.mention.how != "pair" or t.id not in ids]
    if not sources:
        return []
    if trig.strict and not (close or any(t.start - j <= 3 for t in targets)):
        return []
    if trig.noun and not targets:
        return []  # "talks with the Palestinians": the other side is no actor we know
    before = lower[max(left, i - 3):i]
    negated = any(w in words["negators"] for w in before)
    wider = lower[max(left, i - 4):i]  # "will not hold any talks"
    modality = ("possible" if any(w in words["possible"] for w in wider)
                else "intended" if any(w in words["intended"] for w in wider) else None)
    if modality and trig.plover == "REJECT" and not negated:
        # "Armenia would block any attempt ...": a rejection announced is a threat
        trig = replace(trig, plover="THREATEN", cameo="13")
    elif modality == "intended" and negated and trig.plover.lower() in words["refusable"]:
        # "Ukraine will not hold talks with Russia": a refusal, not a talk negated
        trig, negated = replace(trig, plover="REJECT", cameo="12"), False
    trigger_span = (s.tok.idx[i], s.tok.end_char(j - 1))
    reciprocal = not targets and len(sources) > 1 and (
        trig.reciprocal or _has_phrase(lower, j, min(j + 3, right), words["reciprocals"])
        or trig.plover.lower() in words["reciprocal_types"])
    # "Both countries agreed to ...", "the two presidents agreed": the first named with the
    # other. Two states named anew ("Jordan and Britain agreed to ...") are left without
    # a target, as the PLOVER coders do.
    leading = (not targets and not reciprocal and len(sources) > 1
               and trig.plover.lower() in words["leading_types"]
               and all(a.mention.how == "pair" or a.kind == "person" for a in sources))
    if leading:
        sources, targets = sources[:1], sources[1:]
    out = []
    for src in sources:
        self_target = trig.plover.lower() in words["self_target"] and src.kind == "state"
        own: list[Actor | None] = [src] if self_target else [None]
        if reciprocal:  # "Kyrgyzstan and Tajikistan accused each other": one way each
            own = [a for a in sources if a is not src]
        src_about = about
        if about is None and src.kind == "organisation" and lower[i - 1] in words["accession"]:
            src_about = f"accession:{src.id}"  # "the EU opened accession talks with ..."
        for tgt in (list(targets) or own):
            if tgt is not None and tgt.id == src.id and tgt is not src:
                continue
            first = min([src.start, i] + ([tgt.start] if tgt else []))
            last = max([src.end, j] + ([tgt.end] if tgt else []))
            extra: dict[str, Any] = {"about": src_about, "trigger": s.tok.span_text(i, j),
                                     "trigger_span": trigger_span}
            if modality:
                extra["modality"] = modality
            if src.state:
                extra["source_state"] = src.state
            if tgt is not None and tgt.state:
                extra["target_state"] = tgt.state
            subject = party(src, ctx, doc)
            target = party(tgt, ctx, doc) if tgt is not None else None
            if target == subject and tgt is not src:
                continue
            if subject != src.id:
                extra["source_actor"] = src.id
            if tgt is not None and target != tgt.id:
                extra["target_actor"] = tgt.id
            out.append(Statement(
                kind="event", subject=subject, predicate=trig.lemma,
                object=target, negated=negated, plover=trig.plover,
                cameo=trig.cameo, section=section.name,
                span=(s.tok.idx[first], s.tok.end_char(last - 1)),
                sentence=s.tok.span_text(s.sent.start, s.sent.end), extra=extra,
            ))
    return out


def _sources(s: _Sentence, i: int, left: int) -> list[Actor]:
    """The nearest actor before the trigger (in its clause, else earlier in the sentence),
    with the actors coordinated with it ("Hungary and Romania agreed")."""
    skip = _words()["source_skip_before"]
    lower = s.tok.lower
    strong = {k for k in s.breaks if lower[k] not in {",", "(", ")"}}
    lo = max((b + 1 for b in strong if b < i), default=s.sent.start)
    pool = actors_between(s.actors, s.starts, s.sent.start, i)
    clause = [a for a in actors_between(s.actors, s.starts, left, i)
              if lower[a.start - 1] not in skip and not _in_complement(s, a)]
    if not clause:
        anaphor = next((k for k in range(left, i - 1) if _org_anaphor(s.tok, k, i)), None)
        if anaphor is not None:  # "the Russian-led alliance has deployed": the bloc before
            org = _previous_organisation(s, anaphor)
            return [org] if org is not None else []
    for lo_bound in (left, lo):
        before = actors_between(s.actors, s.starts, lo_bound, i)
        usable = [a for a in before
                  if (a.start == s.sent.start or lower[a.start - 1] not in skip)
                  and not _in_complement(s, a)]
        if usable:
            return _coordinated(s, pool, usable[-1], backwards=True)
    return _speaker_of_pronoun(s, left)


def _possessor(s: _Sentence, i: int, left: int) -> list[Actor]:
    """"Russia's full-scale invasion of": the actor whose possessive comes shortly
    before a noun trigger acts."""
    lower = s.tok.lower
    for k in range(i - 1, max(left, i - 5) - 1, -1):
        if lower[k] in {"'s", "’s"}:
            owner = [a for a in actors_between(s.actors, s.starts, k - 8, k) if a.end == k]
            return owner[-1:]
    return []


def _speaker_of_pronoun(s: _Sentence, left: int) -> list[Actor]:
    """'The CSTO said it would send ...': 'it' is the actor who said so."""
    lower, words = s.tok.lower, _words()
    if not s.sent.start < left < s.sent.end or lower[left - 1] not in words["speech_breaks"]:
        return []
    # "said it would", "said on Thursday it would": a short circumstance may come between
    if not any(lower[k] in words["subject_pronouns"]
               for k in range(left, min(left + 4, s.sent.end))):
        return []
    said = left - 1
    before = actors_between(s.actors, s.starts, s.sent.start, said)
    before = [a for a in before if said - a.end <= 1]
    return before[-1:]


def _in_complement(s: _Sentence, actor: Actor) -> bool:
    """'the sovereignty of Ukraine', 'the summit of the SCO': a name after 'of' is not
    the one acting, unless the noun before it is one that acts for it ('the government
    of Armenia', 'the presidents of Russia and Belarus')."""
    lower, words = s.tok.lower, _words()
    k = actor.start - 1
    while k > s.sent.start and (lower[k] in {"the", "and", ","} or _actor_ending(s, k)):
        k -= 1  # back over "the" and earlier names of a list ("of Russia and Belarus")
    if k <= s.sent.start or lower[k] != "of":
        return False
    if lower[k - 1] not in words["agent_heads"]:
        return True
    # "Both countries are members of GUAM": after a copula the name is not the subject
    return any(w in words["copulas"] for w in lower[max(s.sent.start, k - 4):k - 1])


def _actor_ending(s: _Sentence, k: int) -> bool:
    """Does an actor end at token k (inclusive)?"""
    return any(a.end == k + 1 for a in actors_between(s.actors, s.starts, k - 8, k + 1))


def _coordinated(s: _Sentence, pool: list[Actor], head: Actor, *, backwards: bool) -> list[Actor]:
    """``head`` and the actors joined to it by 'and' or commas alone (or by 'and' and a
    title: "Japarov and Tajik President Emomali Rahmon"), in text order."""
    group, lower = [head], s.tok.lower
    edge = head  # the actor the next gap is measured from
    ordered = pool[::-1] if backwards else pool
    for other in ordered[ordered.index(head) + 1:]:
        if other.start == edge.start and other.end == edge.end:
            group.append(other)  # the two states of "both countries"
            continue
        lo, hi = (other.end, edge.start) if backwards else (edge.end, other.start)
        if other.id == edge.id and lo == hi:
            edge = other  # "Tajik President" + "Emomali Rahmon": one actor written twice
            continue
        if _joined(s.tok, lo, hi) and (lower[lo] != "," or all(
                w in {"and", ",", "or", "&"} for w in lower[lo:hi])):
            group.append(other)
            edge = other
        else:
            break
    return group[::-1] if backwards else group


def _targets(s: _Sentence, trig: Trigger, i: int, j: int, left: int,
             right: int) -> tuple[list[Actor], str | None]:
    """The target(s) after the trigger, and what the event is about."""
    lower, words = s.tok.lower, _words()
    limit = right
    if trig.target_until:
        limit = next((k for k in range(j, right) if lower[k] == trig.target_until
                      and lower[k - 1] not in words["partitives"]), right)
    about = _accession(s, j, right)
    after = [a for a in actors_between(s.actors, s.starts, j, limit)
             if about is None or a.id != about.split(":", 1)[1]]
    if after:
        return _coordinated(s, after, after[0], backwards=False), about
    if _has_phrase(lower, j, limit, words["member_nouns"]) or _org_anaphor(s.tok, j, limit):
        org = _previous_organisation(s, i)
        return ([org] if org else []), about
    antecedent = _antecedent(s, i, j, left)
    if antecedent is None:
        return [], about
    lo, hi = antecedent
    about = about or _accession(s, lo, hi)
    exclude = about.split(":", 1)[1] if about else None
    candidates = [a for a in actors_between(s.actors, s.starts, lo, hi) if a.id != exclude]
    sources = {a.id for a in _sources(s, i, left)}
    candidates = [a for a in candidates if a.id not in sources]
    return candidates[:1], about


def _antecedent(s: _Sentence, i: int, j: int, left: int) -> tuple[int, int] | None:
    """Tokens of the clause a relative or pronoun object refers back to."""
    lower, words = s.tok.lower, _words()
    opener = any(tuple(lower[left:left + len(p)]) == p for p in words["relative_openers"])
    pronoun = j < s.sent.end and lower[j] in words["anaphoric_objects"]
    if not (opener or pronoun):
        return None
    if left > s.sent.start:
        hi = left - 1
        lo = max((b + 1 for b in s.breaks if b < hi and lower[b] != ","),
                 default=s.sent.start)
        return lo, hi
    prev = s.sent.start - 1
    if prev < 0:
        return None
    sents = s.tok.sents  # the sentence holding token prev
    return sents[bisect_right(sents, (prev, len(lower))) - 1]


def _inside_word(tok: Tokens, k: int) -> bool:
    """A hyphen joining two words ("non-member") breaks no clause."""
    return tok.text[k] == "-" and k > 0 and not tok.space[k - 1] and not tok.space[k]


def _accession(s: _Sentence, lo: int, hi: int) -> str | None:
    """'joining the CSTO', 'accession to the CSTO', 'CSTO membership' -> accession:csto."""
    lower, words = s.tok.lower, _words()
    orgs = [a for a in actors_between(s.actors, s.starts, max(lo - 3, 0), hi + 4)
            if a.kind in {"organisation", "body"}]
    for k in range(lo, hi):
        if lower[k] not in words["accession"]:
            continue
        for org in orgs:
            if k < org.start <= k + 4 or 0 <= k - org.end <= 1:
                return f"accession:{org.id}"
        # "joining the alliance": the organisation named before it
        for n in range(k + 1, min(k + 5, len(lower))):
            if lower[n] in words["org_anaphora"] and lower[n - 1] in ("the", "this"):
                org = _previous_organisation(s, n)
                if org is not None:
                    return f"accession:{org.id}"
                break
    return None


def _org_anaphor(tok: Tokens, j: int, limit: int) -> bool:
    """'accused the organisation of ...', 'the Russian-led alliance': the bloc named
    before (a determiner, at most one hyphenated modifier, the noun)."""
    words, lower = _words(), tok.lower
    if not (j + 1 < limit and lower[j] in {"the", "this"}):
        return False
    k = j + 1
    if k + 3 < limit and tok.text[k + 1] == "-" and not tok.space[k]:
        k += 3  # "the Moscow-led bloc"
    return k < limit and lower[k] in words["org_anaphora"]


def _has_phrase(lower: list[str], lo: int, hi: int, phrases: list[tuple[str, ...]]) -> bool:
    """Is one of PHRASES written within tokens [lo, hi)?"""
    lowers = lower[lo:hi]
    firsts = {p[0] for p in phrases}
    for k in range(len(lowers)):
        if lowers[k] not in firsts:
            continue
        for p in phrases:
            if k + len(p) <= len(lowers) and tuple(lowers[k:k + len(p)]) == p:
                return True
    return False


def _previous_organisation(s: _Sentence, i: int) -> Actor | None:
    """The organisation named last before token i in the section."""
    k = bisect_left(s.starts, i) - 1
    while k >= 0:
        if s.actors[k].kind in {"organisation"}:
            return s.actors[k]
        k -= 1
    return None


def _is_passive(lower: list[str], i: int, left: int) -> bool:
    """'was attacked', 'were accused': an auxiliary of the passive before an -ed form."""
    if not lower[i].endswith(("ed", "en", "wn")):
        return False
    aux = _words()["passive_aux"]
    return any(lower[k] in aux for k in range(max(left, i - 2), i))


def _agent(s: _Sentence, j: int, right: int) -> list[Actor]:
    """The actor after 'by' in a passive clause, with those coordinated with it."""
    for k in range(j, min(right, j + 4)):
        if s.tok.lower[k] == "by":
            after = actors_between(s.actors, s.starts, k + 1, right)
            if not after or after[0].start > k + 5:
                return []
            return _coordinated(s, after, after[0], backwards=False)
    return []
