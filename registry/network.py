"""The only door to the network: guarded, bounded HTTP for signals and link checks.

Entry URLs are untrusted, so every request is checked before it is made and
again on every redirect hop: http/https only, no userinfo, ports 80/443 only,
and every address the name resolves to must be globally routable. The
connection then goes to the address that was checked (the adapter pins it
while keeping Host, SNI and certificate checks on the name), so a DNS answer
that changes between check and connect cannot reach an internal service.

Every fetch is bounded: connect and read timeouts, an overall deadline that
closes the socket even when a server drips one byte at a time, a body cap,
at most five redirects, at most two retries on Retry-After, and at most two
requests per host at a time. Failures come back as data (`Result.error`),
never as exceptions.

Tests reach servers on 127.0.0.1 through an explicit allowlist of `host:port`
pairs (`COMMONS_NETWORK_ALLOW="127.0.0.1:8123,127.0.0.1:8124"` or
`Policy(allow=...)`). An allowlisted pair skips only the address and port
checks for that exact host and port as written in the URL; everything else,
including the check of every redirect hop, still applies.
"""

from __future__ import annotations

import email.utils
import ipaddress
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import connection as urllib3_connection

ALLOW_ENV = "COMMONS_NETWORK_ALLOW"
USER_AGENT = "commons-registry-checker/0.1 (+https://github.com/commons-registry/commons-registry; link and AI-preference checks)"
MIB = 1024 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
HEAD_FALLBACK_STATUSES = {405, 501, 403}
RETRY_STATUSES = {429, 503}
ALLOWED_PORTS = {80, 443}
PER_HOST_LIMIT = 2
NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Error kinds (Result.error). Guard kinds mean no request was made to that URL.
INVALID_URL = "invalid-url"
SCHEME = "scheme"
USERINFO = "userinfo"
PORT = "port"
NON_PUBLIC = "non-public-address"
DNS = "dns"
TOO_MANY_REDIRECTS = "too-many-redirects"
TIMEOUT = "timeout"
DEADLINE = "deadline"
CONNECTION = "connection"
TLS = "tls"
RATE_LIMITED = "rate-limited"
GUARD_ERRORS = {INVALID_URL, SCHEME, USERINFO, PORT, NON_PUBLIC}


@dataclass(frozen=True)
class Policy:
    """Limits for one fetch; the defaults are the production values."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 20.0
    max_bytes: int = MIB
    max_redirects: int = 5
    max_retries: int = 2
    max_retry_wait: float = 10.0
    allow: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Result:
    """What happened to one fetch. `error` is None when a final response arrived."""

    url: str
    final_url: str
    status: int | None = None
    hops: tuple[str, ...] = ()
    error: str | None = None
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    retries: int = 0
    moved_permanently: bool = False

    @property
    def reachable(self) -> bool:
        """True for a 2xx or 3xx final response (a body cut at the cap still counts)."""
        return self.error is None and self.status is not None and 200 <= self.status < 400

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Blocked(Exception):
    """A URL the guard refuses; carries the error kind and a readable reason."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


# --- the guard -----------------------------------------------------------------


def parse_allowlist(text: str | None) -> frozenset[tuple[str, int]]:
    """`"127.0.0.1:8123, [::1]:8124"` → {("127.0.0.1", 8123), ("::1", 8124)}."""
    pairs = set()
    for item in (text or "").replace(",", " ").split():
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"{ALLOW_ENV}: expected host:port, got {item!r}")
        pairs.add((host.strip("[]").lower(), int(port)))
    return frozenset(pairs)


def default_policy(**overrides) -> Policy:
    """The production policy plus any allowlist given in COMMONS_NETWORK_ALLOW."""
    overrides.setdefault("allow", parse_allowlist(os.environ.get(ALLOW_ENV)))
    return Policy(**overrides)


def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable, also for IPv4 addresses embedded in IPv6 forms."""
    if ip.version == 6:
        embedded = [ip.ipv4_mapped, ip.sixtofour]
        if ip.teredo:
            embedded.extend(ip.teredo)
        if ip in NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(e is not None and not is_public_address(e) for e in embedded):
            return False
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`address`) for which name and port."""

    url: str
    host: str
    port: int
    address: str


