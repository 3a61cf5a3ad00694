"""Short N3 names of RDF terms for people reading a validation report.

Shared by the SHACL side (:mod:`kg.validate.graph`) and the OWL side (:mod:`kg.validate.reasoner`).
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Node

__all__ = ["term_name"]


def term_name(node: Node | None, namer: Graph) -> str:
    """``node`` in N3 with ``namer``'s prefixes; ``[]`` for a blank node, long literals cut."""
    if node is None:
        return "(none)"
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, Literal):
        text = node.n3()
        return text if len(text) <= 80 else text[:77] + '..."'
    return node.n3(namer.namespace_manager)
