"""Building the static site in tests (`commons site` through click), and reading its pages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from registry.commands.cli import cli

REPO = Path(__file__).resolve().parent.parent


def build(
    tmp: Path,
    db: Path,
    site_dir: Path = REPO / "site",
    exports: Path | None = None,
    extra: tuple = (),
):
    args = [
        "site",
        "--db",
        str(db),
        "--out",
        str(tmp / "site"),
        "--src",
        str(tmp / "site-src"),
        "--site-dir",
        str(site_dir),
        *extra,
    ]
    if exports:
        args += ["--exports", str(exports)]
    return CliRunner().invoke(cli, args)


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
