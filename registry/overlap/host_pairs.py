"""Catalog entries that draw on the same web sites: pairs from shared source hosts.

Two entries pair when they share a host, one's host is a parent of the other's,
or their hosts are siblings in a small registrable domain (hosts.match says how
strong each is). A host that more than HOST_CAP entries use says nothing about
any pair and is skipped. All pairs are made in a few vectorised passes.
"""

from __future__ import annotations

import numpy as np

from registry.overlap.hosts import SIBLING_GROUP_CAP, match, normalise, parents, registrable

HOST_CAP = 50


def _by_host(sources: list[tuple[int, str]]) -> dict[str, list[int]]:
    """Normalised host → the rows (entries) that use it, each once."""
    by_host: dict[str, list[int]] = {}
    normalised: dict[str, str] = {}
    for row, host in sources:
        clean = normalised.get(host)
        if clean is None:
            clean = normalised[host] = normalise(host)
        group = by_host.setdefault(clean, [])
        if not group or group[-1] != row:
            group.append(row)
    return by_host


def _matched_groups(by_host: dict[str, list[int]]):
    """(groups_a, groups_b, strengths, reasons): one matched pair of hosts per reason, in the
    order found: each host with itself and its parents, then siblings in a small domain."""
    by_registrable: dict[str, list[str]] = {}
    for host in sorted(by_host):
        by_registrable.setdefault(registrable(host), []).append(host)
    groups_a, groups_b, strengths, reasons = [], [], [], []

    def add(host_a: str, host_b: str) -> None:
        group_a, group_b = by_host[host_a], by_host[host_b]
        if len(group_a) > HOST_CAP or len(group_b) > HOST_CAP:
            return
        if host_a == host_b and len(group_a) < 2:
            return
        found = match(host_a, host_b)
        if found is not None:
            groups_a.append(group_a)
            groups_b.append(group_b)
            strengths.append(found[0])
            reasons.append(found[1])

    for host in sorted(by_host):
        add(host, host)
        for parent in parents(host):
            if parent in by_host:
                add(host, parent)
    for _, group in sorted(by_registrable.items()):
        if len(group) <= SIBLING_GROUP_CAP:
            for i, host_a in enumerate(group):
                for host_b in group[i + 1 :]:
                    add(host_a, host_b)
    return groups_a, groups_b, strengths, reasons


def host_pairs(
    sources: list[tuple[int, str]], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Entries on the same host, a parent host, or a sibling host in a small domain; groups over
    HOST_CAP skipped.

    Returns sorted pair keys (a·n + b, both directions), the strongest match of
    each pair, the index of its reason in the returned list of reasons.
    """
    groups_a, groups_b, strengths, reasons = _matched_groups(_by_host(sources))
    a, b, reason_ids = _cross_products(groups_a, groups_b)
    if not len(a):
        # No host is shared (every host has one entry): no pairs.
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64), reasons
    keys, reason_ids = (
        np.concatenate([a * n + b, b * n + a]),
        np.concatenate([reason_ids, reason_ids]),
    )
    strength = np.array(strengths)[reason_ids]
    # The strongest match of each pair; among equals, the first found (the lowest reason id).
    levels = sorted(set(strengths), reverse=True)
    level = np.searchsorted(-np.array(levels), -strength)
    if n * n * len(levels) * len(reasons) < 2**62:
        order = np.argsort((keys * len(levels) + level) * len(reasons) + reason_ids)
    else:
        order = np.lexsort((reason_ids, level, keys))
    keys, strength, reason_ids = keys[order], strength[order], reason_ids[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    return keys[first], strength[first], reason_ids[first], reasons


def _cross_products(
    groups_a: list[list[int]], groups_b: list[list[int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (a, b) with a in groups_a[k], b in groups_b[k] and a ≠ b, with its k, in one vectorised
    pass."""
    if not groups_a:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))
    size_a = np.fromiter(map(len, groups_a), dtype=np.int64, count=len(groups_a))
    size_b = np.fromiter(map(len, groups_b), dtype=np.int64, count=len(groups_b))
    all_a = np.fromiter((x for g in groups_a for x in g), dtype=np.int64, count=int(size_a.sum()))
    all_b = np.fromiter((x for g in groups_b for x in g), dtype=np.int64, count=int(size_b.sum()))
    start_b = np.cumsum(size_b) - size_b
    # Each element of a group in groups_a meets its whole partner group.
    repeats = np.repeat(size_b, size_a)
    total = int(repeats.sum())
    block_start = np.cumsum(repeats) - repeats
    a = np.repeat(all_a, repeats)
    b = all_b[np.repeat(np.repeat(start_b, size_a) - block_start, repeats) + np.arange(total)]
    k = np.repeat(np.repeat(np.arange(len(groups_a)), size_a), repeats)
    keep = a != b
    return a[keep], b[keep], k[keep]
