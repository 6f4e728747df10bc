"""The eleventh set of overlap evaluation cases: held-out only; its three new sources (the task
READMEs of the LM Evaluation Harness 0.4.13, SEACrowd 0.2.2's dataloader descriptions, TorchGeo
0.10.1's dataset docstrings), size, draw and labelling log.

Shape, ids, sources and the split only: the held-out file is never scored here. It was scored once
(c0dd9d7e) and is spent: the spent-file rule (per-case output allowed) and the refusal an unspent
file gets are tested for every spent file in test_overlap_eval.py.
"""

from __future__ import annotations

import hashlib
import json

import held_out_sets as sets
import pytest
from eval_scripts import load_script

overlap_cases = sets.overlap_cases
draw_set11 = load_script("draw_overlap_set11")
eval_overlap = load_script("eval_overlap")
excerpts = load_script("check_overlap_excerpts")

SPLIT = "held-out-11"
SOURCES = overlap_cases.FOLDER / "sources"
SNAPSHOTS = {
    "lm-eval-task-readmes": SOURCES / "lm-eval-task-readmes" / "readmes.jsonl",
    "seacrowd-descriptions": SOURCES / "seacrowd-descriptions" / "descriptions.jsonl",
    "torchgeo-docstrings": SOURCES / "torchgeo-docstrings" / "docstrings.jsonl",
}
TEXT_OF = {
    "lm-eval-task-readmes": draw_set11.text_of,
    "seacrowd-descriptions": draw_set11.seacrowd_text,
    "torchgeo-docstrings": draw_set11.torchgeo_text,
}
PADDING = " Plain words follow here." * 10


@pytest.fixture(scope="module")
def eleventh():
    return overlap_cases.read_split(SPLIT)


@pytest.fixture(scope="module")
def snapshots():
    """via -> {address: row}, each snapshot in the order its stage drew."""
    found = {}
    for via, path in SNAPSHOTS.items():
        rows = map(json.loads, path.read_text(encoding="utf-8").splitlines())
        found[via] = {row["address"]: row for row in rows}
    return found


def test_eleventh_set_is_held_out_only_with_its_sizes(eleventh):
    # Every stage takes every card its rule allows; README.md ("Eleventh set") says why the set
    # holds fewer same-data and related-not-same cases than it was drawn for (40 and 30).
    sets.assert_held_out_only("11", eleventh, negatives=161, same=30, related=9)
    assert sets.count(eleventh, "unrelated") >= 152


def test_eleventh_set_has_its_own_salt():
    sets.assert_own_salt("11")
    assert "11" in overlap_cases.SETS


def test_eleventh_set_quotes_sources_no_earlier_set_quotes(eleventh):
    """Every case is a card of the set's three sources, quoted by no other case file: no shared
    address (its own or an OTDI record that holds its opening), no shared text, no earlier case
    sharing its opening."""
    assert {case["via"] for case in eleventh} == set(SNAPSHOTS)
    others = [
        case
        for name in overlap_cases.SPLITS
        if name != SPLIT
        for case in overlap_cases.read_split(name)
    ]
    assert {c["via"] for c in others if c.get("via")}.isdisjoint(SNAPSHOTS)
    sources = {case["source"] for case in others if case.get("source")}
    for case in eleventh:
        assert not {case["source"], *case.get("listed_as", [])} & sources, case["id"]
        assert not draw_set11.quoted_before(case["text"], others), case["id"]
    assert len({case["text"] for case in eleventh}) == len(eleventh)
    prefixes = {
        "lm-eval-task-readmes": draw_set11.REPOSITORY,
        "seacrowd-descriptions": draw_set11.SEACROWD_REPOSITORY,
        "torchgeo-docstrings": draw_set11.TORCHGEO_DOCS,
    }
    assert all(case["source"].startswith(prefixes[case["via"]]) for case in eleventh)


def test_every_case_is_quoted_from_its_card_in_the_snapshots(eleventh, snapshots):
    """The snapshots keep every drawn card whole, as its wheel holds it (a README's sha256 checks
    its text); every case's text is its card's part about the data, as prose, tidied."""
    wheels = {
        "lm-eval-task-readmes": (draw_set11.LM_EVAL_VERSION, draw_set11.WHEEL_SHA256),
        "seacrowd-descriptions": (draw_set11.SEACROWD_VERSION, draw_set11.SEACROWD_SHA256),
        "torchgeo-docstrings": (draw_set11.TORCHGEO_VERSION, draw_set11.TORCHGEO_SHA256),
    }
    for via, rows in snapshots.items():
        for row in rows.values():
            assert (row["version"], row["wheel_sha256"]) == wheels[via]
    for row in snapshots["lm-eval-task-readmes"].values():
        assert row["path"] == f"lm_eval/tasks/{row['task']}/README.md"
        assert hashlib.sha256(row["card"].encode("utf-8")).hexdigest() == row["file_sha256"]
    for case in eleventh:
        card = snapshots[case["via"]][case["source"]]["card"]
        assert case["text"] == TEXT_OF[case["via"]](card), case["id"]
    assert excerpts.problems(SOURCES, {SPLIT: eleventh}) == []
    licences = {
        "lm-eval-task-readmes": ("LICENSE.MIT", "MIT License", "MIT"),
        "seacrowd-descriptions": ("LICENSE.Apache-2.0", "Apache License", "Apache"),
        "torchgeo-docstrings": ("LICENSE.MIT", "MIT License", "MIT"),
    }
    for via, (name, heading, word) in licences.items():
        assert heading in (SNAPSHOTS[via].parent / name).read_text(encoding="utf-8")
        assert word in (SNAPSHOTS[via].parent / "PROVENANCE.md").read_text(encoding="utf-8")


