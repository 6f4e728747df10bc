"""Observed signals through the whole flow: real tracker copies imported, the registry built,
the site, the feed and Datasette showing each source's signals with dates and provenance."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import feedparser
import pytest
import pytest_asyncio
from click.testing import CliRunner
from project_datasette import project_datasette
from site_helpers import build as build_site
from test_observations import FIXTURES, entry_with_sources

from registry.build.pipeline import build
from registry.commands.cli import cli

REPO = Path(__file__).resolve().parent.parent
EPOCH_2026_02_01 = "1769904000"
EPOCH_2025_09_15 = "1757894400"


def catalog(root: Path) -> Path:
    entries = root / "entries"
    entry_with_sources(entries, "qa-dump", ["stackoverflow.com", "superuser.com"])
    entry_with_sources(entries, "photos", ["unsplash.com"])
    entry_with_sources(entries, "wiki", ["wikipedia.org"])
    result = CliRunner().invoke(cli, ["import-signals", str(FIXTURES), "--entries", str(entries)])
    assert result.exit_code == 0, result.output
    return entries


def built_at(entries: Path, out: Path, epoch: str, cache: Path | None = None) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", epoch)
    try:
        build(entries, out, cache_dir=cache)
    finally:
        mp.undo()
    return out


def rows(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return observed_site(tmp_path_factory.mktemp("observed"))


def observed_site(root: Path) -> tuple[Path, Path]:
    """The registry, feeds and site of a small catalog with imported observations, in `root`."""
    entries = catalog(root)
    db = built_at(entries, root / "registry.db", EPOCH_2026_02_01)
    runner = CliRunner()
    exported = runner.invoke(
        cli, ["export", "--db", str(db), "--out", str(root / "exports"), "--format", "feeds"]
    )
    assert exported.exit_code == 0, exported.output
    site = build_site(root, db, exports=root / "exports")
    assert site.exit_code == 0, site.output
    return root, db


def test_build_keeps_every_observation_with_what_the_rules_make_of_it(registry):
    _, db = registry
    assert rows(
        db,
        "select observed, change, since, training_restricted_since, in_force, restricts "
        "from observations where source = 'stackoverflow.com' order by position",
    ) == [
        ("2025-01-03", "first", "2025-01-03", None, 0, "[]"),
        ("2025-10-01", "changed", "2025-10-01", "2025-10-01", 0, '["retrieval", "training"]'),
        ("2026-01-01", "changed", "2026-01-01", "2025-10-01", 1, '["retrieval", "training"]'),
    ]
    assert rows(
        db, "select rejected is not null, change from observations where source = 'unsplash.com'"
    ) == [(0, "first"), (1, "rejected")]
    assert rows(
        db,
        "select rule from reasons where entry_id = 'qa-dump' and rule like 'sig.%' order by rule",
    ) == [("sig.content-signals.ai-train-no",), ("sig.content-signals.search-no",)]
    assert rows(db, "select category from catalog where id = 'qa-dump'") == [
        ("open-use-restricted",)
    ]
    assert rows(
        db, "select value, count from facet_counts where facet = 'signals' order by value"
    ) == [
        ("content-signals: search=no, ai-train=no", 1),
        ("robots: Disallow for *", 1),
        ("robots: Disallow for ClaudeBot", 1),
        ("rsl: License: https://stackoverflow.com/license.xml", 1),
    ]


def test_build_reads_observations_as_of_its_date_and_rebuilds_when_they_change(tmp_path):
    entries = catalog(tmp_path)
    cache = tmp_path / "cache"
    before = built_at(entries, tmp_path / "early.db", EPOCH_2025_09_15, cache)
    assert rows(before, "select category from catalog where id = 'qa-dump'") != [
        ("open-use-restricted",)
    ]
    assert rows(
        before, "select observed from observations where source='stackoverflow.com' and in_force"
    ) == [("2025-01-03",)]
    later = built_at(entries, tmp_path / "late.db", EPOCH_2026_02_01, cache)
    assert rows(later, "select category from catalog where id = 'qa-dump'") == [
        ("open-use-restricted",)
    ]
    # The site withdraws its signals: a new observation without them, and the same cache.
    history = tmp_path / "observations" / "stackoverflow.com.yaml"
    history.write_text(
        history.read_text(encoding="utf-8")
        + "  - observed: 2026-01-20\n    url: https://stackoverflow.com/\n"
        "    by: refresh-signals\n",
        encoding="utf-8",
    )
    withdrawn = built_at(entries, tmp_path / "withdrawn.db", EPOCH_2026_02_01, cache)
    assert rows(withdrawn, "select category from catalog where id = 'qa-dump'") == rows(
        before, "select category from catalog where id = 'qa-dump'"
    )


def test_entry_page_shows_signals_since_and_timeline(registry):
    root, _ = registry
    page = (root / "site" / "entries" / "qa-dump.html").read_text(encoding="utf-8")
    assert (
        "stackoverflow.com: content-signals search=no, ai-train=no since 2025-10; robots "
        "Disallow for * since 2025-01; rsl License: https://stackoverflow.com/license.xml since "
        "2026-01" in page
    )
    assert "samber/the-great-gpt-firewall@9629e95" in page
    assert "2026/2026-01-robots.txt/stackoverflow.com.robots.txt" in page
    assert "lower-cased by the tracker" in page
    photos = (root / "site" / "entries" / "photos.html").read_text(encoding="utf-8")
    assert "not read: empty body" in photos


def test_signals_page_answers_who_opted_out_of_training_and_since_when(registry):
    root, _ = registry
    page = (root / "site" / "signals.html").read_text(encoding="utf-8")
    assert "Which commons sources have opted out of AI training, and since when?" in page
    training = page[page.index('id="training"') : page.index('id="crawlers"')]
    assert "stackoverflow.com" in training and "2025-10-01" in training
    assert "unsplash.com" not in training  # a crawler block is not a usage opt-out
    crawlers = page[page.index('id="crawlers"') : page.index('id="shares"')]
    assert "unsplash.com" in crawlers and "ClaudeBot" in crawlers
    shares = page[page.index('id="shares"') : page.index('id="sources"')]
    assert "<td>Open, use restricted</td><td>1</td><td>1</td><td>0</td><td>1 (100%)</td>" in shares
    assert 'id="wikipedia.org"' in page


def test_feed_announces_signal_changes(registry):
    root, _ = registry
    feed = feedparser.parse((root / "exports" / "feeds" / "signals.atom").read_bytes())
    assert not feed.bozo
    titles = [item.title for item in feed.entries]
    assert titles == [
        "stackoverflow.com: signals changed on 2026-01-01",
        "stackoverflow.com: signals changed on 2025-10-01",
        "unsplash.com: signals first observed on 2025-07-02",
        "stackoverflow.com: signals first observed on 2025-01-03",
    ]
    october = feed.entries[1]
    assert october.summary.startswith("now: content-signals: search=no, ai-train=no.")
    assert "restrict retrieval, training" in october.summary
    assert october.link.endswith("signals.html#stackoverflow.com")


@pytest_asyncio.fixture
async def ds(registry):
    return await project_datasette(registry[1])


@pytest.mark.asyncio
async def test_datasette_has_observations_with_facets_and_the_entry_timeline(ds):
    response = await ds.client.get("/registry/observations.json?_extra=facet_results&_size=0")
    assert response.status_code == 200
    facets = response.json()["facet_results"]["results"]
    assert {"source", "in_force", "change", "restricts", "signals", "by", "month"} <= set(facets)
    sources = {item["value"]: item["count"] for item in facets["source"]["results"]}
    assert sources == {"stackoverflow.com": 3, "unsplash.com": 2, "wikipedia.org": 1}
    opted = await ds.client.get("/registry/training_opt_outs.json?_shape=objects")
    assert [(r["source"], r["since"], r["entries"]) for r in opted.json()["rows"]] == [
        ("stackoverflow.com", "2025-10-01", "qa-dump")
    ]
    page = await ds.client.get("/entry/qa-dump")
    assert page.status_code == 200
    assert "stackoverflow.com: content-signals search=no, ai-train=no since 2025-10" in page.text
    assert "Timeline of stackoverflow.com: 3 observations" in page.text
