"""The memory a command needs while it runs: all its processes at once, not only the largest.

The kernel's peak RSS of a child (``os.wait4``, GNU ``time``) is the peak of
its largest process. A build that runs Pagefind beside MkDocs, or composes
pages in forked workers, needs the sum of its processes while they run
together. Summing RSS would count memory that forked workers share with
their parent once per process, so each process counts its proportional share
(PSS, from ``/proc/PID/smaps_rollup``).

Sampled (every ``INTERVAL`` seconds, by a thread of the benchmark), so a peak
shorter than that can be missed; where ``/proc`` cannot tell (not Linux),
the peak is NaN and the report says "—".
"""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path

INTERVAL = 0.1  # one sample costs about a millisecond of the benchmark's own CPU time
_PROC = Path("/proc")


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from each process's parent in ``/proc/PID/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir(_PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone since the listing
            continue
        # The command name (field 2) is in parentheses and may hold spaces: the parent follows the last ")".
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def pss_mb(pids: list[int]) -> float:
    """The processes' proportional set sizes, summed, in MB (processes gone meanwhile count nothing)."""
    total_kb = 0
    for pid in pids:
        try:
            text = Path(_PROC, str(pid), "smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
                break
    return total_kb / 1024


class TreePeak:
    """Samples the memory of a process and its descendants until ``stop``; ``peak_mb`` is the largest sum seen."""

    def __init__(self, pid: int) -> None:
        self.peak_mb = float("nan")  # until a sample is taken: a run shorter than INTERVAL has none
        self._pid = pid
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="bench-memory", daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        if not _PROC.joinpath("self", "smaps_rollup").exists():  # not Linux: nothing to read
            return
        while not self._done.wait(INTERVAL):
            sample = pss_mb(descendants(self._pid))
            self.peak_mb = sample if math.isnan(self.peak_mb) else max(self.peak_mb, sample)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_mb
