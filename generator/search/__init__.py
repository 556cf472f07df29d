"""Search for a built site: engine-free code that indexes the HTML a build writes.

``generator.search.pagefind`` indexes with Pagefind (the program pagefind[extended] installs): a site folder
once it is written (``index_site``), or the pages an engine hands over before
it writes them, on another core while it does (``IndexRun``, with ``Record``);
``generator.search.text`` holds the few text rewrites the index needs (French
elisions with a typographic apostrophe, Chinese and Japanese text without
spaces) and that the browser applies to queries the same way
(``generator/theme/assets/briefing/search.js``). Nothing here imports MkDocs:
any engine that renders the theme overrides in ``generator/theme`` can call
``index_site`` on its output.
"""

from generator.search.pagefind import IndexReport, IndexRun, Record, index_site

__all__ = ["IndexReport", "IndexRun", "Record", "index_site"]
