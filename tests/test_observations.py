"""The observation history: importing a tracker's real copies, the files' checks, and the
classifier reading the observation in force at the classification date."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import classifier
from registry.commands.cli import cli
from registry.entry.canonical import dumps
from registry.entry.errors import EntryErrors
from registry.entry.loader import parse_entry
from registry.entry.observations import load_history, parse_history
from registry.entry.strict_yaml import read
from registry.signals.robots_body import why_unreadable

FIXTURES = Path(__file__).parent / "fixtures" / "tracker"
TRACKER = FIXTURES / "samber-the-great-gpt-firewall"
GOOD = Path(__file__).parent / "fixtures" / "good"


def entry_with_sources(folder: Path, entry_id: str, sources: list[str]) -> Path:
    """A copy of a good fixture entry that names `sources` as its source domains."""
    template = next(p for p in sorted(GOOD.glob("*.yaml")))
    raw = read(str(template), template.read_bytes()).value
    raw.update(id=entry_id, name=f"Fixture {entry_id}", source_domains=sources)
    for key in ("derived_from", "included_in", "aliases", "signals", "fingerprint"):
        raw.pop(key, None)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry_id}.yaml"
    path.write_text(dumps(raw), encoding="utf-8")
    return path


@pytest.fixture
def imported(tmp_path):
    entries = tmp_path / "entries"
    entry_with_sources(entries, "qa-dump", ["stackoverflow.com", "superuser.com"])
    entry_with_sources(entries, "photos", ["unsplash.com"])
    entry_with_sources(entries, "wiki", ["wikipedia.org", "en.wikipedia.org"])
    entry_with_sources(
        entries, "odd-hosts", ["web.archive.org", "www.chicagotribune.com", "europarl.europa.eu"]
    )
    result = CliRunner().invoke(
        cli, ["import-signals", str(FIXTURES), "--entries", str(entries)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return tmp_path, result.output


def history_of(root: Path, source: str) -> dict:
    path = root / "observations" / f"{source}.yaml"
    return read(str(path), path.read_bytes()).value


def test_import_reads_real_copies_with_provenance(imported):
    root, output = imported
    data = history_of(root, "stackoverflow.com")
    dates = [o["observed"] for o in data["observations"]]
    assert dates == ["2025-01-03", "2025-10-01", "2026-01-01"]  # the tracker's commit dates
    first, october, january = data["observations"]
    assert first["signals"] == [
        {
            "vocabulary": "robots",
            "value": "Disallow for *",
            "note": "crawlers without a group of their own (User-agent: *) may not fetch this "
            "path, so Content-Usage rules for * do not apply to it",
        }
    ]
    assert {s["vocabulary"]: s["value"] for s in october["signals"]} == {
        "content-signals": "search=no, ai-train=no",
        "robots": "Disallow for *",
    }
    rsl = next(s for s in january["signals"] if s["vocabulary"] == "rsl")
    assert rsl["value"] == "License: https://stackoverflow.com/license.xml"
    assert "lower-cased by the tracker" in rsl["note"]
    assert january["tracker"] == "samber/the-great-gpt-firewall"
    assert january["snapshot"] == "9629e95b1ee067e7f0d7a362cebf6766e5631e39"
    assert january["file"] == "2026/2026-01-robots.txt/stackoverflow.com.robots.txt"
    assert january["lower_cased"] == "true"
    assert len(january["sha256"]) == 64
    assert "observations/stackoverflow.com.yaml: 3 new observation(s)" in output
    assert not (root / "observations" / "superuser.com.yaml").exists()  # not watched


def test_import_rejects_error_pages_with_the_reason(imported):
    root, _ = imported
    unsplash = history_of(root, "unsplash.com")["observations"]
    assert [o["observed"] for o in unsplash] == ["2025-07-02", "2025-08-03"]
    assert unsplash[0]["signals"][0]["value"] == "Disallow for ClaudeBot"
    assert unsplash[1]["rejected"].startswith("empty body")
    assert "signals" not in unsplash[1]
    archive = history_of(root, "web.archive.org")["observations"][0]
    assert archive["rejected"] == (
        "an HTML page titled '404 not found', not robots.txt (an error or challenge page)"
    )
    tribune = history_of(root, "www.chicagotribune.com")["observations"][0]
    assert "this content is not available in your region" in tribune["rejected"]


def test_import_matches_www_but_not_other_hosts(imported):
    root, output = imported
    wiki = history_of(root, "wikipedia.org")
    assert wiki["url"] == "https://www.wikipedia.org/"  # where the tracker looked
    read_copy = wiki["observations"][0]
    assert "signals" not in read_copy and "rejected" not in read_copy  # read: no AI signal in it
    assert not (root / "observations" / "en.wikipedia.org.yaml").exists()
    assert "not imported: europarl.europa.eu is not www.europa.eu" in output
    assert "not imported: en.wikipedia.org is not www.wikipedia.org" in output
    assert "2025-02 have only the tracker's flags" in output


def test_import_is_idempotent_and_validates(imported):
    root, _ = imported
    before = {p.name: p.read_bytes() for p in (root / "observations").glob("*.yaml")}
    again = CliRunner().invoke(
        cli, ["import-signals", str(TRACKER), "--entries", str(root / "entries")]
    )
    assert again.exit_code == 0 and "0 observations added" in again.output
    assert before == {p.name: p.read_bytes() for p in (root / "observations").glob("*.yaml")}
    assert load_history(root / "observations").sources.keys() == {
        "stackoverflow.com",
        "unsplash.com",
        "wikipedia.org",
        "web.archive.org",
        "www.chicagotribune.com",
    }


def test_import_refuses_a_folder_of_another_layout(tmp_path):
    result = CliRunner().invoke(cli, ["import-signals", str(tmp_path), "--entries", str(GOOD)])
    assert result.exit_code == 1 and "not a copy of samber/the-great-gpt-firewall" in result.output


def test_import_refuses_a_month_without_a_known_date(tmp_path):
    copy = tmp_path / "samber-the-great-gpt-firewall"
    shutil.copytree(TRACKER, copy)
    (copy / "2027" / "2027-02-robots.txt").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["import-signals", str(copy), "--entries", str(GOOD)])
    assert result.exit_code == 1 and "no fetch date known for 2027-02" in result.output


@pytest.mark.parametrize(
    "body,why",
    [
        (b"", "empty body"),
        (b"  \n\n", "empty body"),
        (b"<!DOCTYPE html><html><title>Just a moment...</title>", "titled 'Just a moment...'"),
        (b"Access denied\n", "no robots.txt field in it"),
    ],
)
def test_bodies_that_are_not_robots_txt(body, why):
    assert why in why_unreadable(body)


def test_robots_txt_bodies_are_read():
    for path in TRACKER.glob("*/*-robots.txt/stackoverflow.com.robots.txt"):
        assert why_unreadable(path.read_bytes()) is None
    assert why_unreadable(b"\xef\xbb\xbfUser-agent: *\nDisallow:\n") is None


# --- the files' checks ---------------------------------------------------------------

BAD = """\
source: example.org
observations:
  - observed: 2026-02-01
    url: https://example.org/robots.txt
    by: import-signals
    signals:
      - vocabulary: robots
        value: Disallow for GPTBot
  - observed: 2026-01-01
    url: https://example.org/robots.txt
    by: refresh-signals
    rejected: an HTML page
    signals:
      - vocabulary: robot
        value: x
