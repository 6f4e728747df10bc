"""Exports of registry.db for people and programs: the Global Training Commons snapshot,
Data Package, JSON, CSV, Croissant, Atom feeds, an ICS calendar, shields.io badges and
SHA256SUMS.

Exports read only the database (`source`); `files.write` renders every format
chosen and writes it. Every file is produced in memory, then written; the
output is a pure function of the database (and `--previous`), so two runs give
byte-identical files.
"""

# What `commons export --format` offers; feeds = Atom feeds, ICS calendar and badges;
# snapshot = the Global Training Commons snapshot (registry/exports/snapshot.py).
FORMATS = ("snapshot", "datapackage", "json", "csv", "croissant", "feeds", "sqlite")
