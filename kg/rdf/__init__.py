"""RDF: facts → the triples of an article's graph (mapping), and terms to and from the engine (terms)."""
