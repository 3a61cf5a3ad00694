"""A remote SPARQL 1.1 store as the engine (Protocol, Update, Graph Store Protocol)."""
