"""The web UI: server-side rendering checks, then the pages in a real headless Chromium.

The browser tests drive Debian's chromium (/usr/bin/chromium) through
Playwright for Python against uvicorn serving the app on a free loopback
port. Screenshots land in test-artifacts/ (gitignored).
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import blocwatch
from blocwatch.web import create_app
from blocwatch.web.svg import Bar, timeline
from blocwatch.web.text import Highlight, article_html, safe_href

CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = Path(blocwatch.__file__).resolve().parent / "samples" / "security-chiefs-moscow.txt"
SAMPLE_TITLE = ("Security chiefs of the Commonwealth gather in Moscow, and the CSTO takes a seat "
                "at the table")
UI_TOKEN = "ui-test-token"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Written for this test: a page whose text carries markup that must stay text.
ARTICLE = """\
Semerikov at the CIS security meeting: a test article

21 November 2018

Valery Semerikov, acting Secretary General of the CSTO, attended the meeting in Moscow.

A reader pasted <script>document.title = "pwned"; window.pwned = true;</script> and <img src=x onerror="window.pwned = true"> here.

Azerbaijan and Moldova are CIS members but not CSTO members.
"""


# --- Server-side rendering, no browser -------------------------------------------------------

def test_article_text_is_escaped_and_highlights_nest():
    text = 'Azerbaijan is in the CIS <script>alert(1)</script>'
    html = article_html(text, [
        Highlight(0, 24, "statement", "supported: on record", verdict="supported"),
        Highlight(0, 10, "entity", "Azerbaijan (state)", "/entity/AZE"),
        Highlight(5, 30, "entity", "crosses the statement: dropped"),
    ])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.startswith('<mark class="hl hl-statement verdict-supported" tabindex="0">')
    assert '<a href="/entity/AZE">Azerbaijan</a></mark> is in the CIS</mark>' in html
    assert "dropped" not in html


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/a", "https://example.org/a"),
    ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None),  # never a link that runs script
    (" JavaScript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("/relative", None),
    (None, None),
])
def test_only_http_links_are_links(url, expected):
    assert safe_href(url) == expected


def test_timeline_draws_pale_ends_for_imprecise_dates():
    svg = timeline([Bar("CIS", "associate", "2005", None, "/entity/cis"),
                    Bar("CSTO <x>", "full", "2002-10-07", "2012-12-20")],
                   title="Memberships", today=dt.date(2020, 1, 1))
    assert svg.startswith('<svg class="timeline"') and 'role="img"' in svg
    assert svg.count('class="bar ') == 2
    assert svg.count('class="unsure"') == 1  # "2005": the year's days before it is certain
    assert "CSTO &lt;x&gt;" in svg and "<x>" not in svg
    assert '<a href="/entity/cis" class="lane-link">' in svg
    assert timeline([], title="nothing") == ""


# --- In a real browser -----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a database with the reference base, ARTICLE (document 1) and the bundled
    reference-like sample page, served by uvicorn in a thread; writes need UI_TOKEN."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: install Debian's chromium to run the browser tests")
    import uvicorn

    folder = tmp_path_factory.mktemp("ui")
    page = folder / "article.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    db = str(folder / "ui.sqlite")
    store, _ = blocwatch.init(db)
    try:
        summary = blocwatch.api.ingest(store, [str(page), str(SAMPLE)])
        assert summary.documents_stored == 3, summary.to_json()  # ARTICLE, the sample and its teaser
    finally:
        store.close()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db=db, token=UI_TOKEN), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(site: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):  # type: ignore[no-untyped-def]
    """A fresh page; console errors (a CSP violation, a script error) fail the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: problems.append(str(exc)))
    pg.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    allowed = getattr(request.node, "allowed_console", ())  # set by a test that expects them
    assert [m for m in problems if not any(a in m for a in allowed)] == []


def test_search_semerikov_opens_his_person_page(site, page):
    page.goto(site + "/")
    page.get_by_label("Search states, organisations, people and offices").fill("Semerikov")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entity/valery-semerikov$"))
    assert page.locator("h1").inner_text() == "Valery Semerikov"
    offices = page.get_by_role("table", name=re.compile("Offices held by Valery Semerikov"))
    assert "Secretary General of the Collective Security Treaty Organization" in offices.inner_text()


def test_csto_page_shows_its_timeline(site, page):
    page.goto(site + "/entity/csto")
    chart = page.locator("svg.timeline")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert page.locator("svg.timeline title#tl-title").text_content() == (
        "Members of CSTO over time")
    assert page.locator("svg.timeline g.bar").count() >= 6
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 100
    assert page.get_by_role("table", name=re.compile("Membership of CSTO by state and year")).is_visible()
    assert page.get_by_role("heading", name="Rules").is_visible()
    page.locator("svg.timeline a.lane-link").first.click()  # lanes link to the state
    page.wait_for_url(re.compile(r"/entity/[A-Z]{3}$"))
    assert page.locator("svg.timeline").is_visible()  # a state's page has its own timeline


