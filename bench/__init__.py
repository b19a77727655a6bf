"""Benchmarks for medoffice-tui: `make bench` (python -m bench); see bench/RESULTS.md."""
