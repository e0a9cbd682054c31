"""HTML extraction: main article, metadata, related links, teasers, hostile pages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocwatch.errors import BlocwatchError
from blocwatch.ingest.html import _vocab, extract_html
from blocwatch.ingest.model import Document, Link

BODY = """
<p>The Collective Security Treaty Organization began joint exercises near Brest on
Monday, with troops from Russia, Belarus, Kazakhstan, Kyrgyzstan and Tajikistan taking
part in the week-long drills.</p>
<p>Armenia, which froze its participation in the bloc earlier this year, did not send
troops. Its prime minister said the alliance had failed to protect the country.</p>
<p>The CSTO secretary general said the drills were planned long in advance and were not
aimed at any third country, in a statement released by the organisation.</p>
"""

RELATED = """
<aside class="related-articles">
  <h2><a href="/tags/nato">More from NATO</a></h2>
  <ul>
    <li class="card">
      <a href="/2023/07/12/nato-vilnius"><img src="v.jpg" alt=""></a>
      <a href="/2023/07/12/nato-vilnius">NATO leaders meet in Vilnius for summit</a>
      <time datetime="2023-07-12T09:00:00Z">12 July</time>
      <p>Allies agreed on a new plan for the defence of the eastern flank at a two-day
      meeting in the Lithuanian capital.</p>
    </li>
    <li class="card">
      <a href="https://other.example/cis-summit">CIS heads of state gather in Minsk</a>
      <a href="https://other.example/cis-summit">Read more</a>
    </li>
    <li><a href="#top">Back to the top of the page</a></li>
    <li><a href="javascript:void(0)">Load more stories please</a></li>
  </ul>
