"""Checks shared by the held-out-only sets of overlap cases (the fifth and later sets): their size,
salt, sources and left-out cards. Shape only: no case is scored or given to the matcher here."""

from __future__ import annotations

import re

from eval_scripts import load_script, otdi_snapshot

overlap_cases = load_script("overlap_cases")
draw_sets = load_script("draw_overlap_set3")

NEGATIVE = ("related-not-same", "unrelated")
# The Dynaword / DFM datasheets no set quotes: every draw takes all of them first.
DATASHEETS_LEFT = 7


def assert_draw_takes_stages_in_salt_order(folder, case_set: str, card_count: int):
    """Every stage of the set's draw takes, in its own salt's order (not the set before's), the
    next cards its rule allows that no earlier stage took; half the fake cards name Wikipedia."""
    cards = [f"Card {i}{' from Wikipedia' if i % 2 else ''}." for i in range(card_count)]
    drawn = draw_sets.otdi_draw(otdi_snapshot(folder, cards), set(), set(), case_set)
    stages = draw_sets.DRAWS[case_set][0]
    assert [c["drawn_by"] for c in drawn] == [rule for rule, size in stages for _ in range(size)]
    assert len({c["source"] for c in drawn}) == len(drawn)
    salt, before = overlap_cases.SETS[case_set][0], overlap_cases.SETS[str(int(case_set) - 1)][0]
    every_card = [f"https://huggingface.co/datasets/u/d{i}" for i in range(len(cards))]
    ordered = sorted(every_card, key=lambda url: draw_sets.order(url, salt))
    start = 0
    for rule, size in stages:
        taken = [c["source"] for c in drawn[start : start + size]]
        assert taken == sorted(taken, key=lambda url: draw_sets.order(url, salt))
        assert taken != sorted(taken, key=lambda url: draw_sets.order(url, before))
        if rule == "positive-pool":
            assert all("Wikipedia" in c["text"] for c in drawn[start : start + size])
        else:  # the plain draw skips nothing but the cards already taken
            earlier = set(ordered[: ordered.index(taken[-1]) + 1])
            assert earlier <= {c["source"] for c in drawn[: start + size]}
        start += size


def count(cases: list[dict], *kinds: str) -> int:
    return sum(1 for case in cases if case["kind"] in kinds)


def assert_held_out_only(case_set: str, cases: list[dict], negatives: int, same: int, related: int):
    """The set has no tuning half, every case goes to its held-out file, and it has at least the
    given numbers of negatives, same-data and related-not-same cases."""
    split = overlap_cases.SETS[case_set][1]
    assert overlap_cases.SETS[case_set][1:] == (split, None)
    assert split in overlap_cases.HELD_OUT
    assert count(cases, *NEGATIVE) >= negatives
    assert count(cases, "same-data") >= same
    assert count(cases, "related-not-same") >= related
    assert set(overlap_cases.assign(cases, case_set).values()) == {split}


def assert_own_salt(case_set: str):
    salts = [salt for salt, *_ in overlap_cases.SETS.values()]
    assert len(set(salts)) == len(salts)
    split = overlap_cases.SETS[case_set][1]
    assert overlap_cases.salt_of(split) == overlap_cases.SETS[case_set][0]


def assert_other_files_are_earlier_later_or_watched(case_set: str):
    """Every case file but the set's own belongs to an earlier set (whose texts its draw skips), a
    later one, or is the watched file."""
    assert draw_sets.DRAWS[case_set][1] == tuple(str(n) for n in range(1, int(case_set)))
    halves = {name: {h for h in overlap_cases.SETS[name][1:] if h} for name in overlap_cases.SETS}
    earlier = set().union(*(halves[name] for name in halves if int(name) < int(case_set)))
    later = set().union(*(halves[name] for name in halves if int(name) > int(case_set)))
    others = set(overlap_cases.SPLITS) - halves[case_set]
    assert others == earlier | later | {"watched"}


def assert_no_source_or_text_of_another_file(case_set: str, cases: list[dict]):
    """No case shares a source address or a text with any other case file; the set quotes OTDI
    cards only, each text once."""
    split = overlap_cases.SETS[case_set][1]
    others = [
        case
        for name in overlap_cases.SPLITS
        if name != split
        for case in overlap_cases.read_split(name)
    ]
    sources = {case["source"] for case in others if case.get("source")}
    texts = {case.get("text") for case in others}
    for case in cases:
        assert case["source"] not in sources and case["text"] not in texts, case["id"]
    assert len({case["text"] for case in cases}) == len(cases)
    assert {case["via"] for case in cases} == {"otdi-catalog"}


def assert_signals_on_negatives_only(cases: list[dict]):
    signalled = [case for case in cases if case.get("signals")]
    assert signalled and all(case["kind"] in NEGATIVE for case in signalled)


def left_out(name: str) -> list[str]:
    """The sources listed in tests/eval/overlap/<name>, one `- <source> (...): reason` a line."""
    listed = (overlap_cases.FOLDER / name).read_text(encoding="utf-8")
    return [line.split(" ")[1] for line in listed.splitlines() if line.startswith("- ")]


def assert_every_drawn_card_accounted(case_set: str, cases: list[dict], earlier: tuple[str, ...]):
    """Each drawn card is kept or listed once in left-out-<set>.md, never both; no card listed in
    an earlier set's left-out file is kept."""
    listed = left_out(f"left-out-{case_set}.md")
    assert len(set(listed)) == len(listed)
    kept = {case["source"] for case in cases}
    assert not set(listed) & kept
    drawn = DATASHEETS_LEFT + sum(size for _, size in draw_sets.DRAWS[case_set][0])
    assert len(cases) + len(listed) == drawn
    for name in earlier:
        assert not set(left_out(name)) & kept, name  # a card left out before stays out


LOG_LINE = re.compile(
    r"^- `([^`]+)` \([^)]*\): (same-data|related-not-same) \(([^)]*)\)\. The card: \"([^\"]+)\"\. ",
    re.M,
)


def logged_positives(log_name: str, cases: list[dict]) -> list[tuple[dict, str]]:
    """Each same-data and related-not-same case with the deciding sentence its log gives; the log
    names every such case once, with the kind and entries the file holds."""
    log = (overlap_cases.FOLDER / log_name).read_text(encoding="utf-8")
    logged = LOG_LINE.findall(log)
    by_id = {case["id"]: case for case in cases}
    positives = {case["id"] for case in cases if case["kind"] != "unrelated"}
    assert sorted(case_id for case_id, *_ in logged) == sorted(positives)
    found = []
    for case_id, kind, entries, sentence in logged:
        case = by_id[case_id]
        named = case["related"] if kind == "related-not-same" else case["expect"]
        assert (case["kind"], named) == (kind, entries.split(", ")), case_id
        found.append((case, sentence))
    return found
