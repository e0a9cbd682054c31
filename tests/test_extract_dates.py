"""Dates: expressions resolved against the document date, year inference, the date range."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocwatch.extract import dates
from blocwatch.extract.model import Context, DateMention, Mention, Section
from blocwatch.ingest.model import Document


def make_ctx(extractor, text: str, published: str | None = None, title: str | None = None,
             captions: list[str] | None = None) -> Context:
    doc = Document(role="main", text=text, title=title, published=published,
                   metadata={"captions": captions or []})
    return extractor.context(doc)


def link(ctx: Context, name: str, person: str, office: str | None, role: str | None = None,
         section: str = "body") -> None:
    """What the persons component does: a person mention, with the office its role names."""
    sec = next(s for s in ctx.sections if s.name == section)
    start = max(sec.text.find(name), 0)
    ctx.mentions.append(Mention(section, start, start + len(name), name, person, "person",
                                how="role" if office else "alias", role=role, office=office))


def run(ctx: Context) -> list[DateMention]:
    """The order the pipeline uses: range first, then dates section by section."""
    ctx.date_range = dates.date_range(ctx)
    for section in ctx.sections:
        ctx.dates.extend(dates.find_dates(section, ctx))
    return ctx.dates


def only(found: list[DateMention], text: str) -> DateMention:
    hits = [d for d in found if d.text == text]
    assert len(hits) == 1, [d.text for d in found]
    return hits[0]


# ---------------------------------------------------------------- expressions x document dates


@pytest.mark.parametrize(
    "sentence, published, expression, expected, basis",
    [
        # absolute dates in the usual spellings
        ("The summit opened on 21 November 2018 in Minsk.", None, "21 November 2018", "2018-11-21", "explicit"),
        ("The summit opened on November 21, 2018 in Minsk.", None, "November 21, 2018", "2018-11-21", "explicit"),
        ("The decree of 21.11.2018 was published.", None, "21.11.2018", "2018-11-21", "explicit"),
        ("The log entry 2018-11-21 was kept.", None, "2018-11-21", "2018-11-21", "explicit"),
        ("Talks ended on the 3rd of March 2016.", None, "3rd of March 2016", "2016-03-03", "explicit"),
        ("It was signed on Nov. 5, 2019, in Bishkek.", None, "Nov. 5, 2019", "2019-11-05", "explicit"),
        # month and year precision: "2017" is not 2017-01-01
        ("The ministers met in 2017 in Dushanbe.", None, "in 2017", "2017", "explicit"),
        ("Turkmenistan has been an associate since 2005.", None, "since 2005", "2005", "explicit"),
        ("The envoys met in November 2018 in Baku.", None, "November 2018", "2018-11", "explicit"),
        ("Production doubled by mid-2019, officials said.", None, "mid-2019", "2019", "explicit"),
        # a weekday that does not fit the year written: keep the date, say so
        ("They met on Tuesday, 21 November 2018.", None, "Tuesday, 21 November 2018", "2018-11-21",
         "explicit+weekday-mismatch"),
        # year missing: the document date gives it
        ("They met in Moscow on Wednesday, 21 November.", "2018-11-22", "Wednesday, 21 November",
         "2018-11-21", "document-date"),
        ("The talks of 28 December went nowhere.", "2019-01-03", "28 December", "2018-12-28",
         "document-date"),  # across the new year: the nearer December
        ("The vote is planned in March.", "2021-02-10", "in March", "2021-03", "document-date"),
        # a year-less date leans to the past: 5 May 2018 (201 days back), not 2019 (164 ahead)
        ("The meeting of 5 May changed little.", "2018-11-22", "5 May", "2018-05-05", "document-date"),
        # ... unless the sentence speaks of the future
        ("The next round will open on 5 May.", "2018-11-22", "5 May", "2019-05-05", "document-date"),
        ("The summit on 30 November is key.", "2018-11-22", "30 November", "2018-11-30",
         "document-date"),  # a week ahead beats a year back
        # relative expressions count from the document date
        ("Earlier this month the council met.", "2025-12-04", "Earlier this month", "2025-12", "relative"),
        ("Last year the bloc grew.", "2018-11-22", "Last year", "2017", "relative"),
        ("This year the bloc grew.", "2018-11-22", "This year", "2018", "relative"),
        ("The summit is due next month.", "2018-11-22", "next month", "2018-12", "relative"),
        ("The summit is due next month.", "2018-12-10", "next month", "2019-01", "relative"),  # year rolls
        ("The minister resigned yesterday.", "2018-11-22", "yesterday", "2018-11-21", "relative"),
        ("The treaty was signed two years ago.", "2018-11-22", "two years ago", "2016", "relative"),
        ("The treaty was signed 3 days ago.", "2018-11-22", "3 days ago", "2018-11-19", "relative"),
        ("The envoy arrived last week.", "2018-11-22", "last week", "2018-11", "relative"),  # 12-18 Nov
        ("The envoy arrived last week.", "2018-12-05", "last week", "2018", "relative"),  # 26 Nov-2 Dec
        ("The envoy arrived on Tuesday.", "2018-11-22", "on Tuesday", "2018-11-20", "relative"),
        ("The envoy arrived on Thursday.", "2018-11-22", "on Thursday", "2018-11-22", "relative"),  # same day
        ("The envoy will arrive on Tuesday.", "2018-11-22", "on Tuesday", "2018-11-27", "relative"),  # future
        ("The envoy left last Thursday.", "2018-11-22", "last Thursday", "2018-11-15", "relative"),
        ("The envoy leaves next Monday.", "2018-11-22", "next Monday", "2018-11-26", "relative"),
        # a published date known only to the year still anchors year-level phrases
        ("Last year the bloc grew.", "2018", "Last year", "2017", "relative"),
    ],
)
def test_expression_resolved(extractor, sentence, published, expression, expected, basis):
    found = run(make_ctx(extractor, sentence, published))
    d = only(found, expression)
    assert (str(d.date), d.basis) == (expected, basis)


@pytest.mark.parametrize(
    "sentence, published",
    [
        ("The minister resigned yesterday.", "2018"),  # year-precise document date: which day?
        ("The envoy arrived on Tuesday.", "2018-11"),  # which Tuesday of November?
    ],
)
def test_relative_too_fine_for_the_document_date_is_unresolved(extractor, sentence, published):
    (d,) = run(make_ctx(extractor, sentence, published))
    assert d.date is None and d.basis == "unresolved"


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia may respond, the minister said.",  # "may" the verb
        "The plan says 200,000 troops are ready.",  # a number, not a year
        "Aid reached more than 2000 villages.",  # no trigger word before the number
        "Aid reached villages in 1500 districts.",  # a trigger, but no plausible year
        "The CSTO held its 2022 drills.",  # a bare year with no trigger is not picked up
        "",  # empty text
    ],
)
def test_not_dates(extractor, sentence):
    assert run(make_ctx(extractor, sentence, "2018-11-22")) == []


def test_spans_point_into_their_section(extractor):
    ctx = make_ctx(extractor, "On 21 November 2018 they met; last year they did not.", "2018-11-22",
                   title="Talks of 5 May 2018", captions=["photo: the meeting of 21.11.2018"])
    found = run(ctx)
    texts = {s.name: s.text for s in ctx.sections}
    assert {d.section for d in found} == {"title", "body", "caption:0"}
    for d in found:
        assert texts[d.section][d.start:d.end] == d.text


# ---------------------------------------------------------------- invalid dates


@pytest.mark.parametrize(
    "sentence, expression, published",
    [
        ("The deal of 31 February was void.", "31 February", None),  # no such day in any year
        ("The deal of 31 February was void.", "31 February", "2018-11-22"),
        ("The deal of 30 February 2019 was void.", "30 February 2019", None),
        ("The deal of 29 February 2019 was void.", "29 February 2019", None),  # not a leap year
        ("The deal of 31.04.2019 was void.", "31.04.2019", None),
        ("The deal of 2019-13-01 was void.", "2019-13-01", None),  # no month 13
        ("The deal of 31 November was void.", "31 November", "2018-11-22"),
    ],
)
def test_invalid_dates(extractor, sentence, expression, published):
    d = only(run(make_ctx(extractor, sentence, published)), expression)
    assert d.date is None and d.basis == "invalid"


def test_leap_day_is_valid_in_a_leap_year(extractor):
    d = only(run(make_ctx(extractor, "Signed on 29 February 2020.")), "29 February 2020")
    assert (str(d.date), d.basis) == ("2020-02-29", "explicit")


# ---------------------------------------------------------------- relative dates, no document date


@pytest.mark.parametrize(
    "sentence, expression",
    [
        ("Earlier this month, the president said his country was ready.", "Earlier this month"),
        ("Last year the alliance grew.", "Last year"),
        ("The envoy arrived on Tuesday.", "on Tuesday"),
        ("The treaty was signed two years ago.", "two years ago"),
        ("In 2022 troops crossed the border. Earlier this month he spoke.", "Earlier this month"),
    ],
)
def test_relative_without_document_date_is_unresolved(extractor, sentence, expression):
    d = only(run(make_ctx(extractor, sentence)), expression)
    assert d.date is None and d.basis == "unresolved"


def test_year_less_date_with_nothing_to_go_on_is_unresolved(extractor):
    d = only(run(make_ctx(extractor, "They met on Wednesday, 21 November.")), "Wednesday, 21 November")
    assert d.date is None and d.basis == "unresolved"


def test_relative_counts_from_the_event_the_text_pins(extractor):
    """No published date: "this year" counts from the event date (and some days after it)."""
    ctx = make_ctx(extractor, "The talks took place on 21 November 2018. This year the bloc grew. "
                              "The envoy arrived yesterday.")
    found = run(ctx)
    assert (str(only(found, "This year").date), only(found, "This year").basis) == (
        "2018", "relative+event-date")
    # "yesterday" could be any day from 20 to 27 November: only the month is known
    assert str(only(found, "yesterday").date) == "2018-11"


# ---------------------------------------------------------------- year inference


def test_weekday_and_office_tenures_pick_the_year(extractor):
    """21 November fell on a Wednesday in 2007, 2012, 2018 (and 2029); the acting CSTO
    Secretary General Semerikov held office from 2018-11-02 to the end of 2019."""
    ctx = make_ctx(extractor, "The secretaries met in Moscow on Wednesday, 21 November. "
                              "The Acting Secretary General of the CSTO, Valery Semerikov, attended.")
    link(ctx, "Valery Semerikov", "valery-semerikov", "csto-secretary-general",
         role="Acting Secretary General of the CSTO")
    d = only(run(ctx), "Wednesday, 21 November")
    assert (str(d.date), d.basis) == ("2018-11-21", "weekday+office-tenures")
    assert {"2012", "2018"} <= set(d.candidates)  # 2029 lies after today + 1: not a candidate
    assert dates.document_date(ctx) == (d.date, "event-date:weekday+office-tenures")


def test_weekday_and_a_numbered_series_pick_the_year(extractor):
    """The 4th summit was in 2015; this is the fifth, on Friday 9 June: 2016 does not fit
    the weekday, so the next year that does (2017)."""
    ctx = make_ctx(extractor, "The fifth summit opened on Friday, 9 June in Astana. "
                              "The 4th summit in 2015 was shorter.")
    d = only(run(ctx), "Friday, 9 June")
    assert (str(d.date), d.basis) == ("2017-06-09", "weekday+year-in-text")
    assert "2006" in d.candidates and "2023" in d.candidates


def test_weekday_and_latest_year_in_text(extractor):
    """No series: the weekday-consistent year nearest the latest year mentioned."""
    ctx = make_ctx(extractor, "Ministers met on Wednesday, 21 November. They last met in 2017.")
    d = only(run(ctx), "Wednesday, 21 November")
    assert (str(d.date), d.basis) == ("2018-11-21", "weekday+year-in-text")


def test_same_day_written_with_its_year_elsewhere(extractor):
    ctx = make_ctx(extractor, "The talks of 21 November 2018 were long. On Wednesday, 21 November, "
                              "the secretaries signed. In 2028 the pact expires.")
    d = only(run(ctx), "Wednesday, 21 November")
    assert str(d.date) == "2018-11-21"


def test_office_tenures_win_over_year_in_text(extractor):
    """5 December fell on a Thursday in 2013, 2019, 2024; the text's only year (1949) would
    point to 2013, Rutte's tenure (from 2024-10-01) decides."""
    ctx = make_ctx(extractor, "Secretary General of NATO Mark Rutte spoke on Thursday, "
                              "5 December. The alliance was founded in 1949.")
    link(ctx, "Mark Rutte", "mark-rutte", "nato-secretary-general", role="Secretary General of NATO")
    d = only(run(ctx), "Thursday, 5 December")
    assert (str(d.date), d.basis) == ("2024-12-05", "weekday+office-tenures")
    assert {"2013", "2019", "2024"} <= set(d.candidates)


