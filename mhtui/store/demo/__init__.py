"""The demo data: the toolkit's example school and the district around it."""
