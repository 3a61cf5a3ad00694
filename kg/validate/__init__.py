"""Checks of extracted graphs: SHACL shapes and OWL consistency, per article and per build."""
