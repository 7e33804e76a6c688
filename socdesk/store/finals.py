"""Decided reports ("beslutad version"): the exact PDF that went to the nämnd, kept with its
sha256, time, author, data version and the template it was made from, so it can be printed
again byte for byte. A decided version is never changed or removed."""

from __future__ import annotations

import hashlib

from socdesk.core.i18n import _
from socdesk.store.connection import Connection, now
from socdesk.store.errors import StoreError

_LISTED = "id, template, template_hash, unit, period, data_version, sha256, created_by, created_at"


class Finals(Connection):
    def save_final(
        self, template: str, template_hash: str, unit: str, period: str, data_version: str, pdf: bytes
    ) -> int:
        """Keep a decided report's PDF; returns its id. The template must be kept already
        (``keep_template``), so the report can be made again exactly as it was."""
        if not pdf.startswith(b"%PDF"):
            raise StoreError(_("Den beslutade versionen måste vara en PDF."))
        with self.transaction() as c:
            if not c.execute("SELECT 1 FROM report_templates WHERE hash = ?", (template_hash,)).fetchone():
                message = _("Rapportmallen {t} är inte sparad med databasen; gör rapporten igen.")
                raise StoreError(message.format(t=template))
            cur = c.execute(
                "INSERT INTO report_finals (template, template_hash, unit, period, data_version, pdf, "
                "sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    template,
                    template_hash,
                    unit,
                    period,
                    data_version,
                    pdf,
                    hashlib.sha256(pdf).hexdigest(),
                    self.user,
                    now(),
                ),
            )
            return int(cur.lastrowid or 0)

    def finals(self, template: str | None = None, unit: str | None = None) -> list[dict]:
        """The decided versions (without their PDFs), newest first; of one template/unit if given."""
        where, params = [], []
        for column, value in (("template", template), ("unit", unit)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT {_LISTED} FROM report_finals"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._dicts(sql + " ORDER BY id DESC", tuple(params))

    def final_pdf(self, final_id: int) -> bytes:
        """The stored bytes of a decided version, checked against their sha256."""
        row = self.conn.execute("SELECT pdf, sha256 FROM report_finals WHERE id = ?", (final_id,)).fetchone()
        if row is None:
            raise StoreError(_("Det finns ingen beslutad version {n}.").format(n=final_id))
        pdf = bytes(row[0])
        if hashlib.sha256(pdf).hexdigest() != row[1]:
            raise StoreError(
                _("Den beslutade versionen {n} är ändrad i databasen (kontrollsumman stämmer inte).").format(
                    n=final_id
                )
            )
        return pdf
