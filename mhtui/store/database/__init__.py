"""The database underneath every feature: opening, connecting, checking, migrating, backing
up, and the server's grants."""
