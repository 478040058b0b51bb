"""The demo's stand-ins for the outside world: systems our adapters connect to, and seed reports."""
