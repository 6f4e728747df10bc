"""What a would-be seller describes: free text, or an offer file (offer_file.py).

`Offer` is plain data, so that `commons overlap --text` starts without the entry schema and
pydantic (a third of a second); an offer file is validated by offer_file.py, with the entry
schema's field types, before it becomes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.overlap.hosts import hosts_in_text, normalise
from registry.overlap.kind import linked_hosts, without_links

MAX_TEXT = 20 * 1024


@dataclass
class Offer:
    """A dataset someone considers licensing, described as an entry would be."""

    name: str | None = None
    summary: str | None = None
    description: str | None = None
    domains: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    modality: str | None = None
    source_domains: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All descriptive text, for similarity."""
        return "\n".join(
            part
            for part in (
                self.name,
                self.name,
                self.summary,
                self.description,
                " ".join(d.replace("-", " ") for d in self.domains),
            )
            if part
        )

    @property
    def declared(self) -> bool:
        return bool(self.domains or self.languages or self.modality)

    def hosts(self) -> list[str]:
        """Declared source sites, host names written in the text, and hosts it links to (a link
        to a paper cites it, and names no source: `kind.linked_hosts`)."""
        found = list(self.source_domains)
        for host in hosts_in_text(without_links(self.text)) + linked_hosts(self.text):
            if host not in found:
                found.append(host)
        return found


def offer_from_text(text: str) -> Offer:
    """Free text is the description; host names written in it count as declared sources, but
    not hosts that appear only inside a link (where to read more: `kind.linked_hosts`)."""
    text = text.strip()
    if not text:
        raise ValueError("describe your dataset: the text is empty")
    if len(text.encode("utf-8")) > MAX_TEXT:
        raise ValueError(
            f"the description is over {MAX_TEXT // 1024} KB; shorten it to what the data is "
            "and where it comes from"
        )
    return Offer(
        name=None,
        summary=None,
        description=text,
        domains=[],
        languages=[],
        modality=None,
        source_domains=list(dict.fromkeys(map(normalise, hosts_in_text(without_links(text))))),
    )
