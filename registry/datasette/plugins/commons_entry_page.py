"""Datasette plugin: the page of one entry (/entry/<id>) and links to it from the catalog.

The page gathers an entry's authored facts and its computed classification
from the registry tables. Every value is escaped by Datasette's Jinja
environment (autoescape on); the two Markdown fields go through
registry.entry.markdown.render_markdown (markdown-it-py without HTML, then nh3),
and only that output is marked safe.
"""

from __future__ import annotations

import json
import re

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from registry.entry.markdown import render_markdown
from registry.signals.timeline import read_histories
from registry.site.render import observed_html

ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
EDIT_URL = "https://github.com/commons-registry/commons-registry/edit/main/entries/{id}.yaml"
USES = ("training", "retrieval", "evaluation")


def http_url(value: str | None) -> str | None:
    """The URL if it is http(s), else None: nothing else is ever put in an href."""
    if isinstance(value, str) and re.match(r"^https?://[^\s]+$", value, re.IGNORECASE):
        return value
    return None


async def _find_registry(datasette):
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if await db.table_exists("catalog") and await db.table_exists("entries"):
            return db
    raise NotFound("No registry database is attached")


async def _rows(db, sql: str, params: dict) -> list[dict]:
    result = await db.execute(sql, params)
    return [dict(row) for row in result.rows]


async def entry_context(db, entry_id: str) -> dict | None:
    """Everything the entry page shows, or None when no such entry exists."""
    p = {"id": entry_id}
    found = await _rows(db, "select * from entries where id = :id", p)
    if not found:
        return None
    entry = found[0]
    classification = (
        await _rows(db, "select * from classifications where entry_id = :id", p) or [None]
    )[0]
    uses = []
    if classification:
        conditions = json.loads(classification.get("use_conditions") or "{}")
        for use in USES:
            uses.append(
                {
                    "use": use,
                    "commercial": classification.get(f"{use}_commercial"),
                    "non_commercial": classification.get(f"{use}_non_commercial"),
                    "conditions": conditions.get(use, []),
                }
            )
        classification["obligations_list"] = json.loads(classification.get("obligations") or "[]")
        classification["holds_in_list"] = json.loads(classification.get("holds_in") or "[]")
        classification["conflicts_list"] = json.loads(classification.get("conflicts") or "[]")
        classification["notes_list"] = json.loads(classification.get("notes") or "[]")
    parts = await _rows(
        db,
        "select scope, category, holds_in, detail, text from classification_parts where entry_id "
        "= :id order by position",
        p,
    )
    for part in parts:
        part["holds_in_list"] = json.loads(part.get("holds_in") or "[]")
    access_terms = await _rows(
        db, "select * from access_terms where entry_id = :id order by position", p
    )
    for terms in access_terms:
        terms["restricts_list"] = json.loads(terms.get("restricts") or "[]")
        terms["href"] = http_url(terms.get("url"))
    entry["applies_in_list"] = json.loads(entry.get("rights_statement_applies_in") or "[]")
    entry["statement_href"] = http_url(entry.get("rights_statement_url"))
    entry["items_evidence_href"] = http_url(entry.get("items_published_evidence"))
    entry["renewal_evidence_href"] = http_url(entry.get("us_renewal_evidence"))
    reasons = await _rows(
        db,
        "select r.position, r.rule, r.text, r.citation, r.effect, u.file as rule_file, "
        "d.version as decided_in, d.proposal_id, d.decided_on, d.decided_by, d.why as decided_why "
        "from reasons r left join rules u on u.id = r.rule "
        "left join rule_decisions d on d.rule_id = r.rule where r.entry_id = :id order by "
        "r.position",
        p,
    )
    templates = await _rows(
        db, "select template, fit, why from template_fits where entry_id = :id order by template", p
    )
    licenses = await _rows(
        db,
        "select expression, scope, url, covers from licenses where entry_id = :id order by "
        "position",
        p,
    )
    signals = await _rows(
        db,
        "select vocabulary, value, source, observed from signals where entry_id = :id order "
        "by position",
        p,
    )
    evidence = await _rows(
        db, "select url, checked from evidence where entry_id = :id order by position", p
    )
    access_urls = await _rows(
        db, "select url from access_urls where entry_id = :id order by position", p
    )
    lineage = await _rows(
        db,
        "select l.relation, l.related_id, c.name from lineage l left join catalog c on c.id = "
        "l.related_id where l.entry_id = :id order by l.relation, l.related_id",
        p,
    )
    derived = await _rows(
        db,
        "select l.relation, l.entry_id as related_id, c.name from lineage l left join catalog "
        "c on c.id = l.entry_id where l.related_id = :id order by l.relation, l.entry_id",
        p,
    )
    languages = [
        r["language"]
        for r in await _rows(
            db, "select language from languages where entry_id = :id order by language", p
        )
    ]
    domains = [
        r["domain"]
        for r in await _rows(
            db, "select domain from domains where entry_id = :id order by domain", p
        )
    ]
    jurisdictions = [
        r["jurisdiction"]
        for r in await _rows(
            db,
            "select jurisdiction from jurisdictions where entry_id = :id order by jurisdiction",
            p,
        )
    ]
    aliases = [
        r["alias"]
        for r in await _rows(db, "select alias from aliases where entry_id = :id order by alias", p)
    ]
    for item in licenses + evidence + access_urls:
        item["href"] = http_url(item.get("url"))
    for item in signals:
        item["href"] = http_url(item.get("source"))
    hosts = [
        r["host"]
        for r in await _rows(
            db, "select host from source_domains where entry_id = :id order by host", p
        )
    ]
    histories = await db.execute_fn(lambda connection: read_histories(connection, hosts))
    observed = [histories[host] for host in hosts if host in histories]
    return {
        "entry": entry,
        "homepage_href": http_url(entry["homepage"]),
        "publisher_href": http_url(entry.get("publisher_url")),
        "description_html": Markup(render_markdown(entry.get("description"))),
        "rights_notes_html": Markup(render_markdown(entry.get("rights_notes"))),
        "classification": classification,
        "uses": uses,
        "parts": parts,
        "access_terms": access_terms,
        "reasons": reasons,
        "templates": templates,
        "licenses": licenses,
        "signals": signals,
        "observed_html": observed_html(observed),
        "evidence": evidence,
        "access_urls": access_urls,
        "lineage": lineage,
        "derived": derived,
        "languages": languages,
        "domains": domains,
        "jurisdictions": jurisdictions,
        "aliases": aliases,
        "edit_url": EDIT_URL.format(id=entry["id"]),
        "database_name": db.name,
    }


