"""A plain Jinja2 environment (autoescape on) for the generated site pages.

Every value from the database is escaped by the template engine; contributor
Markdown goes through `registry.entry.markdown.render_markdown` and only its output
is marked safe. URLs are linked only when they are http or https.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from registry.entry.markdown import render_markdown
from registry.site import wording

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)

CATEGORY_LABELS = {
    "commons-by-default": "Commons by default",
    "open-use-restricted": "Open, use restricted",
    "not-commons": "Not commons",
    "undetermined": "Undetermined",
}
VERDICT_LABELS = {
    "allowed": "Allowed",
    "conditional": "Conditional",
    "restricted": "Restricted",
    "unknown": "Unknown",
}


def safe_url(value: str | None) -> str | None:
    """The URL if it is a plain http(s) URL, else None (shown as text, never linked)."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if not _SAFE_URL.match(value) or urlsplit(value).scheme.lower() not in ("http", "https"):
        return None
    return value


def slugify(value: object) -> str:
    """A file-name-safe slug: lowercase letters, digits and hyphens only."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug[:60] or "none"


def plain(value: object) -> str:
    """Text with control characters removed (they could confuse later Markdown passes)."""
    return _CONTROL.sub("", "" if value is None else str(value))


def markdown_filter(value: str | None) -> Markup:
    return Markup(_CONTROL.sub("", render_markdown(plain(value))))


def day(value: str | None) -> str | None:
    """The calendar date of an ISO 8601 date or timestamp (`2026-01-01T00:00:00+00:00` →
    `2026-01-01`); anything else as it is."""
    try:
        return datetime.datetime.fromisoformat(value).date().isoformat()
    except (TypeError, ValueError):
        return value


def link(value: str | None, text: str | None = None) -> Markup:
    """An external link if the URL is safe, else the escaped text of the URL."""
    url = safe_url(value)
    label = plain(text if text else value)
    if url is None:
        return Markup('<span class="unlinked">{}</span>').format(label)
    return Markup('<a href="{}" rel="nofollow noopener noreferrer">{}</a>').format(url, label)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("registry.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        markdown=markdown_filter, link=link, slug=slugify, plain=plain, safe_url=safe_url, day=day
    )
    env.globals.update(
        CATEGORY_LABELS=CATEGORY_LABELS,
        VERDICT_LABELS=VERDICT_LABELS,
        headline=wording.headline,
        answer_detail=wording.answer_detail,
        duties=wording.duties,
        obligations_cell=wording.obligations_cell,
        licence_in_words=wording.licence_in_words,
        overlap_rows=wording.overlap_rows,
        relation_sentence=wording.relation_sentence,
    )
    return env


def keep_compiled(env: Environment, folder: Path) -> None:
    """Keep `env`'s compiled templates in `folder` between builds: a one-entry rebuild spent 0.4 s
    compiling the same templates again. Jinja keys each by its name and checks its source, so an
    edited template is compiled afresh."""
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))


@contextmanager
def compiled_in(folder: Path) -> Iterator[None]:
    """The site's templates (environment()) kept compiled in `folder` while the block runs."""
    env = environment()
    before = env.bytecode_cache
    keep_compiled(env, folder)
    try:
        yield
    finally:
        env.bytecode_cache = before


def render(template: str, **context) -> str:
    """Render one template; the result is raw HTML meant for a Markdown page."""
    return environment().get_template(template).render(**context)


def observed_html(observed: list[dict]) -> Markup:
    """The signals observed at an entry's sources, as both entry pages show them."""
    return Markup(render("_observed.html.j2", observed=observed))
