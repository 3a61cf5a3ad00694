"""The query engine: jobs, the query core (checks, limits, results), and the Oxigraph store behind it."""
