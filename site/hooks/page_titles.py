"""mkdocs hook: give generated pages their titles from titles.json.

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
