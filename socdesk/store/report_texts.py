"""What a report is made of besides figures: the templates it was made from (kept by content)
and the texts written for it (sammanfattning, chapter texts, analyses), kept as history."""

from __future__ import annotations

import hashlib

from socdesk.store.connection import Connection, now


def template_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReportTexts(Connection):
    def keep_template(self, name: str, text: str) -> str:
        """Keep a template's text with the database (once per content); its hash names it."""
        digest = template_hash(text)
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO report_templates (hash, name, text, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (digest, name, text, self.user, now()),
            )
        return digest

    def kept_template(self, digest: str) -> tuple[str, str] | None:
        """(name, text) of a kept template, or None."""
        row = self.conn.execute(
            "SELECT name, text FROM report_templates WHERE hash = ?", (digest,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def save_report_text(self, template: str, period: str, key: str, text: str) -> None:
        """A new text is a new row with its author and time; the newest counts ("" clears)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO report_texts (template, period, key, text, author, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (template, period, key, text, self.user, now()),
            )

    def report_texts(self, template: str, period: str) -> dict[str, str]:
        """The current (newest, non-empty) text per key for a report and period."""
        rows = self.conn.execute(
            "SELECT key, text FROM report_texts WHERE id IN (SELECT max(id) FROM report_texts "
            "WHERE template = ? AND period = ? GROUP BY key)",
            (template, period),
        ).fetchall()
        return {key: text for key, text in rows if text.strip()}

    def report_text_history(self, template: str, period: str, key: str) -> list[dict]:
        """Oldest first: text, author, created_at."""
        return self._dicts(
            "SELECT text, author, created_at FROM report_texts WHERE template = ? AND period = ? "
            "AND key = ? ORDER BY id",
            (template, period, key),
        )
