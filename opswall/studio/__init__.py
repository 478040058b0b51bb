"""The layout studio (issue 20): config revisions, surgical YAML writes, drafts."""
