"""Source-site matching: does your data come from the same web site as an entry?

Hosts match exactly (en.wikipedia.org = en.wikipedia.org), by parent
(en.wikipedia.org is inside wikipedia.org, or the reverse) or as siblings
under one registrable domain (fr.wikipedia.org and en.wikipedia.org: same
project, other part). The registrable domain is the last two labels, or
three under the common second-level suffixes listed here; a full public
suffix list is not needed for the sites datasets come from.
"""

from __future__ import annotations

import re
from itertools import pairwise

TWO_LABEL_SUFFIXES = frozenset(
    """ac.uk co.uk gov.uk org.uk nhs.uk ac.jp co.jp go.jp or.jp com.au edu.au gov.au org.au co.nz
    govt.nz ac.nz com.br gov.br org.br edu.br co.in gov.in ac.in nic.in com.cn edu.cn gov.cn org.cn
    co.za gov.za ac.za gc.ca gouv.fr gv.at ac.at gob.es gob.mx com.mx europa.eu""".split()
)

# Where projects keep their code and cards: a description names or links them for its own
# repository ("visit us on GitHub"), rarely as the source of its content.
PROJECT_HOSTS = frozenset(
    {"github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "sourceforge.net"}
)

# Exact host, parent or child, sibling under one registrable domain.
EXACT, NESTED, SIBLING = 1.0, 0.85, 0.5
# A site named in prose ("from Stack Overflow") is weaker evidence than a declared host.
NAMED = 0.85

# Host labels that are ordinary words, so a description using them names no site.
GENERIC_LABELS = frozenset(
    """archive canada census commons congress dataspace digitalcollections directory europa freedom
    google house images kernel library legislation parliament patents press python regulations
    harvard bulkdata portal media research science public global voices statistics
    gazette""".split()
)

# Text is cut into URL-ish tokens first and each is checked whole, so the check is linear
# in the text's length whatever it contains (no backtracking over long runs of labels).
URL_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./:%?#=&_~+@-]*")
HOSTNAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}")
_NOT_HOSTS = frozenset({"e.g", "i.e", "etc"})
# Endings of file names that descriptions of datasets and their code mention ("run.sh",
# "setup.py", "README.md", "train.jsonl"). Some are also top-level domains, but written bare,
# with neither a scheme nor a path, such a name is a file ("bun.sh/docs" is a site).
FILE_ENDINGS = frozenset(
    """sh py md rst txt json jsonl csv tsv yaml yml xml html htm zip gz bz2 xz zst tar tgz 7z
    parquet arrow pdf ipynb js ts rs pl rb java cpp hpp cc go toml cfg ini lock bin pt pth
    safetensors ckpt npy npz pkl h5 wav mp3 flac jpg jpeg png gif tif tiff svg mp4 mov""".split()
)


