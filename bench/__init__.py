"""Benchmarks: `python -m bench.live_path --help`."""
