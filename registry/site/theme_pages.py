"""Pages written straight into the built site in the theme's layout, without a mkdocs page build.

mkdocs builds the hand-written pages, the pages in the nav, the theme and the
search index. The pages there is one of per entry or per facet value are
rendered here with the theme's own `main.html`, in mkdocs's own Jinja
environment and with the context mkdocs gives a page outside the nav, so they
look and link exactly as if mkdocs had built them, but without its per-page
work (a File and a Page object, a Markdown pass, a table of contents, a
search parse) that made the site ten times a plain Jinja render.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import mkdocs
from mkdocs.config import load_config
from mkdocs.utils import get_relative_url

from registry.site.render import keep_compiled


def block(html: str) -> str:
    """A generated page's content: one raw HTML block (as it is also given to mkdocs)."""
    # Python-Markdown expands tabs (tab_length 4); doing it here keeps the two paths identical.
    return f'<div class="generated">\n{html.expandtabs(4)}\n</div>'


class _Nav(list):
    """The nav as the theme reads it: its items, and the home page."""

    homepage = None


def _nav_items(items: list, titles: dict[str, str]) -> list[SimpleNamespace]:
    """The nav of mkdocs.yml; a generated page shows the title the hook gives it, as in mkdocs."""
    found = []
    for item in items:
        ((title, target),) = item.items()
        if isinstance(target, list):
            found.append(
                SimpleNamespace(
                    title=title,
                    is_section=True,
                    is_page=False,
                    active=False,
                    children=_nav_items(target, titles),
                )
            )
        else:
            url = target[: -len(".md")] + ".html"
            title = titles.get(target, title)
            found.append(
                SimpleNamespace(title=title, url=url, is_section=False, is_page=True, active=False)
            )
    return found


def _homepage(items: list):
    for item in items:
        if item.is_section:
            found = _homepage(item.children)
            if found:
                return found
        elif item.url == "index.html":
            return item
    return None


class ThemePages:
    """Writes pages under `out_dir` with the theme of the mkdocs project at `config_file`;
    `titles` are the generated pages' titles ({source path: title}, as the hook sets them);
    `compiled`, where the theme's compiled templates are kept between builds."""

    def __init__(
        self, config_file: Path, out_dir: Path, titles: dict[str, str], compiled: Path | None = None
    ):
        self.config = load_config(str(config_file))
        env = self.config.theme.get_env()
        if compiled is not None:
            keep_compiled(env, compiled)
        self.template = env.get_template("main.html")
        self.nav = _Nav(_nav_items(self.config.nav or [], titles))
        self.nav.homepage = _homepage(self.nav)
        self.out_dir = out_dir

    def write(self, src: str, title: str, html: str) -> None:
        """Render the page whose source would be `src` (e.g. entries/x.md) and write it."""
        url = src[: -len(".md")] + ".html"
        page = SimpleNamespace(
            title=title, url=url, is_homepage=False, content=block(html), meta={}, active=False
        )
        output = self.template.render(
            nav=self.nav,
            pages=[],
            base_url=get_relative_url(".", url),
            extra_css=[],
            extra_javascript=[],
            mkdocs_version=mkdocs.__version__,
            config=self.config,
            page=page,
        )
        path = self.out_dir / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
