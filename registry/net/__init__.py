"""The one door to the network: only explicit commands come through here.

`url_guard` decides which URLs may be fetched (public addresses, ports 80 and
443, an allowlist for tests), `pinned_transport` connects to the address that
was checked, `network` fetches with the limits (redirects, size, deadline,
retries), and `links` checks entries' links with it.
"""
