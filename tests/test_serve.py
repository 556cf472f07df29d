"""`mkdocs serve`: editing, adding and deleting a note shows on the next reload; drafts show too; problems show in the browser."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BIN, ENV, note, stop_serving, topics

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
    log = root / "serve.log"
    server = subprocess.Popen(
        ["timeout", "300", str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}/briefings/"  # site_url's path is the serve prefix
    try:
        _wait_for(base, lambda status, _: status == 200)
        yield root, base
    finally:
        stop_serving(server)


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


def test_a_broken_note_shows_its_problem_in_the_browser(served: tuple[Path, str]) -> None:
    """The reader of `mkdocs serve` sees file, line and message where the note would be, and on every page."""
    root, base = served
    note_url = base + "notes/2025/2025-09-11-first/"
    _wait_for(note_url, lambda status, body: status == 200 and "First note" in body)
    broken = note("First note").replace("date: 2025-09-11", "date: 11/09/2025")
    (root / "briefings/notes/2025/2025-09-11-first.md").write_text(broken, encoding="utf-8")

    page = _wait_for(note_url, lambda status, body: status == 200 and "This note has errors" in body)
    assert "briefings/notes/2025/2025-09-11-first.md:3" in page and "2025-09-11" in page  # path:line, and the ISO date to use
    home = _wait_for(base, lambda status, body: status == 200 and "bf-problems-banner" in body)
    assert "briefings/notes/2025/2025-09-11-first.md:3" in home

    (root / "briefings/notes/2025/2025-09-11-first.md").write_text(note("First note, fixed"), encoding="utf-8")
    page = _wait_for(note_url, lambda _, body: "First note, fixed" in body)
    assert "bf-problems" not in page
    # The one-line error is not buried: MkDocs' listing of pages outside the navigation is silenced.
    assert "not included in the nav" not in (root / "serve.log").read_text(encoding="utf-8", errors="replace")


@pytest.mark.skipif(not (BIN / "properdocs").is_file(), reason="properdocs is not installed (pip install -e '.[properdocs]')")
def test_properdocs_serve_rebuilds_only_what_an_edit_changes(make_site) -> None:
    """The plugin runs unchanged on ProperDocs, serve fast path included, from the first rebuild on."""
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-first.md": note("First note")})
    port = _free_port()
    log = root / "serve.log"
    server = subprocess.Popen(
        ["timeout", "300", str(BIN / "properdocs"), "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}/briefings/"
    try:
        _wait_for(base, lambda status, _: status == 200)
        (root / "briefings/notes/2025/2025-09-11-first.md").write_text(note("First note, edited"), encoding="utf-8")
        _wait_for(base + "notes/2025/2025-09-11-first/", lambda _, body: "First note, edited" in body)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and log.read_text(errors="replace").count("briefing: rebuilt") < 2:
            time.sleep(0.2)
        rebuilds = re.findall(r"briefing: rebuilt (\d+) pages, reused (\d+) unchanged", log.read_text(errors="replace"))
        assert len(rebuilds) >= 2, rebuilds
        rebuilt, reused = map(int, rebuilds[1])
        assert reused > 0 and rebuilt < reused, rebuilds
    finally:
        stop_serving(server)


def test_sigterm_stops_serve_as_ctrl_c_does_and_leaves_no_temporary_site(make_site, tmp_path: Path) -> None:
    """kill, timeout and service managers send SIGTERM; MkDocs removed its temporary site only on Ctrl-C."""
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-first.md": note("First note")})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        ["timeout", "300", str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env={**ENV, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/briefings/", lambda status, _: status == 200)
        assert [p.name for p in scratch.iterdir() if p.name.startswith("mkdocs_")], "serve builds into TMPDIR"
        server.terminate()  # timeout passes SIGTERM on to mkdocs
        assert server.wait(timeout=30) is not None
    finally:
        stop_serving(server)
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("mkdocs_")]
