"""A hostile site (every front-matter value and body an attack) and a detector of live markup.

Shared by the safety tests (``test_safety.py``) and the export tests (``test_export.py``):
whatever engine or writer publishes this site, ``live_markup`` of its output must be empty.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import note, topics

HOSTILE_TITLE = "<img src=x onerror=alert(1)> *x* | y [a](javascript:b)"
HOSTILE_NOTE = note(
    HOSTILE_TITLE,
    topics="[chips]",
    source="'<script>alert(2)</script>'",
    summary="'\"><svg onload=alert(14)> & [x](javascript:y)'",
    extra="""\
    original_title: '</title><script>alert(3)</script>'
    entities: ['<b onmouseover=alert(4)>Evil</b>', 'Fine Corp']
    tags: ['<i onclick=alert(5)>tag</i>']
    importance: 5
    """,
    body="""
Intro <script>alert(6)</script> text.

<iframe src="https://evil.example/"></iframe>
<a href="javascript:alert(7)">js link</a> <img src=x onerror=alert(8)>
<a href="data:text/html;base64,PHNjcmlwdD4=">data link</a>
[markdown js](javascript:alert(9)) <div onmouseover="alert(10)">hover</div>
""",
)
HOSTILE_SITE = {
    **topics("chips"),
    "briefings/topics/chips.md": "---\ntitle: '<u>Chips</u> & <script>alert(11)</script>'\ndescription: '\"><svg onload=alert(12)>'\n---\nIntro <script>alert(13)</script>\n",
    "briefings/notes/2025/2025-09-11-hostile.md": HOSTILE_NOTE,
    "briefings/weeks/2025-W37.md": "Lede <script>alert(15)</script> <a href='javascript:alert(16)'>x</a>\n",
    "briefings/weeks/2025-W37/chips.md": "---\nwatch: ['<img src=x onerror=alert(17)>']\n---\n[x](javascript:alert(18))\n",
    # An editor's own page and an entity description: published too, so just as hostile.
    "briefings/about.md": "---\ntitle: '<script>alert(19)</script>'\ndescription: '\"><img src=x onerror=alert(20)>'\n---\n"
    "<svg onload=alert(21)></svg> <object data='x'></object> [y](data:text/html,alert(22))\n",
    "briefings/entities/fine-corp.md": "---\ndescription: '<img src=x onerror=alert(23)>'\n---\n<script>alert(24)</script>\n",
}


_CONTROLS = re.compile(r"[\x00-\x20]")


class LiveMarkup(HTMLParser):
    """Collects markup that would run or load something: the only thing hostile text must never become.

    ``any_script``: every ``<script>`` counts (for page bodies; a theme's pages have scripts of their own).
    """

    def __init__(self, any_script: bool = False) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False
        self.any_script = any_script

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(f"<{tag}>")
        if tag == "script":
            self.in_script = True
            if self.any_script:
                self.found.append("<script>")
        for name, value in attrs:
            value = _CONTROLS.sub("", value or "").lower()  # browsers ignore tabs and newlines in a URL
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value[:20]}>")
        if tag in ("img", "svg", "b", "i", "u") and any("alert" in (v or "") for _, v in attrs):
            self.found.append(f"<{tag}> with alert")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.found.append("<script>alert(...)")


def live_markup(html: str, *, any_script: bool = False) -> list[str]:
    parser = LiveMarkup(any_script)
    parser.feed(html)
    return parser.found