def test_candidate_years_stop_after_today(extractor):
    """An open tenure does not let the year run into the far future."""
    ctx = make_ctx(extractor, "Mark Rutte spoke on Thursday, 5 December.")
    link(ctx, "Mark Rutte", "mark-rutte", "nato-secretary-general", role="NATO Secretary General")
    d = only(run(ctx), "Thursday, 5 December")
    assert all(int(y) <= dt.date.today().year + 1 for y in d.candidates)


def test_weak_tenures_break_ties(extractor):
    """A person named without a role who only ever held one office narrows the years."""
    ctx = make_ctx(extractor, "Valery Semerikov spoke on Wednesday, 21 November.")
    link(ctx, "Valery Semerikov", "valery-semerikov", None)
    found = run(ctx)
    assert ctx.date_range == (None, None)  # weak evidence does not bound the range
    d = only(found, "Wednesday, 21 November")
    assert (str(d.date), d.basis) == ("2018-11-21", "weekday+weak-tenures")


def test_published_date_wins_over_inference(extractor):
    ctx = make_ctx(extractor, "On Wednesday, 21 November, Valery Semerikov spoke.", "2029-11-22")
    link(ctx, "Valery Semerikov", "valery-semerikov", "csto-secretary-general", role="Acting SG")
    d = only(run(ctx), "Wednesday, 21 November")
    assert (str(d.date), d.basis) == ("2029-11-21", "document-date")
    assert dates.document_date(ctx) == (ctx.published, "published")
    assert any("OUTSIDE" in b for b in ctx.date_range_basis)  # the range still checks it


