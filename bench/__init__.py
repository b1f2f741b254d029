"""Benchmarks: synthetic data and timings, written to bench/results/*.json (``make bench``)."""
