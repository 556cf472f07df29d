"""One Markdown converter for all pages (generator.mkdocs_markdown) renders what MkDocs renders."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from generator.mkdocs_markdown import SharedConverter, _render

CONFIG = """\
site_name: Converter test
docs_dir: docs
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
"""

# Documents that leave state behind in a converter: footnotes, abbreviations,
# heading ids (toc makes them unique per page), raw HTML, links and anchors.
DOCS = {
    "a.md": "# Alpha\n\nText[^1] about HTML.\n\n[^1]: A note.\n\n*[HTML]: Hyper Text\n\n## Same\n\n## Same\n",
    "b.md": "# Beta\n\nHTML again, no abbreviation here.\n\n## Same\n\nSee [alpha](a.md#same) and [gamma](c.md).\n",
    "c.md": '!!! note "Note"\n    Inside.\n\n<div markdown="1" id="box">*md* in html</div>\n\nTerm\n:   Definition\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    "d.md": "Text[^x] with a missing [link](nowhere.md).\n\n[^x]: Footnote of d.\n",
}


def _pages(root: Path) -> tuple[object, object, list[Page]]:
    config = load_config(config_file=str(root / "mkdocs.yml"))
    files = get_files(config)
    found = []
    for file in files.documentation_pages():
        page = Page(None, file, config)
        page.read_source(config)
        found.append(page)
    return config, files, found


def test_shared_converter_renders_what_mkdocs_renders(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for name, text in DOCS.items():
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    config, files, expected = _pages(tmp_path)
    for page in expected:
        page.render(config, files)  # type: ignore[arg-type]

    shared = SharedConverter()
    shared.on_pre_build(config=config)  # type: ignore[arg-type]
    assert shared.active
    _, _, actual = _pages(tmp_path)
    for _ in range(2):  # twice over, so every page follows another through the same converter
        for page in actual:
            _render(page, shared, config, files)  # type: ignore[arg-type]
        for want, got in zip(expected, actual, strict=True):
            assert got.content == want.content
            assert str(got.toc) == str(want.toc)
            assert got._title_from_render == want._title_from_render
            assert got.present_anchor_ids == want.present_anchor_ids
            assert {f.src_uri: a for f, a in (got.links_to_anchors or {}).items()} == {
                f.src_uri: a for f, a in (want.links_to_anchors or {}).items()
            }


def test_other_extensions_keep_mkdocs_own_render(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(CONFIG + "  - pymdownx.caret\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    shared = SharedConverter()
    shared.on_pre_build(config=config)
    assert not shared.active
