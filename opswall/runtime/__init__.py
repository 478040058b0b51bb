"""Process-level plumbing: providing Redis, and supervising the parts of `opswall run`."""
