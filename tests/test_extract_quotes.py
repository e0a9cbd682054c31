"""Quotes: direct and reported speech with their speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocwatch.extract.model import Mention
from blocwatch.extract.quotes import find_quotes, pair_quotes
from blocwatch.ingest.model import Document

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PAGE = SHARED / "corpus" / "commonspace-cis-csto.txt"


def quotes(extractor, text: str, *, title: str | None = None, published: str | None = None,
           persons: tuple[tuple[str, str, str | None], ...] = ()):
    """find_quotes over every section; ``persons`` adds (name, id, office) person mentions."""
    ctx = extractor.context(Document(role="main", text=text, title=title, published=published))
    for name, pid, office in persons:
        start = text.index(name)
        ctx.mentions.append(Mention("body", start, start + len(name), name, pid, "person",
                                    how="role", office=office))
    return [st for s in ctx.sections for st in find_quotes(s, ctx)]


def key(st):
    return (st.subject, st.predicate, st.extra["mode"], st.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        # speaker and verb after the quote, curly marks
        ("“The alliance is ready,” Mark Rutte said.",
         [("mark-rutte", "said", "direct", "The alliance is ready")]),
        # verb before the speaker, straight marks
        ('"Talks will continue," said Josep Borrell.',
         [("josep-borrell", "said", "direct", "Talks will continue")]),
        # speaker before the quote, with a colon
        ('Vladimir Putin said: "Russia has no such plans."',
         [("vladimir-putin", "said", "direct", "Russia has no such plans.")]),
        # "he added": the last speaker
        ('Mark Rutte spoke in Brussels. "We stand together," he added.',
         [("mark-rutte", "added", "direct", "We stand together")]),
        # an unattributed quote right after another continues its speaker
        ('"We must act," Mark Rutte said. "Time is short."',
         [("mark-rutte", "said", "direct", "We must act"),
          ("mark-rutte", "said", "direct", "Time is short.")]),
        # a quote that opens while another is open closes the first one
        ('Mark Rutte feared "allies are too slow. "We need more," Rutte said.',
         [("mark-rutte", "feared", "direct", "allies are too slow."),
          ("mark-rutte", "said", "direct", "We need more")]),
        # a quote running over two paragraphs: the second opens with a mark, the first never closes
        ('"The first part goes on\n\n"and the second ends it," Vladimir Putin said.',
         [("vladimir-putin", "said", "direct", "The first part goes on and the second ends it")]),
        # a quote never closed at the end of the text, speaker named in the sentence before
        ("Josep Borrell spoke to the deputies. “There is no alternative to talks.",
         [("josep-borrell", "said", "direct", "There is no alternative to talks.")]),
        # reported speech: the clause after the verb
        ("Vladimir Putin said his country would not attack Europe.",
         [("vladimir-putin", "said", "reported", "his country would not attack Europe")]),
        ("Josep Borrell underlined that the European Union will stay engaged.",
         [("josep-borrell", "underlined", "reported", "the European Union will stay engaged")]),
        # reported speech with the speaker inserted between commas
        ("Mark Rutte spoke on Monday. Helping Ukraine, he added, was a duty.",
         [("mark-rutte", "added", "reported", "Helping Ukraine was a duty")]),
        # "Nato's secretary-general": the person the document names who held that office
        ("Mark Rutte met ministers. The plan has failed, Nato's secretary-general said.",
         [("mark-rutte", "said", "reported", "The plan has failed")]),
        # a scare quote is not a quote
        ('Russia is "next door" to Europe.', []),
        # an unnamed speaker is kept, without an id
        ('"It is over," a spokesman said.', [(None, "said", "direct", "It is over")]),
        # a circumstance after the verb is not reported speech
        ("Mark Rutte said in Berlin on Friday.", []),
    ],
)
def test_quotes(extractor, text, expected):
    assert [key(st) for st in quotes(extractor, text)] == expected


def test_office_title_is_the_person_the_document_names(extractor):
    # the persons component ties "Ivan Petrov" to the office; "the Nato chief" is then him
    text = 'Ivan Petrov took over. "Spending must rise," the Nato chief said.'
    petrov = ("Ivan Petrov", "new:Ivan Petrov", "nato-secretary-general")
    [st] = quotes(extractor, text, persons=(petrov,))
    assert (st.subject, st.extra["speaker_text"]) == ("new:Ivan Petrov", "Nato chief")


def test_office_title_resolved_by_date(extractor):
    # nobody named: the holder at the document's date
    [st] = quotes(extractor, '"Spending must rise," the Nato chief said.', published="2025-03-01")
    assert st.subject == "mark-rutte"


def test_headline_reported_speech(extractor):
    [st] = quotes(extractor, "Mark Rutte spoke.", title="Nato chief says war is close")
    assert (st.subject, st.section, st.value, st.extra["mode"]) == (
        "mark-rutte", "title", "war is close", "reported")


def test_span_and_sentence(extractor):
    text = "Earlier, “The alliance is ready,” Mark Rutte said. Then he left."
    [st] = quotes(extractor, text)
    assert text[st.span[0]:st.span[1]] == "The alliance is ready"
    assert st.sentence == "Earlier, “The alliance is ready,” Mark Rutte said."
    assert st.extra["speaker_text"] == "Mark Rutte"


@pytest.mark.parametrize("text", ['"', "”", '"""', "“ ” “", "", "He said.", "« Oui »",
                                  '„Ja“ sagte er.', '"\n\n"\n\n"', "said said said"])
