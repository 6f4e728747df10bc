"""The Datasette child of `commons serve`: started, restarted and always stopped with its parent.

Stopping `commons serve` (Ctrl-C, SIGTERM, SIGHUP, a closed terminal) stops
Datasette and waits for it, so the port is free when the command returns. A
parent killed outright (SIGKILL) cannot run a handler: Linux's parent-death
signal (prctl PR_SET_PDEATHSIG) then sends Datasette SIGTERM instead.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click

PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_SECONDS = 10
POLL_SECONDS = 0.5


def _die_with_parent() -> None:
    """In the child, before exec: receive SIGTERM when the parent dies (Linux only)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(command: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=cwd, preexec_fn=_die_with_parent)


def stop(process: subprocess.Popen) -> int:
    """Terminate the child and wait for it; kill it if it does not stop within the grace time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


class Supervisor:
    """Runs Datasette until a stop signal, restarting it after each successful watch rebuild."""

    def __init__(self, command: Callable[[], tuple[list[str], Path]], rebuild=None):
        self.command = command
        self.rebuild = rebuild
        self.stopping = threading.Event()

    def _on_signal(self, signum, _frame) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Serve until stopped (exit 0) or until Datasette exits by itself (its exit code)."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)
        process = start(*self.command())
        try:
            while not self.stopping.wait(POLL_SECONDS):
                if process.poll() is not None:
                    return process.returncode
                if self.rebuild is not None and self.rebuild.changed() and self.rebuild.run():
                    click.echo("Rebuilt; restarting Datasette on the new build.", err=True)
                    stop(process)
                    process = start(*self.command())
            return 0
        finally:
            stop(process)
