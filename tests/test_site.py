"""The static site built for real (mkdocs build --strict) from the session registry
(conftest.py: the real build of a small corpus with a hostile entry)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from contextlib import closing
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urlsplit

from build_fixtures import HOSTILE_TITLE, raw_entry, registry_corpus, write_corpus
from html_safety import local_links, scan_site
from site_helpers import REPO, _text, build

from registry.site.render import render


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, params).fetchall()


def test_every_entry_has_a_page(built):
    site, _, db = built
    ids = [row[0] for row in query(db, "select id from entries")]
    assert len(ids) == len(registry_corpus())
    for entry_id in ids:
        assert (site / "entries" / f"{entry_id}.html").is_file(), entry_id


def test_markdown_pass_and_passthrough_give_the_same_site(built, tmp_path):
    """With --no-passthrough, mkdocs runs Python-Markdown over every generated page: same bytes
    out."""
    site, _, db = built
    result = build(tmp_path, db, exports=site.parent / "exports", extra=("--no-passthrough",))
    assert result.exit_code == 0, result.output
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert pages == sorted(
        p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*.html")
    )
    for page in pages:
        assert (site / page).read_bytes() == (tmp_path / "site" / page).read_bytes(), page
    assert scan_site(tmp_path / "site")[1] == []


def test_internal_links_resolve(built):
    site, _, _ = built
    anchors: dict[Path, set[str]] = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue  # served at any path, so mkdocs gives it root-absolute links on purpose
        links, _ = local_links(page)
        for link in links:
            parts = urlsplit(link)
            if (
                parts.scheme
                or link.startswith(("//", "/-/", "mailto:"))
                or link.startswith("../exports/")
            ):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(site.resolve()):
                continue  # Datasette beside the site (catalog table, SQL, overlap form): the
                # served crawl (test_served_crawl.py) follows these
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} → {link}")
            elif parts.fragment and target.suffix == ".html":
                if target not in anchors:
                    anchors[target] = local_links(target)[1]
                if parts.fragment not in anchors[target]:
                    broken.append(f"{page.relative_to(site)} → {link} (no such anchor)")
    assert broken == []


def test_entry_page_shows_rights_classification_and_lineage(built):
    site, _, db = built
    text = _text((site / "entries" / "delta-derived.html").read_text())
    for expected in [
        "Delta <script>alert('x')</script>",
        "CC-BY-NC-4.0",
        "Verification level",
        "Derived from",
        "Alpha Archives",
        "In the registry since",
        "2026-01-01",
    ]:
        assert expected in text, expected
    for rule, reason in query(
        db,
        "select r.rule, t.text from reasons r join text_reason_text t on t.id = r.text "
        "where r.entry_id = 'delta-derived'",
    ):
        assert rule in text and " ".join(reason.split()) in text, rule
    html = (site / "entries" / "delta-derived.html").read_text()
    assert (
        'href="https://github.com/commons-registry/commons-registry/edit/main/entries/delta-derived.yaml"'
        in html
    )
    assert 'href="https://data.example.org/delta-derived/license"' in html
    source = _text((site / "entries" / "alpha-archives.html").read_text())
    assert "Source of Delta <script>" in source
    signals = _text((site / "entries" / "beta-speech.html").read_text())
    assert "train-ai=n" in signals and "2025-08-01" in signals
    upcoming = _text((site / "entries" / "zeta-old-films.html").read_text())
    assert "Enters the commons on 2027-01-01" in upcoming


def test_entry_pages_are_not_in_the_nav(built):
    site, _, _ = built
    home = (site / "index.html").read_text()
    nav = home.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert "entries/" not in nav
    assert "browse/index.html" in nav


def test_browse_pages_cover_every_facet(built):
    site, _, db = built
    for name, member in [
        ("category-commons-by-default", "Alpha Archives"),
        ("license-cc0-1-0", "Alpha Archives"),
        ("modality-audio", "Dataset beta-speech"),
        ("language-fr", "Alpha Archives"),
        ("domain-speech", "Dataset beta-speech"),
        ("publisher-type-company", "Dataset gamma-code"),
    ]:
        assert member in _text((site / "browse" / f"{name}.html").read_text()), name
    browse = _text((site / "browse" / "index.html").read_text())
    for heading in [
        "By category",
        "By licence",
        "By modality",
        "By language",
        "By domain",
        "By publisher type",
    ]:
        assert heading in browse, heading
    ((commons,),) = query(
        db, "select count(*) from classifications where category = 'commons-by-default'"
    )
    assert f"Commons by default {commons}" in browse
    listed = _text((site / "commons-by-default.html").read_text())
    assert "Alpha Archives" in listed and "Dataset beta-speech" not in listed


def test_home_has_accessible_charts(built):
    site, _, _ = built
    home = (site / "index.html").read_text()
    charts = re.findall(r"<figure class=\"chart\">.*?<svg[^>]*>.*?</svg>", home, re.S)
    assert len(charts) == 4
    for chart in charts:
        assert "<title id=" in chart and "aria-labelledby=" in chart
        links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+): (\d+)">', chart)
        # A chart whose bars link to their lists is a group of named links, else an image.
        assert ('role="group"' if links else 'role="img"') in chart
        for href, _label, _count in links:
            if not href.startswith("../registry/"):  # Datasette's catalog table, when served
                assert (site / href).is_file(), href
    assert "Commons by default" in _text(charts[0])
    # Category, modality and domain bars open the site's list of those entries.
    assert 'href="browse/category-commons-by-default.html"' in charts[0]


def test_home_counts_the_catalog_with_thousands_separated():
    """26,112 datasets, not 26112: the count a visitor reads first."""
    home = render(
        "home.html.j2", entries=[{}] * 26112, charts=[], root="", rules_version="x", build=None
    )
    assert "holds <strong>26,112</strong> datasets" in home


def test_rules_page(built):
    site, _, db = built
    text = _text((site / "rules.html").read_text())
    ((version,),) = query(db, "select rules_version from builds")
    ((summary,),) = query(db, "select summary from rule_changes order by version limit 1")
    ((reason,),) = query(db, "select reason from rules order by id limit 1")
    assert version in text and " ".join(summary.split()) in text
    assert " ".join(reason.split()) in text
    assert "Propose a change" in text


def test_downloads_lists_exports_with_sha256(built):
    site, _, _ = built
    html = (site / "downloads.html").read_text()
    digest = hashlib.sha256(b"id,name\nalpha-archives,Alpha Archives\n").hexdigest()
    assert 'href="../exports/catalog.csv"' in html and digest in html
    text = _text(html)
    assert (
        "badges/ 25 files (shields.io badge, one per entry), for example entry-00.svg" in text
    )  # a folder of one file per entry is summarised
    assert "entry-01.svg" not in text


def test_search_indexes_hold_datasets_apart_from_docs_and_never_raw_config(built):
    site, _, _ = built
    docs = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in docs["docs"]}
    assert not any(loc.startswith(("entries/", "browse/category-")) for loc in locations)
    assert "about.html" in locations
    folder = site / "search" / "datasets"
    manifest = json.loads((folder / "index.json").read_text())
    records = [r for f in sorted(folder.glob("r-*.json")) for r in json.loads(f.read_text())]
    assert manifest["count"] == len(records) > 0
    assert [r[1].casefold() for r in records] == sorted(r[1].casefold() for r in records)
    beta = next(n for n, r in enumerate(records) if r[0] == "beta-speech")
    assert records[beta][2].startswith("A test dataset called beta-speech.")
    assert HOSTILE_TITLE in {r[1] for r in records}  # plain text; search.js sets it as text
    shards = {}
    for i, _ in enumerate(manifest["shards"]):
        shards.update(json.loads((folder / f"t-{i}.json").read_text()))

    def numbers(gaps):
        return [sum(gaps[: k + 1]) for k in range(len(gaps))]

    name, other = shards["speech"]
    assert beta in numbers(name) and beta not in numbers(other)  # in its name: ranked higher
    assert beta in numbers(shards["cc"][1]) + numbers(shards["cc"][0])  # its licence, CC-BY-4.0
    assert "the" not in shards and "at" not in shards and "glance" not in shards


def test_missing_database_is_a_clear_error(tmp_path):
    result = build(tmp_path, tmp_path / "nope.db")
    assert result.exit_code == 1
    assert "no such database" in result.output and "Traceback" not in result.output


def test_bad_entry_id_is_refused(tmp_path, built_registry):
    db = tmp_path / "registry.db"
    shutil.copy(built_registry, db)
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("update entries set id = '../../evil' where id = 'gamma-code'")
    result = build(tmp_path, db)
    assert result.exit_code == 1
    assert "'../../evil'" in result.output
    assert not (tmp_path / "site").exists()


def test_strict_mkdocs_failure_is_reported(tmp_path, built_registry):
    site_dir = tmp_path / "site-project"
    shutil.copytree(REPO / "site", site_dir)
    (site_dir / "docs" / "about.md").write_text("# About\n\nSee [missing](no-such-page.md).\n")
    result = build(tmp_path, built_registry, site_dir=site_dir)
    assert result.exit_code == 1
    assert "mkdocs build --strict failed" in result.output and "no-such-page.md" in result.output


def test_two_builds_are_byte_identical(built, tmp_path, monkeypatch):
    """Same database, same SOURCE_DATE_EPOCH: the same site, file for file."""
    _, _, db = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    digests = []
    for run in ("a", "b"):
        result = build(tmp_path / run, db)
        assert result.exit_code == 0, result.output
        site = tmp_path / run / "site"
        digests.append(
            {
                p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*"))
                if p.is_file()
            }
        )
    assert len(digests[0]) > 40
    assert digests[0] == digests[1]


def test_refuses_to_wipe_a_folder_it_did_not_write(tmp_path, built_registry):
    precious = tmp_path / "site"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = build(tmp_path, built_registry)
    assert result.exit_code == 1 and "refusing to replace it" in result.output
    assert (precious / "notes.txt").read_text() == "keep me"


def test_entry_pages_have_the_layout_mkdocs_gives_its_own_pages(built):
    """Entry and facet pages are written without mkdocs: head, header and footer are still
    exactly those of a page mkdocs built at the same depth (browse/index.html)."""
    site, _, _ = built

    def layout(path: str) -> tuple[str, str]:
        html = (site / path).read_text()
        head, rest = html.split('<main id="content"', 1)
        head = re.sub(r"<title>.*?</title>|\s*aria-current=\"page\"", "", head)
        return head, rest.split("</main>", 1)[1]

    head, foot = layout("browse/index.html")
    assert layout("browse/domain-news.html") == (head, foot)
    # From the entries folder, the browse page is one folder over.
    assert layout("entries/alpha-archives.html") == (
        head.replace('href="index.html"', 'href="../browse/index.html"'),
        foot,
    )
    assert 'href="../css/site.css"' in head and 'href="../about.html"' in head


# Columns that name rows (keys, and so pages and links) keep their values; every other text
# value of the hostile entry's rows is replaced.


def test_a_site_with_imported_records_builds(tmp_path):
    """Imported records may leave modality, domains and publisher type unstated (the source
    catalog does not say and nothing is guessed): every page still renders. Real records from
    imports/otdi/ (OTDI, CDLA-Permissive-2.0) beside two written entries."""
    from registry.build.pipeline import build as build_registry

    entries = tmp_path / "repo" / "entries"
    imported = tmp_path / "repo" / "imports" / "otdi"
    entries.mkdir(parents=True)
    imported.mkdir(parents=True)
    write_corpus(entries, [raw_entry("alpha-curated"), raw_entry("beta-curated")])
    # The first three such records, read in order until found (not all 25,000 files).
    records = sorted((REPO / "imports" / "otdi").glob("*.yaml"))
    unstated = list(
        islice((p for p in records if "\nmodality:" not in p.read_text(encoding="utf-8")), 3)
    )
    assert len(unstated) == 3
    for path in unstated:
        shutil.copy(path, imported)
    db = tmp_path / "registry.db"
    build_registry(entries, db, cache_dir=None, progress=False)
    assert query(db, "select count(*) from entries where origin = 'imported'") == [(3,)]
    result = build(tmp_path, db)
    assert result.exit_code == 0, result.output
    sell = (tmp_path / "site" / "before-you-sell.html").read_text(encoding="utf-8")
    assert "None" not in _text(sell)
    for path in unstated:
        page = _text((tmp_path / "site" / "entries" / f"{path.stem}.html").read_text("utf-8"))
        assert "Modality not stated" in page, path.stem
        assert "None" not in page, path.stem
        # An uploader's licence is theirs to claim: the answer says whose word it is.
        assert "The uploader says: yes" in page, path.stem
        assert "Licence declared by the uploader, not checked" in page, path.stem


def test_before_you_sell_says_how_far_to_trust_a_verdict(built):
    """The overlap form links to this section (#trust): the held-out figures, in plain words."""
    site, _, _ = built
    sell = (site / "before-you-sell.html").read_text(encoding="utf-8")
    section = sell.split('id="trust"', 1)[1].split("<h2", 1)[0]
    assert "never tuned on" in section and "3 of 161" in section


def test_a_domain_whose_entries_state_no_language_says_not_stated(built):
    site, _, _ = built
    sell = (site / "before-you-sell.html").read_text(encoding="utf-8")
    # gamma-code, the corpus's one code dataset, states no language.
    row = sell.split('browse/domain-code.html">code</a></th>', 1)[1].split("</tr>", 1)[0]
    assert "<td>not stated</td>" in row
