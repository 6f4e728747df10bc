"""The network guard and limits, one test per catalogue row 31-40, against real local servers."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import urllib3.util.connection
from local_servers import LocalServer, huge_body, redirect, send, slow_drip

from registry.net import network, pinned_transport


@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.close()


@pytest.fixture
def other_server():
    s = LocalServer()
    yield s
    s.close()


def policy_for(*servers, **limits) -> network.Policy:
    return network.Policy(allow=frozenset(s.pair for s in servers), **limits)


@pytest.fixture
def no_connections(monkeypatch):
    """Record every outgoing connection attempt; the guard rows must make none."""
    attempts = []
    real = urllib3.util.connection.create_connection

    def spy(address, *args, **kwargs):
        attempts.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    return attempts


# Row 31: non-http schemes
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://x/",
    ],
)
def test_row31_only_http_and_https(url, no_connections):
    result = network.fetch(url, policy=network.Policy())
    assert result.error == network.SCHEME
    assert "scheme must be http or https" in result.message
    assert result.hops == () and no_connections == []


# Row 32: non-public addresses refused before any request
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/",
        "http://10.0.0.1/",
        "http://100.64.0.1/",
        "http://[::1]/",
        "http://0.0.0.0/",
    ],
)
def test_row32_non_public_address_no_request(url, no_connections):
    result = network.fetch(url, policy=network.Policy())
    assert result.error == network.NON_PUBLIC
    assert "non-public address" in result.message
    assert result.hops == () and no_connections == []


# Row 33: spellings of loopback that only resolution reveals
@pytest.mark.parametrize(
    "url",
    ["http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]/", "http://0177.0.0.1/"],
)
def test_row33_blocked_after_resolution(url, no_connections):
    result = network.fetch(url, policy=network.Policy())
    assert result.error == network.NON_PUBLIC
    assert result.hops == () and no_connections == []


def test_row33_live_server_not_reachable_by_other_spellings(server):
    """Only the exact allowlisted host:port reaches the test server."""
    server.routes["/"] = lambda h: send(h, 200, b"ok")
    policy = policy_for(server)
    assert network.fetch(server.url("/"), policy=policy).reachable
    for host in ("localhost", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]", "127.1"):
        result = network.fetch(f"http://{host}:{server.port}/", policy=policy)
        assert result.error in (network.NON_PUBLIC, network.PORT), host
    assert server.paths() == ["/"]


# Row 34: a redirect hop to a private address is blocked
def test_row34_redirect_to_loopback_blocked(server, other_server):
    other_server.routes["/secret"] = lambda h: send(h, 200, b"internal")
    server.routes["/to-other-port"] = redirect(other_server.url("/secret"))
    server.routes["/to-port-80"] = redirect("http://127.0.0.1/")
    server.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/", 301)
    policy = policy_for(server)
    for path in ("/to-other-port", "/to-port-80", "/to-metadata"):
        result = network.fetch(server.url(path), policy=policy)
        assert result.error == network.NON_PUBLIC, path
        assert result.message.startswith("redirect to ")
        assert result.hops == (server.url(path),)
    assert other_server.hits == []


# Row 35: redirect loops stop after five hops
def test_row35_redirect_loop(server):
    server.routes["/loop"] = redirect("/loop")
    result = network.fetch(server.url("/loop"), policy=policy_for(server))
    assert result.error == network.TOO_MANY_REDIRECTS
    assert "too many redirects" in result.message
    assert len(server.hits) == 6  # the first request plus five redirects followed


def test_five_redirects_are_followed(server):
    for i in range(5):
        server.routes[f"/r{i}"] = redirect(f"/r{i + 1}", 301)
    server.routes["/r5"] = lambda h: send(h, 200, b"done")
    result = network.fetch(server.url("/r0"), policy=policy_for(server))
    assert result.reachable and result.body == b"done"
    assert len(result.hops) == 6 and result.moved_permanently


# Row 36: a server dripping one byte every 0.5 s fails by the deadline
def test_row36_slow_drip_fails_by_deadline(server):
    server.routes["/drip"] = slow_drip
    result = network.fetch(server.url("/drip"), policy=policy_for(server, deadline=2.0))
    assert result.error == network.DEADLINE
    assert not result.reachable


def test_default_deadline_is_twenty_seconds():
    assert network.Policy().deadline == 20.0
    assert (network.Policy().connect_timeout, network.Policy().read_timeout) == (5.0, 10.0)


# Row 37: a 10 GB body stops at 1 MiB and counts as reachable
def test_row37_huge_body_capped(server):
    server.routes["/huge"] = huge_body
    result = network.fetch(server.url("/huge"), policy=policy_for(server))
    assert result.reachable and result.truncated
    assert len(result.body) == network.MIB
    assert network.check(server.url("/huge"), policy=policy_for(server)).reachable


# Row 38: HEAD refused, GET works
@pytest.mark.parametrize("refusal", [405, 501, 403])
def test_row38_head_falls_back_to_get(server, refusal):
    server.routes["/page"] = lambda h: send(h, refusal if h.command == "HEAD" else 200, b"hello")
    result = network.check(server.url("/page"), policy=policy_for(server))
    assert result.reachable and result.status == 200
    assert [m for m, _, _ in server.hits] == ["HEAD", "GET"]


# Row 39: 429 with Retry-After: bounded retries, then a warning
def test_row39_retry_after_longer_than_cap_is_a_warning(server):
    server.routes["/busy"] = lambda h: send(h, 429, b"slow down", {"Retry-After": "30"})
    result = network.check(server.url("/busy"), policy=policy_for(server))
    assert result.error == network.RATE_LIMITED and result.status == 429
    assert result.retries == 0 and len(server.hits) == 1
    assert "30" in result.message


def test_row39_short_retry_after_retried_at_most_twice(server):
    server.routes["/busy"] = lambda h: send(h, 429, b"", {"Retry-After": "1"})
    result = network.check(server.url("/busy"), policy=policy_for(server))
    assert result.error == network.RATE_LIMITED
    assert result.retries == 2 and len(server.hits) == 3


def test_retry_after_then_success(server):
    calls = []

    def flaky(handler):
        calls.append(1)
        if len(calls) == 1:
            send(handler, 503, b"", {"Retry-After": "0"})
        else:
            send(handler, 200, b"back")

    server.routes["/flaky"] = flaky
    result = network.fetch(server.url("/flaky"), policy=policy_for(server))
    assert result.reachable and result.retries == 1 and result.body == b"back"


# Row 40: userinfo and ports other than 80/443
@pytest.mark.parametrize(
    "url,kind",
    [
        ("http://user:pass@host/", network.USERINFO),
        ("http://user@example.org/", network.USERINFO),
        ("http://host:6379/", network.PORT),
        ("https://example.org:8443/", network.PORT),
    ],
)
def test_row40_userinfo_and_ports_rejected(url, kind, no_connections):
    result = network.fetch(url, policy=network.Policy())
    assert result.error == kind
    assert result.hops == () and no_connections == []


# Pinning, allowlist and politeness


def test_connection_goes_to_checked_address_not_a_new_lookup(server, monkeypatch):
    """DNS rebinding: the name resolves once; a second lookup would fail the fetch."""
    server.routes["/"] = lambda h: send(h, 200, h.headers.get("Host", "").encode())
    lookups = []
    real = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            if len(lookups) > 1:
                raise socket.gaierror("second lookup would have rebound")
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    policy = network.Policy(allow=frozenset({("rebind.test", server.port)}))
    result = network.fetch(f"http://rebind.test:{server.port}/", policy=policy)
    assert result.reachable, result.message
    assert result.body == f"rebind.test:{server.port}".encode()  # Host header keeps the name
    assert lookups == ["rebind.test"]


def test_adapter_refuses_unchecked_hosts(server):
    session = pinned_transport.session()
    with pytest.raises(Exception, match="unchecked host"):
        session.get(server.url("/"), timeout=2)
    assert server.hits == []


def test_allowlist_from_environment(server, monkeypatch):
    server.routes["/"] = lambda h: send(h, 200, b"ok")
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    assert network.fetch(server.url("/")).reachable
    monkeypatch.delenv(network.ALLOW_ENV)
    assert network.fetch(server.url("/")).error == network.NON_PUBLIC


def test_allowlist_rejects_malformed_pairs():
    with pytest.raises(ValueError, match="host:port"):
        network.parse_allowlist("127.0.0.1")
    assert network.parse_allowlist("127.0.0.1:1, [::1]:2") == {("127.0.0.1", 1), ("::1", 2)}


def test_identifying_user_agent(server):
    server.routes["/"] = lambda h: send(h, 200)
    network.fetch(server.url("/"), policy=policy_for(server))
    assert server.hits[0][2]["User-Agent"].startswith("commons-registry-checker/")


def test_at_most_two_requests_per_host(server):
    active, peak, lock = [0], [0], threading.Lock()

    def slow(handler):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.3)
        with lock:
            active[0] -= 1
        send(handler, 200, b"ok")

    server.routes["/slow"] = slow
    policy = policy_for(server)
    threads = [
        threading.Thread(
            target=network.fetch, args=(server.url("/slow"),), kwargs={"policy": policy}
        )
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.hits) == 6
    assert peak[0] == 2


def test_errors_are_data_not_exceptions(server):
    server.close()
    result = network.fetch(server.url("/"), policy=policy_for(server))
    assert result.error == network.CONNECTION and not result.reachable
    assert network.fetch("http://[broken/", policy=network.Policy()).error == network.INVALID_URL


def test_waiting_for_a_host_slot_does_not_count_against_the_deadline(server):
    """Six fetches of a 1 s page, two at a time, each with a 1.5 s deadline: all succeed."""
    server.routes["/second"] = lambda h: (time.sleep(1.0), send(h, 200, b"ok"))
    policy = policy_for(server, deadline=1.5)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(network.fetch(server.url("/second"), policy=policy))
        )
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.error for r in results] == [None] * 6


def test_https_keeps_the_name_for_sni_while_connecting_to_the_pinned_address(tmp_path, monkeypatch):
    """TLS goes to the checked IP, but SNI (and certificate checks) use the host name."""
    import http.server
    import ssl
    import subprocess

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=pinned.test",
        ],
        check=True,
        capture_output=True,
    )
    seen = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen.append(name)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = httpd.server_address[1]
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: real("127.0.0.1" if host == "pinned.test" else host, *a, **k),
    )
    try:
        result = network.fetch(
            f"https://pinned.test:{port}/",
            policy=network.Policy(allow=frozenset({("pinned.test", port)}), deadline=5),
        )
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert seen == ["pinned.test"]
    assert (
        result.error == network.TLS
    )  # the self-signed certificate is not trusted: verification is on
