"""Dates in article text: the patterns that find them and their resolution against the publication date."""
