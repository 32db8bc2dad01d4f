"""Pausing Python's cyclic garbage collector around a bulk operation.

An import of 20,000 rows keeps a few million small objects alive at once (the
cleaned rows, model instances, snapshots). Each of them counts towards the
collector's thresholds and every full collection scans them all again: in
``bench/import`` that was half of the confirmation's CPU time, for objects
that reference counting frees anyway (they hold no cycles). The collector is
switched off for the duration and back on afterwards; cyclic garbage made
meanwhile is collected then. Nested and concurrent uses (threads) are
counted: the collector runs again when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collector_paused():
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
