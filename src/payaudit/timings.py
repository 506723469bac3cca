"""Wall time and peak memory per phase of a run (`payaudit check --timings`).

Phases are marked where the work happens (`with phase("load"):`); they cost nothing unless a
recorder was started. A phase entered again (each part of a large input) adds its time and keeps
the larger peak. Peak memory is the process's resident set size sampled every few milliseconds
by a thread while the phase runs (Polars computes outside the GIL, so the thread keeps
sampling); where /proc is missing, the process's peak so far stands in for it.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_STATM = Path("/proc/self/statm")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_EVERY = 0.005  # seconds between samples
_MIB = 2**20


def _rss() -> int:
    """Resident bytes now, or the peak so far where /proc is missing."""
    try:
        return int(_STATM.read_text().split()[1]) * _PAGE
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


class Timings:
    """The phases recorded so far: name → [seconds, peak bytes], in the order first entered."""

    def __init__(self) -> None:
        self.phases: dict[str, list[float]] = {}
        self._peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        while not self._stop.wait(_EVERY):
            self._peak = max(self._peak, _rss())

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if self._thread is not None:  # nested: the outer phase already counts this time
            yield
            return
        self._peak, self._stop = _rss(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        began = time.perf_counter()
        self._thread.start()
        try:
            yield
        finally:
            took = time.perf_counter() - began
            self._stop.set()
            self._thread.join()
            self._thread = None
            seconds, peak = self.phases.get(name, (0.0, 0))
            self.phases[name] = [seconds + took, max(peak, self._peak, _rss())]

    def as_list(self) -> list[dict]:
        """For the manifest: one object per phase, seconds and MiB rounded."""
        return [
            {"phase": name, "seconds": round(seconds, 3), "peak_rss_mib": round(peak / _MIB)}
            for name, (seconds, peak) in self.phases.items()
        ]

    def lines(self) -> list[str]:
        """For stderr: one line per phase, then the total."""
        width = max((len(name) for name in self.phases), default=0)
        out = [
            f"timing: {name:<{width}} {seconds:8.2f} s {peak / _MIB:7.0f} MiB peak"
            for name, (seconds, peak) in self.phases.items()
        ]
        total = sum(seconds for seconds, _ in self.phases.values())
        return [*out, f"timing: {'total':<{width}} {total:8.2f} s"]


_current: Timings | None = None


def start(on: bool = True) -> Timings | None:
    """Record phases from now on (the CLI's --timings), or stop recording them."""
    global _current
    _current = Timings() if on else None
    return _current


def phase(name: str) -> contextlib.AbstractContextManager[None]:
    """Time the block as phase `name` when recording, else do nothing."""
    return _current.phase(name) if _current is not None else contextlib.nullcontext()


def recording() -> bool:
    return _current is not None
