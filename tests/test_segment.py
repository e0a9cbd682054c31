"""The plain-text page segmenter: main article first, each distinct teaser once.

Every page here was written for these tests (fictional outlets, news-style
text about blocs); none is copied from the corpus or the benchmark.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.errors import BlocwatchError
from blocwatch.ingest.model import Link
from blocwatch.ingest.segment import SegmentError, segment_text
from blocwatch.ingest.vocab import default_vocabulary

EAEU_BODY_1 = (
    "Trade ministers of the five member states of the Eurasian Economic Union met in "
    "Yerevan on Tuesday to discuss whether the bloc should study a common currency."
)
EAEU_BODY_2 = (
    "Kazakhstan and Kyrgyzstan asked for more time, while Belarus said the idea deserved "
    "a working group of central bankers before any summit takes it up."
)
EAEU_BODY_3 = (
    "The commission in Moscow will report back to the ministers in the autumn, officials "
    "said after the closed session ended late in the evening."
)
EAEU_CAPTION = "Trade ministers of the union pose for a family photo in Yerevan before the session."
GUAM_TEXT = (
    "The foreign ministers of Georgia, Ukraine, Azerbaijan and Moldova agreed on Friday "
    "to speed up work on a transit corridor linking the Black Sea and the Caspian."
)
CSTO_TEXT = (
    "Troops from four member states of the Collective Security Treaty Organisation took "
    "part in a week-long command exercise near the Afghan border, the alliance said. "
    "The drills ended with a review attended by defence ministers."
)

THINK_TANK_PAGE = f"""Does the Eurasian Economic Union need a common currency?

Published: 14 May 2023

{EAEU_BODY_1}

{EAEU_BODY_2}

photo: {EAEU_CAPTION}

{EAEU_BODY_3}

See also related content: Armenia weighs observer status in the SCO

source: eurasiawatch.example

Related articles

Editor's choice
News
GUAM foreign ministers pledge closer transport links

GUAM foreign ministers pledge closer transport links

{GUAM_TEXT}
Editor's choice
News
CSTO holds command exercise in Tajikistan

CSTO holds command exercise in Tajikistan

{CSTO_TEXT}

Popular

Editor's choice
News
CSTO holds command exercise in Tajikistan

CSTO holds command exercise in Tajikistan

