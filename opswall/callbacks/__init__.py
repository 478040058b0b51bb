"""Server callbacks. Live data never goes through these: only navigation and layout changes."""
