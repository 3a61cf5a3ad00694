"""RDF: the IRI scheme and namespaces, and the mapping of facts to the triples of an article's graph."""
