"""Search for a built site: engine-free code that indexes the HTML a build wrote.

``generator.search.pagefind`` indexes a site folder with Pagefind's Python API
(``index_site``); ``generator.search.text`` holds the few text rewrites the
index needs (French elisions with a typographic apostrophe, Chinese and
Japanese text without spaces) and that the browser applies to queries the same
way (``generator/theme/assets/briefing/search.js``). Nothing here imports
MkDocs: any engine that renders the theme overrides in ``generator/theme`` can
call ``index_site`` on its output.
"""

from generator.search.pagefind import IndexReport, index_site

__all__ = ["IndexReport", "index_site"]