</aside>
"""


def page(body: str = BODY, *, head: str = "", extra: str = RELATED) -> str:
    return (
        "<!DOCTYPE html><html><head><title>CSTO holds drills in Belarus | Example News</title>"
        f"{head}</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<article><h1>CSTO holds drills in Belarus</h1>{body}</article>{extra}"
        "<footer><p>Copyright Example News</p></footer></body></html>"
    )


FULL_HEAD = (
    '<meta property="og:site_name" content="Example News">'
    '<meta property="article:published_time" content="2023-10-05T10:00:00+03:00">'
    '<meta name="author" content="Anna Petrova">'
)
URL = "https://news.example/2023/10/05/csto-drills"


def main_of(html: str, **kwargs: object) -> Document:
    return extract_html(html, **kwargs)[0]  # type: ignore[arg-type]


def test_main_document_text_and_metadata() -> None:
    main = main_of(page(head=FULL_HEAD), url=URL)
    assert main.role == "main"
    assert main.text.startswith("CSTO holds drills in Belarus\nThe Collective Security")
    assert "not aimed at any third country" in main.text
    assert "Allies agreed" not in main.text and "Copyright" not in main.text
    assert (main.title, main.published, main.author, main.outlet, main.url) == (
        "CSTO holds drills in Belarus",
        "2023-10-05",
        "Anna Petrova",
        "Example News",
        URL,
    )


def test_related_links_resolved_deduplicated_and_filtered() -> None:
    main = main_of(page(), url=URL)
    assert main.links == [
        Link(
            "NATO leaders meet in Vilnius for summit",
            "https://news.example/2023/07/12/nato-vilnius",
        ),
        Link("CIS heads of state gather in Minsk", "https://other.example/cis-summit"),
    ]


def test_links_keep_relative_urls_without_a_page_url() -> None:
    assert main_of(page()).links[0] == Link(
        "NATO leaders meet in Vilnius for summit", "/2023/07/12/nato-vilnius"
    )


def test_teaser_with_summary_becomes_a_document() -> None:
    docs = extract_html(page(head=FULL_HEAD), url=URL)
    assert [d.role for d in docs] == ["main", "teaser"]
    teaser = docs[1]
    assert teaser.title == "NATO leaders meet in Vilnius for summit"
    assert teaser.url == "https://news.example/2023/07/12/nato-vilnius"
    assert teaser.text.startswith("Allies agreed on a new plan for the defence")
    assert teaser.published == "2023-07-12"  # its own <time>, not the page's date
    assert teaser.outlet == "Example News"
    assert teaser.metadata == {"teaser_on": URL}


def test_no_date_in_metadata_means_none_even_if_text_has_one() -> None:
    body = BODY + "<p>The drills end on 12 October 2023, officials said on Monday.</p>"
    assert main_of(page(body), url="https://news.example/csto").published is None


def test_container_meta_fills_gaps_and_published_wins() -> None:
    meta = {
        "url": "https://www.tass.example/world/1",
        "title": "From the feed",
        "published": "2023-10-06T08:00:00Z",
        "record_id": "<urn:uuid:1>",
    }
    main = main_of(page(head=FULL_HEAD), meta=meta)
    assert main.published == "2023-10-06"  # the feed's own metadata beats the page's
    assert main.title == "CSTO holds drills in Belarus"  # the page's title is kept
    assert main.url == "https://www.tass.example/world/1"
    assert main.metadata["record_id"] == "<urn:uuid:1>"
    bare = "<html><body><article>" + BODY + "</article></body></html>"
    filled = main_of(bare, meta=meta)
    assert (filled.title, filled.outlet) == ("From the feed", "tass.example")


@pytest.mark.parametrize(
    "published",
    [
        "12/10/2023",  # not ISO: ambiguous, never guessed
        "2023-02-30",  # impossible date
        "soon",
    ],
)
def test_bad_container_dates_are_ignored(published: str) -> None:
    main = main_of(page(head=FULL_HEAD), meta={"published": published})
    assert main.published == "2023-10-05"


@pytest.mark.parametrize(
    ("extra", "links"),
    [
        # a heading that says "Read more" with the links in its own section
        (
            (
                "<section><header><h3>Read more</h3></header><ul>"
                "<li><a href='/a'>SCO summit opens in Astana</a></li></ul></section>"
            ),
            [Link("SCO summit opens in Astana", "/a")],
        ),
        # a Russian-language heading, links as siblings right in <body>
        (
            "<h2>Читайте также</h2><p><a href='/b'>Саммит ОДКБ прошёл в Минске</a></p>",
            [Link("Саммит ОДКБ прошёл в Минске", "/b")],
        ),
        # an aria-label
        (
            (
                "<nav aria-label='Editor’s choice'><a href='/c'>EAEU extends its free trade"
                " talks</a></nav>"
            ),
            [Link("EAEU extends its free trade talks", "/c")],
        ),
        # a "See also:" lead-in paragraph
        (
            "<p>See also: <a href='/d'>Why Armenia froze its CSTO membership</a></p>",
            [Link("Why Armenia froze its CSTO membership", "/d")],
        ),
        # a plain navigation list is not related content
        ("<nav><ul><li><a href='/w'>World news and analysis</a></li></ul></nav>", []),
        # tag links are too short to be article titles
        ("<div class='popular-tags'><a href='/t/nato'>NATO</a><a href='/t/cis'>CIS</a></div>", []),
    ],
)
def test_related_block_shapes(extra: str, links: list[Link]) -> None:
    assert main_of(page(extra=extra)).links == links


def test_marker_words_in_article_prose_do_not_make_a_block() -> None:
    body = (
        "<h2>Popular protests erupt in Minsk over the drills</h2>"
        + BODY
        + "<p>Earlier, <a href='/x'>the alliance said in a long statement</a> that the"
        " exercise was defensive and planned, and <a href='/y'>observers from the OSCE</a>"
        " were invited.</p>"
    )
    assert main_of(page(body, extra="")).links == []


def test_article_labelled_related_is_not_a_block() -> None:
    long_body = BODY * 12 + "<p><a href='/z'>A link inside the article text itself</a></p>"
    html = (
        "<html><body><article class='post has-related-posts'>"
        f"<h1>CSTO drills</h1>{long_body}</article></body></html>"
    )
    assert main_of(html).links == []


def test_links_are_capped() -> None:
    items = "".join(f"<li><a href='/n{i}'>NATO story number {i} today</a></li>" for i in range(80))
    main = main_of(page(extra=f"<ul class='related'>{items}</ul>"))
    assert len(main.links) == _vocab().max_links == 50


@pytest.mark.parametrize(
    "html",
    [
        "<html><body></body></html>",  # nothing at all
        "<html><head><title>CSTO</title></head><body><script>var x;</script><img></body></html>",
        "",
    ],
)
def test_no_article_text(html: str) -> None:
    with pytest.raises(BlocwatchError, match="^no article text found in HTML$"):
        extract_html(html)


def test_deeply_nested_html_is_refused_not_crashing() -> None:
    html = "<html><body>" + "<div>" * 100_000 + "<p>CSTO</p>" + "</div>" * 100_000
    with pytest.raises(BlocwatchError, match="^HTML too deeply nested to parse$"):
        extract_html(html)


def test_vocabulary_file_is_well_formed() -> None:
    vocab = _vocab()
    assert vocab.marker.search("editors choice") and vocab.marker.search("читайте также")
    assert vocab.min_title_words >= 1 and vocab.min_summary_words >= 1


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/ adivphbody=\"'&;#\n")) | st.characters()))
def test_any_text_gives_documents_or_a_blocwatch_error(html: str) -> None:
    try:
        docs = extract_html(html)
    except BlocwatchError:
        return
    assert docs[0].role == "main" and docs[0].text
