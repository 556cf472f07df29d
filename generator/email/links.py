"""Editor Markdown (ledes) as HTML for a message: sanitised, with every link absolute.

On the site, a link in a lede such as ``../notes/2025/x.md`` (relative to the
lede file ``weeks/2025-W38.md``) is resolved by MkDocs. A message is read far
from the site, so here it becomes ``https://owner.github.io/repo/notes/2025/x/``.

The core has no function for this yet (MkDocs does it for pages), so it lives
here, pure; a paths module in the core would be its natural home.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import urlsplit

import nh3

from generator import markup
from generator.escape import Trusted

UrlFor = Callable[[str], str]

# What a message keeps of the site's sanitised HTML. Images go (a remote image is a
# request that tells the sender who read what, and mail clients block them anyway),
# and so do form controls and navigation, which mean nothing in a message.
EMAIL_TAGS = frozenset(markup.ALLOWED_TAGS - {"img", "input", "label", "button", "nav", "details", "summary"})
EMAIL_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "*": {"lang", "dir", "title"},
}
ABSOLUTE_SCHEMES = ("http", "https", "mailto")


def resolve(href: str, base_path: str, url: UrlFor) -> str | None:
    """An absolute link for ``href`` written in the docs file ``base_path``; None when it cannot be one.

    ``https://``, ``http://`` and ``mailto:`` links are kept; a path is read
    relative to the file's folder (``/path`` from the docs root), and must stay
    inside the docs dir; anything else (``javascript:``, ``data:``, a path that
    climbs out of the site) has no place in a message.
    """
    href = href.strip()
    parts = urlsplit(href)
    if parts.scheme:
        return href if parts.scheme.lower() in ABSOLUTE_SCHEMES else None
    if parts.netloc:  # //host/path: a network-path reference, nothing of ours
        return None
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    query = f"?{parts.query}" if parts.query else ""
    if not parts.path:  # "#section" of the lede itself: its page is the week's page, not the lede file
        return None
    if parts.path.startswith("/"):
        target = posixpath.normpath(parts.path.lstrip("/"))
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(base_path), parts.path))
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return None
    if target == ".":
        target = ""
    return url(target) + query + fragment


def fragment_html(text: str, base_path: str, url: UrlFor) -> Trusted:
    """Editor Markdown as HTML for a message: the site's sanitiser, then absolute links and no images.

    Always sanitised, whatever the site's ``allow_raw_html``: a message is
    read in clients this project knows nothing about.
    """
    html = str(markup.to_html(text))

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "href":
            # nh3 has already removed hrefs with other schemes; what comes back here is never checked
            # again, so only an absolute http(s)/mailto link may leave this function.
            return resolve(value, base_path, url)
        return value

    clean = nh3.clean(
        html,
        tags=set(EMAIL_TAGS),
        attributes=EMAIL_ATTRIBUTES,
        attribute_filter=rewrite,
        url_schemes={*ABSOLUTE_SCHEMES},
        link_rel=None,  # rel means nothing in a mail client
        strip_comments=True,
    )
    return Trusted(clean)
