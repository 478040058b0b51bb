"""Steering the wall: the shared wall state, the actions that change it, and what each screen
shows as a result. `state`, `actions` and `views` are pure; `store` is the Redis adapter."""
