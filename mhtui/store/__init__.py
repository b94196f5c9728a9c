"""Storage, Textual-free: the tables (``models``) and their revisions (``alembic``,
``migrations``) here; ``database/`` opens, checks, migrates and backs up whatever
database mhtui is given; one folder per feature (actions, grid, reflections, checkins,
teams, district) holds its reads and writes; ``demo/`` builds the example district."""
