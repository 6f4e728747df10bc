"""What the classifier returns for one entry: the contract every consumer reads.

The build stores it in its own tables, apart from the authored data; the site,
Datasette pages and exports show it. Nothing here is authored by contributors.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

CATEGORIES = ("commons-by-default", "open-use-restricted", "not-commons", "undetermined")
USES = ("training", "retrieval", "evaluation")
USE_VERDICTS = ("allowed", "conditional", "restricted", "unknown")
TEMPLATE_FITS = ("fits", "fits-with-conditions", "does-not-fit", "unknown")


@dataclass(frozen=True)
class Reason:
    """One fired rule: why the entry got (part of) its classification."""

    rule: str
    text: str
    citation: str
    effect: str = ""


@dataclass(frozen=True)
class UseVerdict:
    """May the data be used this way? Commercial and non-commercial use can differ."""

    commercial: str
    non_commercial: str
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateFit:
    """How well a contract template fits the entry, and why."""

    template: str
    fit: str
    why: str


@dataclass(frozen=True)
class Part:
    """One part of an entry with its own answer: items of some years, a licence's scope,
    copies obtained under some terms. A split verdict is a list of parts."""

    scope: str  # in plain words, e.g. "items first published in or before 1930"
    category: str
    jurisdictions: tuple[str, ...] = ()  # where the part's answer holds; empty: as the entry's
    detail: str = ""  # why, in a few words
    text: str = ""  # the plain-words answer for this part (classifier.plain)


@dataclass(frozen=True)
class Classification:
    """The classifier's full answer for one entry."""

    entry_id: str
    category: str
    license_family: str
    obligations: tuple[str, ...]
    uses: dict[str, UseVerdict]
    templates: tuple[TemplateFit, ...]
    reasons: tuple[Reason, ...]
    rules_version: str
    as_of: datetime.date
    enters_commons_on: datetime.date | None = None
    jurisdictions: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    confidence: str = "high"  # high, medium, low: how far the licence basis can be relied on
    parts: tuple[Part, ...] = ()  # per-scope answers when one answer does not fit the whole entry
    where: str = ""  # where the result holds, in plain words
    plain: str = ""  # the answer in plain words: can I train on this, and where?
    # The signals the rules read: (vocabulary, value, source, observed), entry's own first.
    signals: tuple[tuple[str, str, str, str], ...] = ()

    def to_json(self) -> dict:
        """A JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        data["id"] = data.pop("entry_id")
        data["as_of"] = self.as_of.isoformat()
        data["enters_commons_on"] = (
            self.enters_commons_on.isoformat() if self.enters_commons_on else None
        )
        return data
