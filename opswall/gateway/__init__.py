"""The push gateway: one Redis reader, a per-feed cache, one websocket per screen."""