def check_url(url: str, policy: Policy, resolve=True) -> Target:
    """Raise Blocked unless `url` may be fetched; return the address to pin."""
    if any(ch.isspace() or ord(ch) < 0x20 or ch == "\\" for ch in url):
        raise Blocked(INVALID_URL, "URL contains spaces, control characters or backslashes")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Blocked(INVALID_URL, f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Blocked(SCHEME, f"scheme must be http or https, not {parts.scheme or 'none'!r}")
    if "@" in parts.netloc or parts.username is not None:
        raise Blocked(USERINFO, "URL must not contain a user name or password (userinfo)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Blocked(INVALID_URL, "URL has no host")
    port = port if port is not None else (443 if scheme == "https" else 80)
    allowlisted = (host, port) in policy.allow

    if not allowlisted:
        literal = _literal_address(host)
        if host == "localhost" or host.endswith(".localhost") or (literal and not is_public_address(literal)):
            raise Blocked(NON_PUBLIC, f"{host} is a non-public address; only globally routable hosts may be checked")
        if port not in ALLOWED_PORTS:
            raise Blocked(PORT, f"port {port} is not allowed; only 80 and 443 may be checked")
    if not resolve:
        return Target(url, host, port, host)
    addresses = _resolve(host, port, policy.connect_timeout)
    if not allowlisted:
        for address in addresses:
            if not is_public_address(ipaddress.ip_address(address)):
                raise Blocked(NON_PUBLIC, f"{host} resolves to the non-public address {address}; only globally routable hosts may be checked")
    return Target(url, host, port, addresses[0])


def _literal_address(host: str):
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="commons-dns")


def _resolve(host: str, port: int, timeout: float) -> list[str]:
    """All addresses for host (getaddrinfo also decodes forms like 2130706433 and 0x7f.1)."""
    future = _resolver.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=timeout)
    except FutureTimeout:
        raise Blocked(DNS, f"could not resolve {host} within {timeout:g} s") from None
    except (OSError, UnicodeError) as error:
        raise Blocked(DNS, f"could not resolve {host} ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Blocked(DNS, f"{host} has no addresses")
    return addresses


# --- pinned connections and the deadline ------------------------------------------


class _FetchState:
    """Per-fetch data shared with the connection classes and the deadline timer."""

    def __init__(self):
        self.pins: dict[tuple[str, int], str] = {}
        self.sockets: list[socket.socket] = []
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


class _PinnedMixin:
    """Connect to the checked address, never to a fresh DNS answer."""

    def _new_conn(self):
        state: _FetchState | None = getattr(_local, "state", None)
        address = state.pins.get((self.host, self.port)) if state else None
        if address is None:
            raise urllib3_connection_error(self, "refusing to connect to an unchecked host")
        sock = urllib3_connection.create_connection((address, self.port), self.timeout, source_address=self.source_address, socket_options=self.socket_options)
        with state.lock:
            state.sockets.append(sock)
            if state.expired:
                sock.shutdown(socket.SHUT_RDWR)
        return sock


def urllib3_connection_error(conn, message):
    from urllib3.exceptions import NewConnectionError

    return NewConnectionError(conn, message)


class _PinnedHTTPConnection(_PinnedMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedMixin, HTTPSConnection):
    pass


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """A transport adapter whose connections go only to addresses the guard pinned."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PinnedHTTPPool, "https": _PinnedHTTPSPool}


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or netrc from the environment
    session.mount("http://", PinnedAdapter(max_retries=0))
    session.mount("https://", PinnedAdapter(max_retries=0))
    return session


_host_slots: dict[str, threading.BoundedSemaphore] = {}
_host_slots_lock = threading.Lock()


def _slot(host: str) -> threading.BoundedSemaphore:
    with _host_slots_lock:
        return _host_slots.setdefault(host, threading.BoundedSemaphore(PER_HOST_LIMIT))


# --- fetching ------------------------------------------------------------------------


def fetch(url: str, method: str = "GET", policy: Policy | None = None, read_body: bool = True) -> Result:
    """Fetch `url` within the policy's limits; never raises for network trouble."""
    policy = policy or default_policy()
    state = _FetchState()
    timer = threading.Timer(policy.deadline, state.expire)
    timer.daemon = True
    started = time.monotonic()
    previous = getattr(_local, "state", None)
    _local.state = state
    timer.start()
    try:
        return _fetch(url, method.upper(), policy, read_body, state, started)
    finally:
        timer.cancel()
        _local.state = previous


def check(url: str, policy: Policy | None = None) -> Result:
    """Is the link alive? HEAD first, GET when the server refuses HEAD; no body kept."""
    return fetch(url, "HEAD", policy, read_body=False)


def _fetch(url, method, policy, read_body, state, started) -> Result:
    hops: list[str] = []
    current = url
    retries = 0
    moved_permanently = True
    session = _session()

    def result(**kwargs):
        kwargs.setdefault("final_url", current)
        return Result(url=url, hops=tuple(hops), retries=retries, **kwargs)

    try:
        while True:
            try:
                target = check_url(current, policy)
            except Blocked as blocked:
                prefix = f"redirect to {current} blocked: " if hops else ""
                return result(error=blocked.kind, message=prefix + blocked.message)
            state.pins[(target.host, target.port)] = target.address
            hops.append(current)
            outcome = _request(session, target, method, policy, read_body, state, started)
            if isinstance(outcome, Result):
                return result(error=outcome.error, message=outcome.message)
            response, body, truncated = outcome
            status = response.status_code

            if status in REDIRECT_STATUSES and response.headers.get("Location"):
                if len(hops) > policy.max_redirects:
                    return result(status=status, error=TOO_MANY_REDIRECTS, message=f"too many redirects (more than {policy.max_redirects})")
                moved_permanently = moved_permanently and status in (301, 308)
                current = urljoin(current, response.headers["Location"])
                if status == 303:
                    method = "GET" if method != "HEAD" else "HEAD"
                continue

            if status in RETRY_STATUSES:
                wait = _retry_after(response.headers.get("Retry-After"))
                remaining = policy.deadline - (time.monotonic() - started)
                if wait is not None and wait <= policy.max_retry_wait and retries < policy.max_retries and wait < remaining:
                    retries += 1
                    hops.pop()
                    time.sleep(wait)
                    continue
                if status == 429 or wait is not None:
                    asked = f"asked to retry after {wait:g} s" if wait is not None else "no Retry-After given"
                    return result(status=status, headers=_headers(response), error=RATE_LIMITED, message=f"rate limited ({status}, {asked}; gave up after {retries} retries)")

            return Result(
                url=url,
                final_url=current,
                status=status,
                hops=tuple(hops),
                headers=_headers(response),
                body=body,
                truncated=truncated,
                retries=retries,
                moved_permanently=bool(len(hops) > 1 and moved_permanently),
            )
    finally:
        session.close()


def _request(session, target, method, policy, read_body, state, started):
    """One request (plus the HEAD→GET fallback) to a checked target."""
    slot = _slot(target.host)
    remaining = policy.deadline - (time.monotonic() - started)
    if remaining <= 0 or not slot.acquire(timeout=remaining):
        return Result(target.url, target.url, error=DEADLINE, message=f"no answer within the {policy.deadline:g} s deadline")
    try:
        response = _send(session, target.url, method, policy)
        if method == "HEAD" and response.status_code in HEAD_FALLBACK_STATUSES:
            response.close()
            response = _send(session, target.url, "GET", policy)
        body, truncated = b"", False
        if read_body and response.status_code not in REDIRECT_STATUSES:
            body, truncated = _read_capped(response, policy.max_bytes)
        response.close()
        if state.expired:
            raise _Expired
        return response, body, truncated
    except _Expired:
        return Result(target.url, target.url, error=DEADLINE, message=f"no complete answer within the {policy.deadline:g} s deadline")
    except requests.exceptions.SSLError as error:
        return Result(target.url, target.url, error=DEADLINE if state.expired else TLS, message=_short(error))
    except requests.exceptions.Timeout as error:
        return Result(target.url, target.url, error=DEADLINE if state.expired else TIMEOUT, message=_short(error))
    except (requests.exceptions.RequestException, OSError) as error:
        return Result(target.url, target.url, error=DEADLINE if state.expired else CONNECTION, message=_short(error))
    finally:
        slot.release()


class _Expired(Exception):
    pass


def _send(session, url, method, policy):
    return session.request(
        method,
        url,
        headers={"User-Agent": policy.user_agent, "Accept-Encoding": "identity", "Accept": "*/*"},
        timeout=(policy.connect_timeout, policy.read_timeout),
        allow_redirects=False,
        stream=True,
    )


def _read_capped(response, limit: int) -> tuple[bytes, bool]:
    chunks, total = [], 0
    for chunk in response.iter_content(64 * 1024):
        chunks.append(chunk)
        total += len(chunk)
        if total >= limit:
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After value (delay-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _headers(response) -> dict[str, str]:
    return {key.lower(): value for key, value in response.headers.items()}


def _short(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 300 else text[:297] + "..."
