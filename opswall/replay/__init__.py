"""The time machine (issue 24): any screen as it was at a past instant, rebuilt from the history
database (wall state versions, config revisions, feed entries), never from Redis."""
