"""The tenth set of overlap evaluation cases: held-out only; its new source (the dataset
descriptions of TensorFlow Datasets 4.9.10), size, draw, own listings and labelling log.

Shape, ids, sources and the split only: the held-out file is never scored here. It was scored once
(45917f97) and is spent: the spent-file rule (per-case output allowed) and the refusal an unspent
file gets are tested for every spent file in test_overlap_eval.py.
"""

from __future__ import annotations

import hashlib
import json

import held_out_sets as sets
import pytest
from eval_scripts import load_script

overlap_cases = sets.overlap_cases
draw_set10 = load_script("draw_overlap_set10")
eval_overlap = load_script("eval_overlap")
excerpts = load_script("check_overlap_excerpts")

SPLIT = "held-out-10"
SNAPSHOT = overlap_cases.FOLDER / "sources" / "tfds-descriptions"
HUB = "https://huggingface.co/datasets/"


@pytest.fixture(scope="module")
def tenth():
    return overlap_cases.read_split(SPLIT)


@pytest.fixture(scope="module")
def snapshot():
    lines = (SNAPSHOT / "descriptions.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["catalog_address"]: row for row in map(json.loads, lines)}


def test_tenth_set_is_held_out_only_with_its_sizes(tenth):
    # Both pools take every description their rules allow; README.md ("Tenth set") says why the
    # set holds fewer cases of each kind than it was drawn for (40, 30 and 150).
    sets.assert_held_out_only("10", tenth, negatives=163, same=30, related=24)
    assert sets.count(tenth, "unrelated") >= 139


def test_tenth_set_has_its_own_salt():
    sets.assert_own_salt("10")
    assert "10" in overlap_cases.SETS


def test_tenth_set_quotes_a_source_no_earlier_set_quotes(tenth):
    """Every case is a TFDS description, quoted by no other case file: no shared address (its own
    or an OTDI record that copies it), no shared text, no earlier case sharing its opening."""
    assert {case["via"] for case in tenth} == {"tfds-descriptions"}
    others = [
        case
        for name in overlap_cases.SPLITS
        if name != SPLIT
        for case in overlap_cases.read_split(name)
    ]
    assert {c["via"] for c in others if c.get("via")}.isdisjoint({"tfds-descriptions"})
    sources = {case["source"] for case in others if case.get("source")}
    for case in tenth:
        assert not {case["source"], *case.get("listed_as", [])} & sources, case["id"]
        assert not draw_set10.quoted_before(case["text"], others), case["id"]
    assert len({case["text"] for case in tenth}) == len(tenth)
    assert all(case["source"].startswith(draw_set10.CATALOG) for case in tenth)


def test_every_case_is_quoted_from_its_description_in_the_snapshot(tenth, snapshot):
    """The snapshot keeps every drawn description whole, as the wheel holds it (a README's sha256
    checks its text); every case's text is its description as prose, tidied."""
    for row in snapshot.values():
        assert (row["version"], row["wheel_sha256"]) == (
            draw_set10.TFDS_VERSION,
            draw_set10.WHEEL_SHA256,
        )
        if row["layout"] == "readme":
            assert row["path"] == f"tensorflow_datasets/datasets/{row['name']}/README.md"
            assert hashlib.sha256(row["card"].encode("utf-8")).hexdigest() == row["file_sha256"]
        else:
            assert row["layout"] == "module-description" and row["path"].endswith(".py")
    for case in tenth:
        assert case["text"] == draw_set10.text_of(snapshot[case["source"]]["card"]), case["id"]
    assert excerpts.problems(SNAPSHOT, {SPLIT: tenth}) == []
    assert (SNAPSHOT / "LICENSE.Apache-2.0").read_text(encoding="utf-8").count("Apache License")
    assert "Apache" in (SNAPSHOT / "PROVENANCE.md").read_text(encoding="utf-8")


def test_a_word_not_in_the_description_is_caught(tenth):
    case = dict(tenth[0], text=tenth[0]["text"] + " Offered under an exclusive licence.")
    assert len(excerpts.problems(SNAPSHOT, {SPLIT: [case]})) == 1


def test_every_drawn_description_is_kept_or_listed_as_left_out(tenth, snapshot):
    listed = sets.left_out("left-out-10.md")
    kept = {case["source"] for case in tenth}
    assert len(set(listed)) == len(listed) and not set(listed) & kept
    assert set(listed) | kept == set(snapshot)
    assert len(tenth) + len(listed) == len(snapshot)


def test_snapshot_keeps_the_draw_order(snapshot):
    """The snapshot lists the drawn descriptions in the order drawn: the positive pool (those that
    name a commons source) in the salt's order, then the plain draw in the same order."""
    salt = overlap_cases.SETS["10"][0]
    addresses = list(snapshot)
    named = [
        bool(draw_set10.COMMONS_SOURCE_NAMES.search(draw_set10.text_of(snapshot[a]["card"])))
        for a in addresses
    ]
    pool_size = named.index(False)
    assert pool_size and not any(named[pool_size:])
    for stage in (addresses[:pool_size], addresses[pool_size:]):
        assert stage == sorted(stage, key=lambda a: draw_set10.order(a, salt))


def _fake_wheel(folder, readmes: dict[str, str], modules: dict[str, str]):
    for name, text in readmes.items():
        path = folder / "tensorflow_datasets" / "datasets" / name / "README.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    for relative, source in modules.items():
        path = folder / "tensorflow_datasets" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return folder


def test_draw_takes_its_stages_in_salt_order(tmp_path):
    """The positive pool takes every eligible description that names a commons source, in the
    salt's order, then the plain draw takes the rest in the same order; a short description, a
    copy of an earlier case's text, one an earlier case lists and a repeated text are not drawn."""
    padding = " Plain words follow here." * 10
    readmes = {
        f"d{i}": f"Dataset {i} holds sentences{' from Wikipedia' if i % 3 == 0 else ''}.{padding}"
        for i in range(60)
    }
    readmes["short"] = "Too short."
    readmes["copy"] = "An earlier case quoted these very words, opening and all." + padding
    readmes["again"] = readmes["d1"]
    module = f'_DESCRIPTION = """Module data from arXiv papers.{padding}"""\n\n'
    module += "class ModuleData(tfds.core.GeneratorBasedBuilder):\n  pass\n"
    wheel = _fake_wheel(tmp_path, readmes, {"text/module_data.py": module})
    descriptions = draw_set10.read_descriptions(wheel)
    assert descriptions["module_data"]["card"].startswith("Module data from arXiv")
    otdi = {"https://huggingface.co/datasets/o/d2": readmes["d2"]}
    earlier = [
        {"id": "listed", "source": "https://huggingface.co/datasets/o/d2", "text": "elsewhere"},
        {"id": "quoted", "source": "https://example.org/x", "text": readmes["copy"]},
    ]
    salt = overlap_cases.SETS["10"][0]
    drawn = draw_set10.draw(descriptions, otdi, earlier, salt)
    addresses = [case["source"] for case in drawn]
    assert len(set(addresses)) == len(addresses)
    never = {"short", "copy", "d2"}
    assert not {draw_set10.CATALOG + name for name in never} & set(addresses)
    assert sum(address.endswith(("/d1", "/again")) for address in addresses) == 1
    pool = [case for case in drawn if case["drawn_by"] == "positive-pool"]
    plain = [case for case in drawn if case["drawn_by"] == "plain-draw"]
    assert drawn == pool + plain and len(pool) == 21  # d0, d3, ..., d57 and the module
    assert all(draw_set10.COMMONS_SOURCE_NAMES.search(case["text"]) for case in pool)
    assert not any(draw_set10.COMMONS_SOURCE_NAMES.search(case["text"]) for case in plain)
    for stage in (pool, plain):
        taken = [case["source"] for case in stage]
        assert taken == sorted(taken, key=lambda a: draw_set10.order(a, salt))


def test_a_builder_module_names_its_dataset():
    """An older-layout module's dataset is its builder's `name`, or the class name in snake case."""
    source = '_DESCRIPTION = "Words."\n\nclass ImagenetResized(tfds.core.GeneratorBasedBuilder):\n'
    assert draw_set10.module_description(source + "  pass\n") == ("imagenet_resized", "Words.")
    named = source + '  name = "imagenet_small"\n'
    assert draw_set10.module_description(named) == ("imagenet_small", "Words.")
    assert draw_set10.module_description("class Helper:\n  pass\n") is None


def test_a_description_copied_into_a_hub_card_is_its_own_listing():
    """An OTDI record whose description holds the opening of the case's text is the same
    description copied; the evaluation leaves it out as it does an OTDI case's own record."""
    text = "Words of this dataset's description. " * 5
    otdi = {
        "https://huggingface.co/datasets/owner/copy": "Dataset card. " + text,
        "https://huggingface.co/datasets/owner/other": "Other words entirely. " * 5,
    }
    assert draw_set10.listed_as(text, otdi) == ["https://huggingface.co/datasets/owner/copy"]
    own = {"https://huggingface.co/datasets/owner/copy": frozenset({"owner-copy"})}
    case = {"source": draw_set10.CATALOG + "name", "listed_as": sorted(own)}
    assert eval_overlap.own_records(case, own) == {"owner-copy"}


def test_cases_keep_their_listings(tenth):
    """Some descriptions are copied into Hugging Face cards; the case file keeps those listings."""
    listed = [case for case in tenth if case.get("listed_as")]
    assert listed and all(a.startswith(HUB) for c in listed for a in c["listed_as"])
    loaded = {case["id"]: case for case in eval_overlap.load_cases(SPLIT)}
    assert all(loaded[case["id"]]["listed_as"] == case["listed_as"] for case in listed)


def test_labelling_log_matches_the_file(tenth, snapshot):
    """review-10.md logs every same-data and related-not-same case once, with the kind and entries
    the set holds, and its deciding sentence is words of the case's description."""
    for case, sentence in sets.logged_positives("review-10.md", tenth):
        prose = draw_set10.MARKDOWN_NOISE.sub(
            lambda m: m.group(1) or " ", snapshot[case["source"]]["card"]
        )
        assert draw_set10.flat(sentence) in draw_set10.flat(prose), case["id"]


def test_unrelated_cases_of_the_positive_pool_say_why(tenth, snapshot):
    """A description that names a commons source but is labelled unrelated says why in its note."""
    for case in tenth:
        named = draw_set10.COMMONS_SOURCE_NAMES.search(case["text"])
        if named and case["kind"] == "unrelated":
            assert case.get("note"), case["id"]