def test_article_text_is_shown_as_text_and_never_runs(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name="Semerikov at the CIS security meeting: a test article").click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    text = page.locator(".article-text").inner_text()
    assert '<script>document.title = "pwned"; window.pwned = true;</script>' in text
    assert '<img src=x onerror="window.pwned = true">' in text
    assert page.evaluate("window.pwned") is None
    assert page.title() != "pwned"
    assert page.locator(".article-text script, .article-text img").count() == 0


def test_article_highlights_show_the_verdict_on_focus(site, page):
    page.goto(site + "/documents/1")
    statement = page.locator("mark.hl-statement").first
    if statement.count() == 0:
        pytest.skip("the extraction found no statement in the test article")
    tip = statement.locator(":scope > .tip")
    assert not tip.is_visible()
    statement.focus()
    assert tip.is_visible()
    assert re.match(r"(supported|contradicted|unknown): ", tip.inner_text())
    entity = page.locator("mark.hl-entity a", has_text="Valery Semerikov").first
    assert entity.get_attribute("href").endswith("/entity/valery-semerikov")


def test_keyboard_reaches_the_search_box_and_the_results(site, page):
    page.goto(site + "/")
    for _ in range(12):  # skip link, brand, nav links, then the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    else:
        pytest.fail("Tab never reached the search box")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.type("Semerikof")  # a typo
    page.locator("#suggestions a").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith("Valery Semerikov")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Enter")  # without choosing: the results page
    page.wait_for_url(re.compile(r"/search\?q=Semerikof$"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link moves focus to the main content
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Valery Semerikov":
            break
    else:
        pytest.fail("Tab never reached the first search result")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entity/valery-semerikov$"))


UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML)"""


@pytest.mark.parametrize("path", ["/", "/search?q=security+council", "/compare?org=cis&org=csto&at=2018-11-21",
                                  "/entity/RUS", "/entity/csto", "/documents/1", "/documents/2",
                                  "/entity/cis", "/entity/valery-semerikov", "/meeting/1",
                                  "/statement/1", "/analyze"])
def test_controls_are_labelled_and_pages_are_structured(site, page, path):
    page.goto(site + path)
    assert page.evaluate(UNLABELLED) == []
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1
    assert page.locator("main#main").count() == 1


def test_compare_matrix_by_keyboard(site, page):
    page.goto(site + "/compare")
    page.get_by_label("CIS").check()
    page.get_by_label("CSTO").check()
    page.get_by_label("Date", exact=True).fill("2018-11-21")
    page.get_by_role("button", name="Compare").press("Enter")
    page.wait_for_url(re.compile(r"/compare\?"))
    matrix = page.get_by_role("table", name=re.compile("state\\(s\\) in at least one of them"))
    rows = matrix.locator("tbody tr")
    assert rows.count() == 10  # the CIS's nine full members and Turkmenistan; CSTO's are all in CIS
    assert "Azerbaijan" in matrix.inner_text()


# --- Meetings, verdicts, co-presence, overlap, analyze (the reference-like sample page) --------

def _tab_until(page, predicate: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until PREDICATE (a JS expression on `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; "
                         f"return !!({predicate}); }})()"):
            return
    pytest.fail(f"Tab never reached an element where {predicate}")


def test_reference_like_article_shows_verdict_and_reason_on_keyboard_focus(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name=SAMPLE_TITLE).click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    legend = page.get_by_role("note")
    for verdict in ("supported", "contradicted", "unknown"):
        assert legend.locator(f".verdict-{verdict}").is_visible()
    marks = page.locator(".article-text mark.hl-statement")
    assert marks.count() >= 5
    assert page.locator(".article-text mark.hl-entity").count() >= 5
    _tab_until(page, "el.matches('.article-text mark.hl-statement')")  # by keyboard alone
    focused = page.locator(".article-text mark.hl-statement:focus").element_handle()
    tip = focused.query_selector(":scope > .tip")
    assert tip.is_visible()
    assert re.match(r"(supported|contradicted|unknown): \S", tip.inner_text())
    colour = focused.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 243, 176)")  # coloured by its verdict
    page.keyboard.press("Tab")  # into the tooltip: its links stay reachable
    assert page.evaluate("document.activeElement.classList.contains('tip-link')")
    assert tip.is_visible()
    # The ten-member claim: supported, with the reason (nine full members + Turkmenistan).
    ten = page.locator(".article-text mark.hl-statement", has_text="ten member states").first
    ten.focus()
    assert "supported: CIS on 2018-11-21: 9 full members + Turkmenistan (associate) = 10" in (
        ten.locator(":scope > .tip").inner_text())
    why = ten.locator(":scope > .tip a", has_text="why?").first
    why.click()
    page.wait_for_url(re.compile(r"/statement/\d+$"))
    assert "Turkmenistan" in page.get_by_role("heading", name="Verdict").locator("..").inner_text()
    page.go_back()
    others = page.get_by_role("heading", name="Other documents on the same page").locator("..")
    assert "NATO chief warns allies" in others.inner_text()
    related = page.get_by_role("heading", name="Related articles").locator("..")
    assert "Semerikov at the CIS security meeting" in related.inner_text()
    meetings = page.get_by_role("table", name="Meetings this article reports")
    assert meetings.locator("tbody tr").count() >= 1


def test_meeting_page_lists_participants_with_whom_they_represent(site, page):
    page.goto(site + "/entity/valery-semerikov")
    attended = page.get_by_role("table", name=re.compile("Meetings attended by Valery Semerikov"))
    attended.locator("tbody tr th a").first.click()
    page.wait_for_url(re.compile(r"/meeting/\d+$"))
    assert "Security Councils of the CIS Member States" in page.locator("h1").inner_text()
    table = page.get_by_role("table", name=re.compile(r"participant\(s\)"))
    rows = {r.locator("th").inner_text().split(" (written")[0]: r.inner_text()
            for r in table.locator("tbody tr").all()}
    assert "Collective Security Treaty Organization" in rows["Valery Semerikov"]
    assert "Armenia" in rows["Armen Grigoryan"]
    assert "CIS" in rows["Sergey Lebedev"] or "Commonwealth" in rows["Sergey Lebedev"]
    assert "Russia" in rows["Nikolai Patrushev"]  # "N. Patrushev" in the text, linked to him
    assert len(rows) >= 10
    source = page.get_by_role("heading", name="Sources").locator("..")
    assert SAMPLE_TITLE in source.inner_text()
    table.get_by_role("link", name="Armenia").click()
    page.wait_for_url(re.compile(r"/entity/ARM$"))


def test_semerikov_person_page_shows_offices_and_meetings(site, page):
    page.goto(site + "/entity/valery-semerikov")
    offices = page.get_by_role("table", name=re.compile("Offices held by Valery Semerikov"))
    assert "acting" in offices.inner_text()
    attended = page.get_by_role("table", name=re.compile("Meetings attended by Valery Semerikov"))
    assert "CSTO Secretary General" in attended.inner_text()
    assert "Collective Security Treaty Organization" in attended.inner_text()
    facts = page.get_by_role("table", name=re.compile("What articles say"))
    assert "supported" in facts.inner_text()


def test_organisation_page_shows_meetings_and_copresence(site, page):
    page.goto(site + "/entity/cis")
    chart = page.locator("svg.yearbars").first
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert "officials at meetings of" in chart.locator("title").first.text_content()
    assert page.locator("svg.yearbars g.year").count() >= 1
    meetings = page.get_by_role("table", name=re.compile("Meetings of the bodies of CIS"))
    assert meetings.locator("tbody tr").count() >= 1
    page.goto(site + "/entity/csto")
    csto = page.locator("svg.yearbars title").first.text_content()
    assert csto.startswith("CSTO officials at meetings of")


def test_compare_page_draws_the_overlap_chart(site, page):
    page.goto(site + "/compare?org=cis&org=csto&at=2018-11-21")
    chart = page.locator("svg.yearlines")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert chart.locator("polyline").count() == 1
    assert chart.locator("circle").count() >= 30  # one point a year since 1992
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600
    _tab_until(page, "el.tagName === 'SUMMARY'")  # the numbers, by keyboard
    page.keyboard.press("Enter")
    numbers = page.get_by_role("table", name=re.compile("overlap index, by year"))
    assert numbers.is_visible()
    assert "2018" in numbers.inner_text()


def test_analyze_form_answers_pasted_text_and_refuses_storing_without_token(site, page, request):
    # The refusal answers 401: the browser logs it as a failed load.
    request.node.allowed_console = ("the server responded with a status of 401",)
    page.goto(site + "/analyze")
    page.get_by_label("Page text").focus()
    page.keyboard.insert_text(
        "CIS security chiefs meet\n\n21 November 2018\n\n"
        "Azerbaijan and Moldova are CIS members but not CSTO members. "
        "<script>window.pwned = true</script>\n")
    _tab_until(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Analyze'")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    analysis = page.get_by_role("heading", name="Analysis", exact=True).locator("..")
    assert "Analysed only; nothing was stored." in analysis.inner_text()
    assert analysis.locator("mark.hl-statement").count() >= 1
    assert analysis.locator("table.statements span.verdict").count() >= 1
    assert "<script>window.pwned = true</script>" in analysis.locator(".article-text").inner_text()
    assert page.evaluate("window.pwned") is None
    # Storing without the token: refused, with the reason.
    page.get_by_label("Also store the page in the database").check()
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "needs the server's bearer token" in alert.inner_text()
    assert page.get_by_label("Page text").input_value().startswith("CIS security chiefs meet")
    # With it: stored, and the document links to its page.
    page.get_by_label("Bearer token").fill(UI_TOKEN)
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_load_state()
    assert "Stored:" in page.get_by_role("status").first.inner_text()
    page.get_by_role("link", name="CIS security chiefs meet").click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
