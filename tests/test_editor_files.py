"""Editors' own files: Markdown under another suffix, documents a browser runs, files where a page goes.

An editor's file is published byte for byte at its own address, where a
reader may open it. Three classes went unchecked: a note saved as
``.markdown`` (or any suffix MkDocs reads as a page) was published by the
engine unchecked and unsanitised; an HTML, XML or script file, or an SVG with
a script, ran on the site's origin; and a file at the address where the site
writes a page was silently replaced.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mkdocs_build, note, run, topics, write_site

from generator import editorfiles, paths

SCRIPT_NOTE = (
    "---\ntitle: [unclosed\ndate: 2025-02-30\n---\n<script>alert('rt-1')</script>\n\n<img src=x onerror=alert('rt-2')>\n"
)


def _site(tmp_path: Path, files: dict[str, str | bytes], **options: object) -> Path:
    yml = "site_name: Test\nsite_url: https://example.org/\ndocs_dir: briefings\ntheme:\n  name: material\nplugins:\n  - briefing"
    if options:
        yml += ":\n" + "".join(f"      {key}: {str(value).lower()}\n" for key, value in options.items())
    return write_site(
        tmp_path, {"mkdocs.yml": yml + "\n", **topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note(), **files}
    )


def _published(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (root / "site").rglob("*") if p.is_file())


@pytest.mark.parametrize("suffix", [s for s in paths.MARKDOWN_SUFFIXES if s != ".md"] + [".MD", ".Md", ".MARKDOWN"])
@pytest.mark.parametrize("folder", ["notes/2025/", "topics/", "", "weeks/"])
def test_markdown_under_another_suffix_is_an_error_and_never_published(tmp_path: Path, suffix: str, folder: str) -> None:
    rel = f"briefings/{folder}2025-09-12-rt{suffix}"
    root = _site(tmp_path, {rel: SCRIPT_NOTE})

    check = run(["briefing", "check"], cwd=root)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"{rel.removeprefix('briefings/')}:1: error:" in check.stdout and "end in .md" in check.stdout
    assert "2025-09-12-rt.md" in check.stdout  # says what to rename it to

    strict = mkdocs_build(root, "--strict")
    assert strict.returncode != 0 and "end in .md" in strict.stderr
    lenient = mkdocs_build(root)
    assert lenient.returncode == 0, lenient.stderr
    assert "rt-1" not in _published(root) and "rt-2" not in _published(root)
    assert not list((root / "site").rglob("*2025-09-12-rt*"))


@pytest.mark.parametrize("suffix", [".html", ".htm", ".xhtml", ".shtml", ".xml", ".xsl", ".js", ".mjs", ".svgz", ".HTML"])
def test_documents_a_browser_runs_are_refused_unless_raw_html_is_allowed(tmp_path: Path, suffix: str) -> None:
    rel = f"briefings/notes/2025/attachment{suffix}"
    root = _site(tmp_path, {rel: "<script>alert(document.domain)</script>"})
    check = run(["briefing", "check"], cwd=root)
    assert check.returncode == 1 and f"notes/2025/attachment{suffix}:1: error:" in check.stdout, check.stdout
    assert mkdocs_build(root, "--strict").returncode != 0
    assert mkdocs_build(root).returncode == 0
    assert not (root / "site/notes/2025" / f"attachment{suffix}").exists()

    export = run(["briefing", "export", str(tmp_path / "out")], cwd=root)
    assert export.returncode == 0 and not list((tmp_path / "out").rglob(f"attachment{suffix}"))

    trusted = _site(tmp_path / "trusted", {rel: "<script>alert(document.domain)</script>"}, allow_raw_html=True)
    assert run(["briefing", "check"], cwd=trusted).returncode == 0
    assert mkdocs_build(trusted, "--strict").returncode == 0
    assert (trusted / "site/notes/2025" / f"attachment{suffix}").is_file()


CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
    "<style>*{{stroke-linejoin: round}}</style>{}"
    '<rect width="10" height="10" fill="url(#g)"/><use xlink:href="#r"/><a href="https://example.org/"><text>x</text></a></svg>'
)


@pytest.mark.parametrize(
    "inside",
    [
        "<script>alert(1)</script>",
        '<g onload="alert(1)"/>',
        '<g ONCLICK="alert(1)"/>',
        '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></body></foreignObject>',
        '<a href="java&#x09;script:alert(1)"><text>x</text></a>',
        '<a xlink:href=" JavaScript:alert(1)"><text>x</text></a>',
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><text>x</text></a>',
        '<set attributeName="onmouseover" to="alert(1)"/>',
        '<animate attributeName="href" values="javascript:alert(1)"/>',
        '<iframe src="https://evil.example/"/>',
        '<embed src="x.html"/>',
        '<use href="https://evil.example/sprite.svg#x"/>',
        '<image href="https://tracker.example/pixel.png"/>',
        "<style>@import url(https://evil.example/x.css);</style>",
        '<rect style="fill: url(https://tracker.example/x)"/>',
        '<?xml-stylesheet type="text/xsl" href="evil.xsl"?>',
    ],
)
def test_an_svg_that_could_run_or_load_something_is_refused(inside: str) -> None:
    assert editorfiles.svg_active_part(CHART.format(inside).encode()) is not None


def test_an_svg_with_an_entity_declaration_is_refused_without_expanding_it() -> None:
    laughs = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    assert editorfiles.svg_active_part(laughs.encode()) == "a DOCTYPE with declarations"
    assert editorfiles.svg_active_part(b"<svg") is not None  # not XML at all


def test_a_chart_svg_is_published(tmp_path: Path) -> None:
    chart = CHART.format('<linearGradient id="g"/><image href="bars.png"/>')
    assert editorfiles.svg_active_part(chart.encode()) is None
    root = _site(
        tmp_path, {"briefings/notes/2025/chart.svg": chart, "briefings/notes/2025/bad.svg": CHART.format("<script>x()</script>")}
    )
    check = run(["briefing", "check"], cwd=root)
    assert "notes/2025/bad.svg:1: error: this SVG holds a <script> element" in check.stdout
    assert "chart.svg" not in check.stdout
    assert mkdocs_build(root).returncode == 0
    assert (root / "site/notes/2025/chart.svg").read_text(encoding="utf-8") == chart
    assert not (root / "site/notes/2025/bad.svg").exists()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_file_where_the_site_writes_a_page_is_reported_not_silently_replaced(tmp_path: Path, directory_urls: bool) -> None:
    where = "notes/2025/2025-09-11-a/index.html" if directory_urls else "notes/2025/2025-09-11-a.html"
    files: dict[str, str | bytes] = {f"briefings/{where.upper() if directory_urls else where}": "<p>mine</p>"}
    root = _site(tmp_path, files, allow_raw_html=True)  # an HTML file a trusted site may publish, but not here
    if not directory_urls:
        yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(yml + "use_directory_urls: false\n", encoding="utf-8")
    check = run(["briefing", "check"], cwd=root)
    assert "is written to this file's address; this file is not published" in check.stdout, check.stdout
    assert mkdocs_build(root, "--strict").returncode != 0
