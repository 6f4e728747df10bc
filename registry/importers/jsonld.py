"""JSON-LD read without a network: contexts are resolved from the file itself.

A remote `@context` URL is never fetched. Known context URLs (schema.org,
DCAT) stand for vocabularies this module knows; an unknown one is noted and
its terms fall back to the format's default vocabulary. That is enough to read
the handful of dataset-level properties an entry needs, whatever prefix style
(`license`, `sc:license`, `schema:license`, full IRIs) the file uses.
"""

from __future__ import annotations

SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
CROISSANT = "http://mlcommons.org/croissant/"
VCARD = "http://www.w3.org/2006/vcard/ns#"

STANDARD_PREFIXES = {
    "sc": SCHEMA,
    "schema": SCHEMA,
    "dcat": DCAT,
    "dct": DCT,
    "dcterms": DCT,
    "foaf": FOAF,
    "prov": PROV,
    "cr": CROISSANT,
    "vcard": VCARD,
}

# What the DCAT contexts define, for the terms an entry needs (types and properties).
DCAT_TERMS = {
    "Dataset": DCAT + "Dataset",
    "Catalog": DCAT + "Catalog",
    "Distribution": DCAT + "Distribution",
    "title": DCT + "title",
    "description": DCT + "description",
    "license": DCT + "license",
    "rights": DCT + "rights",
    "publisher": DCT + "publisher",
    "creator": DCT + "creator",
    "language": DCT + "language",
    "source": DCT + "source",
    "identifier": DCT + "identifier",
    "issued": DCT + "issued",
    "modified": DCT + "modified",
    "accessRights": DCT + "accessRights",
    "format": DCT + "format",
    "landingPage": DCAT + "landingPage",
    "keyword": DCAT + "keyword",
    "theme": DCAT + "theme",
    "dataset": DCAT + "dataset",
    "distribution": DCAT + "distribution",
    "downloadURL": DCAT + "downloadURL",
    "accessURL": DCAT + "accessURL",
    "mediaType": DCAT + "mediaType",
    "byteSize": DCAT + "byteSize",
    "name": FOAF + "name",
    "homepage": FOAF + "homepage",
}
_DCAT_CONTEXT = {"dcat": DCAT, "dct": DCT, "foaf": FOAF, **DCAT_TERMS}

# Remote contexts treated as identifiers: what each one stands for.
KNOWN_CONTEXTS = {
    "https://schema.org": {"@vocab": SCHEMA},
    "https://schema.org/": {"@vocab": SCHEMA},
    "http://schema.org": {"@vocab": SCHEMA},
    "http://schema.org/": {"@vocab": SCHEMA},
    "https://schema.org/docs/jsonldcontext.jsonld": {"@vocab": SCHEMA},
    "https://schema.org/docs/jsonldcontext.json": {"@vocab": SCHEMA},
    "https://www.w3.org/ns/dcat.jsonld": _DCAT_CONTEXT,
    "https://www.w3.org/ns/dcat2.jsonld": _DCAT_CONTEXT,
    "https://www.w3.org/ns/dcat3.jsonld": _DCAT_CONTEXT,
}


def _same_schema(iri: str) -> str:
    """schema.org is written with http and https; both mean the same terms."""
    return (
        SCHEMA + iri[len("http://schema.org/") :] if iri.startswith("http://schema.org/") else iri
    )


class Context:
    """Term and prefix definitions in force for one node."""

    def __init__(
        self,
        prefixes: dict[str, str],
        terms: dict[str, str],
        vocab: str | None,
        default_vocab: dict[str, str],
    ):
        self.prefixes, self.terms, self.vocab, self.default_vocab = (
            prefixes,
            terms,
            vocab,
            default_vocab,
        )

    def extend(self, definition, notes: list[str]) -> Context:
        prefixes, terms, vocab = dict(self.prefixes), dict(self.terms), self.vocab
        for item in definition if isinstance(definition, list) else [definition]:
            if isinstance(item, str):
                known = KNOWN_CONTEXTS.get(item)
                if known is None:
                    notes.append(
                        f"remote @context {item} was not fetched (imports never use the "
                        "network); its terms were read with the format's usual meanings"
                    )
                    continue
                item = known
            if not isinstance(item, dict):
                continue
            for key, value in item.items():
                if key == "@vocab" and isinstance(value, str):
                    vocab = _same_schema(value)
                elif key.startswith("@"):
                    continue
                elif isinstance(value, str):
                    (prefixes if value.endswith(("/", "#")) else terms)[key] = value
                elif isinstance(value, dict) and isinstance(value.get("@id"), str):
                    terms[key] = value["@id"]
        return Context(prefixes, terms, vocab, self.default_vocab)

    def expand(self, key: str) -> str:
        if key.startswith("@"):
            return key
        if key in self.terms:
            return self._expand_iri(self.terms[key])
        if ":" in key:
            return self._expand_iri(key)
        if self.vocab:
            return _same_schema(self.vocab + key)
        if key in self.default_vocab:
            return self.default_vocab[key]
        return self.default_vocab.get("@vocab", "?") + key

    def _expand_iri(self, value: str) -> str:
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//"):
            namespace = self.prefixes.get(prefix) or STANDARD_PREFIXES.get(prefix)
            if namespace:
                return _same_schema(namespace + suffix)
        return _same_schema(value)