def normalise(host: str) -> str:
    """Lowercase, no scheme, path, port, trailing dot or leading `www.`."""
    host = host.strip().lower()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host)
    host = host.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split(":", 1)[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host


def registrable(host: str) -> str:
    """The registrable domain: wikipedia.org for en.wikipedia.org, bl.uk for data.bl.uk."""
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def match(mine: str, theirs: str) -> tuple[float, str] | None:
    """How closely two hosts match, with the words that say why; None if unrelated."""
    if mine == theirs:
        return EXACT, f"{mine} is a source of both"
    if mine.endswith("." + theirs):
        return NESTED, f"{mine} is part of {theirs}"
    if theirs.endswith("." + mine):
        return NESTED, f"{theirs} is part of {mine}"
    if registrable(mine) == registrable(theirs):
        return SIBLING, f"{mine} and {theirs} are both under {registrable(mine)}"
    return None


def hosts_in_text(text: str) -> list[str]:
    """Host names mentioned in free text ("scraped from stackoverflow.com"), in order, once each."""
    found: list[str] = []
    for token in URL_TOKEN.findall(text[:20000]):
        if "." not in token or "@" in token:
            continue
        host = normalise(token)
        if len(host) > 253 or host in _NOT_HOSTS or not HOSTNAME.fullmatch(host):
            continue
        if "/" not in token and host.rsplit(".", 1)[-1] in FILE_ENDINGS:
            continue  # a file name: no scheme and no path says it is a site
        if host not in found:
            found.append(host)
    return found


def site_labels(host: str) -> list[str]:
    """The labels of a host that name a site: `stackoverflow` in stackoverflow.com, `eurlex` in
    eur-lex.europa.eu."""
    labels = normalise(host).split(".")[:-1]
    return [
        label.replace("-", "")
        for label in labels
        if len(label) >= 5 and label.replace("-", "") not in GENERIC_LABELS
    ]


_RAW_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _word_runs(text: str) -> set[str]:
    """Single words and runs of two or three words written together: "Stack Overflow" →
    stackoverflow."""
    words = [w.replace("-", "") for w in _RAW_WORD.findall(text[:20000].casefold())]
    runs = set(words)
    runs.update(a + b for a, b in pairwise(words))
    runs.update(a + b + c for a, b, c in zip(words, words[1:], words[2:], strict=False))
    return runs


def parents(host: str) -> list[str]:
    """en.wikipedia.org → [wikipedia.org]: every parent down to the registrable domain."""
    base = registrable(host)
    labels = host.split(".")
    found = []
    for i in range(1, len(labels)):
        parent = ".".join(labels[i:])
        if len(parent) < len(base):
            break
        found.append(parent)
    return found


# Above this many distinct hosts under one registrable domain (github.io, example.org),
# being siblings there says nothing, so only exact and nested hosts match.
SIBLING_GROUP_CAP = 50


class HostIndex:
    """Entries by host, by parent domain and by registrable domain: a lookup touches only related
    hosts."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.by_host: dict[str, list[str]] = {}
        self.by_parent: dict[str, set[str]] = {}
        self.by_registrable: dict[str, set[str]] = {}
        self.names: dict[str, set[str]] = {}
        for entry_id, host in pairs:
            host = normalise(host)
            self.by_host.setdefault(host, []).append(entry_id)
            for parent in parents(host):
                self.by_parent.setdefault(parent, set()).add(host)
            self.by_registrable.setdefault(registrable(host), set()).add(host)
            for label in site_labels(host):
                self.names.setdefault(label, set()).add(host)
        # A label shared by many hosts (`example`, `blogspot`) names no one site.
        self.names = {
            label: hosts for label, hosts in self.names.items() if len(hosts) <= SIBLING_GROUP_CAP
        }

    def related_hosts(self, mine: str) -> list[str]:
        """Catalogued hosts that match `mine`: itself, its parents, its children, and siblings in a
        small group."""
        found = {mine} if mine in self.by_host else set()
        found.update(p for p in parents(mine) if p in self.by_host)
        found.update(self.by_parent.get(mine, ()))
        group = self.by_registrable.get(registrable(mine), set())
        if len(group) <= SIBLING_GROUP_CAP:
            found.update(group)
        return sorted(found)

    def entries_for(self, host: str) -> list[str]:
        return self.by_host.get(host, [])

    def lookup(self, hosts: list[str]) -> dict[str, tuple[float, list[str]]]:
        """entry id → (best match strength, reasons) for the given hosts."""
        result: dict[str, tuple[float, set[str]]] = {}
        for mine in sorted({normalise(h) for h in hosts}):
            for theirs in self.related_hosts(mine):
                found = match(mine, theirs)
                if found is None:
                    continue
                strength, why = found
                for entry_id in self.by_host[theirs]:
                    best, reasons = result.get(entry_id, (0.0, set()))
                    reasons.add(why)
                    result[entry_id] = (max(best, strength), reasons)
        return {k: (s, sorted(r)) for k, (s, r) in result.items()}

    def named_in(self, text: str) -> dict[str, str]:
        """Catalogued source hosts whose site name appears in `text`: host → the name as matched."""
        found = {}
        for run in sorted(_word_runs(text) & self.names.keys()):
            for host in sorted(self.names[run]):
                found.setdefault(host, run)
        return found
