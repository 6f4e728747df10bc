"""Freed memory given back to the operating system while a build runs.

A build's large arrays (the overlap pairs' buckets, the overlap index's matrices: 10-60 MB each
at 100,000 entries) are freed step by step, but glibc keeps freed memory in its heaps: after the
first large block it frees, it raises its threshold for giving a block its own mapping (up to
32 MB), so later arrays come from the heap, and each thread (the pairs and the index are made in
threads of their own) has a heap of its own, where another thread cannot reuse what it freed.
At 100,000 entries the build process kept about 300 MB it no longer used. Two glibc calls undo
that: a fixed threshold (large blocks always mapped, so freeing one returns it at once), and
`malloc_trim` after a step, which returns every heap's free pages.
"""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
MAPPED_FROM = 1 << 20  # blocks from 1 MB have a mapping of their own


@lru_cache(maxsize=1)
def _libc():
    """The C library when it is glibc (the two calls exist), else None (macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None)
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def map_large_blocks() -> None:
    """From now on every block of MAPPED_FROM or more is mapped apart and returned when freed
    (the setting stays for the process: for a build command, the rest of its life)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MAPPED_FROM)


def give_back() -> None:
    """Return the process's freed heap pages to the operating system (a few milliseconds)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
