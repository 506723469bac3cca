"""Pandera's Polars API, imported lean: Pandera's package also imports pandas (with its
pandas API) and hypothesis (for data synthesis) whenever they are installed, which payaudit's
validation never uses; and imported in the background while the inputs are read."""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import sys
import threading
from collections.abc import Iterator

_PANDERA = "pandera.polars"


class _Hidden(importlib.abc.MetaPathFinder):
    """Packages missing to one thread."""

    def __init__(self, names: set[str]) -> None:
        self.names, self.thread = names, threading.get_ident()

    def find_spec(self, name, path=None, target=None):
        if threading.get_ident() == self.thread and name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return None


# Pandera imports pandas with its own pandas API, and hypothesis for data synthesis, whenever
# they are installed (the Spark extra, the tests, many a data environment): on importing
# Pandera and on its first validation, 1 s of CPU and ~100 MiB that its Polars API does not use.
_UNUSED = {"pandas", "hypothesis"}


@contextlib.contextmanager
def unused_hidden() -> Iterator[None]:
    """While Pandera works, the packages of _UNUSED not imported yet are missing to the thread
    it works in (Pandera supports a Polars-only install); other threads import as usual."""
    names = {name for name in _UNUSED if name not in sys.modules}
    if not names:
        yield
        return
    hidden = _Hidden(names)
    sys.meta_path.insert(0, hidden)
    try:
        yield
    finally:
        sys.meta_path.remove(hidden)


def _import_pandera() -> None:
    with unused_hidden():
        importlib.import_module(_PANDERA)


def warm() -> None:
    """Import Pandera in a background thread (~0.25 s) while the inputs are read, which happens
    in Polars' own threads; validation then finds it imported."""
    if _PANDERA not in sys.modules and not any(t.name == _PANDERA for t in threading.enumerate()):
        threading.Thread(target=_import_pandera, name=_PANDERA).start()


def pandera():
    if _PANDERA not in sys.modules:
        _import_pandera()
    return importlib.import_module(_PANDERA)  # waits for warm()'s import if under way
