"""mkdocs hooks for the generated pages in the nav (home, browse, rules, downloads...).

- Titles come from generated.json (written next to mkdocs.yml), never from
  front matter; the theme escapes every title it prints.
- Pass-through: a generated page is one raw HTML block that Python-Markdown
  would hand back unchanged, after parsing it twice with html.parser. With
  `passthrough` on, the block skips Markdown: Markdown sees an empty page and
  the block is put back as the page's HTML (which the search plugin then
  indexes). Either way the output is byte-identical, and contributor text
  never meets Python-Markdown.

The pages there is one of per entry and per facet value are not built by
mkdocs at all: `commons site` writes them into the site in the same theme
(registry/site/theme_pages.py).
"""

from __future__ import annotations

import json
from pathlib import Path

BLOCK_START = '<div class="generated">'
_state: dict = {"titles": {}, "passthrough": False}
_held: dict[str, str] = {}


def on_config(config, **kwargs):
    path = Path(config.config_file_path).parent / "generated.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    _state["titles"] = data.get("titles", {})
    _state["passthrough"] = bool(data.get("passthrough", False))
    _held.clear()
    return config


def on_page_markdown(markdown, page, config, files, **kwargs):
    src = page.file.src_uri
    if src not in _state["titles"]:
        return markdown
    page.title = _state["titles"][src]
    if _state["passthrough"] and markdown.startswith(BLOCK_START):
        _held[src] = markdown
        return ""
    return markdown


def on_page_content(html, page, config, files, **kwargs):
    held = _held.pop(page.file.src_uri, None)
    return html if held is None else held.rstrip("\n")
