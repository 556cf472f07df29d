"""Writing files without ever leaving a half-written or clobbered one behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _temp_beside(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one."""
    temp = _temp_beside(path, data)
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
    temp = _temp_beside(path, data)
    try:
        os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``path`` atomically unless it already holds exactly ``data``; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
