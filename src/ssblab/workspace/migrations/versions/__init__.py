"""Schema revisions, oldest first: 0001 the first catalogue, 0002 processing and temperature."""
