"""Drafts of unsaved entries, settings, and analysis comments (kept as history)."""

from __future__ import annotations

from socdesk.core.i18n import _
from socdesk.store.connection import Connection, like_prefix, now
from socdesk.store.errors import StoreError


class Notes(Connection):
    def save_draft(self, form: str, cells: dict[str, str]) -> None:
        """Keep typed but unsaved cells (text as typed) so a crash loses nothing."""
        with self.transaction() as c:
            c.execute("DELETE FROM drafts WHERE form = ?", (form,))
            c.executemany(
                "INSERT INTO drafts (form, cell, text, updated_at) VALUES (?, ?, ?, ?)",
                [(form, cell, text, now()) for cell, text in cells.items()],
            )

    def draft(self, form: str) -> dict[str, str]:
        return dict(self.conn.execute("SELECT cell, text FROM drafts WHERE form = ? ORDER BY cell", (form,)))

    def drafts(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT form FROM drafts ORDER BY form")]

    def clear_draft(self, form: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM drafts WHERE form = ?", (form,))

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def settings_starting(self, prefix: str) -> dict[str, str]:
        """The settings whose key begins with ``prefix``, by the rest of their key."""
        rows = self.conn.execute(
            "SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\' ORDER BY key",
            (like_prefix(prefix),),
        ).fetchall()
        return {key[len(prefix) :]: value for key, value in rows}

    def add_comment(self, unit: str, period: str, text: str) -> None:
        """Comments are kept as history: a new text is a new row with its author and time."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO comments (unit_id, period, text, author, created_at) "
                "SELECT id, ?, ?, ?, ? FROM units WHERE code = ?",
                (period, text, self.user, now(), unit),
            )
            if c.execute("SELECT changes()").fetchone()[0] != 1:
                raise StoreError(_("Enheten {u} finns inte.").format(u=unit))

    def comment_history(self, unit: str, period: str) -> list[dict]:
        """Oldest first."""
        return self._dicts(
            "SELECT c.text, c.author, c.created_at FROM comments c JOIN units u ON u.id = c.unit_id "
            "WHERE u.code = ? AND c.period = ? ORDER BY c.id",
            (unit, period),
        )

    def comments(self, period: str) -> dict[str, str]:
        """The current (latest non-empty) comment per unit for the period."""
        rows = self.conn.execute(
            "SELECT u.code, c.text FROM comments c JOIN units u ON u.id = c.unit_id "
            "WHERE c.period = ? AND c.id IN (SELECT max(id) FROM comments WHERE period = ? "
            "GROUP BY unit_id)",
            (period, period),
        ).fetchall()
        return {code: text for code, text in rows if text.strip()}