async def entry_page(datasette, request):
    entry_id = request.url_vars["id"]
    if not ENTRY_ID.match(entry_id):
        raise NotFound("Not a valid entry id")
    db = await _find_registry(datasette)
    context = await entry_context(db, entry_id)
    if context is None:
        renamed = await _rows(
            db, "select entry_id from aliases where alias = :id", {"id": entry_id}
        )
        if renamed:
            # Same-site path built from a validated id: never an open redirect.
            return Response.redirect(datasette.urls.path(f"/entry/{renamed[0]['entry_id']}"))
        raise NotFound("No entry with this id")
    html = await datasette.render_template("commons_entry.html", context, request=request)
    return Response.html(html)


@hookimpl
def register_routes(datasette):
    return [(r"^/entry/(?P<id>[^/]+)$", entry_page)]


@hookimpl
def render_cell(row, value, column, table, datasette):
    """In the catalog and entries tables, link each entry's name to its entry page.

    (The id column is the primary key, which Datasette links to the row page itself.)
    """
    if table not in ("catalog", "entries") or column != "name" or not isinstance(value, str):
        return None
    try:
        entry_id = row["id"]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(entry_id, dict):  # a foreign key Datasette expanded to {value, label}
        entry_id = entry_id.get("value")
    if not isinstance(entry_id, str) or not ENTRY_ID.match(entry_id):
        return None
    return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/entry/{entry_id}"), value)