def test_odd_marks_never_raise(extractor, text):
    assert isinstance(quotes(extractor, text), list)
    assert isinstance(pair_quotes(text), list)


@pytest.mark.skipif(not PAGE.exists(), reason="reference page not available")
def test_reference_page_nato_teaser(extractor):
    from blocwatch.ingest.segment import segment_text

    docs = segment_text(PAGE.read_text(encoding="utf-8"))
    teaser = next(d for d in docs if d.title and "NATO" in d.title)
    ctx = extractor.context(teaser)
    found = [st for s in ctx.sections for st in find_quotes(s, ctx)]
    rutte = [st for st in found if st.subject == "mark-rutte"]
    assert len([st for st in rutte if st.extra["mode"] == "direct"]) >= 5
    assert {"added", "warned", "said"} <= {st.predicate for st in rutte}
    assert any(st.extra["speaker_text"] == "Nato chief" for st in rutte)
    putin = [st for st in found if st.subject == "vladimir-putin"]
    reported = [st for st in putin if st.extra["mode"] == "reported"]
    assert len(reported) == 1 and reported[0].value.startswith("his country was not planning")
    # the words quoted inside his reported clause are his, word for word
    assert [st.value for st in putin if st.extra["mode"] == "direct"] == ["right now"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a title between the quote and the name: the name still speaks
        ('"We will not turn back," President Maia Sandu said in a speech.',
         [("maia-sandu", "said", "direct", "We will not turn back")]),
        ('"Talks go on," EU foreign policy chief Josep Borrell told reporters.',
         [("josep-borrell", "told", "direct", "Talks go on")]),
        # a speaker the reference base does not know, after the verb, then an apposition
        ('"The bloc is drifting," said Arman Sultanov, an analyst in Almaty.',
         [("new:Arman Sultanov", "said", "direct", "The bloc is drifting")]),
        # ... and before the verb, with the quote inside a reported clause
        ('Ruslan Temirov insisted that the summit "opened a new page for the whole region".',
         [("new:Ruslan Temirov", "insisted", "direct", "opened a new page for the whole region")]),
        # words quoted in passing inside reported speech are the speaker's words too
        ('Josep Borrell said the decision was "a turning point" for the continent.',
         [("josep-borrell", "said", "reported", 'the decision was "a turning point" for the continent'),
          ("josep-borrell", "said", "direct", "a turning point")]),
        # an aside set off by commas between the speaker and the verb
        ('Vladimir Putin, speaking at a forum in the east last week, said the West '
         'was "losing its nerve".',
         [("vladimir-putin", "said", "direct", "losing its nerve"),
          ("vladimir-putin", "said", "reported", 'the West was "losing its nerve"')]),
        # a circumstance before "that"; the second reported clause is cut off
        ("Mark Rutte said on Monday that allies would spend more and that talks would go on.",
         [("mark-rutte", "said", "reported", "allies would spend more")]),
        # a capitalised institution is not a new person
        ("The Kremlin Press Service said the talks would resume in spring.", []),
    ],
)
def test_speakers_named_with_titles_and_new_names(extractor, text, expected):
    assert sorted(key(st) for st in quotes(extractor, text)) == sorted(expected)
