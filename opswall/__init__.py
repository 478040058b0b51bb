"""opswall: a real-time operations-center video wall."""
