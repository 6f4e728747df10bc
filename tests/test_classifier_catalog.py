"""The committed catalog's verdicts that issue 16 set right: contrast cases are never
commons by default, public-domain collections always say where they are commons, and
the entries it named keep the answer their evidence supports."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from classifier import classify
from registry.entry.loader import load

ENTRIES = {item.entry.id: item.entry for item in load([Path(__file__).parent.parent / "entries"])}
AS_OF = datetime.date(2026, 12, 3)

# The contrast cases of the catalog's research notes (catalog README, "Contrast and
# use-restricted records"): not commons, or use-restricted.
CONTRAST = [
    "hathitrust-research-datasets",
    "gallica",
    "institutional-books-1-0",
    "musicbrainz",
    "pmc-oa-noncommercial-use",
    "arxiv-nonexclusive-full-text",
    "s2orc",
    "common-crawl",
    "c4",
    "fineweb",
    "openwebtext",
    "the-pile",
    "redpajama-data-1t",
    "bookcorpus",
    "laion-5b",
    "unsplash",
    "imagenet",
    "ms-coco",
    "yfcc100m",
    "free-music-archive-fma",
    "pile-of-law",
    "lexfiles",
    "wikihow",
    "reddit-pushshift",
    "who-iris-publications",
    "dolma",
]


def verdict(entry_id):
    return classify(ENTRIES[entry_id], AS_OF)


@pytest.mark.parametrize("entry_id", CONTRAST)
def test_no_contrast_entry_is_commons_by_default(entry_id):
    assert verdict(entry_id).category != "commons-by-default"


PUBLIC_DOMAIN = sorted(
    e.id
    for e in ENTRIES.values()
    if e.copyright_basis == "public-domain-expired"
    or any(
        "Public-Domain-Expired" in lic.expression or "No-Known-Copyright" in lic.expression
        for lic in e.licenses
        if lic.scope == "all"
    )
)


@pytest.mark.parametrize("entry_id", PUBLIC_DOMAIN)
def test_public_domain_collections_are_decided_and_say_where(entry_id):
    result = verdict(entry_id)
    assert result.category != "undetermined", result.reasons
    assert result.plain and result.where
    if result.category == "commons-by-default":
        # Public domain never holds "anywhere" on its own say-so.
        assert result.where != "anywhere"


@pytest.mark.parametrize(
    "entry_id, category, where",
    [
        ("project-gutenberg", "commons-by-default", ("US",)),
        ("loc-selected-digitized-books", "commons-by-default", ("US",)),
        ("nypl-public-domain-collections", "commons-by-default", ("US",)),
        ("danish-public-domain-pleias", "commons-by-default", ("EU",)),
        ("flickr-commons", "commons-by-default", ()),
        ("chronicling-america", "open-use-restricted", ("US",)),
        ("us-pd-newspapers-pleias", "open-use-restricted", ("US",)),
        ("american-stories", "commons-by-default", ("US",)),
        ("loc-pd-books-storytracer", "commons-by-default", ("US",)),
        ("french-pd-books", "commons-by-default", ("FR",)),
    ],
)
def test_public_domain_collections(entry_id, category, where):
    result = verdict(entry_id)
    assert result.category == category
    assert result.jurisdictions == where


def test_split_collection_names_its_free_part_in_plain_words():
    result = verdict("chronicling-america")
    assert (
        "Items first published in or before 1930 (their term has ended): commons by default in "
        "the United States" in result.plain
    )


@pytest.mark.parametrize(
    "entry_id, category",
    [
        ("europarl-corpus", "commons-by-default"),
        ("pmc-oa-commercial-use", "open-use-restricted"),
        ("pes2o", "not-commons"),
        ("reddit-pushshift", "not-commons"),
        ("crossref-metadata", "open-use-restricted"),
        ("internet-archive-texts", "open-use-restricted"),
        ("biorxiv", "open-use-restricted"),
        ("medrxiv", "open-use-restricted"),
        ("pubmed-medline-baseline", "open-use-restricted"),
        ("python-peps", "commons-by-default"),
        ("open-license-corpus", "commons-by-default"),
    ],
)
def test_named_entries(entry_id, category):
    assert verdict(entry_id).category == category


def test_youtube_commons_confidence_follows_the_laundering_concern():
    assert verdict("youtube-commons").confidence == "low"


def test_musicbrainz_core_is_commons_beside_its_non_commercial_supplement():
    core, supplement = verdict("musicbrainz").parts
    assert core.category == "commons-by-default"
    assert supplement.category == "open-use-restricted"


def test_crossref_metadata_records_are_commons_and_abstracts_are_not():
    records, abstracts = verdict("crossref-metadata").parts
    assert records.category == "commons-by-default"
    assert abstracts.category == "not-commons"


def test_rosetta_code_gfdl_uses_match_its_category():
    result = verdict("rosetta-code")
    assert result.category == "open-use-restricted"
    assert result.uses["training"].commercial == "unknown"


def test_stack_exchange_dump_terms_bind_one_route_only():
    result = verdict("stack-exchange-data-dump")
    assert result.category == "commons-by-default"
    assert [p.category for p in result.parts] == ["open-use-restricted"]
    assert "access.terms-bind-one-route" in {r.rule for r in result.reasons}


OPENERS = ("Yes", "Only", "Partly", "No:", "Not known yet")


@pytest.mark.parametrize("entry_id", sorted(ENTRIES))
def test_every_entry_has_a_plain_answer_that_says_where(entry_id):
    result = verdict(entry_id)
    assert result.plain.startswith(OPENERS), result.plain
    assert "{" not in result.plain and "}" not in result.plain
    assert result.where
    for part in result.parts:
        assert part.text and part.text in result.plain