def test_month_without_year_or_document_date(extractor):
    ctx = make_ctx(extractor, "The vote is planned in March.")
    d = only(run(ctx), "in March")
    assert d.date is None and d.basis == "unresolved"


# ---------------------------------------------------------------- date range


@pytest.mark.parametrize(
    "links, expected",
    [
        # Rutte took office on 2024-10-01 and still holds it
        ([("mark-rutte", "nato-secretary-general", "Secretary General of NATO")],
         (dt.date(2024, 10, 1), None)),
        # an acting role uses the acting tenure: Putin acting president until 2000-05-07
        ([("vladimir-putin", "head-of-state-rus", "acting President of Russia")],
         (dt.date(1999, 12, 31), dt.date(2000, 5, 6))),
        # without "acting", any of his tenures: from 1999-12-31, open
        ([("vladimir-putin", "head-of-state-rus", "President of Russia")],
         (dt.date(1999, 12, 31), None)),
        # two roles intersect: Semerikov acting (2018-11-02..2019-12-31) and Bayzhanov (to Feb 2019)
        ([("valery-semerikov", "csto-secretary-general", "Acting Secretary General"),
          ("gabit-bayzhanov", "security-council-secretary-kaz", "Secretary of the Security Council")],
         (dt.date(2018, 11, 2), dt.date(2019, 2, 27))),
        # a role the person never held on record gives no bound
        ([("mark-rutte", "csto-secretary-general", "Secretary General")], (None, None)),
        ([], (None, None)),
    ],
)
def test_date_range(extractor, links, expected):
    ctx = make_ctx(extractor, "Officials met.")
    for person, office, role in links:
        link(ctx, "Officials", person, office, role)
    assert dates.date_range(ctx) == expected


