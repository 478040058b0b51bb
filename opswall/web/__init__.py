"""The web app's people-facing parts: sign-in, the leader's panel, operator and admin pages."""
