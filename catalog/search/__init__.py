"""Catalogue search: the query and document analysis shared by both database backends, the
backends that fetch candidates (PostgreSQL full-text search + pg_trgm, SQLite FTS5), and the
ranking, also shared."""
