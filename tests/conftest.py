"""Shared fixtures: temp sites built from a {path: text} dict, and the real commands run as subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}

MKDOCS_YML = """\
site_name: Test briefings
site_url: https://example.org/briefings/
docs_dir: briefings
theme:
  name: material
plugins:
  - search
  - briefing
"""

TOPIC = """\
---
title: {title}
description: Everything about {title}.
order: {order}
---
The standing introduction of {title}.
"""


def note(
    title: str = "A note",
    date: str = "2025-09-11",
    topics: str = "[chips]",
    *,
    url: str = "https://example.org/a",
    source: str = "Example News",
    language: str = "en",
    extra: str = "",
    body: str = "Body text.",
    summary: str | None = None,
) -> str:
    """A valid note's text; ``extra`` is appended to the front matter as written."""
    return (
        "---\n"
        f"title: {title}\n"
        f"date: {date}\n"
        f"topics: {topics}\n"
        "source:\n"
        f"  name: {source}\n"
        f"  url: {url}\n"
        f"  language: {language}\n"
        f"summary: {summary or f'Summary of {title}.'}\n" + textwrap.dedent(extra) + "---\n" + body + "\n"
    )


def topics(*slugs: str) -> dict[str, str]:
    return {f"briefings/topics/{slug}.md": TOPIC.format(title=slug.title(), order=i) for i, slug in enumerate(slugs)}


SiteFactory = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Write a site from ``{relative path: text}`` (a mkdocs.yml and a home page are added unless given)."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "site-src"
        defaults = {"mkdocs.yml": MKDOCS_YML, "briefings/index.md": "# Test briefings\n"}
        for rel, text in {**defaults, **files}.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


def run(args: list[str], cwd: Path, timeout: float = 300, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run one of the installed commands (briefing, mkdocs) as a subprocess."""
    command = [str(BIN / args[0]), *args[1:]]
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def mkdocs_build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(["mkdocs", "build", "--site-dir", str(root / "site"), *extra], cwd=root)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current templates")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# --- the browser, shared by every browser test module (one Playwright per process) ---


@pytest.fixture(scope="session")
def chromium() -> None:
    from browser_support import require_chromium

    require_chromium()


@pytest.fixture(scope="session")
def browser(chromium: None) -> Iterator[Any]:
    from browser_support import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
