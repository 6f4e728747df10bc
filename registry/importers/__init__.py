"""Importers: external dataset metadata (Croissant, Hugging Face cards, Data
Packages, DCAT) turned into draft entries for a person to finish.

They read local files only and never touch the network, including JSON-LD
`@context` URLs. Each format has its own module with one `to_draft` function;
`file.import_file` detects the format and runs it.
"""

# What `commons import --format` offers (file.IMPORTERS maps each to its module).
FORMATS = ("croissant", "hf-card", "datapackage", "dcat", "dcat-us")
