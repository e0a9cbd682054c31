"""HTML page -> Documents: the main article, its related links, and teasers.

The main text, title, date, author and site name come from trafilatura, with
settings measured on the article-extraction benchmark to score at least what
``trafilatura.extract`` scores with its defaults: comments and tables are
left out (both are mostly boilerplate on news pages), and the publication
date is taken only from the page's own metadata, never from a free-text
search of the page (``extensive_search`` off), so a date is never guessed.

Related-article blocks ("Related", "Read more", "More from NATO") are found
with the vocabulary in ``html_vocab.toml``; their links become
``Document.links`` and, when a linked item carries a summary paragraph, a
``teaser`` Document of its own.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import trafilatura
from lxml.html import HtmlElement

from blocwatch.dates import parse_date
from blocwatch.errors import BlocwatchError, DateError
from blocwatch.ingest.model import Document, Link

# libxml2 stops nesting at this depth and drops whatever is deeper, so a tree
# that reaches it has lost content: refuse it rather than extract a fragment.
_MAX_DEPTH = 255
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_PAGE_LEVEL = frozenset({"html", "body", "main", "article"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_HEADINGS = _HEADINGS - {"h1"}  # an h1 is the article's own headline
_LEAD_IN_TAGS = frozenset({"p", "li", "div"})
_SKIP_SCHEMES = frozenset({"javascript", "mailto", "tel", "data", "sms"})
_ISO_DATE = re.compile(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ][\d:.+\-Z ]*)?\s*")
_META_KEYS = ("url", "title", "published")


def extract_html(
    html: str, *, url: str | None = None, meta: Mapping[str, Any] | None = None
) -> list[Document]:
    """Return the page's main Document first, then any teaser Documents.

    ``meta`` is what the container said (JSON Lines or WARC: url, title,
    published); it fills gaps in what the page says, except ``published``,
    which wins because it is the document's own metadata. Raises
    BlocwatchError when the page has no article text or cannot be parsed.
    """
    meta = dict(meta or {})
    page_url = url or _string(meta.get("url"))
    tree = _parse(html)
    vocab = _vocab()
    found = list(_related_links(tree, page_url, vocab))
    article = _main_article(_without_blocks(tree, vocab), page_url)
    main = _main_document(article, page_url, meta, [link for link, _, _ in found])
    teasers = [_teaser(anchor, root, link, main, vocab) for link, anchor, root in found]
    return [main, *(t for t in teasers if t is not None)]


# --- parsing and the main article -------------------------------------------------


def _parse(html: str) -> HtmlElement:
    """Parse once (trafilatura's loader), refusing trees libxml2 had to cut short."""
    try:
        tree = trafilatura.load_html(html)
    except RecursionError as exc:
        raise BlocwatchError("HTML too deeply nested to parse") from exc
    if tree is None:
        raise BlocwatchError("no article text found in HTML")
    if _depth(tree) >= _MAX_DEPTH:
        raise BlocwatchError("HTML too deeply nested to parse")
    return tree


def _depth(tree: HtmlElement) -> int:
    """Deepest element nesting, without recursion (the tree may be deep)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _without_blocks(tree: HtmlElement, vocab: _Vocab) -> HtmlElement:
    """A copy of the page without its related blocks, for trafilatura.

    Their dates (a teaser's <time>) would otherwise be taken for the page's
    own date, and their text is boilerplate for the main article anyway.
    """
    pruned = copy.deepcopy(tree)
    for roots, _ in list(_blocks(pruned, vocab)):
        for root in roots:
            if root.getparent() is not None:
                root.drop_tree()
    return pruned


def _main_article(tree: HtmlElement, page_url: str | None) -> Any:
    """trafilatura's Document for the page; it copies the tree, ours stays intact."""
    try:
        article = trafilatura.bare_extraction(
            tree,
            url=page_url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except RecursionError as exc:
        raise BlocwatchError("HTML too deeply nested to parse") from exc
    if article is None or not (getattr(article, "text", None) or "").strip():
        raise BlocwatchError("no article text found in HTML")
    return article


def _main_document(
    article: Any, page_url: str | None, meta: dict[str, Any], links: list[Link]
) -> Document:
    doc_url = page_url or article.url
    extra = {key: value for key, value in meta.items() if key not in _META_KEYS}
    found = {
        "description": article.description,
        "language": article.language,
        "categories": article.categories,
        "tags": article.tags,
        "sitename": article.sitename,
    }
    extra.update({key: value for key, value in found.items() if value})
    return Document(
        role="main",
        text=article.text.strip(),
        title=article.title or _string(meta.get("title")),
        published=_iso_date(meta.get("published")) or _iso_date(article.date),
        outlet=article.sitename or _host(doc_url),
        author=article.author or None,
        url=doc_url,
        metadata=extra,
        links=links,
    )


# --- related blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    """html_vocab.toml, compiled."""

    marker: re.Pattern[str]
    max_extra_words: int
    heading_min_density: float
    heading_max_chars: int
    container_min_density: float
    ignore_titles: frozenset[str]
    min_title_words: int
    max_links: int
    min_summary_words: int


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    text = resources.files("blocwatch.ingest").joinpath("html_vocab.toml").read_text("utf-8")
    data = tomllib.loads(text)
    markers = sorted({_normalise(m) for m in data["related"]["markers"]}, key=len, reverse=True)
    return _Vocab(
        marker=re.compile(r"\b(?:" + "|".join(map(re.escape, markers)) + r")\b"),
        max_extra_words=data["headings"]["max_extra_words"],
        heading_min_density=data["headings"]["min_link_density"],
        heading_max_chars=data["headings"]["max_block_chars"],
        container_min_density=data["containers"]["min_link_density"],
        ignore_titles=frozenset(_normalise(t) for t in data["links"]["ignore_titles"]),
        min_title_words=data["links"]["min_title_words"],
        max_links=data["links"]["max_links"],
        min_summary_words=data["teasers"]["min_summary_words"],
    )


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[\W_]+")


def _normalise(text: str) -> str:
    """Lower case, camelCase split, apostrophes dropped, punctuation runs -> one space."""
    text = _CAMEL.sub(" ", text)
    text = text.replace("'", "").replace("\u2019", "")
    return _NON_WORD.sub(" ", text.lower()).strip()


def _is_marker_text(text: str, vocab: _Vocab) -> bool:
    """True for short texts that are mostly a marker ("More from NATO", "Related")."""
    norm = _normalise(text)
    match = vocab.marker.search(norm)
    if match is None:
        return False
    extra = len(norm.split()) - len(match.group(0).split())
    return extra <= vocab.max_extra_words


def _related_links(
    tree: HtmlElement, page_url: str | None, vocab: _Vocab
) -> Iterator[tuple[Link, HtmlElement, HtmlElement]]:
    """Yield (link, its anchor, the block root holding it), deduplicated, capped."""
    seen = {urldefrag(page_url)[0]} if page_url else set()
    count = 0
    for roots, excluded in _blocks(tree, vocab):
        for root in roots:
            for anchor in root.iter("a"):
                if anchor in excluded:
                    continue
                link = _link(anchor, page_url, vocab)
                if link is None or urldefrag(link.url or "")[0] in seen:
                    continue
                seen.add(urldefrag(link.url or "")[0])
                yield link, anchor, root
                count += 1
                if count >= vocab.max_links:
                    return


def _blocks(
    tree: HtmlElement, vocab: _Vocab
) -> Iterator[tuple[list[HtmlElement], set[HtmlElement]]]:
    """Yield related blocks as (roots whose anchors count, anchors to skip)."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.lower()
        if tag in _BLOCK_HEADINGS and _is_marker_text(element.text_content(), vocab):
            block = _heading_block(element, vocab)
        elif _labelled_related(element, tag, vocab) or _is_lead_in(element, tag, vocab):
            block = [element]
        else:
            continue
        if block:
            yield block, _marker_anchors(block, vocab)


def _labelled_related(element: HtmlElement, tag: str, vocab: _Vocab) -> bool:
    """class/id/aria-label says related, and the element is not the article itself."""
    if tag in {"html", "body"}:
        return False
    label = " ".join(element.get(name, "") for name in ("class", "id", "aria-label"))
    if not label.strip() or vocab.marker.search(_normalise(label)) is None:
        return False
    return _text_stats([element])[1] >= vocab.container_min_density


def _is_lead_in(element: HtmlElement, tag: str, vocab: _Vocab) -> bool:
    """A short paragraph opening with "Read more:" / "See also:" and holding a link."""
    if tag not in _LEAD_IN_TAGS:
        return False
    text = element.text_content().strip()
    head, colon, _ = text.partition(":")
    if not colon or len(head) > 40 or element.find(".//a") is None:
        return False
    norm = _normalise(head)
    match = vocab.marker.fullmatch(norm)
    return match is not None and len(text) <= 400


def _heading_block(heading: HtmlElement, vocab: _Vocab) -> list[HtmlElement]:
    """The links a marker heading introduces: its section, or the siblings after it."""
    node, parent = heading, heading.getparent()
    for _ in range(3):  # climb through wrappers holding only the heading (<header>)
        if parent is None or parent.tag in _PAGE_LEVEL or _has_anchor_outside(parent, node):
            break
        node, parent = parent, parent.getparent()
    if parent is None:
        return []
    roots = [parent] if parent.tag not in _PAGE_LEVEL else _siblings_after(node)
    chars, density = _text_stats(roots)
    if chars > vocab.heading_max_chars or density < vocab.heading_min_density:
        return []
    return roots


def _has_anchor_outside(container: HtmlElement, inner: HtmlElement) -> bool:
    inside = set(inner.iter("a"))
    return any(anchor not in inside for anchor in container.iter("a"))


def _siblings_after(node: HtmlElement) -> list[HtmlElement]:
    """Following siblings up to the next heading (a section with no wrapper of its own)."""
    roots = []
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag in _HEADINGS or sibling.find(".//h1") is not None:
            break
        roots.append(sibling)
    return roots


def _text_stats(roots: list[HtmlElement]) -> tuple[int, float]:
    """Total text length of the roots and the share of it that is link text."""
    total = sum(len(_clean(root.text_content())) for root in roots)
    linked = sum(len(_clean(a.text_content())) for root in roots for a in root.iter("a"))
    return total, (linked / total if total else 0.0)


def _marker_anchors(roots: list[HtmlElement], vocab: _Vocab) -> set[HtmlElement]:
    """Anchors in block headings ("More from NATO" -> the NATO section page)."""
    skip: set[HtmlElement] = set()
    for root in roots:
        for element in root.iter(*_HEADINGS):
            if _is_marker_text(element.text_content(), vocab):
                skip.update(element.iter("a"))
    return skip


def _link(anchor: HtmlElement, page_url: str | None, vocab: _Vocab) -> Link | None:
    """A Link for an anchor that points at another article, else None."""
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith("#") or urlsplit(href).scheme.lower() in _SKIP_SCHEMES:
        return None
    title = _clean(anchor.text_content()) or _clean(anchor.get("title") or "")
    if len(title.split()) < vocab.min_title_words or _normalise(title) in vocab.ignore_titles:
        return None
    if _is_marker_text(title, vocab) and len(title.split()) <= vocab.max_extra_words + 2:
        return None
    return Link(title=title, url=urljoin(page_url, href) if page_url else href)


# --- teasers -------------------------------------------------------------------------


def _teaser(
    anchor: HtmlElement, root: HtmlElement, link: Link, main: Document, vocab: _Vocab
) -> Document | None:
    """A teaser Document when the link's item has a summary paragraph of its own."""
    item = _item_of(anchor, root)
    if item is anchor:
        return None
    inside = set(anchor.iter())
    summary = [
        _clean(p.text_content())
        for p in item.iter("p")
        if p not in inside and anchor not in set(p.iter())
    ]
    summary = [s for s in summary if len(s.split()) >= vocab.min_summary_words]
    if not summary:
        return None
    host = _host(link.url)
    return Document(
        role="teaser",
        text="\n".join(summary),
        title=link.title,
        published=_item_date(item),
        outlet=host if host and host != _host(main.url) else main.outlet,
        url=link.url,
        metadata={"teaser_on": main.url} if main.url else {},
    )


def _item_of(anchor: HtmlElement, root: HtmlElement) -> HtmlElement:
    """The largest ancestor of the anchor, within the block, holding no other link."""
    href = anchor.get("href")
    node = anchor
    while node is not root:
        parent = node.getparent()
        if parent is None or any(a.get("href") not in (href, None) for a in parent.iter("a")):
            break
        node = parent
    return node


def _item_date(item: HtmlElement) -> str | None:
    """The item's own <time datetime>, when it has exactly one."""
    times = [t.get("datetime") for t in item.iter("time") if t.get("datetime")]
    return _iso_date(times[0]) if len(times) == 1 else None


# --- small helpers -------------------------------------------------------------------


def _iso_date(value: object) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD from an ISO date or timestamp; None otherwise."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    try:
        return parse_date(match.group(1)).text
    except DateError:
        return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _string(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _clean(text: str) -> str:
    return " ".join(text.split())
