"""Benchmarks. ``python -m bench [--quick]`` runs every module here that has a
``run(quick: bool) -> list[tuple[str, str]]`` function and prints one table."""
