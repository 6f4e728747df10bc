"""Which URLs the network module may fetch: the SSRF guard.

Only http and https, no userinfo, ports 80 and 443, and every address the
host resolves to must be globally routable (IPv4 forms hidden in IPv6
addresses included). Literal addresses and `localhost` names are refused
before any DNS lookup; names are refused after resolution. The caller then
connects to the returned address, so a later DNS answer cannot change it.

An allowlist of exact `host:port` pairs (as written in the URL) lets tests
reach servers on 127.0.0.1; it skips only the address and port checks.
"""

from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

ALLOW_ENV = "COMMONS_NETWORK_ALLOW"
ALLOWED_PORTS = {80, 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Error kinds; each means no request was made to that URL.
INVALID_URL = "invalid-url"
SCHEME = "scheme"
USERINFO = "userinfo"
PORT = "port"
NON_PUBLIC = "non-public-address"
DNS = "dns"


class Blocked(Exception):
    """A URL the guard refuses; carries the error kind and a readable reason."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Target:
    """A checked URL: the address to connect to for this host and port."""

    url: str
    host: str
    port: int
    address: str


def parse_allowlist(text: str | None) -> frozenset[tuple[str, int]]:
    """`"127.0.0.1:8123, [::1]:8124"` → {("127.0.0.1", 8123), ("::1", 8124)}."""
    pairs = set()
    for item in (text or "").replace(",", " ").split():
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"{ALLOW_ENV}: expected host:port pairs, got {item!r}")
        pairs.add((host.strip("[]").lower(), int(port)))
    return frozenset(pairs)


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


def check_url(
    url: str, allow: frozenset = frozenset(), timeout: float = 5.0, resolve: bool = True
) -> Target:
    """Raise Blocked unless `url` may be fetched; return the address to connect to."""
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
    allowlisted = (host, port) in allow

    if not allowlisted:
        literal = _literal_address(host)
        if (
            host == "localhost"
            or host.endswith(".localhost")
            or (literal and not is_public_address(literal))
        ):
            raise Blocked(
                NON_PUBLIC,
                f"{host} is a non-public address; only globally routable hosts may be checked",
            )
        if port not in ALLOWED_PORTS:
            raise Blocked(PORT, f"port {port} is not allowed; only 80 and 443 may be checked")
    if not resolve:
        return Target(url, host, port, host)
    addresses = _resolve(host, port, timeout)
    if not allowlisted:
        for address in addresses:
            if not is_public_address(ipaddress.ip_address(address.split("%")[0])):
                raise Blocked(
                    NON_PUBLIC,
                    f"{host} resolves to the non-public address {address}; only globally "
                    "routable hosts may be checked",
                )
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
