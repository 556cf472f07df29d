"""`mkdocs serve`: editing, adding and deleting a note shows on the next reload; drafts show too."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BIN, ENV, note, topics

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(url: str, predicate, timeout: float = 60) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    status, body = 0, ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if predicate(status, body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url}: condition not met in {timeout} s (last status {status})")


@pytest.fixture
def served(make_site) -> Iterator[tuple[Path, str]]:
    root = make_site(
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-first.md": note("First note", extra="importance: 4\n"),
            "briefings/notes/2025/2025-09-12-draft.md": note("Draft note", "2025-09-12", extra="draft: true\n"),
        }
    )
    port = _free_port()
    # --no-livereload would keep the browser from reloading; the server still rebuilds on
    # change either way. `timeout` makes sure the server stops even if the test dies.
    server = subprocess.Popen(
        ["timeout", "300", str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/briefings/"  # site_url's path is the serve prefix
    try:
        _wait_for(base, lambda status, _: status == 200)
        yield root, base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_edit_add_delete_note_and_drafts_under_serve(served: tuple[Path, str]) -> None:
    root, base = served
    week = base + "weeks/2025-W37/chips/"
    page = _wait_for(week, lambda status, _: status == 200)
    assert "First note" in page
    assert "Draft note" in page  # drafts are shown while writing

    notes = root / "briefings/notes/2025"
    (notes / "2025-09-11-first.md").write_text(note("First note, edited", extra="importance: 4\n"), encoding="utf-8")
    _wait_for(week, lambda _, body: "First note, edited" in body)

    (notes / "2025-09-25-added.md").write_text(note("Added note", "2025-09-25"), encoding="utf-8")
    _wait_for(base + "weeks/2025-W39/chips/", lambda status, body: status == 200 and "Added note" in body)

    (notes / "2025-09-25-added.md").unlink()
    _wait_for(base + "weeks/2025-W39/chips/", lambda status, _: status == 404)
    topic = _wait_for(base + "topics/chips/", lambda status, _: status == 200)
    assert "2025-W39" not in topic
