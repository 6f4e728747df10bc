"""The static catalog site, generated from registry.db and built by mkdocs."""
