"""The benchmark's memory of a whole build: every process at once, shared pages counted once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.memory import TreePeak, descendants

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")

# A parent holding 60 MB that starts a child holding 80 MB of its own; both wait a moment, then the
# parent forks a copy of itself that only reads (its 60 MB are shared with the parent, not new).
_TREE = textwrap.dedent(
    """
    import os, subprocess, sys, time
    held = bytearray(60 * 2**20)
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(80 * 2**20); time.sleep(1.5)"])
    pid = os.fork()
    if pid == 0:
        time.sleep(1.5)
        os._exit(sum(held[:: 2**20]))
    time.sleep(1.5)
    os.waitpid(pid, 0)
    child.wait()
    """
)


def test_the_peak_adds_up_every_process_and_counts_shared_memory_once() -> None:
    process = subprocess.Popen([sys.executable, "-c", _TREE])
    peak = TreePeak(process.pid)
    assert process.wait(timeout=60) == 0
    seen = peak.stop()
    # 60 + 80 MB held at once (and a few MB per interpreter); the fork's copy of the 60 MB is shared,
    # so counting it again (as summing RSS would) would pass 200 MB.
    assert 140 <= seen < 200, seen


def test_descendants_are_found_through_every_generation() -> None:
    grandchild = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(3)'])"
    process = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"]
    )
    try:
        for _ in range(100):
            found = descendants(process.pid)
            if len(found) >= 3:
                break
            subprocess.run(["sleep", "0.05"], check=True)
        assert found[0] == process.pid and len(found) == 3
    finally:
        process.kill()
        process.wait()
        for pid in found[1:]:
            subprocess.run(["kill", str(pid)], check=False, stderr=subprocess.DEVNULL)


def test_a_run_too_short_to_sample_has_no_figure_rather_than_zero() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    peak = TreePeak(process.pid)
    process.wait(timeout=60)
    seen = peak.stop()
    assert seen != seen or seen > 0  # NaN (shown as "—") unless a sample was taken while it ran
