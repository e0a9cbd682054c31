"""Article text as HTML: every character escaped, with optional highlighted spans.

Article text is data, never markup: a ``<script>`` in an article is shown as
the characters ``<script>``. Highlights (entities, statements with their
verdicts, once extraction stores them) are character spans over the same
text; they wrap escaped text and never change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Highlight:
    """A span of the text to mark: KIND (entity, statement...), a LABEL shown on hover and focus."""

    start: int
    end: int
    kind: str
    label: str
    href: str | None = None
    verdict: str | None = None  # supported, contradicted, unknown, mixed
    links: tuple[tuple[str, str], ...] = ()  # (text, href) shown in the tooltip


def _tip(h: Highlight, inside_link: bool) -> str:
    """The tooltip: the label (one line per newline) and, outside any link, its links."""
    if not h.label and not h.links:
        return ""
    lines = "<br>".join(str(escape(line)) for line in h.label.split("\n"))
    links = "" if inside_link else " ".join(
        f'<a class="tip-link" href="{escape(href)}">{escape(text)}</a>' for text, href in h.links)
    sep = "<br>" if lines and links else ""
    return f'<span class="tip" role="tooltip">{lines}{sep}{links}</span>'


def _open(h: Highlight, inside_link: bool) -> str:
    classes = f"hl hl-{h.kind}" + (f" verdict-{h.verdict}" if h.verdict else "")
    link = h.href and not inside_link
    focus = "" if link else ' tabindex="0"'
    tip = _tip(h, inside_link)
    head = f'<mark class="{escape(classes)}"{focus}>{tip}'
    return head + (f'<a href="{escape(h.href)}">' if link else "")


def article_html(text: str, highlights: Sequence[Highlight] = ()) -> Markup:
    """TEXT escaped, each highlight wrapped in a <mark>; nested spans nest, crossing ones drop.

    A highlight with a label carries it in a tooltip shown on hover and on
    keyboard focus (every mark is focusable); one with an HREF links there.
    """
    out: list[str] = []
    pos = 0
    stack: list[tuple[Highlight, str]] = []  # open highlights with their closing tags

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1][0].end <= limit:
            h, closing = stack.pop()
            out.append(str(escape(text[pos:h.end])))
            out.append(closing)
            pos = h.end

    for h in sorted(highlights, key=lambda h: (h.start, -h.end)):
        if h.start < pos or h.end <= h.start or h.end > len(text):
            continue
        close_until(h.start)
        if stack and h.end > stack[-1][0].end:
            continue  # crosses an open span: cannot nest
        inside_link = any(open_.href for open_, _ in stack)
        out.append(str(escape(text[pos:h.start])))
        out.append(_open(h, inside_link))
        stack.append((h, ("</a>" if h.href and not inside_link else "") + "</mark>"))
        pos = h.start
    close_until(len(text))
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def safe_href(url: object) -> str | None:
    """URL if it is an absolute http(s) link, else None: article links never run script."""
    if not isinstance(url, str):
        return None
    cleaned = url.strip()
    scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
    return cleaned if scheme in ("http", "https") else None
