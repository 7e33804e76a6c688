"""Report content built from core and store as plain data (no widgets)."""
