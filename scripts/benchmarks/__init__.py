"""Benchmarks run by scripts/bench.py; one module per area, each with `run(sizes, workdir)`."""
