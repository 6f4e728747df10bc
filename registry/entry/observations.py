"""The observation history: dated observations of the AI-use signals a source publishes.

A source is a host as the catalog's `source_domains` name it. Its history is one
file, `observations/<source>.yaml`, kept in date order and appended to: by
`commons refresh-signals` (a live fetch through the network door) and by
`commons import-signals` (a third-party tracker's stored copy, with the tracker,
its snapshot and the file it kept). An observation either carries the signals
read from what was fetched (none is an observation too: nothing published) or
says why what was fetched could not be read (`rejected`).

The classifier reads a source's signals from its latest readable observation on
or before the classification date; later observations are ignored.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from registry.entry import vocabularies as v
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.schema import Signal, field_order
from registry.entry.schema_types import Bool, Date, Hostname, LongText, Model, Text, Url
from registry.entry.strict_yaml import YamlErrors, read

FOLDER = "observations"
METHODS = ("refresh-signals", "import-signals")
Commit = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ObservedSignal(Model):
    """One signal as it was published, and where in the fetched resources it was found."""

    vocabulary: Literal[v.SIGNAL_VOCABULARIES] = Field(description="Signal vocabulary.")
    value: LongText = Field(max_length=500, description="The signal as published.")
    source: Url | None = Field(
        default=None,
        description="Where it was found, when not the observation's url (a page, tdmrep.json, "
        "an RSL licence).",
    )
    note: Text | None = Field(
        default=None, max_length=300, description="Where in the resource it was found."
    )


class Observation(Model):
    """What one look at a source found, when, and how it was obtained."""

    observed: Date = Field(description="When it was fetched (YYYY-MM-DD).")
    url: Url = Field(description="What was fetched, e.g. https://stackoverflow.com/robots.txt.")
    by: Literal[METHODS] = Field(
        description="refresh-signals: fetched live; import-signals: a tracker's stored copy."
    )
    tracker: Text | None = Field(
        default=None, max_length=200, description="The tracker's repository (imports)."
    )
    snapshot: Commit | None = Field(default=None, description="The tracker's commit (imports).")
    file: Text | None = Field(
        default=None, max_length=300, description="The file in the tracker's snapshot (imports)."
    )
    sha256: Sha256 | None = Field(default=None, description="SHA-256 of the bytes read.")
    lower_cased: Bool = Field(
        default=False, description="The copy was lower-cased by its tracker (not the site's bytes)."
    )
    rejected: Text | None = Field(
        default=None,
        max_length=300,
        description="Why what was fetched is not read as signals (an error page, an empty body).",
    )
    signals: list[ObservedSignal] = Field(
        default_factory=list, description="The signals found; none means none was published."
    )

    @model_validator(mode="after")
    def _consistent(self):
        if self.by == "import-signals" and not (self.tracker and self.snapshot and self.file):
            raise ValueError("an imported observation names its tracker, snapshot and file")
        if self.rejected and self.signals:
            raise ValueError("a rejected observation carries no signals")
        return self


class SourceHistory(Model):
    """Every observation of one source, oldest first."""

    source: Hostname = Field(description="The host, as entries' source_domains name it.")
    url: Url | None = Field(
        default=None, description="Where refresh-signals looks (default https://<source>/)."
    )
    checked: Date | None = Field(
        default=None,
        description="The last time refresh-signals looked (YYYY-MM-DD), whether or not it found "
        "a change; a look that finds the latest observation unchanged appends nothing.",
    )
    observations: list[Observation] = Field(
        default_factory=list, description="Oldest first; new ones are appended."
    )

    @property
    def page(self) -> str:
        return self.url or f"https://{self.source}/"


ORDER = field_order(SourceHistory)


@dataclass(frozen=True)
class History:
    """The observation histories of every source, and a digest of the files they came from."""

    sources: dict[str, SourceHistory]
    digest: str

    def in_force(self, source: str, as_of: datetime.date) -> Observation | None:
        """The latest readable observation of `source` on or before `as_of`."""
        history = self.sources.get(source)
        found = None
        for observation in history.observations if history else ():
            if observation.observed > as_of:
                break
            if not observation.rejected:
                found = observation
        return found

    def signals_for(self, sources, as_of: datetime.date) -> list[Signal]:
        """The signals in force at `as_of` for each of `sources`, as entry signals."""
        found = []
        for source in dict.fromkeys(sources):
            observation = self.in_force(source, as_of)
            for signal in observation.signals if observation else ():
                found.append(
                    Signal.model_construct(
                        vocabulary=signal.vocabulary,
                        value=signal.value,
                        source=signal.source or observation.url,
                        observed=observation.observed,
                    )
                )
        return found


NO_HISTORY = History({}, hashlib.sha256(b"").hexdigest())


def parse_history(path: str, data: bytes) -> SourceHistory:
    """One observation file, validated; EntryErrors with every problem at its line and column."""
    from registry.entry.loader import schema_error

    try:
        document = read(path, data)
    except YamlErrors as problems:
        raise EntryErrors(problems.errors) from None
    try:
        history = SourceHistory.model_validate(document.value)
    except ValidationError as error:
        raise EntryErrors(
            [schema_error(document, d, ORDER) for d in error.errors(include_url=False)]
        ) from None
    errors = []
    stem = Path(path).name.removesuffix(".yaml")
    if history.source != stem:
        line, col = document.position(("source",))
        errors.append(
            EntryError(
                path, line, col, f"source '{history.source}' must equal the file name ('{stem}')"
            )
        )
    dates = [observation.observed for observation in history.observations]
    for index in range(1, len(dates)):
        before, after = history.observations[index - 1], history.observations[index]
        if after.observed < before.observed:
            line, col = document.position(("observations", index, "observed"))
            errors.append(
                EntryError(
                    path,
                    line,
                    col,
                    f"observations must be in date order: {after.observed} comes after "
                    f"{before.observed}",
                )
            )
    if errors:
        raise EntryErrors(errors)
    return history


def load_history(folder: Path) -> History:
    """Every `<source>.yaml` of `folder` (none when it does not exist); EntryErrors with every
    problem of every file."""
    from registry.entry.loader import display_paths

    folder = Path(folder)
    if not folder.is_dir():
        return NO_HISTORY
    files = sorted(folder.glob("*.yaml"))
    contents, errors = {}, []
    for file, name in zip(files, display_paths(files), strict=True):
        try:
            contents[name] = file.read_bytes()
        except OSError as error:
            errors.append(EntryError(name, 1, 1, f"cannot read file: {error.strerror}"))
    return history_of_files(contents, errors)


def history_of_files(contents: dict[str, bytes], errors: list | None = None) -> History:
    """The history held by observation files given as {shown name: bytes}; EntryErrors with
    every problem (and any `errors` already found)."""
    errors = list(errors or [])
    digest = hashlib.sha256()
    sources = {}
    for name in sorted(contents, key=lambda n: Path(n).name):
        data = contents[name]
        digest.update(Path(name).name.encode() + b"\0" + hashlib.sha256(data).digest())
        try:
            history = parse_history(name, data)
        except EntryErrors as problems:
            errors.extend(problems.errors)
            continue
        sources[history.source] = history
    if errors:
        raise EntryErrors(errors)
    return History(sources, digest.hexdigest())
