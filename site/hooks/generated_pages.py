"""mkdocs hooks for generated pages: titles from titles.json, facet pages out of search.

Generated pages are raw HTML, so mkdocs cannot find their first heading. Their
titles come from a file the generator writes next to mkdocs.yml, never from
front matter; the theme escapes every title it prints.
"""

from __future__ import annotations

import json
from pathlib import Path

_titles: dict[str, str] = {}


def on_config(config, **kwargs):
    path = Path(config.config_file_path).parent / "titles.json"
    _titles.clear()
    if path.is_file():
        _titles.update(json.loads(path.read_text(encoding="utf-8")))
    return config


def on_page_markdown(markdown, page, config, files, **kwargs):
    title = _titles.get(page.file.src_uri)
    if title is not None:
        page.title = title
    return markdown


def on_post_build(config, **kwargs):
    """Keep facet listings out of the search index: they repeat every entry's summary.

    Runs after the search plugin has written the index (hooks come after plugins).
    """
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"] = [doc for doc in index["docs"] if not (doc["location"].startswith("browse/") and doc["location"] != "browse/index.html")]
    path.write_text(json.dumps(index, sort_keys=True, separators=(",", ":")), encoding="utf-8")
