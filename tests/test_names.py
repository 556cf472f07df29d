"""Names that come from the file system, names the site reserves, and the front-matter fence.

Three classes of the safety review that went untested: a file or folder name
is as untrusted as front matter (it reaches URLs, links and link texts of
generated pages); a name the site uses for its own index pages cannot be an
entity's or a topic's; and front matter is recognised by one rule, so what an
editor wrote between the fences (comments included) never reaches a reader.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import mkdocs_build, note, run, topics, write_site
from hostile import live_markup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import paths
from generator.build import build
from generator.characters import visible
from generator.settings import read_config
from generator.site import Site

# Every character a Linux file name may hold (no "/" and no NUL), biased towards the ones that mean something
# to Markdown, HTML, URLs or a terminal.
SYNTAX = [*"[]()<>\"'`!*_#|{}~&;%?=+ \t\n\r\x0b\x0c\x1b\x7f\u0085\u00a0\u200b\u202e\u2028\ufeff\\", "\udcff"]
name_chars = st.one_of(st.sampled_from(SYNTAX), st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)))
# (A page called index or README is the home page, which is another test's business.)
names = st.text(name_chars, min_size=1, max_size=24).filter(
    lambda n: n not in (".", "..") and n.casefold() not in ("index", "readme")
)

# Where a name can sit: a note's file, a note's folder, a topic, a week's lede, an editor's page.
PLACES = {
    "note": "briefings/notes/2025/2025-09-11-{}.md",
    "note folder": "briefings/notes/{}/2025-09-11-a.md",
    "topic": "briefings/topics/{}.md",
    "page": "briefings/{}.md",
}


def _content(place: str) -> str:
    if place == "topic":
        return "---\ntitle: Other\n---\nIntro.\n"
    if place == "page":
        return "# A page of the editors\n"
    return note("A note")


def _write_raw(root: Path, rel: str, text: str) -> None:
    """Write a file whose name may hold bytes that are not UTF-8 (surrogate escapes)."""
    path = os.path.join(os.fsencode(root), os.fsencode(rel))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))


def _site(tmp_path: Path, place: str, name: str) -> tuple[Path, str]:
    root = write_site(tmp_path, {**topics("chips")})
    rel = PLACES[place].format(name)
    _write_raw(root, rel, _content(place))
    return root, rel


def _page_texts(site: Site) -> str:
    return "\n".join(page.title + page.description + page.markdown + page.head for page in site.pages)


@pytest.mark.parametrize("place", sorted(PLACES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_a_file_name_is_published_safely_or_refused_by_name(
    tmp_path_factory: pytest.TempPathFactory, place: str, name: str
) -> None:
    root, rel = _site(tmp_path_factory.mktemp("names"), place, name)
    site = build(read_config(root / "mkdocs.yml"))
    readable = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    errors = [p for p in site.problems if p.severity.value == "error"]
    if name.startswith(".") and place != "note":
        assert not errors  # hidden files and folders are not part of the site, as for MkDocs
    elif readable != rel or paths.unsafe_name(rel.removeprefix("briefings/")) is not None or name in paths.RESERVED_SLUGS:
        assert errors, f"{rel!r} was accepted"
        # The problem names the file as text an editor can read: never the raw name's bytes or controls.
        assert any(p.path in visible(readable.replace("\n", "\\n").replace("\t", "\\t")) for p in errors), [
            p.path for p in errors
        ]
        for problem in errors:
            assert not any(c in str(problem) for c in "\n\t\r\x1b\u202e\u2028\udcff"), str(problem)
    assert not live_markup(_page_texts(site), any_script=True)


@pytest.mark.parametrize(
    "name",
    [
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(2)>",
        "a\nb",
        "a\u202egpj.exe",
        "caf\u0065\u0301",  # decomposed: its URL would differ from the composed spelling
        "\udcff\udcfe",  # bytes that are not UTF-8
        "x' onmouseover='alert(3)",
    ],
)
def test_check_and_strict_build_refuse_a_bad_note_name_alike(tmp_path: Path, name: str) -> None:
    root = write_site(tmp_path, {**topics("chips"), "briefings/notes/2025/2025-09-11-ok.md": note("Kept")})
    _write_raw(root, f"briefings/notes/2025/2025-09-11-{name}.md", note("Named badly"))
    check = run(["briefing", "check"], cwd=root)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "briefings/notes/2025/2025-09-11-" in check.stdout and "rename" in check.stdout
    strict = mkdocs_build(root, "--strict")
    assert strict.returncode != 0
    lenient = mkdocs_build(root)
    assert lenient.returncode == 0, lenient.stderr
    for result in (check, strict, lenient):
        assert "Traceback" not in result.stdout + result.stderr
    published = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert "Kept" in published and "Named badly" not in published
    assert not live_markup(published)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"briefings/notes/2025/2025-09-11-a.md": note(extra="entities: [Index]\n")}, "would replace the list of all entities"),
        ({"briefings/notes/2025/2025-09-11-a.md": note(extra="entities: [README]\n")}, "would replace the list of all entities"),
        ({"briefings/topics/index.md": "---\ntitle: Index\n---\nIntro.\n"}, "cannot be a topic"),
        ({"briefings/topics/readme.md": "---\ntitle: Readme\n---\nIntro.\n"}, "cannot be a topic"),
        ({"briefings/entities/index.md": "---\ndescription: Mine\n---\n"}, "entities/ holds generated entity pages"),
    ],
)
def test_a_name_the_site_uses_is_refused_by_check_and_build(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    root = write_site(tmp_path, {**topics("chips"), "briefings/notes/2025/2025-09-12-b.md": note("B", "2025-09-12"), **files})
    check = run(["briefing", "check"], cwd=root)
    assert expected in check.stdout, check.stdout  # an error, or a warning when the file is only ignored
    strict = mkdocs_build(root, "--strict")
    assert strict.returncode != 0 and expected in strict.stderr, strict.stderr
    lenient = mkdocs_build(root)
    assert lenient.returncode == 0, lenient.stderr
    # The generated index pages are still the site's own.
    assert "Entities" in (root / "site/entities/index.html").read_text(encoding="utf-8")
    assert (root / "site/weeks/2025-W37/index.html").is_file()


FENCES = {
    "no newline at the end of the file": "---",
    "a no-break space after it": "---\u00a0\n",
    "spaces after it": "---   \n",
    "a tab after it": "---\t\n",
    "YAML's document end": "...\n",
    "CRLF line ends": "---\r\n",
}


@pytest.mark.parametrize("fence", FENCES.values(), ids=list(FENCES))
def test_what_editors_wrote_between_the_fences_never_reaches_a_reader(tmp_path: Path, fence: str) -> None:
    text = note("Fenced", extra="# EDITORS-ONLY remark: do not publish\n").replace("\n---\nBody text.\n", "\n" + fence)
    if fence.endswith("\n"):
        text += "Body text.\n"
    if fence == "---\r\n":
        text = text.replace("\n", "\r\n")
    root = write_site(tmp_path, {**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": text.encode("utf-8")})
    check = run(["briefing", "check"], cwd=root)
    strict = mkdocs_build(root, "--strict")
    assert (check.returncode == 0) == (strict.returncode == 0), check.stdout + strict.stderr
    assert check.returncode == 0, check.stdout
    published = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert "Fenced" in published
    assert "EDITORS-ONLY" not in published and "source:" not in published
