"""A pytest-xdist worker ends without the interpreter's own clean-up.

When the run is over, xdist's controller waits for each worker process to exit. A worker that ran
the slow files holds a large heap, and freeing it object by object at interpreter exit took
seconds after the last test, every second of it waited for (BENCHMARKS.md, the end-of-run gap).
The worker's results are with the controller by then (its last message is sent before its exit
handlers run), so the worker's last exit handler ends the process at once: the handlers
registered after it (the tests' own, Ray's, Playwright's) still run first.
"""

from __future__ import annotations

import atexit
import os
import sys


def exit_at_once() -> None:
    """Flush the standard streams and end the process without freeing its objects."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or its pipe gone with the controller
            pass
    os._exit(0)


def register() -> None:
    """Run exit_at_once after every exit handler registered later than this call."""
    atexit.register(exit_at_once)
