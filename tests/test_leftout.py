"""What the sanitiser leaves out of an editor's Markdown is said, at its line (SPEC 6: nothing is dropped silently).

Every tag, attribute and link that ``generator.sanitize`` removes from a fragment gets a warning naming it
at the line it is on, in `briefing check` as in the build; what the sanitiser keeps (formatting tags, code
that shows HTML, comments, ordinary links) gets none. A strict build fails on them, with or without
``--quiet``, and ``allow_raw_html`` (nothing left out) says nothing.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, build_site, mkdocs_build, note, run, topics, write_site

from generator import markup
from generator.leftout import MAX_WARNINGS, left_out
from generator.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_editor_html

LEADING = "First paragraph.\n\nSecond paragraph.\n\n"  # so that the snippet is on line 5 of the body
REMOVED_TAGS = [
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select", "svg", "math",
    "link", "meta", "base", "video", "audio", "source", "canvas", "dialog", "template", "noscript", "frame",
    "marquee", "center", "font", "nav", "label", "applet", "portal", "x-widget",
]  # fmt: skip
EVENT_ATTRIBUTES = ["onclick", "onerror", "onload", "onmouseover", "onfocus", "ontoggle", "onanimationstart", "ONCLICK"]
OTHER_ATTRIBUTES = ["style", "role", "tabindex", "data-md-component", "aria-hidden", "target", "srcset", "form"]
BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java&#x09;script:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "https://example.org:99999/x",
    "http://1.2.3.999/x",
]
KEPT = [
    "<sub>2</sub> and <sup>3</sup>, <kbd>Ctrl</kbd>, <abbr title='Bureau'>BIS</abbr>, <mark>m</mark>",
    "<details><summary>More</summary>\n\nHidden text.\n\n</details>",
    '<table><tr><td colspan="2" align="left">cell</td></tr></table>',
    "Code: `<script>alert(1)</script>` and `<iframe>`.",
    "```\n<script>alert(1)</script>\n<form action=x>\n```",
    "    <script>indented code</script>",
    "<!-- a note to myself -->",
    "[Reuters](https://www.reuters.com/x?a=1&b=2#c), [mail](mailto:desk@example.org), [week](../../weeks/x/#y)",
    "<https://www.reuters.com/x> and [ref][r]\n\n[r]: https://example.org:8443/path",
    '<a href="https://example.org/" title="t">a link</a> <span lang="zh" dir="auto">中文</span>',
    "A [link](https://example.org/){: .md-button title='kept' } and {braces = prose}",
    "- [x] done\n- [ ] to do",  # a task list's checkboxes are the extension's, not the editor's HTML
    "Sites write `<font color=red>` and never use onclick= here.",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "Revenue < 5% and x<y and a <= b.",
    "Line one<br>\nline two",
]


def _warnings(text: str, first_line: int = 1, extensions: tuple[object, ...] = ()) -> list[tuple[int, str]]:
    found = left_out(text, "notes/2025/a.md", first_line, extensions)
    assert all(p.field == "body" and p.severity.value == "warning" for p in found)
    return [(p.line, p.message) for p in found]


@pytest.mark.parametrize("tag", REMOVED_TAGS)
def test_a_removed_tag_is_named_at_its_line(tag: str) -> None:
    snippet = f'Text <{tag} src="x.png">inside</{tag}> more.'
    assert f"<{tag}" not in clean_editor_html(markup.convert_unsanitised(snippet))  # the sanitiser does remove it
    found = _warnings(LEADING + snippet, first_line=7)
    assert [line for line, _ in found] == [11], found
    assert f"raw HTML <{tag}>" in found[0][1]


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_an_allowed_tag_with_allowed_attributes_is_not_mentioned(tag: str) -> None:
    values = {"style": "text-align: left", "dir": "auto"}
    attributes = " ".join(
        f'{name}="{values.get(name, "1")}"' for name in sorted(ALLOWED_ATTRIBUTES.get(tag, ())) if name not in ("href", "src")
    )
    assert _warnings(f'Text <{tag} title="t" {attributes}>inside</{tag}> more.') == []


@pytest.mark.parametrize("attribute", EVENT_ATTRIBUTES + OTHER_ATTRIBUTES)
@pytest.mark.parametrize("tag", ["img", "a", "p", "div", "span", "details", "td"])
def test_a_removed_attribute_is_named_with_its_tag(tag: str, attribute: str) -> None:
    if attribute in ALLOWED_ATTRIBUTES.get(tag, ()):
        pytest.skip(f"{attribute} is kept on <{tag}> (text-align only)")
    snippet = f'<{tag} {attribute}="x" title="kept">text</{tag}>'
    if tag == "td":
        snippet = f"<table><tr>{snippet}</tr></table>"
    found = _warnings(LEADING + snippet)
    assert len(found) == 1 and found[0][0] == 5, found
    assert f"the attribute {attribute.lower()} of <{tag}>" in found[0][1]
    assert "cannot run scripts" in found[0][1] if attribute.lower().startswith("on") else True


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize(
    "shape",
    ["[the text]({url})", "![alt text]({url})", '<a href="{url}">the text</a>', "[the text][ref]\n\n[ref]: {url}"],
)
def test_a_link_the_sanitiser_drops_is_named(url: str, shape: str) -> None:
    found = _warnings(LEADING + shape.format(url=url))
    assert len(found) == 1, found
    assert found[0][0] in (5, 7)  # the link's line; a reference's definition two lines on
    assert "is left out of the page" in found[0][1] and ("link" in found[0][1] or "image" in found[0][1])


@pytest.mark.parametrize("attribute", ["onclick", "onmouseover", "style"])
@pytest.mark.parametrize(
    "shape",
    ['A [link](https://example.org/){{: {a}="x" }}', '# A heading {{: {a}="x" }}', 'A paragraph.\n{{: {a}="x" }}'],
)
def test_an_attribute_set_with_attr_list_is_named(shape: str, attribute: str) -> None:
    found = _warnings(LEADING + shape.format(a=attribute), extensions=("extra",))
    assert len(found) == 1 and found[0][0] in (5, 6), found
    assert f"the attribute {attribute} of <" in found[0][1]


# Found by a red-team pass: each is removed by the sanitiser, and was once left out silently or at another line.
AT_THEIR_LINES = {
    "tab in a raw block": ("<div>\n\t<iframe src='https://e.example/embed'></iframe>\n</div>", 2, "<iframe>"),
    "tab inside a tag": ("Watch <iframe\tsrc='https://e.example/'></iframe> here.", 1, "<iframe>"),
    "blank-looking line in a raw block": ("<div>\n  \n<script>alert(1)</script>\n</div>", 3, "<script>"),
    "charref without ;": ("<div>&#169 2025 <iframe src='x'></iframe></div>", 1, "<iframe>"),
    "raw block in a quote": ("> <div>\n> <iframe src='x'></iframe>\n> </div>", 2, "<iframe>"),
    "md_in_html child": ("<div markdown='1'>\n\nSome **text**.\n\n<iframe src='x'></iframe>\n\n</div>", 5, "<iframe>"),
    "md_in_html container": ("<section markdown='1'>\n\nText.\n\n</section>", 1, "<section>"),
    "md_in_html attribute": ("<div markdown='1' role='dialog'>\n\nText.\n\n</div>", 1, "role"),
    "md_in_html handler": ("<div markdown='1'>\n\n<p onclick>x</p>\n\n</div>", 3, "onclick"),
    "attr_list target": ("See [the report](https://example.org/r){: target='_blank' }.", 1, "target"),
    "attr_list role": ("Alert!\n{: role='alert' }", 2, "role"),
    "attr_list href": ("[safe](https://example.org/){: href='javascript:alert(1)' }", 1, "javascript:"),
    "a fence's attributes": ("```{ .python data-x='1' }\nprint(1)\n```", 1, "data-x"),
    "reference in a quote": ("[a][r]\n\n> [r]: javascript:alert(1)", 3, "javascript:"),
    "reference in a list": ("- see [a][r]\n\n    [r]: javascript:alert(1)", 3, "javascript:"),
    "hidden reference in a list": ("- item\n- [the text][ref]\n    \n    [ref]: javascript&#58;alert(1)", 4, "javascript:"),
    "reference in an admonition": ("!!! note\n    See [a][r].\n\n    [r]: javascript:alert(1)", 4, "javascript:"),
    "single-quoted title": ("[a](javascript:alert(1) 'title')", 1, "javascript:"),
    "space in the target": ("[a](javascript:void 0)", 1, "javascript:"),
    "newline in the target": ("Text.\n\n[a](java\nscript:alert(1))", 3, "java"),
    "> in the target": ("Text.\n\n[a](data:text/html,<b>x</b>)", 3, "data:"),
    "host ending in a number": ("Text.\n\n[a](https://example.123/)", 3, "example.123"),
    "hex host": ("![i](http://cdn.0x1/p.png)", 1, "0x1"),
    "autolink": ("Text.\n\n<ftp://example.org/file>", 3, "ftp:"),
    "tag in code first": ("Use `<iframe>` to embed.\n\n<iframe src='x'></iframe>", 3, "<iframe>"),
    "tag in a fence first": ("```\n<script>alert(1)</script>\n```\n\n<script>alert(1)</script>", 5, "<script>"),
    "attribute named in prose first": ("Never use onclick= in notes.\n\nPara.\n{: onclick='x' }", 4, "onclick"),
    "a cell's style": ("<table><tr><td style='width:50%;color:red'>x</td></tr></table>", 1, "text-align"),
    "a direction": ("<p dir='right'>x</p>", 1, "ltr, rtl or auto"),
    "odd comment": ("<!--> <img src='pic.png' onerror='alert(1)'> -->", 1, "onerror"),
}


@pytest.mark.parametrize("case", sorted(AT_THEIR_LINES))
def test_what_the_red_team_found_is_named_at_its_line(case: str) -> None:
    body, line, named = AT_THEIR_LINES[case]
    found = _warnings(body, extensions=("extra", "sane_lists", "admonition", "md_in_html", "pymdownx.superfences"))
    assert [at for at, _ in found] == [line], found
    assert named in found[0][1]


@pytest.mark.parametrize(
    "body",
    [
        "[a](javascript:alert(1))\n\ntext\n\n[b](javascript:alert(1))",
        "One.\n{: onclick='a' }\n\nTwo.\n{: onclick='b' }",
        "<p onclick='a'>x</p>\n\ny\n{: onclick='b' }",
        "<a href='javascript:x'>a</a>\n\n[b](javascript:x)",
    ],
)
def test_each_of_a_repeated_removal_is_named(body: str) -> None:
    assert len(_warnings(body)) == 2


def test_the_scan_of_links_stays_linear() -> None:
    """A 100 kB body of unclosed labels made the reference scan quadratic: seconds for one note."""
    body = "[r]: y\n\n" + "[x\n\n" * 24_990 + "] y"
    started = time.perf_counter()
    markup.link_targets(body)
    assert time.perf_counter() - started < 1.0  # linear: milliseconds; quadratic: about 3 s


def test_a_lede_and_a_topic_intro_are_named_at_their_own_lines(tmp_path: Path) -> None:
    site = build_site(
        write_site(
            tmp_path,
            {
                **topics("chips"),
                "briefings/topics/chips.md": "---\ntitle: Chips\ndescription: All.\n---\n\nIntro.\n\n<iframe src=x></iframe>\n",
                "briefings/notes/2025/2025-09-11-a.md": note("A"),
                "briefings/weeks/2025-W37.md": "---\nwatch: []\n---\n\nThe lede.\n\n<iframe src=x></iframe>\n",
            },
        )
    )
    found = {(p.path, p.line) for p in site.problems if "<iframe>" in p.message}
    assert found == {("topics/chips.md", 8), ("weeks/2025-W37.md", 7)}, site.problems


@pytest.mark.parametrize("kept", KEPT)
def test_what_the_sanitiser_keeps_is_not_mentioned(kept: str) -> None:
    assert _warnings(kept, extensions=("extra", "sane_lists", "admonition", "pymdownx.superfences")) == []


def test_the_same_tag_twice_is_named_at_both_lines() -> None:
    found = _warnings("<script>a</script>\n\ntext\n\n<script>b</script>")
    assert [line for line, _ in found] == [1, 5]


def test_many_are_capped_with_a_count() -> None:
    found = _warnings("\n\n".join(f"<iframe src='{i}'></iframe>" for i in range(MAX_WARNINGS + 5)))
    assert len(found) == MAX_WARNINGS + 1
    assert found[-1][1].startswith("and 5 more")


def test_a_hostile_tag_name_is_shown_harmless() -> None:
    found = _warnings("<x\u202eevil>text</x\u202eevil> and <" + "y" * 500 + ">")
    assert found and all("\u202e" not in message and len(message) < 400 for _, message in found)


def _site(root: Path, body: str, mkdocs_yml: str = MKDOCS_YML) -> Path:
    files = {
        **topics("chips"),
        "mkdocs.yml": mkdocs_yml,
        "briefings/notes/2025/2025-09-11-a.md": note("A", body=body),
        "briefings/weeks/2025-W37.md": "A lede <iframe src='https://e.example/'></iframe>.\n",
        "briefings/topics/chips.md": "---\ntitle: Chips\ndescription: All chips.\n---\nIntro [j](javascript:alert(1)).\n",
        "briefings/about.md": "# About\n\n<form><input name=p></form>\n",
    }
    return write_site(root, files)


def test_every_kind_of_fragment_is_checked(tmp_path: Path) -> None:
    site = build_site(_site(tmp_path, "Body.\n\n<script>alert(1)</script>\n"))
    found = {(p.path, p.line) for p in site.problems if "left out of the page" in p.message}
    assert found >= {
        ("notes/2025/2025-09-11-a.md", 13),
        ("weeks/2025-W37.md", 1),
        ("topics/chips.md", 5),
        ("about.md", 3),
    }, site.problems


def test_allow_raw_html_leaves_nothing_out_and_says_nothing(tmp_path: Path) -> None:
    yml = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      allow_raw_html: true\n")
    site = build_site(_site(tmp_path, "<script>alert(1)</script>\n", yml))
    assert not [p for p in site.problems if "left out of the page" in p.message]


@pytest.mark.slow
@pytest.mark.parametrize("quiet", [(), ("--quiet",)])
def test_check_warns_and_the_strict_build_fails_naming_the_line(tmp_path: Path, quiet: tuple[str, ...]) -> None:
    root = write_site(
        tmp_path,
        {**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note("A", body="Body.\n\n<iframe src=x></iframe>\n")},
    )
    checked = run(["briefing", "check"], cwd=root)
    assert checked.returncode == 0  # warnings only
    written = (root / "briefings/notes/2025/2025-09-11-a.md").read_text(encoding="utf-8").split("\n")
    line = f"briefings/notes/2025/2025-09-11-a.md:{written.index('<iframe src=x></iframe>') + 1}: warning: raw HTML <iframe>"
    assert line in checked.stdout
    built = mkdocs_build(root, "--strict", *quiet)
    assert built.returncode != 0
    assert line in built.stderr
    assert re.search(r"Aborted with \d+ warnings? in strict mode", built.stdout + built.stderr)
    assert mkdocs_build(root, *quiet).returncode == 0  # without --strict the page is published, safely
    assert "<iframe" not in (root / "site/notes/2025/2025-09-11-a/index.html").read_text(encoding="utf-8")