def test_a_word_not_in_the_card_is_caught(eleventh):
    for via in SNAPSHOTS:
        first = next(case for case in eleventh if case["via"] == via)
        case = dict(first, text=first["text"] + " Offered under an exclusive licence.")
        assert len(excerpts.problems(SOURCES, {SPLIT: [case]})) == 1, via


def test_every_drawn_card_is_kept_or_listed_as_left_out(eleventh, snapshots):
    listed = sets.left_out("left-out-11.md")
    kept = {case["source"] for case in eleventh}
    drawn = [address for rows in snapshots.values() for address in rows]
    assert len(set(drawn)) == len(drawn)
    assert len(set(listed)) == len(listed) and not set(listed) & kept
    assert set(listed) | kept == set(drawn)
    assert len(eleventh) + len(listed) == len(drawn)
    for name in ("left-out-9.md", "left-out-10.md"):
        assert not set(sets.left_out(name)) & kept, name


def test_snapshots_keep_the_draw_order(snapshots):
    """The READMEs' snapshot lists the positive pool (those that name a commons source) in the
    salt's order, then the plain draw in the same order; SEACrowd's and TorchGeo's list their
    positive pools in the salt's order, every card naming a commons source."""
    salt = overlap_cases.SETS["11"][0]
    readmes = snapshots["lm-eval-task-readmes"]
    addresses = list(readmes)
    named = [
        bool(draw_set11.COMMONS_SOURCE_NAMES.search(draw_set11.text_of(readmes[a]["card"])))
        for a in addresses
    ]
    pool_size = named.index(False)
    assert pool_size and not any(named[pool_size:])
    stages = [addresses[:pool_size], addresses[pool_size:]]
    for via in ("seacrowd-descriptions", "torchgeo-docstrings"):
        rows = snapshots[via]
        assert all(
            draw_set11.COMMONS_SOURCE_NAMES.search(TEXT_OF[via](row["card"]))
            for row in rows.values()
        )
        stages.append(list(rows))
    for stage in stages:
        assert stage == sorted(stage, key=lambda a: draw_set11.order(a, salt))


def _fake_wheels(folder):
    """A made-up lm-eval wheel, SEACrowd wheel and TorchGeo wheel; a third of each source's
    cards name Wikipedia or Sentinel-2."""
    readmes = {
        f"t{i}": f"# T{i}\n\n### Paper\n\nTask {i} holds sentences"
        f"{' from Wikipedia' if i % 3 == 0 else ''}.{PADDING}\n\n### Citation\n\nSecret words.\n"
        for i in range(30)
    }
    readmes["short"] = "# Short\n\nToo short.\n"
    readmes["again"] = readmes["t1"]
    for name, text in readmes.items():
        path = folder / "lm" / "lm_eval" / "tasks" / name / "README.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    (folder / "lm" / "lm_eval" / "tasks" / "README.md").write_text("# Every task\n" + PADDING)
    for i in range(12):
        words = f"Corpus {i} of Indonesian text{' from Wikipedia' if i % 3 == 0 else ''}."
        module = f'_DESCRIPTION = """{words}{PADDING}"""\n'
        path = folder / "sc" / "seacrowd" / "sea_datasets" / f"s{i}" / f"s{i}.py"
        path.parent.mkdir(parents=True)
        path.write_text(module, encoding="utf-8")
    classes = "".join(
        f'class Scene{i}(NonGeoDataset):\n    """Scene {i} dataset.\n\n    Images'
        f"{' from Sentinel-2' if i % 3 == 0 else ''} with masks.{PADDING}\n\n"
        f'    If you use this dataset, cite it.\n    """\n\n'
        for i in range(12)
    )
    path = folder / "tg" / "torchgeo" / "datasets" / "scenes.py"
    path.parent.mkdir(parents=True)
    path.write_text(classes + 'class _Hidden:\n    """From Sentinel-2."""\n', encoding="utf-8")
    (path.parent / "utils.py").write_text('class Helper:\n    """From Sentinel-2 imagery."""\n')
    return folder


