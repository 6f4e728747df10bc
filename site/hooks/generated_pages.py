"""mkdocs hooks for the pages `commons site` generates from registry.db.

- Titles come from generated.json (written next to mkdocs.yml), never from
  front matter; the theme escapes every title it prints.
- Pass-through: a generated page is one raw HTML block that Python-Markdown
  would hand back unchanged, after parsing it twice with html.parser (most of
  the build time). With `passthrough` on, the block skips Markdown entirely:
  Markdown sees an empty page and the block is put back as the page content.
  Either way the output is byte-identical, and contributor text never meets
  Python-Markdown.
- With pass-through, entry and facet pages also skip the search plugin's own
  HTML parse: it sees an empty page, and the full page is put back in
  `on_page_context`, which for hooks runs after the search plugin's.
- Search: entry pages are indexed by the facts people search by (search texts
  in generated.json) rather than every word of the page, and facet listings
  are left out: they repeat every entry. This keeps the index small.
"""

from __future__ import annotations

import json
from pathlib import Path

BLOCK_START = '<div class="generated">'
_state: dict = {"titles": {}, "search": {}, "passthrough": False}
_held: dict[str, str] = {}


def on_config(config, **kwargs):
    path = Path(config.config_file_path).parent / "generated.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    _state["titles"] = data.get("titles", {})
    _state["search"] = data.get("search", {})
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
    src = page.file.src_uri
    if src not in _held:
        return html
    if src.startswith(("entries/", "browse/")) and src != "browse/index.md":
        return ""  # indexed from generated.json, or not at all; restored in on_page_context
    return _held.pop(src).rstrip("\n")


def on_page_context(context, page, config, nav, **kwargs):
    held = _held.pop(page.file.src_uri, None)
    if held is not None:
        page.content = held.rstrip("\n")
    return context


def on_post_build(config, **kwargs):
    """Rewrite the search index (hooks run after the search plugin has written it)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for doc in index["docs"]:
        location = doc["location"]
        if location.startswith("browse/") and location != "browse/index.html":
            continue
        if location in _state["search"]:
            doc = {**doc, "text": _state["search"][location]}
        docs.append(doc)
    index["docs"] = docs
    path.write_text(json.dumps(index, sort_keys=True, separators=(",", ":")), encoding="utf-8")