"""


def test_bad_observation_files_report_every_error_at_its_place():
    with pytest.raises(EntryErrors) as raised:
        parse_history("observations/example.org.yaml", BAD.encode())
    messages = [str(e) for e in raised.value.errors]
    assert any(
        m.startswith("observations/example.org.yaml:14:21:") and "'robot' is not allowed" in m
        for m in messages
    ), messages
    assert any(
        m.startswith("observations/example.org.yaml:3:5:")
        and "imported observation names its tracker, snapshot and file" in m
        for m in messages
    ), messages


def test_a_rejected_observation_carries_no_signals():
    text = BAD.replace("vocabulary: robot\n", "vocabulary: robots\n")
    text = text.replace("observed: 2026-02-01", "observed: 2025-12-01")
    text = text.replace("by: import-signals", "by: refresh-signals")
    with pytest.raises(EntryErrors) as raised:
        parse_history("observations/example.org.yaml", text.encode())
    assert [str(e) for e in raised.value.errors] == [
        "observations/example.org.yaml:9:5: observations[1]: a rejected observation carries no "
        "signals"
    ]


def test_observations_in_date_order_and_named_by_their_file():
    good = BAD.replace("vocabulary: robot\n", "vocabulary: robots\n")
    good = good.replace("by: import-signals\n", "by: refresh-signals\n")
    good = good.replace("    rejected: an HTML page\n", "")
    with pytest.raises(EntryErrors) as raised:
        parse_history("observations/other.org.yaml", good.encode())
    messages = [str(e) for e in raised.value.errors]
    assert messages == [
        "observations/other.org.yaml:1:9: source 'example.org' must equal the file name "
        "('other.org')",
        "observations/other.org.yaml:9:15: observations must be in date order: 2026-01-01 comes "
        "after 2026-02-01",
    ]


def test_validate_reports_observation_errors(tmp_path):
    entry_with_sources(tmp_path / "entries", "some-entry", ["example.org"])
    (tmp_path / "observations").mkdir()
    (tmp_path / "observations" / "example.org.yaml").write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "entries")])
    assert result.exit_code == 1
    assert "observations/example.org.yaml:14:21:" in result.output


# --- what the classifier reads ---------------------------------------------------------


def test_classifier_reads_the_observation_in_force_at_the_as_of_date(imported):
    root, _ = imported
    history = load_history(root / "observations")
    path = root / "entries" / "qa-dump.yaml"
    entry = parse_entry(str(path), path.read_bytes()).entry
    rules = classifier.load_rules()

    def result(day: str):
        return classifier.classify(entry, datetime.date.fromisoformat(day), rules, history)

    before = result("2025-09-30")  # only "Disallow for *": access control, a note
    assert not any(r.rule.startswith("sig.") for r in before.reasons)
    assert any("disallows every crawler it does not name" in note for note in before.notes)
    after = result("2025-10-01")  # content-signal: search=no, ai-train=no in force
    fired = {r.rule for r in after.reasons if r.rule.startswith("sig.")}
    assert fired == {"sig.content-signals.ai-train-no", "sig.content-signals.search-no"}
    assert after.uses["training"].commercial == "restricted"
    assert ("content-signals", "search=no, ai-train=no") in {s[:2] for s in after.signals}
    assert any("observed 2025-10-01" in r.text for r in after.reasons)
    latest = result("2026-06-01")
    assert any("RSL licence is declared at" in note for note in latest.notes)
    # Without the history, only the entry's own signals count.
    assert not any(
        r.rule.startswith("sig.") for r in classifier.classify(entry, None, rules).reasons
    )


def test_rejected_observations_are_skipped(imported):
    root, _ = imported
    history = load_history(root / "observations")
    in_force = history.in_force("unsplash.com", datetime.date(2025, 9, 1))
    assert in_force.observed == datetime.date(2025, 7, 2)  # the empty copy of 2025-08 is skipped
    assert history.in_force("unsplash.com", datetime.date(2025, 1, 1)) is None
