"""A test worker's process ends at once after its exit handlers (worker_exit.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

PROGRAM = """
import atexit, sys
sys.path.insert(0, sys.argv[1])
from worker_exit import register

class Noisy:
    def __del__(self):
        print("freed", flush=True)

kept = Noisy()
register()
atexit.register(lambda: print("later handler"))
print("done", end=" ")
"""


def test_later_handlers_run_and_nothing_is_freed_after_them():
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(TESTS)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # Both prints were buffered, not flushed (stdout is a pipe): exit_at_once flushes them;
    # "freed" would be the interpreter's clean-up, which does not run.
    assert done.stdout.split() == ["done", "later", "handler"]
