"""Publishing to GitHub Pages: `mkdocs gh-deploy` into a real (local, bare) git remote, and the 404 page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from conftest import BIN, ENV, REPO, SiteFactory, mkdocs_build, note, topics

pytestmark = pytest.mark.slow

SHIPPED_URL = "https://briefing-generator.github.io/briefings/"
# A fixed identity, and none of the caller's git or SITE_URL settings leaking in.
GIT_ENV = {
    **{k: v for k, v in ENV.items() if not k.startswith("GIT_") and k != "SITE_URL"},
    "GIT_AUTHOR_NAME": "Test Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Test Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site copied into a fresh git repository, gh-deployed to a bare remote; returns the remote."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test mkdocs gh-deploy")
    tmp = tmp_path_factory.mktemp("gh-deploy")
    source = tmp / "source"
    source.mkdir()
    for folder in ("briefings", "templates"):  # the theme additions (404 page) come with the package
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "mkdocs.yml", source / "mkdocs.yml")
    git("init", "--quiet", "--initial-branch=main", cwd=source)
    git("add", "--all", cwd=source)
    git("commit", "--quiet", "--message=Briefings", cwd=source)
    remote = tmp / "pages.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp)
    git("remote", "add", "origin", str(remote), cwd=source)

    # From the repository root, with the defaults: remote "origin", branch "gh-pages".
    result = subprocess.run(
        [str(BIN / "mkdocs"), "gh-deploy", "--force", "--remote-name", "origin"],
        cwd=source,
        env=GIT_ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return remote


def test_gh_pages_branch_holds_the_site(deployed: Path) -> None:
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=deployed).splitlines())
    for path in [
        "index.html",
        ".nojekyll",  # GitHub Pages must not run Jekyll over the site
        "404.html",
        "sitemap.xml",
        "pagefind/pagefind-entry.json",  # the search index (Pagefind)
        "feed.xml",
        "feed-ai-chip-self-sufficiency.xml",
        "topics/ai-chip-self-sufficiency/index.html",
        "weeks/index.html",
    ]:
        assert path in files, path
    weeks = {f for f in files if re.fullmatch(r"weeks/\d{4}-W\d{2}/index\.html", f)}
    assert weeks, "no weekly digest page on gh-pages"
    briefings = {f for f in files if re.fullmatch(r"weeks/\d{4}-W\d{2}/[a-z0-9-]+/index\.html", f)}
    assert briefings, "no topic-week briefing on gh-pages"
    assert not any(f.endswith(".md") for f in files), "Markdown sources must not be published"


def test_deployed_feed_parses_with_absolute_links(deployed: Path) -> None:
    data = subprocess.run(
        ["git", "show", "gh-pages:feed.xml"], cwd=deployed, env=GIT_ENV, capture_output=True, timeout=60, check=True
    ).stdout
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=deployed).splitlines())
    for entry in parsed.entries:
        assert entry.link.startswith(SHIPPED_URL), entry.link
        assert entry.link.removeprefix(SHIPPED_URL) + "index.html" in files, entry.link


def test_deploy_commit_names_the_source_commit(deployed: Path) -> None:
    message = git("log", "-1", "--format=%s", "gh-pages", cwd=deployed)
    assert "Deployed" in message and "MkDocs" in message


def test_404_page_leads_back_under_a_path_prefix(make_site: SiteFactory) -> None:
    """The plugin adds the package's 404 page; the site needs no custom_dir of its own for it."""
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a-note.md": note()})
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    page = (root / "site/404.html").read_text(encoding="utf-8")
    # Served for any missing address at any depth, so its links are absolute, under the prefix.
    assert 'href="/briefings/"' in page and 'href="/briefings/weeks/"' in page
    assert 'action="/briefings/"' in page and 'name="q"' in page  # Material opens its search for ?q=
    assert re.search(r'<link rel="stylesheet" href="/briefings/assets/stylesheets/main\.[0-9a-f]+\.min\.css"', page)
    assert "Page not found" in page
