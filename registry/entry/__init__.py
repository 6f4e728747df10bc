"""The entry model: what an entry file may say, and how it is read.

`schema` (the pydantic model and JSON Schema), `vocabularies` and `licenses`
(SPDX expressions and the project's LicenseRef ids), `signals` (the grammars of
the AI-use signal vocabularies an entry cites), `strict_yaml` and `yaml_file`
(YAML with positioned errors), `text_rules` and `spoofing` (NFC, one-line text,
look-alike and invisible characters), `loader` (files to validated entries, with
the whole-catalog checks of `catalog_checks`, which the build and the data tests
run too), `canonical` (the one written form), `errors`.
Nothing here imports the classifier or any consumer of entries.
"""
