"""Applying the schema's migrations (``socdesk.store.schema.MIGRATIONS``), statement by
statement, inside the caller's transaction."""

from __future__ import annotations


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
