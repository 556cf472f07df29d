"""Writing files without ever leaving a half-written or clobbered one behind, or writing outside a folder.

A file is written to a temporary name beside it and renamed over the old
one: a reader (a web server, an engine watching the folder) sees the old
file or the new one, never half of one. New files get the permissions the
umask gives (``0644`` usually), not ``mkstemp``'s ``0600``, so a web server
running as another user can read them.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path


class OutsideTarget(ValueError):
    """A write or delete would leave the target folder (through a symbolic link, or a path with ``..``)."""


@lru_cache(maxsize=1)
def _file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_beside(path: Path, data: bytes, durable: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The name cut short: a file name may already be as long as the file system allows (255 bytes).
    fd, name = tempfile.mkstemp(prefix=f".{path.name[:32]}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one.

    ``durable=False`` leaves flushing to the caller (``sync`` once after many
    files, rather than once per file).
    """
    temp = _temp_beside(path, data, durable)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Create ``path`` complete, or raise ``FileExistsError`` and leave any existing file alone.

    A hard link is atomic and fails if the name is taken, so of two writers
    racing for one name exactly one wins, and nobody ever sees a partial file.
    """
    temp = _temp_beside(path, data, durable=True)
    try:
        os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def inside(root: Path, rel: str) -> Path:
    """``root/rel``, refusing any ``rel`` whose target (through links) would lie outside ``root``.

    ``root`` must be resolved. Folders on the way that are symbolic links are
    followed only if they stay inside; the last part may be a link (it is
    replaced, not written through).
    """
    if not rel or rel.startswith("/") or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise OutsideTarget(f"not a relative path inside the folder: {rel!r}")
    path = root / rel
    if not path.parent.resolve().is_relative_to(root):
        raise OutsideTarget(f"{rel} would be written outside {root} (a folder on the way is a link out of it)")
    return path


def write_if_changed(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write ``path`` atomically unless it already holds exactly ``data``; True if written."""
    try:
        if not path.is_symlink() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data, durable=durable)
    return True


def remove_links_out(folder: Path) -> list[str]:
    """Remove the symbolic links in ``folder`` that lead out of it (the links, never what they lead to).

    For a build that writes over an existing output folder (``mkdocs build --dirty``): writing a page
    or a feed through such a link would write outside the output. Returns the links removed.
    """
    if not folder.is_dir() or folder.is_symlink():
        return []
    root = folder.resolve()
    removed = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        for name in dirs + names:
            path = Path(current, name)
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                path.unlink()
                removed.append(path.relative_to(folder).as_posix())
    return sorted(removed)
