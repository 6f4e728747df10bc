"""CC signals (creativecommons/cc-signals@2b863d8): conditions attached to a `=n` preference.

A CC signal rides on an AI-preference statement as the `exceptions` parameter,
e.g. `Content-Usage: train-ai=n;exceptions=cc-cr`: the use is disallowed
unless the user meets the signal's condition. vocab-08 §6.5 ignores parameters, so
this layer reads them from the parsed Dictionary separately.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.entry.signals.aipref import Statement
from registry.entry.signals.sfv import Token

# Signal tokens → the condition each one sets (directory signals/{id}/0.1).
SIGNALS = {
    "cc-cr": "credit",
    "cc-cr-dc": "credit + direct contribution",
    "cc-cr-ec": "credit + ecosystem contribution",
    "cc-cr-op": "credit + open (MOF Class I/II or OSAID models)",
}


@dataclass(frozen=True)
class Exception_:
    label: str  # the preference label it is attached to, e.g. train-ai
    signal: str  # e.g. cc-cr
    condition: str  # human-readable condition, or "unrecognised CC signal"

    @property
    def value(self) -> str:
        return f"{self.label}=n;exceptions={self.signal}"


def exceptions(statement: Statement) -> list[Exception_]:
    """CC-signal exceptions on `=n` members of a parsed statement (any label)."""
    found = []
    for label, member in (statement.members or {}).items():
        if not (isinstance(member.value, Token) and member.value == "n"):
            continue
        signal = member.params.get("exceptions")
        if isinstance(signal, (Token, str)) and not isinstance(signal, bool):
            signal = str(signal)
            found.append(Exception_(label, signal, SIGNALS.get(signal, "unrecognised CC signal")))
    return found
