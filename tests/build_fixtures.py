"""Small, readable entry corpora for build and Datasette tests."""

from __future__ import annotations

from pathlib import Path

from registry.entry.canonical import dumps


def raw_entry(entry_id: str, **fields) -> dict:
    """A valid entry's raw data (strings, as the loader reads it), with fields overridden."""
    raw = {
        "id": entry_id,
        "name": f"Dataset {entry_id}",
        "summary": f"A test dataset called {entry_id}.",
        "homepage": f"https://data.example.org/{entry_id}",
        "access": {"kind": "open", "urls": [f"https://data.example.org/{entry_id}/download"]},
        "publisher": {"name": "Example Archive", "type": "nonprofit"},
        "modality": "text",
        "languages": ["en"],
        "domains": ["science"],
        "licenses": [{"expression": "CC0-1.0", "scope": "all"}],
        "copyright_basis": "cc0-dedication",
        "evidence": [
            {"url": f"https://data.example.org/{entry_id}/license", "checked": "2026-01-15"}
        ],
        "verification": "high",
    }
    raw.update(fields)
    return raw


def write_entry(folder: Path, raw: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{raw['id']}.yaml"
    path.write_text(dumps(raw), encoding="utf-8")
    return path


def small_corpus() -> list[dict]:
    """Six entries covering the facets: licences, modalities, languages, domains, signals, lineage,
    a
    work entering the public domain in 2027 (as of 2026)."""
    return [
        raw_entry(
            "alpha-archives",
            name="Alpha Archives",
            summary="Scanned archives of old letters.",
            languages=["en", "fr"],
            domains=["cultural-heritage", "literature"],
            # Validation refuses HTML elements in descriptions; markup it does not know as HTML
            # (any tag name) must still reach every page escaped.
            description=(
                "Letters from **archives**.\n\nSee <x-alert onclick=alert(1)>here</x-alert>."
            ),
        ),
        raw_entry(
            "beta-speech",
            modality="audio",
            languages=["de"],
            domains=["speech"],
            licenses=[{"expression": "CC-BY-4.0", "scope": "all"}],
            copyright_basis="open-licence",
            signals=[
                {
                    "vocabulary": "ietf-aipref",
                    "value": "train-ai=n",
                    "source": "https://beta.example.org/robots.txt",
                    "observed": "2025-08-01",
                }
            ],
        ),
        raw_entry(
            "gamma-code",
            modality="code",
            languages=[],
            domains=["code"],
            licenses=[{"expression": "MIT", "scope": "all"}],
            copyright_basis="open-licence",
            publisher={"name": "Gamma Co", "type": "company"},
            verification="medium",
        ),
        raw_entry(
            "delta-derived",
            name="Delta <script>alert('x')</script>",
            summary="Derived from alpha <x-bold>bold</x-bold>.",
            derived_from=["alpha-archives"],
            languages=["en"],
            licenses=[{"expression": "CC-BY-NC-4.0", "scope": "all"}],
            copyright_basis="open-licence",
            verification="low",
        ),
        raw_entry(
            "epsilon-old-books",
            languages=["en"],
            domains=["literature"],
            licenses=[{"expression": "LicenseRef-Public-Domain-Expired", "scope": "all"}],
            copyright_basis="public-domain-expired",
            first_published="1920",
            jurisdictions=["US"],
            aliases=["epsilon-books"],
        ),
        raw_entry(
            "zeta-old-films",
            name="Zeta Old Films",
            modality="video",
            languages=["en"],
            domains=["cultural-heritage"],
            licenses=[{"expression": "LicenseRef-Public-Domain-Expired", "scope": "all"}],
            copyright_basis="public-domain-expired",
            first_published="1931",
            jurisdictions=["US"],
        ),
    ]


def write_corpus(folder: Path, entries: list[dict] | None = None) -> list[Path]:
    return [
        write_entry(folder, raw) for raw in (entries if entries is not None else small_corpus())
    ]


# Rows 24-30 of the threat catalogue, in every field a contributor writes freely.
HOSTILE_MARKDOWN = "\n\n".join(
    [
        "<script>alert(1)</script>",
        "[c](javascript:alert(1)) [c](JaVaScRiPt:alert(1)) [c](java&#x73;cript:alert(1))",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "<img src=x onerror=alert(1)> <details open ontoggle=alert(1)>",
        '[d](https://e.org){: onmouseover="alert(1)" }',
        "<iframe src=//evil></iframe> <style>body{display:none}</style> "
        "<svg><script>alert(1)</script></svg>",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "{{ config }} {% include 'x' %}",
    ]
)
# What validation lets through in a summary or description (which refuse HTML): hostile
# Markdown and template syntax. The full catalogue goes into rights_notes and the title.
HOSTILE_PLAIN_MARKDOWN = "\n\n".join(
    [
        "[c](javascript:alert(1)) [c](JaVaScRiPt:alert(1))",
        "[a][r]\n\n[r]: javascript:alert(1)",
        '[d](https://e.org){: onmouseover="alert(1)" }',
        "{{ config }} {% include 'x' %}",
    ]
)
HOSTILE_TITLE = '"><script>alert(1)</script>'
HOSTILE_INLINE = (
    '[c](javascript:alert(1)) <img src=x onerror=alert(1)> {: onmouseover="alert(1)" } {{ '
    "config }} {% include 'x' %}"
)


def registry_corpus() -> list[dict]:
    """The small corpus, an entry with hostile text in every free-text field, and entries whose
    text looks like spreadsheet formulas (CSV exports must neutralise them); the session
    registry (conftest.py) is built from it."""
    return small_corpus() + [
        raw_entry(
            "xss-fixture",
            name=HOSTILE_TITLE,
            summary=HOSTILE_INLINE.replace(" <img src=x onerror=alert(1)>", ""),
            description=HOSTILE_PLAIN_MARKDOWN,
            rights_notes=HOSTILE_MARKDOWN,
            publisher={"name": HOSTILE_TITLE, "type": "community"},
            domains=["news"],
        ),
        raw_entry(
            "formula-notes",
            name="Formula Notes",
            summary='=HYPERLINK("https://evil.example","click") is not a formula here.',
            description="-2+3 looks like a formula",
            rights_notes="@SUM(A1:A2)",
        ),
        raw_entry("plus-set", name="Plus Set", summary="+a set whose summary starts with a plus."),
    ]
