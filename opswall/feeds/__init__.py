"""Feeds: the entry contract (pure), the simulator, and the runner that writes streams."""
