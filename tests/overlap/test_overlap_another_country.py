"""A name qualified by another country names another country's dataset: "the filtered Canadian
Hansard Dataset" is Canada's parliamentary record, not the UK Parliament's Hansard, whose own name
and summary say "UK" (registry/overlap/other_names.py, named_for_another; places.py reads the
countries). Real cards of the spent held-out files (tests/eval/overlap/, README.md there), against
the project's curated catalog; each fails without the rule (they were "high" for uk-hansard)."""

from __future__ import annotations

import pytest
from real_texts import assert_named_not_same, case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.other_names import named_for_another, names_other_countries_only
from registry.overlap.places import countries_in


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("split", "case_id", "words"),
    [
        # 142,766 PDFs "from the Malaysian Parliament website"
        ("held-out-11", "seacrowd-malaysia-ai-hansard", "The Malaysia AI Hansard Scrape dataset"),
        # "an archive of parliamentary sessions in the two official languages in Canada"
        ("held-out-3", "hf-raeidsaqur-hansard", "the filtered Canadian Hansard Dataset"),
        # the Legislative Assembly of Nunavut's proceedings, Inuktitut and English
        ("held-out-5", "hf-edinburghnlp-nunavut-hansard-plusplus", "the Nunavut Hansard"),
    ],
)
def test_another_country_s_hansard_is_not_the_uk_hansard(index, split, case_id, words):
    assert_named_not_same(index, split, case_id, words, "uk-hansard")


@pytest.mark.parametrize(
    ("split", "case_id"),
    [
        # "UK Hansard This dataset contains the UK Hansard, which is the official report ..."
        ("held-out-2", "common-pile-readme-hansard"),
        # "Hansard represents the official record of parliamentary proceedings across the
        # United Kingdom's legislative bodies"
        ("held-out-3", "common-pile-card-uk-hansard"),
    ],
)
def test_the_entry_s_own_hansard_stays_high(index, split, case_id):
    result = check_text(index, case_text(split, case_id))
    assert result["matches"][0]["id"] in {"uk-hansard", "common-pile-v0-1"}
    assert result["verdict"]["level"] == "high"


def test_a_qualifier_contradicts_only_an_entry_that_names_a_country():
    uk = {"GB"}
    assert named_for_another("the filtered Canadian Hansard Dataset", "hansard", uk)
    assert not named_for_another("This dataset contains the UK Hansard", "hansard", uk)
    # the entry's own country named once: the other mentions mean it too
    assert not named_for_another("the UK Hansard, unlike the Canadian Hansard", "hansard", uk)
    # an entry that names no country: a place is an edition of it
    assert not named_for_another("articles from Malaysian Wikipedia", "wikipedia", set())
    # a language's name is a language edition, not a country ("Romanian" is not Romania's),
    # whatever the entry declares
    assert not named_for_another("the Romanian Wikipedia, split", "wikipedia", {"US"})
    assert not named_for_another("the French Hansard", "hansard", uk)
    # a comma or an end of sentence ends the qualifier
    assert not named_for_another("Made in Canada. Hansard debates", "hansard", uk)


def test_countries_are_read_from_names_demonyms_and_one_country_s_provinces():
    assert countries_in("Verbatim reports of debates in the UK House of Commons") == {"GB"}
    assert countries_in("Canadian and Malaysian debates, Nunavut") == {"CA", "MY"}
    # a province of several countries names none; lower-case words are no places
    assert countries_in("Central records in japan") == set()


def test_a_description_naming_only_another_country_means_that_country_s_hansard(index):
    """The country need not stand right before the name: "debates of the Malaysian parliament
    (Hansard)" names Malaysia's record wherever the words fall; the same words about the UK
    stay the entry's."""
    other = check_text(
        index, "Transcribed debates of the Malaysian parliament (Hansard), 1959-2020"
    )
    assert other["matches"][0]["id"] == "uk-hansard"
    assert other["verdict"]["level"] != "high", other["verdict"]["sentence"]
    own = check_text(index, "Transcribed debates of the UK parliament (Hansard), 1959-2020")
    assert own["verdict"]["level"] == "high", own["verdict"]["sentence"]


def test_only_another_country_is_one_the_entry_never_names():
    uk = {"GB"}
    assert names_other_countries_only("debates of the Malaysian parliament (Hansard)", uk)
    assert not names_other_countries_only("Malaysian and UK debates (Hansard)", uk)
    assert not names_other_countries_only("Hansard debates, 1803-2020", uk)
    # a language's name is an edition, not a country
    assert not names_other_countries_only("a Japanese translation of the Hansard", uk)
