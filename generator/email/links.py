"""Editor Markdown (ledes) as HTML for a message: sanitised, with every link absolute.

On the site, a link in a lede such as ``../notes/2025/x.md`` (relative to the
lede file ``weeks/2025-W38.md``) is resolved by MkDocs. A message is read far
from the site, so here it becomes ``https://owner.github.io/repo/notes/2025/x/``.

The rule is the site's own (``generator.paths.resolve_link``); what is
particular to a message is which tags it keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import nh3

from generator import markup, paths, sanitize
from generator.escape import Trusted

UrlFor = Callable[[str], str]

# What a message keeps of the site's sanitised HTML. Images go (a remote image is a
# request that tells the sender who read what, and mail clients block them anyway),
# and so do form controls and navigation, which mean nothing in a message.
EMAIL_TAGS = frozenset(sanitize.ALLOWED_TAGS - {"img", "input", "label", "button", "nav", "details", "summary"})
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

    ``https://``, ``http://`` and ``mailto:`` links are kept; a relative path is
    resolved by the site's rule (``generator.paths.resolve_link``) and must stay
    inside the docs dir; anything else (``javascript:``, ``data:``, ``//host``,
    a path that climbs out of the site) has no place in a message.
    """
    href = href.strip()
    scheme = urlsplit(href).scheme
    if scheme:
        return href if scheme.lower() in ABSOLUTE_SCHEMES else None
    found = paths.resolve_link(base_path, href)
    if found is None:
        return None
    target, fragment = found
    return url("" if target == "." else target) + (f"#{fragment}" if fragment else "")


def fragment_html(text: str, base_path: str, url: UrlFor) -> Trusted:
    """Editor Markdown as HTML for a message: the site's sanitiser, then absolute links and no images.

    Always sanitised, whatever the site's ``allow_raw_html``: a message is
    read in clients this project knows nothing about.
    """
    # Links are made absolute below, by ``resolve``; the site's sanitiser runs first, whatever ``allow_raw_html``.
    html = markup.to_html(text, source=base_path, where=markup.Where(None, frozenset()))

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
