"""Content containment: what share of a seller's documents appear in commons content.

Redundancy of content is containment, not description similarity. Commons content is cut
into documents, and each document gets a near-duplicate sketch (a MinHash of its 5-word
shingles, `datasketch`) and exact hashes of its paragraphs (`fingerprint.py`). The sketches
are written as SQLite shards with the entry id, the method and its parameters (`shards.py`),
built on a Ray cluster (`build.py`), and published beside the registry. `commons overlap
--sample FILES` sketches the seller's documents on their own machine and looks each one up
(`containment.py`): only sketches are compared, and the passages shown are the seller's own.

Why MinHash and not ISCC Text-Codes: measured in BENCHMARKS.md ("Content containment: method").
"""
