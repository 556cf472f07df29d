"""The one sanitiser for HTML that editors wrote: note bodies, ledes, topic intros, editor pages.

Notes carry text copied from pages nobody here controls, and the page around
them is Material for MkDocs, whose script trusts the document it runs in. So
an editor fragment keeps ordinary formatting and nothing that can act on the
page, the reader or a third party (SECURITY.md, "What a note body may contain",
is the policy in prose):

- **tags**: text formatting, headings, lists, quotes, tables, code, figures,
  ``details``/``summary``, links and images (``ALLOWED_TAGS``). No forms,
  inputs, buttons, ``nav``, iframes, objects, SVG, scripts or styles.
- **attributes**: ``id``, ``class``, ``title``, ``lang``, ``dir`` anywhere, and
  a few per tag (``ALLOWED_ATTRIBUTES``). No ``style`` (but ``text-align`` on
  table cells, which Markdown tables write), ``role``, ``tabindex``, ``data-*``,
  ``aria-*`` or event handlers.
- **ids and names** are the document's, not the editor's: Material reads its
  configuration from the element with id ``__config``, and any id or name can
  shadow a global the page's scripts use. Every ``id``, ``name`` and
  ``headers`` value is prefixed with ``user-content-`` (as GitHub does), and
  every in-page link ``href="#x"`` becomes ``#user-content-x``, so footnotes,
  heading permalinks and hand-made anchors still work. Attributes that
  reference ids by other means (``for``, ``form``, ``list``, ``usemap``,
  ``aria-labelledby`` …) are not allowed at all.
- **classes**: only those Python-Markdown writes for the site's extensions
  (``ALLOWED_CLASSES``: admonitions of Material's types and their titles,
  footnotes, heading permalinks, the table of contents) and ``language-*`` on
  code. Material's own classes (``md-*``: ``md-dialog``, ``md-banner`` …) are
  not among them, so a body cannot draw the theme's dialogs, banners or
  buttons ("Session expired: log in again").
- **links**: ``http``, ``https``, ``mailto`` and relative URLs; a link that
  leaves the site gets ``rel="noopener noreferrer"``.
- **images**: only from the site itself (a relative URL). An image from
  elsewhere would tell a third party who reads what (a tracking pixel), so it
  becomes a plain link to the image, labelled with its alt text; inside a link
  it becomes the alt text alone.
- **characters** XML cannot carry and bidi controls are deleted (see
  ``characters``), as ``bodycheck.clean_body`` does before conversion.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

from generator.characters import BIDI_CLASS, FORBIDDEN_CLASS

PREFIX = "user-content-"

ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn"}
    | {"div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins"}
    | {"kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr"}
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang", "name"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align", "style", "headers"}),
    "th": frozenset({"colspan", "rowspan", "align", "style", "scope", "headers"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
ADMONITION_TYPES = frozenset(
    {"note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done"}
    | {"question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error"}
    | {"bug", "example", "quote", "cite"}
)
ALLOWED_CLASSES = ADMONITION_TYPES | {
    "admonition",
    "admonition-title",
    "footnote",
    "footnote-ref",
    "footnote-backref",
    "headerlink",
    "toc",
}
_CODE_LANGUAGE = re.compile(r"^language-[A-Za-z0-9_+#.-]{1,40}$")
_ID_VALUED = frozenset({"id", "name"})
DIRECTIONS = frozenset({"ltr", "rtl", "auto"})  # the values of dir kept
STYLE_PROPERTIES = frozenset({"text-align"})  # the CSS kept in a table cell's style (Markdown tables write it)
_DELETED = re.compile(f"[{FORBIDDEN_CLASS}{BIDI_CLASS}]")
# nh3 (html5ever) serialises every attribute value in double quotes, with '"' as &quot;, and
# writes '<' only to start a tag: these two patterns read its output exactly.
_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s+([^\s"\'>/=]+)(?:="([^"]*)")?')
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers delete these anywhere in a URL


def link_survives(url: str) -> bool:
    """Whether the sanitiser keeps ``url`` as a link: it drops what a browser cannot parse (no host, a bad port)."""
    kept = nh3.clean(
        f'<a href="{html.escape(url, quote=True)}">x</a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )
    return 'href="' in kept


def user_content_id(value: str) -> str:
    """``value`` as an id in editor content: ``key-points`` -> ``user-content-key-points`` (never twice)."""
    return value if value.startswith(PREFIX) else PREFIX + value


def clean_editor_html(fragment: str) -> str:
    """Sanitise HTML converted from an editor's Markdown (or written by one) to what the module docstring allows.

    Idempotent: cleaning clean HTML changes nothing. Not for HTML the
    generator makes itself (badges, charts), whose classes are not an
    editor's to use.
    """
    if _DELETED.search(fragment):
        fragment = _DELETED.sub("", fragment)
    clean = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,  # added below to links that leave the site, and only to those
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
    )
    return _rewrite_links_and_images(clean)


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name in _ID_VALUED:
        return user_content_id(value) if value.strip() else None
    if name == "headers":
        ids = value.split()
        return " ".join(user_content_id(i) for i in ids) if ids else None
    if name == "href" and value.startswith("#"):
        return "#" + user_content_id(value[1:]) if len(value) > 1 else value
    if name == "class":
        kept = [c for c in value.split() if c in ALLOWED_CLASSES or (tag == "code" and _CODE_LANGUAGE.match(c))]
        return " ".join(dict.fromkeys(kept)) or None
    if name == "dir":
        return value.lower() if value.lower() in DIRECTIONS else None
    return value


def _leaves_site(url: str) -> bool:
    """True for a URL with a scheme or a host: one a browser would fetch from elsewhere."""
    text = _URL_NOISE.sub("", html.unescape(url)).strip("\x00- ").replace("\\", "/")
    if text.startswith("//"):
        return True
    try:
        return bool(urlsplit(text).scheme) or bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text))
    except ValueError:
        return True


def _host(url: str) -> str:
    try:
        return urlsplit(html.unescape(url)).hostname or "another site"
    except ValueError:
        return "another site"


def _attributes(text: str) -> dict[str, str]:
    return {m[1]: m[2] or "" for m in _ATTRIBUTE.finditer(text)}


def _rewrite_links_and_images(clean: str) -> str:
    """``rel`` on links that leave the site; images from elsewhere become links (or text inside a link)."""
    if "<a" not in clean and "<img" not in clean:
        return clean
    out: list[str] = []
    last = 0
    open_links = 0
    for tag in _TAG.finditer(clean):
        closing, name = tag[1], tag[2]
        if name not in ("a", "img"):
            continue
        out.append(clean[last : tag.start()])
        last = tag.end()
        if name == "a":
            open_links = max(open_links - 1, 0) if closing else open_links + 1
            attributes = _attributes(tag[3])
            if not closing and _leaves_site(attributes.get("href", "")) and "rel" not in attributes:
                out.append(f'<a{tag[3]} rel="noopener noreferrer">')
            else:
                out.append(tag[0])
            continue
        attributes = _attributes(tag[3])
        src = attributes.get("src", "")
        if src and not _leaves_site(src):
            out.append(tag[0])
            continue
        alt = html.unescape(attributes.get("alt", "")).strip()
        if not src:  # its URL was not allowed (javascript:, data:): only the alt text is left
            out.append(html.escape(alt, quote=False))
            continue
        label = html.escape(f"image: {alt}" if alt else f"image from {_host(src)}", quote=False)
        out.append(label if open_links else f'<a href="{src}" rel="noopener noreferrer">{label}</a>')
    out.append(clean[last:])
    return "".join(out)