def test_draw_takes_its_stages_in_salt_order(tmp_path):
    """The READMEs' positive pool takes every eligible README that names a commons source, in the
    salt's order, then the plain draw the rest; SEACrowd's and TorchGeo's stages then take only
    their cards that name one, in the same order. A short text, the tasks folder's own README, a
    repeated text and a helper module are never drawn, and nothing after a README's citation
    heading is its text."""
    wheels = _fake_wheels(tmp_path)
    salt = overlap_cases.SETS["11"][0]
    readmes = draw_set11.read_readmes(wheels / "lm")
    assert "lm_eval/tasks" not in readmes and len(readmes) == 32
    drawn = draw_set11.draw(readmes, {}, [], salt)
    addresses = [case["source"] for case in drawn]
    assert len(set(addresses)) == len(addresses) == 30  # short and again (t1's text) skipped
    assert not any("Secret" in case["text"] for case in drawn)
    pool = [case for case in drawn if case["drawn_by"] == "positive-pool"]
    plain = [case for case in drawn if case["drawn_by"] == "plain-draw"]
    assert drawn == pool + plain and len(pool) == 10
    seen = {case["text"] for case in drawn}
    seacrowd = draw_set11.read_seacrowd(wheels / "sc")
    second = draw_set11.seacrowd_draw(seacrowd, {}, [], salt, seen)
    classes = draw_set11.read_torchgeo(wheels / "tg")
    assert set(classes) == {f"Scene{i}" for i in range(12)}
    third = draw_set11.torchgeo_draw(classes, {}, [], salt, seen)
    assert len(second) == len(third) == 4
    assert not any("cite" in case["text"] for case in third)
    for stage in (pool, plain, second, third):
        taken = [case["source"] for case in stage]
        assert taken == sorted(taken, key=lambda a: draw_set11.order(a, salt))
        names = [bool(draw_set11.COMMONS_SOURCE_NAMES.search(c["text"])) for c in stage]
        assert all(names) if stage is not plain else not any(names)


def test_a_card_an_earlier_set_quotes_or_lists_is_not_drawn(tmp_path):
    """A README whose opening an earlier case's text holds, or whose OTDI copy is an earlier
    case's source, is skipped; so is a later source's card with a README's text."""
    readmes = {
        "lm_eval/tasks/a": {"card": "# A\n\nWords an earlier case quoted, all of them." + PADDING},
        "lm_eval/tasks/b": {"card": "# B\n\nWords an OTDI record copied, of Wikipedia." + PADDING},
        "lm_eval/tasks/c": {"card": "# C\n\nWords nobody quoted, from Wikipedia." + PADDING},
    }
    texts = {folder: draw_set11.text_of(found["card"]) for folder, found in readmes.items()}
    otdi = {"https://huggingface.co/datasets/o/b": texts["lm_eval/tasks/b"]}
    earlier = [
        {"id": "quoted", "source": "https://example.org/a", "text": texts["lm_eval/tasks/a"]},
        {"id": "listed", "source": "https://huggingface.co/datasets/o/b", "text": "elsewhere"},
    ]
    salt = overlap_cases.SETS["11"][0]
    drawn = draw_set11.draw(readmes, otdi, earlier, salt)
    assert [case["id"] for case in drawn] == ["lmeval-c"]
    copy = {"c": {"card": texts["lm_eval/tasks/c"]}}
    seen = {case["text"] for case in drawn}
    assert draw_set11.seacrowd_draw(copy, otdi, earlier, salt, seen) == []


def test_a_docstring_reads_as_prose():
    """A TorchGeo docstring's reStructuredText links and roles read as their words, and its text
    stops before the citation request."""
    docstring = (
        "EuroSAT dataset.\n\nThe `EuroSAT <https://example.org>`__ dataset is based on "
        ":term:`Sentinel-2` images.\n\n.. versionadded:: 0.2\n\nIf you use this, cite it."
    )
    text = draw_set11.torchgeo_text(docstring)
    assert text == "EuroSAT dataset. The EuroSAT dataset is based on Sentinel-2 images."


def test_labelling_log_matches_the_file(eleventh, snapshots):
    """review-11.md logs every same-data and related-not-same case once, with the kind and entries
    the set holds, and its deciding sentence is words of the case's card."""
    for case, sentence in sets.logged_positives("review-11.md", eleventh):
        prose = excerpts.snapshot_prose(SNAPSHOTS[case["via"]], "address")[case["source"]]
        assert " ".join(sentence.split()) in " ".join(prose.split()), case["id"]


def test_unrelated_cases_of_the_positive_pools_say_why(eleventh):
    """A card that names a commons source but is labelled unrelated says why in its note."""
    for case in eleventh:
        named = draw_set11.COMMONS_SOURCE_NAMES.search(case["text"])
        if named and case["kind"] == "unrelated":
            assert case.get("note"), case["id"]
