"""Shared fixtures: temp sites built from a {path: text} dict, and the real commands run as subprocesses.

``write_site`` is the one place that writes a test site to disk; the ``make_site``
fixture and the module-scoped fixtures all go through it. ``site_config`` reads
a test site's ``mkdocs.yml`` the way ``briefing`` does, and ``build_site`` builds it
with the core alone (no MkDocs).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.settings import SiteConfig, read_config
from generator.site import Site

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}

SITE_URL = "https://example.org/briefings/"
MKDOCS_YML = f"""\
site_name: Test briefings
site_url: {SITE_URL}
docs_dir: briefings
theme:
  name: material
plugins:
  - search
  - briefing
"""
HOME = "# Test briefings\n"

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


def write_site(root: Path, files: Mapping[str, str | bytes], *, defaults: bool = True) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; returns ``root``.

    With ``defaults``, a ``mkdocs.yml`` (``MKDOCS_YML``) and a home page are
    added unless ``files`` gives them. The one function that writes test sites.
    """
    everything: dict[str, str | bytes] = {"mkdocs.yml": MKDOCS_YML, "briefings/index.md": HOME} if defaults else {}
    everything.update(files)
    for rel, content in everything.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def site_config(root: Path) -> SiteConfig:
    """The SiteConfig of the test site at ``root``, read from its mkdocs.yml as `briefing` reads it."""
    return read_config(root / "mkdocs.yml")


def build_site(root: Path, *, include_drafts: bool = False) -> Site:
    """The core's build of the test site at ``root`` (no MkDocs)."""
    return build(site_config(root), include_drafts=include_drafts)


def core_config(**overrides: object) -> SiteConfig:
    """A SiteConfig for rendering pure data (no site on disk): the shipped templates, ``SITE_URL``."""
    nowhere = REPO / "tests" / "no-such-site"  # no templates/ here: the shipped ones are used
    values: dict[str, object] = {
        "docs_dir": nowhere / "briefings",
        "root": nowhere,
        "site_name": "Test briefings",
        "site_url": SITE_URL,
    }
    values.update(overrides)
    return SiteConfig(**values)  # type: ignore[arg-type]


SiteFactory = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Write a site from ``{relative path: text}`` (a mkdocs.yml and a home page are added unless given)."""
    return lambda files: write_site(tmp_path / "site-src", files)


def stop_serving(server: subprocess.Popen[Any]) -> None:
    """Stop a ``mkdocs serve`` (or ``properdocs serve``) as Ctrl-C does: it then removes its temporary
    site folder, which SIGTERM would leave behind in the temp dir. ``timeout`` passes the signal on.
    A process started in the background by a shell without job control ignores Ctrl-C (it inherits
    SIGINT ignored), so SIGTERM follows, which ``timeout`` passes on too; never a bare kill of
    ``timeout``, which would leave the server running on its own."""
    for stop in (lambda: server.send_signal(signal.SIGINT), server.terminate, server.kill):
        stop()
        try:
            server.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


def run(args: list[str], cwd: Path, timeout: float = 300, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run one of the installed commands (briefing, mkdocs) as a subprocess."""
    command = [str(BIN / args[0]), *args[1:]]
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def assert_only_left_out_warnings(log: str) -> None:
    """A hostile site's build log: every warning is one of what the sanitiser leaves out (its bodies' tags), no other."""
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert all("is left out of the page" in line for line in warnings), log[-3000:]


def mkdocs_build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(["mkdocs", "build", "--site-dir", str(root / "site"), *extra], cwd=root)


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site, built once per test session by `mkdocs build --strict` (the plugin); the built folder."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = run(["mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=REPO)
    assert result.returncode == 0, f"mkdocs build --strict of the shipped site failed:\n{result.stderr[-3000:]}"
    return out


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
