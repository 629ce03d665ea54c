"""Benchmarks and the synthetic data they (and the search relevance tests) use."""
