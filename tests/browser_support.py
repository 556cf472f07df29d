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

# No violation is ignored: the theme's own gaps (the search dialog's and the
# loading bar's missing names) are fixed by overrides in generator/theme/.
MATERIAL_CHROME: set[tuple[str, str]] = set()


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

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's 404.html, as GitHub Pages serves it."""
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


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
