"""Giving freed memory back to the system after a big build (glibc only; a no-op elsewhere).

Loading and indexing ten years of digests allocate and free hundreds of megabytes of short-lived
objects and arrays. glibc keeps much of that freed memory in the process (its heap top is pinned
by the long-lived objects allocated after it), so the reader's resident size stays ~100 MB above
what it uses. `malloc_trim(0)` returns the free pages; it takes a few milliseconds.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")  # glibc's name; find_library would run ldconfig
        trim: Callable[[int], int] = libc.malloc_trim
        return trim
    except (OSError, AttributeError):
        return None  # not glibc (musl has no malloc_trim)


def trim_heap() -> bool:
    """Return freed heap pages to the system; True when the call was made."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
