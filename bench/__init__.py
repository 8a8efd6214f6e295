"""Benchmarks: a synthetic data generator and load runs against the app and Datasette."""
