"""Building and ingesting: read → deduplicate → extract and check each article → write → publish."""