{CSTO_TEXT}"""


@pytest.fixture
def think_tank():
    return segment_text(THINK_TANK_PAGE)


def test_think_tank_page_has_main_and_two_distinct_teasers(think_tank):
    assert [d.role for d in think_tank] == ["main", "teaser", "teaser"]
    assert [d.title for d in think_tank] == [
        "Does the Eurasian Economic Union need a common currency?",
        "GUAM foreign ministers pledge closer transport links",
        "CSTO holds command exercise in Tajikistan",
    ]


def test_repeated_teaser_is_stored_once_with_its_count(think_tank):
    assert [d.metadata["repeats"] for d in think_tank[1:]] == [1, 2]
    assert think_tank[2].text == CSTO_TEXT


def test_main_text_is_the_body_only(think_tank):
    main = think_tank[0]
    assert main.text == f"{EAEU_BODY_1}\n\n{EAEU_BODY_2}\n\n{EAEU_BODY_3}"
    for foreign in (GUAM_TEXT, CSTO_TEXT, EAEU_CAPTION, "photo:", "source:", "Related", "SCO"):
        assert foreign not in main.text


def test_main_keeps_caption_source_link_outlet_and_date_apart(think_tank):
    main = think_tank[0]
    assert main.metadata["captions"] == [EAEU_CAPTION]
    assert main.metadata["source_lines"] == ["source: eurasiawatch.example"]
    assert main.links == [Link(title="Armenia weighs observer status in the SCO")]
    assert main.outlet == "eurasiawatch.example"
    assert main.published == "2023-05-14"


def test_teasers_do_not_inherit_the_main_date(think_tank):
    assert [d.published for d in think_tank[1:]] == [None, None]


def test_spans_map_text_back_to_the_page(think_tank):
    for doc in think_tank:
        paragraphs = [THINK_TANK_PAGE[s:e] for s, e in doc.metadata["spans"]]
        assert "\n\n".join(paragraphs) == doc.text
    # the caption sits between body paragraphs: the main text is not one slice
    assert (think_tank[0].start, think_tank[0].end) == (None, None)
    teaser = think_tank[1]
    assert THINK_TANK_PAGE[teaser.start : teaser.end] == teaser.text


WIRE_PAGE = """Menu
World
Politics
NATO allies agree to raise air defence spending - Example Wire
Share on Facebook
Share on Twitter
NATO allies agree to raise air defence spending
By Jane Doe
Wednesday, 21 November 2018 14:35 GMT
BRUSSELS (Example Wire) - NATO defence ministers agreed on Wednesday to raise joint spending on air defence over the next three years, diplomats said.
The decision follows months of talks among the allies on how to share the cost of new radar stations along the eastern flank.
Officials said the first contracts could be signed early next year, once national parliaments approve the money.
Read more
We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.
Accept
Subscribe to our newsletter
© 2018 Example Wire. All rights reserved.
"""


def test_wire_page_keeps_byline_and_dateline_out_of_the_body():
    docs = segment_text(WIRE_PAGE, url="https://www.examplewire.example/world/nato-air-defence")
    assert len(docs) == 1
    main = docs[0]
    assert main.title == "NATO allies agree to raise air defence spending"
    assert main.author == "Jane Doe"
    assert main.published == "2018-11-21"
    assert main.outlet == "examplewire.example"
    assert main.text.startswith("BRUSSELS (Example Wire) - NATO defence ministers")
    assert main.text.endswith("once national parliaments approve the money.")
    for junk in ("Share on", "cookies", "Accept", "Subscribe", "©", "Read more", "Jane Doe"):
        assert junk not in main.text
    # three adjacent lines: the text is one slice of the page
    assert WIRE_PAGE[main.start : main.end] == main.text


MINISTRY_PAGE = """Ministry of Foreign Affairs of the Republic of Examplestan
Home
About the Ministry
Press releases
Foreign policy
Contacts
Press release
On the meeting of the CIS Council of Foreign Ministers
12.04.2024
The Minister took part in the regular meeting of the Council of Foreign Ministers of the Commonwealth of Independent States, held in Minsk.
The ministers discussed cooperation in the fight against cross-border crime and adopted a statement on the anniversary of the Commonwealth.
The next meeting of the Council will take place in Dushanbe in the autumn.
Tags: CIS, Minsk, foreign ministers
Print version
Site map
Contacts
Copyright 2024 Ministry of Foreign Affairs of the Republic of Examplestan
"""


def test_ministry_press_release_drops_menu_tags_and_footer():
    docs = segment_text(MINISTRY_PAGE, url="https://mfa.examplestan.example/press/123")
    assert len(docs) == 1
    main = docs[0]
    assert main.title == "On the meeting of the CIS Council of Foreign Ministers"
    assert main.published == "2024-04-12"
    assert main.outlet == "mfa.examplestan.example"  # no source line: the url's host
    assert main.text.startswith("The Minister took part")
    assert main.text.endswith("in Dushanbe in the autumn.")
    for junk in ("Tags:", "About the Ministry", "Site map", "Copyright", "Print version"):
        assert junk not in main.text


NO_TEASER_PAGE = """SCO summit opens with call for regional trade
By Ivan Petrov
Leaders of the Shanghai Cooperation Organisation opened their annual summit on Thursday with a call to lower trade barriers across Central Asia.
The host said the member states had agreed to study a regional development bank, an idea first raised several years ago.
"""


def test_page_without_teasers_is_one_document_without_a_date():
    docs = segment_text(NO_TEASER_PAGE)
    assert len(docs) == 1
    assert docs[0].title == "SCO summit opens with call for regional trade"
    assert docs[0].author == "Ivan Petrov"
    assert docs[0].published is None  # no dateline: the date is not guessed
    assert docs[0].text.count("\n") == 1


TEASER_WITH_OWN_DATE = f"""{NO_TEASER_PAGE}
Published: 3 July 2019

Related stories

Union State budget approved in Minsk

Union State budget approved in Minsk

2 March 2021

