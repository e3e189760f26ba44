"""The parts of hostile-load.py: see Benchmarks/README.md."""
