"""The overlap check on a small catalog built from the declared schema."""

from __future__ import annotations

import json

import pytest
from catalog_db import add_entry, create
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.overlap.check import check
from registry.overlap.hosts import hosts_in_text, match, registrable
from registry.overlap.index import open_index
from registry.overlap.offer import offer_from_text


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "registry.db"
    db = create(path)
    add_entry(
        db,
        "wikipedia",
        "Wikipedia database dumps",
        "Every article of every Wikipedia language edition as XML dumps.",
        "Encyclopedia articles written by volunteers.",
        domains=("encyclopedic",),
        languages=("mul",),
        source_domains=("wikipedia.org",),
        category="open-use-restricted",
        licenses=("CC-BY-SA-4.0",),
    )
    add_entry(
        db,
        "open-corpus",
        "Open Training Corpus",
        "A large mixture of openly licensed text for language model training.",
        domains=("web",),
        languages=("en",),
    )
    add_entry(
        db,
        "court-opinions",
        "Court opinions bulk data",
        "Published opinions of United States federal and state courts.",
        "Judicial decisions, dockets and citations.",
        domains=("legal",),
        source_domains=("courtlistener.com",),
        licenses=("CC-PDM-1.0",),
    )
    add_entry(
        db,
        "bird-sounds",
        "Bird song recordings",
        "Field recordings of bird songs and calls with species labels.",
        modality="audio",
        domains=("biodiversity", "audio"),
        languages=("zxx",),
        source_domains=("xeno-canto.org",),
        licenses=("CC-BY-SA-4.0",),
    )
    db["lineage"].insert(
        {"entry_id": "wikipedia", "relation": "included_in", "related_id": "open-corpus"}
    )
    return path


def test_source_host_match_names_the_entry_and_the_corpus_that_includes_it(catalog):
    result = check(
        open_index(catalog),
        offer_from_text("Plain text of articles I scraped from en.wikipedia.org"),
    )
    ids = [m["id"] for m in result["matches"]]
    assert ids[:2] == ["wikipedia", "open-corpus"]
    top, corpus = result["matches"][0], result["matches"][1]
    assert top["components"]["sources"]["score"] == pytest.approx(0.85)
    assert "en.wikipedia.org is part of wikipedia.org" in top["components"]["sources"]["reasons"]
    assert corpus["components"]["lineage"]["via"][0]["id"] == "wikipedia"
    assert corpus["components"]["lineage"]["via"][0]["relation"] == "includes"
    assert result["verdict"]["level"] == "high"
    assert all(0.0 <= m["score"] <= 1.0 for m in result["matches"])


def test_description_similarity_alone_finds_court_opinions(catalog):
    result = check(
        open_index(catalog),
        offer_from_text("Decisions and opinions from US courts, federal and state, with citations"),
    )
    assert result["matches"][0]["id"] == "court-opinions"
    assert result["matches"][0]["components"]["text"]["score"] > 0
    assert "opinion" in result["matches"][0]["components"]["text"]["shared_terms"]


def test_unrelated_private_data_gets_no_high_verdict(catalog):
    result = check(
        open_index(catalog),
        offer_from_text(
            "Point-of-sale transaction logs from our grocery stores, with loyalty card ids"
        ),
    )
    assert result["verdict"]["level"] in ("none", "low")
    assert "not your actual files" in " ".join(result["verdict"]["caveats"])


def test_declared_modality_disagreement_lowers_the_score(catalog, tmp_path):
    text_offer = tmp_path / "offer.yaml"
    text_offer.write_text(
        "summary: Recordings of bird songs and calls from the field\nmodality: audio\n"
    )
    audio = CliRunner().invoke(
        cli, ["overlap", "--offer", str(text_offer), "--db", str(catalog), "--format", "json"]
    )
    text_offer.write_text(
        "summary: Recordings of bird songs and calls from the field\nmodality: text\n"
    )
    text = CliRunner().invoke(
        cli, ["overlap", "--offer", str(text_offer), "--db", str(catalog), "--format", "json"]
    )
    audio_score = json.loads(audio.output)["matches"][0]
    text_score = json.loads(text.output)["matches"][0]
    assert audio_score["id"] == text_score["id"] == "bird-sounds"
    assert audio_score["components"]["agreement"]["modality"] == 1.0
    assert text_score["components"]["agreement"]["modality"] == 0.0
    assert text_score["score"] < audio_score["score"]


def test_offer_file_errors_are_positioned_and_all_reported(catalog, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: My data\nmodality: holograms\nsource_domains: [https://example.org/x]\ncolour: "
        "blue\n"
    )
    result = CliRunner().invoke(cli, ["overlap", "--offer", str(bad), "--db", str(catalog)])
    assert result.exit_code == 1
    assert f"{bad}:2:11: modality: 'holograms' is not allowed" in result.output
    assert f"{bad}:3:" in result.output and "lowercase host name" in result.output
    assert f"{bad}:4:1: unknown key 'colour'" in result.output
    assert "Traceback" not in result.output


def test_text_on_stdin_and_text_output(catalog):
    result = CliRunner().invoke(
        cli,
        ["overlap", "--db", str(catalog), "--top", "2"],
        input="US court opinions, federal and state\n",
    )
    assert result.exit_code == 0, result.output
    assert "[court-opinions]" in result.output
    assert "What this check cannot see:" in result.output


def test_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(
        cli, ["overlap", "--db", str(tmp_path / "nope.db"), "--text", "anything"]
    )
    assert result.exit_code == 1
    assert "no registry database" in result.output and "commons build" in result.output


def test_hosts():
    assert registrable("en.wikipedia.org") == "wikipedia.org"
    assert registrable("data.gov.uk") == "data.gov.uk"
    assert registrable("www.nationalarchives.gov.uk") == "nationalarchives.gov.uk"
    assert match("en.wikipedia.org", "fr.wikipedia.org")[0] == 0.5
    assert match("stackoverflow.com", "stackexchange.com") is None
    assert hosts_in_text(
        "Scraped from https://www.StackOverflow.com/questions and en.wikipedia.org, e.g. talk "
        "pages."
    ) == ["stackoverflow.com", "en.wikipedia.org"]
