"""Benchmarks: `python -m bench` (see docs/benchmarks.md); never run as timed tests."""
