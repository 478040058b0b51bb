"""Who may see and steer the wall: users with roles, device tokens for screens, the audit trail."""