def test_contradictory_roles_keep_the_largest_consistent_subset(extractor):
    """Rutte (NATO, 2024-) and Kallas (EU, 2024-12-) agree; Semerikov (2018-2019) cannot."""
    ctx = make_ctx(extractor, "Officials met.")
    link(ctx, "Officials", "mark-rutte", "nato-secretary-general", "Secretary General of NATO")
    link(ctx, "Officials", "kaja-kallas", "eu-high-representative", "High Representative")
    link(ctx, "Officials", "valery-semerikov", "csto-secretary-general", "acting Secretary General")
    assert dates.date_range(ctx) == (dt.date(2024, 12, 1), None)
    (note,) = [b for b in ctx.date_range_basis if b.startswith("contradictory")]
    assert "valery-semerikov" in note and "mark-rutte" not in note


def test_nato_teaser_is_bounded_by_rutte_and_leaves_earlier_this_month_open(extractor):
    ctx = make_ctx(extractor, "Russia could strike within years, the Secretary General of NATO, "
                              "Mark Rutte, warned. Earlier this month, the Kremlin said it was ready. "
                              "Similar words were heard in 2022.",
                   title="NATO chief warns of complacency")
    link(ctx, "Mark Rutte", "mark-rutte", "nato-secretary-general", "Secretary General of NATO")
    found = run(ctx)
    assert ctx.date_range == (dt.date(2024, 10, 1), None)
    d = only(found, "Earlier this month")
    assert d.date is None and d.basis == "unresolved"
    assert str(only(found, "in 2022").date) == "2022"
    assert dates.document_date(ctx) == (None, "unknown")  # 2022 is a year, not the event's day