def expand(
    document: dict, default_vocab: dict[str, str] | None = None, notes: list[str] | None = None
) -> list[dict]:
    """Every node of the document, with keys expanded to IRIs and `@graph` flattened.

    Returns nodes as dicts of IRI → list of values (strings, or nested nodes).
    The original key of each property is kept under `@keys` for messages.
    """
    notes = notes if notes is not None else []
    root = Context({}, {}, None, default_vocab or {})
    nodes: list[dict] = []

    def walk(value, context: Context, depth: int):
        if depth > 50:
            return None
        if isinstance(value, list):
            return [walk(item, context, depth + 1) for item in value]
        if not isinstance(value, dict):
            return value
        if "@context" in value:
            context = context.extend(value["@context"], notes)
        if "@value" in value:
            return value
        node: dict = {"@keys": {}}
        for key, item in value.items():
            if key == "@context":
                continue
            if key == "@graph":
                for child in item if isinstance(item, list) else [item]:
                    walked = walk(child, context, depth + 1)
                    if isinstance(walked, dict):
                        nodes.append(walked)
                continue
            iri = context.expand(key)
            node["@keys"][iri] = key
            if key == "@type":
                node["@type"] = [
                    context.expand(t)
                    for t in (item if isinstance(item, list) else [item])
                    if isinstance(t, str)
                ]
                continue
            walked = walk(item, context, depth + 1)
            node.setdefault(iri, []).extend(walked if isinstance(walked, list) else [walked])
        return node

    top = walk(document, root, 0)
    if isinstance(top, dict) and len(top) > 1:
        nodes.insert(0, top)
    return nodes


def types(node: dict) -> set[str]:
    return {t for t in node.get("@type", []) if isinstance(t, str)}


def find_datasets(nodes: list[dict], type_iris: set[str]) -> list[dict]:
    """Nodes whose (expanded) @type is one of `type_iris`."""
    return [node for node in nodes if types(node) & type_iris]


def expand_value_iri(value: str) -> str:
    """A compact IRI value such as `sc:ImageObject` (prefixes are the standard ones)."""
    prefix, sep, suffix = value.partition(":")
    if sep and not suffix.startswith("//") and prefix in STANDARD_PREFIXES:
        return STANDARD_PREFIXES[prefix] + suffix
    if not sep:
        return SCHEMA + value
    return _same_schema(value)


def values(node: dict, iri: str) -> list:
    return [v for v in node.get(iri, []) if v is not None]


def text(value, language: str = "en") -> str | None:
    """The string form of a literal: plain strings, `@value` objects, numbers."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if (
        isinstance(value, dict)
        and "@value" in value
        and isinstance(value["@value"], (str, int, float))
    ):
        return str(value["@value"])
    return None


def texts(node: dict, iri: str, language: str = "en") -> list[str]:
    """Literal values of a property; when several languages are given, the preferred one first."""
    items = values(node, iri)
    preferred = [
        i
        for i in items
        if isinstance(i, dict) and i.get("@language", "").lower().startswith(language)
    ]
    ordered = preferred + [i for i in items if i not in preferred]
    return [t for t in (text(i) for i in ordered) if t is not None and t.strip()]


def first_text(node: dict, iri: str) -> str | None:
    found = texts(node, iri)
    return found[0].strip() if found else None


def references(node: dict, iri: str) -> list[str]:
    """IRIs (`@id`) or plain strings given as a property's values."""
    result = []
    for item in values(node, iri):
        if isinstance(item, str):
            result.append(item)
        elif isinstance(item, dict):
            ids = item.get("@id")
            if isinstance(ids, list) and ids and isinstance(ids[0], str):
                result.append(ids[0])
            elif isinstance(ids, str):
                result.append(ids)
            elif "@value" in item and isinstance(item["@value"], str):
                result.append(item["@value"])
    return result


def objects(node: dict, iri: str, index: dict[str, dict] | None = None) -> list[dict]:
    """Nested nodes of a property, following `{"@id": ...}` references through `index`."""
    result = []
    for item in values(node, iri):
        if isinstance(item, dict) and "@value" not in item:
            ref = item.get("@id")
            ref = ref[0] if isinstance(ref, list) and ref else ref
            if index and isinstance(ref, str) and len(item) <= 2 and ref in index:
                result.append(index[ref])
            else:
                result.append(item)
    return result


def node_index(nodes: list[dict]) -> dict[str, dict]:
    index = {}
    for node in nodes:
        ref = node.get("@id")
        ref = ref[0] if isinstance(ref, list) and ref else ref
        if isinstance(ref, str):
            index[ref] = node
    return index
