"""What keeps MkDocs from walking, writing or lingering where it should not, around the plugin's own work.

MkDocs does three things before or after any plugin hook that a note, a link
or a signal can turn against the site:

- it walks the docs folder following links to folders, before ``on_files``:
  a link out of the folder, or to a folder that holds it, is a walk out of the
  site or one that never ends (``docs_walk_problem``, from ``on_config``);
- ``mkdocs build --dirty`` writes over the last build, through any link in the
  site folder (``clear_links_out``, from ``on_pre_build``);
- ``mkdocs serve`` removes its temporary site only on Ctrl-C (``stop_on_sigterm``,
  from ``on_startup``).
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

from generator.files import remove_links_out
from generator.loader import folder_links


def docs_walk_problem(docs_dir: Path) -> str | None:
    """Why MkDocs must not walk ``docs_dir`` (a link to a folder out of it or around itself), or None."""
    for link, why in folder_links(docs_dir)[:1]:
        return (
            f"briefing: {docs_dir.name}/{link}: {why.split(';')[0]}; MkDocs follows links to folders as it reads "
            "the docs folder (out of the site, or forever), so the build stops here: remove the link"
        )
    return None


def clear_links_out(site_dir: Path) -> list[str]:
    """Messages for the links out of ``site_dir`` that were removed before a build writes over it."""
    return [
        f"{link} in the site folder was a link out of it; it is removed, not written through"
        for link in remove_links_out(site_dir)
    ]


def stop_on_sigterm() -> None:
    """Let SIGTERM (``kill``, ``timeout``, a service manager) stop ``mkdocs serve`` as Ctrl-C does.

    MkDocs removes its temporary site folder (in memory under ``make serve``) only on Ctrl-C; SIGTERM
    ended the process and left the folder behind until the next reboot.
    """
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
