"""`commons site`: build the static catalog site from registry.db."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="site")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=Path("dist/registry.db"),
    show_default=True,
    help="The registry database to read.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("dist/site"),
    show_default=True,
    help="Where the built site goes.",
)
@click.option(
    "--src",
    "src_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Build folder for the generated mkdocs project (default: next to --out, 'site-src').",
)
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path),
    default=Path("site"),
    show_default=True,
    help="The hand-written mkdocs project (mkdocs.yml, docs, theme).",
)
@click.option(
    "--exports",
    "exports_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Export files to list on the downloads page (default: next to --out, 'exports').",
)
@click.option(
    "--passthrough/--no-passthrough",
    default=True,
    show_default=True,
    help="Hand generated pages to mkdocs without a Python-Markdown pass (much faster, same "
    "output).",
)
@click.option(
    "--static-hosting",
    is_flag=True,
    help="Build for a static host with no Datasette beside the site (GitHub Pages): the catalog "
    "table, overlap form and SQL are left out of the navigation, and pages that mention them "
    "say they need `commons serve`.",
)
@click.option(
    "--site-url",
    default=None,
    help="Where the site is published, ending in / (default: http://127.0.0.1:8001/site/, "
    "as `commons serve` serves it); the 404 page links from its path.",
)
@click.option(
    "--reuse-unchanged",
    is_flag=True,
    help="Keep the pages and files of the previous build whose inputs did not change instead of "
    "rendering them again, and run mkdocs only if its pages changed (what `commons serve "
    "--watch` uses).",
)
def site_command(
    db_path: Path,
    out_dir: Path,
    src_dir: Path | None,
    site_dir: Path,
    exports_dir: Path | None,
    passthrough: bool,
    static_hosting: bool,
    site_url: str | None,
    reuse_unchanged: bool,
):
    """Build the static catalog site from the registry database.

    Generates a page per entry, browse pages, the rules page and the home page
    from registry.db, then runs `mkdocs build --strict`. The site works from a
    file system, behind any static server, and under Datasette's /site/.

    \b
    Example:
        commons site --db dist/registry.db --out dist/site
        commons site --static-hosting     # for GitHub Pages: no Datasette beside the site
    """
    from registry.site.build import SiteBuildError, build_site
    from registry.site.data import SiteDataError

    exports_dir = exports_dir or out_dir.parent / "exports"
    try:
        stats = build_site(
            db_path,
            out_dir,
            src_dir=src_dir,
            site_dir=site_dir,
            exports_dir=exports_dir,
            passthrough=passthrough,
            static_hosting=static_hosting,
            site_url=site_url,
            reuse_unchanged=reuse_unchanged,
        )
    except (SiteBuildError, SiteDataError) as error:
        raise click.ClickException(str(error)) from None
    reused = ""
    if stats["incremental"]:
        mkdocs = "" if stats["ran_mkdocs"] else ", mkdocs not run"
        reused = f", {stats['reused_pages']} unchanged pages and files kept{mkdocs}"
    click.echo(
        f"Built {stats['pages']} pages ({stats['entries']} entries{reused}) into {out_dir} in "
        f"{stats['total_seconds']:.1f}s"
    )
