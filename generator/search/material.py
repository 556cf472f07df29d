"""The lean index for Material's own search plugin: the fallback, and the design Pagefind was compared with.

Material's search plugin indexes each page's content HTML, section by section
(a section per heading), and skips any element carrying
``data-search-exclude``. For a page marked ``bf_search: "title"`` (a generated
briefing, digest, topic or entity page, which repeats the notes' titles and
summaries) ``title_only`` marks every top-level block but the title and the
section headings, so the page is found by its title and h2 headings and a
note is listed once, by its own page. Pages marked ``"none"`` are left out
with Material's ``search: {exclude: true}`` page meta (set by the plugin).
"""

from __future__ import annotations

import re

# A start tag at the start of a line: Python-Markdown writes every top-level block
# (and the items of a list) that way. h1 and h2 stay: they are the page's title and sections.
_BLOCK = re.compile(r"^<(?!h[12][\s>])([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])", re.MULTILINE)


def title_only(content: str) -> str:
    """Mark every block of a page's content but its h1 and h2 headings with ``data-search-exclude``.

    >>> title_only('<h1 id="t">Title</h1>\\n<p>Summary</p>\\n<h2 id="s">Section</h2>\\n<h3 id="n">Note</h3>')
    '<h1 id="t">Title</h1>\\n<p data-search-exclude>Summary</p>\\n<h2 id="s">Section</h2>\\n<h3 data-search-exclude id="n">Note</h3>'
    """
    return _BLOCK.sub(r"<\1 data-search-exclude", content)
