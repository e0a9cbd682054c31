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
    verdict: str | None = None  # supported, contradicted, unknown


def article_html(text: str, highlights: Sequence[Highlight] = ()) -> Markup:
    """TEXT escaped, with each highlight (in order, overlaps dropped) wrapped in a <mark>."""
    out: list[str] = []
    pos = 0
    for h in sorted(highlights, key=lambda h: (h.start, -h.end)):
        if h.start < pos or h.end <= h.start or h.end > len(text):
            continue
        out.append(str(escape(text[pos:h.start])))
        classes = f"hl hl-{h.kind}" + (f" verdict-{h.verdict}" if h.verdict else "")
        inner = str(escape(text[h.start:h.end]))
        if h.href:
            inner = f'<a href="{escape(h.href)}">{inner}</a>'
        tabindex = "" if h.href else ' tabindex="0"'
        out.append(f'<mark class="{escape(classes)}" title="{escape(h.label)}"{tabindex}>'
                   f"{inner}</mark>")
        pos = h.end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def safe_href(url: object) -> str | None:
    """URL if it is an absolute http(s) link, else None: article links never run script."""
    if not isinstance(url, str):
        return None
    cleaned = url.strip()
    scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
    return cleaned if scheme in ("http", "https") else None
