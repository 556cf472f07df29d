"""Editors' own files in the docs dir (images, documents): which of them the site may publish as they are.

The site publishes an editor's file byte for byte, at its own address, where
a reader may open it directly. Most kinds are inert (a PNG, a PDF, a CSV). A
few are documents a browser runs scripts from, on the site's own origin: an
HTML page, an XML file with a stylesheet, a script, an SVG with a ``<script>``
or an ``onload``. Raw HTML in notes is neutralised unless a site opts in
(``allow_raw_html``); the same holds for files, so a pasted or downloaded file
cannot do what a pasted ``<script>`` cannot.

SVG is the one active kind editors need (charts), so an SVG is published when
it holds nothing that runs: no scripts, event handlers, foreign HTML, embedded
documents, script URLs, styles that load other files, or entity declarations. Anything else
active is refused with a message saying what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

# Documents a browser renders with scripts when a reader opens them (lowercase, compared case-insensitively).
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".xht", ".xml", ".xsl", ".xslt", ".js", ".mjs", ".svgz")
SVG_SUFFIX = ".svg"
# Elements of an SVG that run script, hold HTML or load another document.
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video"})
_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:(?!image/(?:png|jpe?g|gif|webp|avif);)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# CSS that loads another file (a request the reader did not ask for) or, in old browsers, runs script.
_CSS_LOADS = re.compile(r"@import|url\(\s*['\"]?(?!#)|expression\(|behavior\s*:", re.IGNORECASE)
_LINKING = frozenset({"a", "image"})  # elements whose href may name another file (a link; a raster image)


def refusal(rel: str, read: Callable[[], bytes]) -> str | None:
    """Why the file ``rel`` cannot be published as it is, or None when it can.

    ``read`` gives its bytes (only SVG files are read).
    """
    name = rel.lower()
    if name.endswith(ACTIVE_SUFFIXES):
        suffix = "." + name.rsplit(".", 1)[-1]
        return (
            f"{suffix} files can run scripts in a reader's browser, so the site does not publish them; "
            "link to the original instead, or turn on the briefing plugin's allow_raw_html if every editor is trusted"
        )
    if name.endswith(SVG_SUFFIX):
        found = svg_active_part(read())
        if found is not None:
            return (
                f"this SVG holds {found}, which runs in a reader's browser when the image is opened; "
                "remove it (or export the chart as PNG), or turn on the briefing plugin's allow_raw_html"
            )
    return None


def svg_active_part(data: bytes) -> str | None:
    """What in an SVG could run or load something (e.g. ``a <script> element``); None if nothing can."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"XML a browser cannot read safely ({str(exc)[:80]})"
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None:
        return "a DOCTYPE with declarations"
    for node in root.getroottree().iter():
        if isinstance(node, etree._ProcessingInstruction):  # an xml-stylesheet runs XSLT
            return f"a processing instruction <?{node.target}?>"
        if not isinstance(node.tag, str):  # a comment or an entity reference
            continue
        local = etree.QName(node).localname.lower()
        if local in _ACTIVE_ELEMENTS:
            return f"a <{local}> element"
        if local == "style" and _CSS_LOADS.search(node.text or ""):
            return "a stylesheet that loads another file"
        for attribute, value in node.attrib.items():
            attr = etree.QName(attribute).localname.lower()
            if attr.startswith("on"):
                return f"an event handler ({attr})"
            if attr == "attributename" and local in _ANIMATIONS and (value.lower().startswith("on") or "href" in value.lower()):
                return f"an animation of {value}"
            if _SCRIPT_URL.search(_INVISIBLE.sub("", value)):
                return f"a script or document URL in {attr}"
            if attr == "style" and _CSS_LOADS.search(value):
                return "a style that loads another file"
            if attr == "href" and local not in _LINKING and not value.strip().startswith("#"):
                return f"a reference to another document (href of <{local}>)"
            if attr == "href" and local == "image" and ("://" in value or value.strip().startswith("//")):
                return "an image from another site"
    return None
