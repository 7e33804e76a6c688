"""The local SQLite store: schema, migrations, facts, audit."""

from socdesk.store.db import NewerDatabaseError, Store

__all__ = ["NewerDatabaseError", "Store"]
