"""Measurement scripts; run each as a file (`python benchmarks/NAME.py`), see RESULTS.md."""
