"""Per-entry pair features and writing the pairs by difference.

- entry_features hashes exactly text.terms' term set, the same in every process;
- fill_overlaps(features=...) writes what computing the features itself writes;
- after one entry changed, writing by difference leaves the table equal (as a
  set of rows) to a from-scratch computation, whatever the table held before.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.overlap import text
from registry.overlap.index import document
from registry.overlap.pair_features import (
    NUM_PERM,
    PairFeatures,
    _digest64,
    entry_features,
    mix_pairs,
    signature,
    term_hashes,
)

ENTRIES = Path(__file__).resolve().parents[2] / "entries"


def reference_hashes(document_text: str) -> np.ndarray:
    """The term hashes computed the slow, obvious way: text.terms, then each term's hash."""
    found = set()
    for term in text.terms(document_text):
        if " " in term:
            first, second = term.split(" ")
            found.add(
                int(
                    mix_pairs(
                        np.array([_digest64(first)], dtype=np.uint64),
                        np.array([_digest64(second)], dtype=np.uint64),
                    )[0]
                )
            )
        else:
            found.add(_digest64(term))
    return np.array(sorted(found), dtype=np.uint64)


SAMPLES = [
    "Court opinions of the United States, out of copyright; Q&A forum dumps.",
    "Open-source software repositories and how-to guides for e-texts",
    "Öffentliche Gerichtsentscheidungen, Straße, ＦＵＬＬＷＩＤＴＨ text, naïve café",
    "public domain books and source code, web pages, 10k filings, annual reports",
    "",
    "the of and 12 345 a",
    "copyright has expired: Q & A, q&a, remote sensing imagery from Landsat",
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_term_hashes_are_the_hashes_of_the_terms(sample):
    assert np.array_equal(term_hashes(sample), reference_hashes(sample))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("abcdeqsy &-_.,'0129 \nÉéßİıſK")
            + [
                "court",
                "opinions",
                "public",
                "domain",
                "copyright",
                "out of",
                "source code",
                "books",
                "-of-",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_term_hashes_match_the_terms_for_any_text(sample):
    assert np.array_equal(term_hashes(sample), reference_hashes(sample))


def test_term_hashes_match_the_terms_of_every_real_entry():
    from registry.entry.loader import load

    if not any(ENTRIES.glob("*.yaml")):
        pytest.skip("entries/ is empty")
    for item in load([ENTRIES]):
        entry = item.entry
        sample = document(entry.name, entry.summary or "", entry.description, list(entry.domains))
        assert np.array_equal(term_hashes(sample), reference_hashes(sample)), item.path


def test_entry_features_are_the_same_in_every_process():
    code = (
        "import pickle, sys\n"
        "from registry.overlap.pair_features import entry_features\n"
        "f = entry_features('Court opinions', 'Opinions of federal courts.', 'Out of "
        'copyright; public domain.\', \'["law", "government"]\')\n'
        "sys.stdout.buffer.write(pickle.dumps((f.hashes.tolist(), f.signature.tolist())))\n"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outputs.add(
            subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, check=True
            ).stdout
        )
    assert len(outputs) == 1
    hashes, signature_values = pickle.loads(outputs.pop())
    here = entry_features(
        "Court opinions",
        "Opinions of federal courts.",
        "Out of copyright; public domain.",
        '["law", "government"]',
    )
    assert hashes == here.hashes.tolist() and signature_values == here.signature.tolist()


def test_entry_features_are_small_and_picklable():
    features = entry_features("Bird songs", "Field recordings of birds.", None, '["biology"]')
    again = pickle.loads(pickle.dumps(features))
    assert isinstance(again, PairFeatures)
    assert (
        again.hashes.dtype == np.uint64
        and again.signature.dtype == np.uint16
        and again.signature.shape == (NUM_PERM,)
    )
    assert np.array_equal(again.hashes, features.hashes) and np.array_equal(
        again.signature, features.signature
    )
    assert np.array_equal(
        features.hashes,
        term_hashes(document("Bird songs", "Field recordings of birds.", None, ["biology"])),
    )
    assert np.array_equal(
        entry_features("Bird songs", "Field recordings of birds.", None, ["biology"]).hashes,
        features.hashes,
    )
    empty = entry_features("", "", None, None)
    assert len(empty.hashes) == 0 and (empty.signature == 0xFFFF).all()


def reference_signature(hashes: np.ndarray) -> np.ndarray:
    """datasketch's MinHash (affine32, the same seed) of the hashes' low 32 bits, high 16 bits
    of each minimum; all ones when empty."""
    from datasketch import MinHash

    from registry.overlap.pair_features import SEED

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", hashfunc=int)
    minhash.update_batch([int(h) & 0xFFFFFFFF for h in hashes])
    return (minhash.hashvalues >> np.uint32(16)).astype(np.uint16)


def test_features_of_a_batch_are_each_entrys_own():
    """Word pairs never span two documents, repeats are dropped per document, empty ones stay
    empty."""
    from registry.overlap.pair_features import batch_features

    sources = [
        (
            "Court opinions",
            "Opinions of federal courts.",
            "Out of copyright; public domain.",
            ["law"],
        ),
        ("", "", None, None),
        ("Court", "opinions court opinions", None, '["law", "government"]'),
        ("opinions", "Source code of books, copyright free", "court court court", []),
        ("", "", None, []),
    ]
    batch = batch_features(sources)
    assert len(batch) == len(sources)
    for parts, features in zip(sources, batch, strict=True):
        alone = entry_features(*parts)
        text = document(
            parts[0],
            parts[1] or "",
            parts[2],
            json.loads(parts[3]) if isinstance(parts[3], str) else list(parts[3] or []),
        )
        assert np.array_equal(features.hashes, reference_hashes(text))
        assert np.array_equal(features.hashes, alone.hashes) and np.array_equal(
            features.signature, alone.signature
        )
        assert np.array_equal(features.signature, reference_signature(reference_hashes(text)))
    assert len(batch[1].hashes) == 0 and (batch[1].signature == 0xFFFF).all()


@pytest.mark.parametrize("chunk_terms", [1, 7, 64, 2048])
def test_batch_signatures_are_the_same_whatever_the_chunk(monkeypatch, chunk_terms):
    """Sets are signed a chunk at a time: empty sets, sets larger than a chunk and chunk edges
    change nothing."""
    from registry.overlap import pair_features

    monkeypatch.setattr(pair_features, "CHUNK_TERMS", chunk_terms)
    rng = np.random.default_rng(5)
    sets = [
        np.unique(rng.integers(0, 2**63, size=size, dtype=np.uint64))
        for size in (0, 3, 40, 0, 0, 150, 1, 9, 0)
    ]
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sets], out=offsets[1:])
    signatures = pair_features.batch_signatures(np.concatenate(sets), offsets)
    assert signatures.shape == (len(sets), NUM_PERM)
    for hashes, signed in zip(sets, signatures, strict=True):
        assert np.array_equal(signed, reference_signature(hashes))


def test_signature_estimates_jaccard():
    rng = np.random.default_rng(3)
    errors = []
    for _ in range(200):
        shared = rng.integers(0, 2**63, size=60, dtype=np.uint64)
        a = np.unique(
            np.concatenate(
                [shared, rng.integers(0, 2**63, size=rng.integers(0, 80), dtype=np.uint64)]
            )
        )
        b = np.unique(
            np.concatenate(
                [shared, rng.integers(0, 2**63, size=rng.integers(0, 80), dtype=np.uint64)]
            )
        )
        exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        errors.append(float((signature(a) == signature(b)).mean()) - exact)
    errors = np.array(errors)
    # 128 permutations: the standard error is at most √(0.25/128) ≈ 0.044.
    assert abs(errors.mean()) < 0.01 and np.sqrt((errors**2).mean()) < 0.05
