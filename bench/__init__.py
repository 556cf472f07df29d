"""The benchmark: a synthetic corpus (``bench.corpus``) and the runner (``python -m bench.run``)."""
