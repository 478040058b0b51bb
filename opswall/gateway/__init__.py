"""The push gateway: a Sans-I/O core (core.py) fed by a Redis reader (reader.py), answering
frames for the websocket server (server.py) and writes for the writer (writer.py)."""