Lawmakers of Russia and Belarus approved the budget of the Union State for next year at a joint session, the parliamentary assembly said.
"""


def test_teaser_keeps_its_own_dateline_and_main_its_published_line():
    main, teaser = segment_text(TEASER_WITH_OWN_DATE)
    assert main.published == "2019-07-03"
    assert (teaser.title, teaser.published) == ("Union State budget approved in Minsk", "2021-03-02")


@pytest.mark.parametrize(
    "page",
    [
        "",  # empty file
        "   \n\n\t  \n",  # whitespace only
        "Home\nNews\nContacts\n",  # a menu and nothing else
        "\x00\x01\ufffd\ud800 garbage \x7f",  # binary-ish garbage, a lone surrogate
    ],
)
def test_pages_without_an_article_give_an_empty_main_document(page):
    docs = segment_text(page)
    assert [d.role for d in docs] == ["main"]
    assert docs[0].text == ""
    assert docs[0].metadata["spans"] == []


def test_one_huge_line_is_the_body():
    page = "The alliance met again. " * 20000
    main = segment_text(page)[0]
    assert main.text == page.strip()
    assert (main.start, main.end) == (0, len(page.strip()))


def test_vocabulary_is_data_a_caller_can_extend():
    # "Further coverage" is no heading the shipped vocabulary knows, and the
    # teaser headline under it is printed once: by default it is no teaser.
    page = f"{NO_TEASER_PAGE}\nFurther coverage\nGUAM ministers meet in Baku\n{GUAM_TEXT}\n"
    assert len(segment_text(page)) == 1
    vocab = default_vocabulary()
    extended = dataclasses.replace(
        vocab, teaser_headings=vocab.teaser_headings | {"further coverage"}
    )
    docs = segment_text(page, vocabulary=extended)
    assert [d.title for d in docs] == [
        "SCO summit opens with call for regional trade",
        "GUAM ministers meet in Baku",
    ]
    assert GUAM_TEXT not in docs[0].text


def test_non_text_input_is_a_blocwatch_error():
    with pytest.raises(SegmentError):
        segment_text(b"bytes are not text")  # type: ignore[arg-type]


_LINES = st.sampled_from(
    [
        "",
        "Related articles",
        "Editor's choice",
        "News",
        "photo: a caption",
        "source: example.org",
        "See also related content: X",
        "By Jane Doe",
        "Published: 12 March 2024",
        "21 November 2018",
        "NATO ministers meet in Brussels",
        "The alliance agreed on a new plan for the eastern flank, officials said today.",
        "5 comments",
        "© 2024",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=80)), max_size=40), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_segment_never_fails_and_spans_stay_inside(lines, sep):
    page = sep.join(lines)
    try:
        docs = segment_text(page)
    except BlocwatchError:
        return
    assert docs and docs[0].role == "main"
    assert all(d.role == "teaser" for d in docs[1:])
    for doc in docs:
        for start, end in doc.metadata["spans"]:
            assert 0 <= start <= end <= len(page)
            assert page[start:end] in doc.text
        if doc.start is not None:
            assert page[doc.start : doc.end] == doc.text


@pytest.mark.parametrize(
    ("first_line", "published"),
    [
        # wire dateline with the year: the document's own date line
        ("TASHKENT, June 29, 2012 (Bloc Wire) - Uzbekistan suspended its membership, "
         "officials said.", "2012-06-29"),
        # day-month order, em dash, agency in brackets
        ("MOSCOW, 21 November 2018 (Interfax) — The secretaries met in Moscow on Wednesday, "
         "officials said.", "2018-11-21"),
        # place with its country, no agency
        ("SOCHI, Russia, 7 December 2019 - The presidents met at the residence on Saturday, "
         "officials said.", "2019-12-07"),
        # no year in the dateline: the date is not guessed
        ("MOSCOW, Nov 21 (Agency) - Security chiefs met in the capital on Wednesday, "
         "officials said.", None),
        # a date inside an ordinary opening sentence is not a dateline
        ("Speaking on 21 November 2018 - the minister said the members had met on Wednesday, "
         "officials said.", None),
    ],
)
def test_wire_dateline_at_the_start_of_the_body(first_line, published):
    page = (f"Security bloc ministers meet in the capital\n\n{first_line}\n\n"
            "The talks went on late into the night, a spokesman for the hosts said.")
    assert segment_text(page)[0].published == published


def test_dateline_above_the_headline_is_the_documents_own():
    page = (
        "Ministry of Foreign Affairs\nPress releases\n23.11.2022\n\n"
        "Minister attends the session of the Council in Yerevan\n\n"
        "The Minister took part in the session of the Council of Foreign Ministers held in "
        "Yerevan on Wednesday.\n"
        "The ministers adopted a statement on regional security and agreed to meet again next year.\n"
    )
    assert segment_text(page)[0].published == "2022-11-23"


@pytest.mark.parametrize(("line", "found"), [
    ("please accept our cookies", True),   # \bcookies?\b, grouped behind one \b
    ("fortune cookiesx", False),
    ("rebar", True),                        # the other branch of "\bfoo|bar": anywhere
    ("xfoo", False),                        # "\bfoo" needs its boundary
    ("foo fighters", True),
    ("© 2024", True),                       # no \b: kept as written
])
def test_boilerplate_expressions_mean_what_they_say(line, found):
    import tomllib
    from importlib import resources

    from blocwatch.ingest.vocab import VOCAB_FILE, vocabulary_from_dict

    data = tomllib.loads(resources.files("blocwatch.ingest").joinpath(VOCAB_FILE).read_text())
    data["boilerplate"]["patterns"] = [r"\bcookies?\b", r"\bfoo|bar", "©"]
    vocab = vocabulary_from_dict(data, where="test")
    assert (vocab.boilerplate_pattern.search(line) is not None) == found
