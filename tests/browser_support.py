"""Helpers for the browser tests: Debian's Chromium, a local static server, screenshots, axe results.

Playwright never downloads a browser here: it drives the system Chromium at
``CHROMIUM``. Without it the browser tests are skipped on a workstation and
fail in CI (``CI=true``), where a skipped browser suite would pass unseen.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]
SCREENSHOTS = REPO / "artifacts" / "screenshots"

# Violations inside Material's own chrome that no template or stylesheet of
# ours can fix (the markup comes from Material's partials), as (axe rule,
# target selector). Only these exact pairs are ignored; the same rule anywhere
# else still fails.
MATERIAL_CHROME = {
    # The search overlay is <div class="md-search" role="dialog"> with no
    # accessible name (partials/search.html); naming it needs a theme override.
    ("aria-dialog-name", ".md-search"),
    # navigation.instant.progress adds <div class="md-progress" role="progressbar">
    # with no label (partials/progress.html).
    ("aria-progressbar-name", ".md-progress"),
}


def require_chromium() -> None:
    """Skip (locally) or fail (in CI) when Debian's Chromium is not installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = f"browser tests need Debian's Chromium at {CHROMIUM} (`make browser-deps` or `apt-get install chromium`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a background thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG under artifacts/screenshots/ for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """axe violations of impact serious or critical, minus the known Material chrome ones."""
    found = []
    for violation in violations:
        if violation["impact"] not in {"serious", "critical"}:
            continue
        nodes = [n for n in violation["nodes"] if (violation["id"], ", ".join(n["target"])) not in MATERIAL_CHROME]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    """A short readable report: rule, impact, help, and the first few offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)
