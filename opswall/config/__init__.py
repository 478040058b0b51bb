"""The wall config: frozen models, the located-error loader, and the hot-reload watcher."""
