"""Feed history: every entry recorded in the database, read back for screens and charts."""
