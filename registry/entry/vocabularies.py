"""Controlled vocabularies of the entry schema.

They are plain tuples so that the schema, the field reference, the scaffold
template and the Datasette facets all read the same lists.
"""

MODALITIES = ("text", "tabular", "image", "audio", "video", "code", "geospatial", "multimodal")

DOMAINS = (
    "audio",
    "biodiversity",
    "biomedical",
    "code",
    "cultural-heritage",
    "earth-observation",
    "economics",
    "education",
    "encyclopedic",
    "finance",
    "food",
    "geospatial",
    "government",
    "health",
    "legal",
    "literature",
    "mathematics",
    "music",
    "news",
    "parliamentary",
    "patents",
    "q-and-a",
    "science",
    "social-media",
    "speech",
    "statistics",
    "translation",
    "web",
)

PUBLISHER_TYPES = (
    "government",
    "intergovernmental",
    "academic",
    "nonprofit",
    "community",
    "company",
    "cultural-heritage",
    "individual",
)

COPYRIGHT_BASES = (
    "us-federal-government-work",
    "government-open-licence",
    "public-domain-expired",
    "cc0-dedication",
    "open-licence",
    "community-open-licence",
    "mixed-per-item",
    "copyrighted-compilation",
    "proprietary",
)

SIGNAL_VOCABULARIES = (
    "ietf-aipref",
    "cc-signals",
    "tdmrep",
    "content-signals",
    "robots",
    "rsl",
)

STATUSES = ("active", "deprecated", "withdrawn", "taken-down")

ACCESS_KINDS = ("open", "registration", "gated", "restricted", "metadata-only")

# `declared`: the licence is a declaration copied from another catalog's metadata (an uploader's
# choice on Hugging Face, say); no person has read it. Ordered from most to least relied on.
VERIFICATION_LEVELS = ("high", "medium", "low", "declared")

# Catalogs whose records `commons import-catalog` reads (registry/importers/catalogs/).
IMPORT_SOURCES = ("otdi", "common-pile", "danish-dynaword")

LICENSE_SCOPES = ("all", "text", "data", "metadata", "media", "code", "annotations", "some-items")

SIZE_UNITS = (
    "bytes",
    "tokens",
    "words",
    "documents",
    "records",
    "pages",
    "images",
    "hours",
    "files",
    "items",
    "repositories",
)

# A steward's rights statement: the rightsstatements.org ids (vocab 1.0) and PDM,
# Creative Commons' Public Domain Mark 1.0.
RIGHTS_STATEMENTS = (
    "NoC-US",
    "NKC",
    "NoC-CR",
    "NoC-NC",
    "NoC-OKLR",
    "InC",
    "InC-EDU",
    "InC-NC",
    "InC-OW-EU",
    "InC-RUU",
    "CNE",
    "UND",
    "PDM",
)

# How a steward determined a rights status, after HathiTrust's rights reasons (bib, ren,
# add, crms, man) and Wikidata's determination methods (P459).
DETERMINATIONS = (
    "publication-date",
    "author-death",
    "not-renewed",
    "no-notice",
    "government-work",
    "item-review",
    "not-stated",
)

# Who the works are by, for the terms that depend on it.
AUTHORSHIPS = ("named", "anonymous", "pseudonymous", "work-made-for-hire", "crown")

US_RENEWAL = ("not-renewed", "renewed")

# Uses that access terms can restrict (the classifier's use matrix).
TERMS_USES = ("training", "retrieval", "evaluation")
