"""The Oxigraph backend: the on-disk store, its publication, and the worker processes that query it."""
