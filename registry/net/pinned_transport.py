"""The transport under `registry.net.network`: connections only to addresses the guard pinned.

A requests adapter whose urllib3 connections ignore DNS and connect to the
address recorded for (host, port) by the current fetch, so the URL, the Host
header, TLS SNI and certificate checks keep the name while the socket goes to
the checked IP. Every socket is registered with the fetch, whose deadline
timer shuts them down: a server dripping bytes cannot hold a fetch past it.
"""

from __future__ import annotations

import socket
import threading

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError
from urllib3.util import connection as urllib3_connection

PER_HOST_LIMIT = 2


class FetchState:
    """Per-fetch data shared with the connections and the deadline timer."""

    def __init__(self):
        self.pins: dict[tuple[str, int], str] = {}
        self.sockets: list[socket.socket] = []
        self.slots: dict[str, threading.BoundedSemaphore] = {}
        self.lock = threading.Lock()
        self.expired = False

    def expire(self):
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


_local = threading.local()


def current() -> FetchState | None:
    return getattr(_local, "state", None)


def activate(state: FetchState | None) -> FetchState | None:
    """Make `state` the current thread's fetch; return the previous one."""
    previous = current()
    _local.state = state
    return previous


class _PinnedMixin:
    def _new_conn(self):
        state = current()
        address = state.pins.get((self.host, self.port)) if state else None
        if address is None:
            raise NewConnectionError(self, "refusing to connect to an unchecked host")
        sock = urllib3_connection.create_connection(
            (address, self.port),
            self.timeout,
            source_address=self.source_address,
            socket_options=self.socket_options,
        )
        with state.lock:
            state.sockets.append(sock)
            if state.expired:
                sock.shutdown(socket.SHUT_RDWR)
        return sock


class _PinnedHTTPConnection(_PinnedMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedMixin, HTTPSConnection):
    pass


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """A transport adapter whose connections go only to pinned addresses."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PinnedHTTPPool,
            "https": _PinnedHTTPSPool,
        }


def session() -> requests.Session:
    """A session with pinned transports and nothing taken from the environment (no proxies)."""
    s = requests.Session()
    s.trust_env = False
    s.mount("http://", PinnedAdapter(max_retries=0))
    s.mount("https://", PinnedAdapter(max_retries=0))
    return s


_host_slots: dict[str, threading.BoundedSemaphore] = {}
_host_slots_lock = threading.Lock()


def host_slot(host: str) -> threading.BoundedSemaphore:
    """The process-wide semaphore limiting requests to `host` to PER_HOST_LIMIT at a time."""
    with _host_slots_lock:
        return _host_slots.setdefault(host, threading.BoundedSemaphore(PER_HOST_LIMIT))
