"""Peninsula KG: news articles about security and diplomacy → an RDF knowledge graph.

The package is a staged pipeline (read → annotate → link → extract → to_rdf → validate →
store); each stage is a plain function in its own module. ``server`` imports ``kg``,
never the reverse.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
