"""The entry model: what an entry file may say, and how it is read.

`schema` (the pydantic model and JSON Schema), `vocabularies` and `licenses`
(SPDX expressions and the project's LicenseRef ids), `signals` (the grammars of
the AI-use signal vocabularies an entry cites), `strict_yaml` (YAML with
positioned errors), `loader` (files to validated entries, with the whole-catalog
checks of `catalog_checks`), `canonical` (the one written form), `errors`.
Nothing here imports the classifier or any consumer of entries.
"""
