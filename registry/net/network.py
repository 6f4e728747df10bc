"""The only door to the network: guarded, bounded HTTP for signals and link checks.

Entry URLs are untrusted, so every request is checked before it is made and
again on every redirect hop (`registry.net.url_guard`: http/https only, no
userinfo, ports 80/443, only globally routable addresses), and the socket
goes to the address that was checked (`registry.net.pinned_transport`), so DNS
rebinding cannot swap it.

Every fetch is bounded: connect and read timeouts, an overall deadline that
closes the socket even when a server drips one byte at a time, a body cap,
at most five redirects, at most two retries on Retry-After (never waiting
more than the cap), and at most two requests per host at a time (a fetch
holds a host's slot from its first request there until it ends; waiting for
the first slot does not count against the deadline). Failures come back as
data (`Result.error`), never as exceptions.

Tests reach servers on 127.0.0.1 through an explicit allowlist of `host:port`
pairs: `COMMONS_NETWORK_ALLOW="127.0.0.1:8123,127.0.0.1:8124"` or
`Policy(allow=...)`. An allowlisted pair skips only the address and port
checks for that exact host and port; a redirect elsewhere is checked as usual.
"""

from __future__ import annotations

import email.utils
import os
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from registry.net import pinned_transport as transport
from registry.net.url_guard import (  # noqa: F401  (re-exported: callers use network.*)
    ALLOW_ENV,
    DNS,
    INVALID_URL,
    NON_PUBLIC,
    PORT,
    SCHEME,
    USERINFO,
    Blocked,
    Target,
    is_public_address,
    parse_allowlist,
)
from registry.net.url_guard import check_url as _check_url

USER_AGENT = (
    "commons-registry-checker/0.1 (+https://github.com/commons-registry/commons-registry; link "
    "and AI-preference checks)"
)
MIB = 1024 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
HEAD_FALLBACK_STATUSES = {405, 501, 403}
RETRY_STATUSES = {429, 503}

# Error kinds after a request was attempted (guard kinds come from url_guard).
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
    hops: tuple[str, ...] = ()  # every URL requested, in order
    error: str | None = None
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lowercased names
    body: bytes = b""
    truncated: bool = False  # the body was cut at max_bytes
    retries: int = 0
    moved_permanently: bool = False  # every redirect followed was 301 or 308

    @property
    def reachable(self) -> bool:
        """True for a 2xx or 3xx final response (a body cut at the cap still counts)."""
        return self.error is None and self.status is not None and 200 <= self.status < 400

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def default_policy(**overrides) -> Policy:
    """The production policy plus any allowlist in COMMONS_NETWORK_ALLOW (ValueError if
    malformed)."""
    overrides.setdefault("allow", parse_allowlist(os.environ.get(ALLOW_ENV)))
    return Policy(**overrides)


def check_url(url: str, policy: Policy, resolve: bool = True) -> Target:
    """Raise Blocked unless the policy lets `url` be fetched."""
    return _check_url(url, policy.allow, policy.connect_timeout, resolve)


def fetch(
    url: str, method: str = "GET", policy: Policy | None = None, read_body: bool = True
) -> Result:
    """Fetch `url` within the policy's limits; never raises for network trouble."""
    policy = policy or default_policy()
    state = transport.FetchState()
    previous = transport.activate(state)
    first_host = _host(url)
    if first_host:
        slot = transport.host_slot(first_host)
        slot.acquire()  # holders are bounded by their own deadlines
        state.slots[first_host] = slot
    timer = threading.Timer(policy.deadline, state.expire)
    timer.daemon = True
    timer.start()
    try:
        return _fetch(url, method.upper(), policy, read_body, state, time.monotonic())
    finally:
        timer.cancel()
        for slot in state.slots.values():
            slot.release()
        transport.activate(previous)


def check(url: str, policy: Policy | None = None) -> Result:
    """Is the link alive? HEAD first, GET when the server refuses HEAD; no body kept."""
    return fetch(url, "HEAD", policy, read_body=False)


def _host(url: str) -> str | None:
    try:
        return (urlsplit(url).hostname or "").rstrip(".") or None
    except ValueError:
        return None


def _fetch(url, method, policy, read_body, state, started) -> Result:
    hops: list[str] = []
    current = url
    retries = 0
    permanent = True
    session = transport.session()

    def failed(**kwargs):
        return Result(url=url, final_url=current, hops=tuple(hops), retries=retries, **kwargs)

    try:
        while True:
            try:
                target = check_url(current, policy)
            except Blocked as blocked:
                prefix = f"redirect to {current} blocked: " if hops else ""
                return failed(error=blocked.kind, message=prefix + blocked.message)
            state.pins[(target.host, target.port)] = target.address
            hops.append(current)
            outcome = _request(session, target, method, policy, read_body, state, started)
            if isinstance(outcome, tuple) and len(outcome) == 2:
                return failed(error=outcome[0], message=outcome[1])
            response, body, truncated = outcome
            status = response.status_code

            if status in REDIRECT_STATUSES and response.headers.get("Location"):
                if len(hops) > policy.max_redirects:
                    return failed(
                        status=status,
                        error=TOO_MANY_REDIRECTS,
                        message=f"too many redirects (more than {policy.max_redirects})",
                    )
                permanent = permanent and status in (301, 308)
                current = urljoin(current, response.headers["Location"])
                if status == 303 and method != "HEAD":
                    method = "GET"
                continue

            if status in RETRY_STATUSES:
                wait = _retry_after(response.headers.get("Retry-After"))
                if _may_retry(wait, retries, policy, started):
                    retries += 1
                    hops.pop()
                    time.sleep(wait)
                    continue
                if status == 429 or wait is not None:
                    message = _rate_limited(status, wait, retries)
                    headers = _headers(response)
                    return failed(
                        status=status, headers=headers, error=RATE_LIMITED, message=message
                    )
            redirected = len(hops) > 1 and permanent
            return Result(
                url, current, status, tuple(hops), None, "", _headers(response), body, truncated,
                retries, redirected,
            )  # fmt: skip
    finally:
        session.close()


def _may_retry(wait: float | None, retries: int, policy, started: float) -> bool:
    """Wait and retry only when asked to wait briefly, a few times, within the deadline."""
    remaining = policy.deadline - (time.monotonic() - started)
    return (
        wait is not None
        and wait <= policy.max_retry_wait
        and retries < policy.max_retries
        and wait < remaining
    )


def _rate_limited(status: int, wait: float | None, retries: int) -> str:
    asked = f"asked to retry after {wait:g} s" if wait is not None else "no Retry-After given"
    return f"rate limited ({status}, {asked}; gave up after {retries} retries)"


def _request(session, target, method, policy, read_body, state, started):
    """One request (plus the HEAD→GET fallback) to a checked target: (response, body, truncated) or
    (error, message)."""
    if target.host not in state.slots:
        slot = transport.host_slot(target.host)
        remaining = policy.deadline - (time.monotonic() - started)
        if remaining <= 0 or not slot.acquire(timeout=remaining):
            return DEADLINE, f"no answer within the {policy.deadline:g} s deadline"
        state.slots[target.host] = slot
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
            return DEADLINE, f"no complete answer within the {policy.deadline:g} s deadline"
        return response, body, truncated
    except requests.exceptions.SSLError as error:
        return (DEADLINE if state.expired else TLS), _short(error)
    except requests.exceptions.Timeout as error:
        return (DEADLINE if state.expired else TIMEOUT), _short(error)
    except (requests.exceptions.RequestException, OSError) as error:
        return (DEADLINE if state.expired else CONNECTION), _short(error)


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
