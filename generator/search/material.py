"""The lean index for Material's own search plugin: the fallback, and the design Pagefind was compared with.

Material's search plugin indexes each page's content HTML, section by section
(a section per heading), and skips any element carrying
``data-search-exclude``. For a page marked ``bf_search: "title"`` (a generated
briefing, digest, topic or entity page, which repeats the notes' titles and
summaries) ``title_only`` marks every top-level block but the title, so the
page is found by its title and a note is listed once, by its own page (as
with Pagefind, see generator/theme/main.html for why headings are left out). Pages marked ``"none"`` are left out
with Material's ``search: {exclude: true}`` page meta (set by the plugin).
"""

from __future__ import annotations

import re

# A start tag at the start of a line: Python-Markdown writes every top-level block
# (and the items of a list) that way. The h1 stays: it is the page's title.
_BLOCK = re.compile(r"^<(?!h1[\s>])([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])", re.MULTILINE)


def title_only(content: str) -> str:
    """Mark every block of a page's content but its h1 title with ``data-search-exclude``.

    >>> title_only('<h1 id="t">Title</h1>\\n<p>Summary</p>\\n<h2 id="s">Section</h2>')
    '<h1 id="t">Title</h1>\\n<p data-search-exclude>Summary</p>\\n<h2 data-search-exclude id="s">Section</h2>'
    """
    return _BLOCK.sub(r"<\1 data-search-exclude", content)
