"""The indicator record: catalogue, reporting periods, reports and their revisions."""