# ---------------------------------------------------------------- document date


def test_document_date_prefers_the_lead_when_several_days(extractor):
    ctx = make_ctx(extractor, "Ministers met on 3 March 2019 in Minsk. An earlier round on "
                              "5 February 2019 had failed.")
    run(ctx)
    date, basis = dates.document_date(ctx)
    assert (str(date), basis) == ("2019-03-03", "event-date:explicit")


# ---------------------------------------------------------------- robustness

_WORDS = ["on", "in", "since", "last", "next", "Wednesday", "Tuesday,", "21", "31", "November",
          "February", "Nov.", "2018", "2017,", "21.11.2018", "2018-11-21", "yesterday", "this",
          "month", "year", "ago", "two", "fifth", "meeting", "mid-", "(2022)", "May", "9999",
          "0000", "99", "will", ".", ",", "\n", "é", "—", "-"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(st.text(max_size=200),
                   st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join)),
    published=st.sampled_from([None, "2018-11-22", "2018", "2018-02", "0001-01-01", "9999-12-31"]),
)
def test_find_dates_never_raises_and_spans_lie_in_the_section(extractor, text, published):
    ctx = make_ctx(extractor, text, published)
    ctx.mentions.append(Mention("body", 0, 0, "", "valery-semerikov", "person", office="csto-secretary-general"))
    for section in ctx.sections:
        found = dates.find_dates(section, ctx)
        for d in found:
            assert 0 <= d.start < d.end <= len(section.text)
            assert section.text[d.start:d.end] == d.text
            assert d.date is not None or d.basis in ("invalid", "unresolved")
    dates.date_range(ctx)
    dates.document_date(ctx)


def test_dates_at_the_end_of_the_calendar(extractor):
    ctx = make_ctx(extractor, "Signed on 31 December 9999. This year it holds.")
    found = run(ctx)
    assert str(only(found, "31 December 9999").date) == "9999-12-31"
    assert only(found, "This year").date is not None


def test_section_without_sentences(extractor):
    """A Doc that never went through the sentencizer still works."""
    doc = extractor.nlp.make_doc("Signed on 5 May 2018.")
    ctx = make_ctx(extractor, "x")
    (d,) = dates.find_dates(Section("body", doc.text, doc), ctx)
    assert str(d.date) == "2018-05-05"
