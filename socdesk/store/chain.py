"""The audit trail's hash chain: every audit row carries a SHA-256 over the previous row's hash
and its own content, so changing, deleting, inserting or reordering a row breaks the chain.

Version 1 of what is hashed, for the audit row ``n`` in id order::

    hash(n)    = SHA-256(hash(n - 1) ‖ payload(n)),  hash(0) = 32 zero bytes
    payload(n) = UTF-8 of the JSON array
                 [1, id, at, who, action, source, batch_id, unit_code, measure, scenario, version,
                  period, gender, grp, old_value, old_status, new_value, new_status]

with no whitespace; integers in decimal, NULL as ``null``, text as JSON strings escaped minimally
(``\\"``, ``\\\\``, ``\\b \\f \\n \\r \\t``, other control characters ``\\u00xx``, everything else as
it is). The leading 1 is the serialisation's version. SQLite's ``json_array`` writes exactly this
(``PAYLOAD``, so rows are hashed without building them in Python); ``payload()`` is the same in
Python, and a test holds the two equal.

The head (the last id and hash socdesk wrote, ``audit_head``) shows rows deleted from the end or
added after it. Who can write the file and recomputes chain and head can still forge it: a head
printed elsewhere (the reports' data version, ``socdesk check``) anchors it."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from socdesk.core.i18n import _

VERSION = 1
GENESIS = bytes(32)
SHORT = 16  # hex digits of a hash shown to people (64 bits)

COLUMNS = (
    "id",
    "at",
    "who",
    "action",
    "source",
    "batch_id",
    "unit_code",
    "measure",
    "scenario",
    "version",
    "period",
    "gender",
    "grp",
    "old_value",
    "old_status",
    "new_value",
    "new_status",
)


def payload_sql(row_id: str = "id", fields: Sequence[str] = COLUMNS[1:]) -> str:
    """A row's payload as an SQL expression (SQLite's json_array, in C); ``row_id`` gives its id,
    ``fields`` the expressions of the other columns, in order."""
    return f"CAST(json_array({VERSION}, {row_id}, {', '.join(fields)}) AS BLOB)"


PAYLOAD = payload_sql()
# The same over the rows as they read from schema 11 on (``audit_log``: the codes and the change
# joined); every row: id, payload, its stored hash (8 bytes), its full hash where stored.
_READ = f"SELECT id, {PAYLOAD}, hash, full_hash FROM audit_log"
# What Store.verify_audit streams: no text decoded, nothing kept but the previous row.
VERIFY_SQL = f"{_READ} ORDER BY id"
# The rows after the verified mark (``AuditChain.verify_audit(quick=True)``).
VERIFY_SQL_AFTER = f"{_READ} WHERE id > ? ORDER BY id"
# The same, for a table where another program has put a BLOB, which json_array refuses: such a
# row gets an empty payload, which never matches, and is reported like any other change.
VERIFY_SQL_ANY = VERIFY_SQL.replace(
    PAYLOAD, f"CASE WHEN 'blob' IN ({', '.join(f'typeof({c})' for c in COLUMNS)}) THEN X'' ELSE {PAYLOAD} END"
)
# Before schema 11 (migrations 6 and 9 run on the rows as they were): one table, full hashes.
LEGACY_VERIFY_SQL_ANY = VERIFY_SQL_ANY.replace(
    "hash, full_hash FROM audit_log", "substr(hash, 1, 8), hash FROM audit"
)
PREFIX = 8  # bytes of a row's hash stored with every row (``SHORT`` hex digits)
FULL_EVERY = 16  # the full hash is stored every this many rows, and for each change's last row


def payload(row: Sequence[int | str | None]) -> bytes:
    """The bytes hashed for an audit row (its ``COLUMNS`` in order); the reference for ``PAYLOAD``."""
    return json.dumps([VERSION, *row], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link(previous: bytes, content: bytes) -> bytes:
    return hashlib.sha256(previous + content).digest()


def short(digest: bytes) -> str:
    return digest.hex()[:SHORT]


class Sealer:
    """The SQL function ``audit_seal(id, payload)``: the hash of each new row, in id order.

    ``start`` sets the head the rows follow, before each statement that appends rows, so nothing
    carries over from a statement that was rolled back. A call out of order (which SQLite never
    makes for the statements of ``Store._append_audit``) raises, and the statement fails whole.
    """

    def __init__(self) -> None:
        self.start(0, GENESIS)

    def start(self, after_id: int, previous: bytes, *, full_every: int = FULL_EVERY) -> None:
        """``full_every``: the rows whose whole hash is returned (every other row gets its first
        ``PREFIX`` bytes, what schema 11 stores); 1 for the one-table audit before it."""
        self.id, self.hash, self.calls, self.every = after_id, previous, 0, full_every

    def __call__(self, row_id: int, content: bytes) -> bytes:
        if row_id <= self.id:
            raise ValueError(f"audit row {row_id} sealed after row {self.id}")
        self.id, self.hash = row_id, hashlib.sha256(self.hash + content).digest()  # link(), inlined
        self.calls += 1
        return self.hash if row_id % self.every == 0 else self.hash[:PREFIX]


@dataclass(frozen=True, slots=True)
class Break:
    """Where the chain shows a change made outside socdesk.

    ``kind``: changed, missing or inserted; ``audit_id``: the row concerned (for missing rows the
    first missing id, ``last_missing`` the last). ``reason`` says which test failed (for the
    message). ``at``, ``who`` and the cell are the row's – for missing rows those of ``next_id``,
    the row after the gap (none at the end). ``printed``/``found``: a report's anchor and the
    database's hash."""

    kind: str
    audit_id: int
    reason: str = "row"
    last_missing: int | None = None
    next_id: int | None = None
    printed: str = ""
    found: str = ""
    at: str | None = None
    who: str | None = None
    unit: str = ""
    measure: str = ""
    scenario: str = ""
    period: str = ""
    message: str = ""

    rule = "audit_chain"
    severity = "error"

    @property
    def described_row(self) -> int | None:
        """The row whose when, who and cell the message names."""
        return self.next_id if self.kind == "missing" else self.audit_id

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "kind": self.kind,
            "audit_id": self.audit_id,
            "at": self.at,
            "who": self.who,
            "unit": self.unit,
            "measure": self.measure,
            "scenario": self.scenario,
            "period": self.period,
            "stated": None,
            "computed": None,
            "message": self.message,
        }


@dataclass(slots=True)
class ChainReport:
    """The outcome of verifying the whole audit: ``breaks`` in id order (at most ``LIMIT``,
    ``more`` counts the rest); ``rows`` walked; ``head`` the last sealed row's id and hash."""

    rows: int = 0
    head: tuple[int, bytes] | None = None
    breaks: list[Break] = field(default_factory=list)
    more: int = 0

    LIMIT = 20

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def broken(self) -> int:
        """How many breaks were found (rows that could not be checked after one are not counted:
        they are reported, never taken for intact, but they are not a change of their own)."""
        return sum(b.reason != "unchecked" for b in self.breaks) + self.more

    def add(self, b: Break) -> None:
        if len(self.breaks) < self.LIMIT:
            self.breaks.append(b)
        else:
            self.more += 1


Row = tuple[int, bytes, bytes | None, bytes | None]  # id, payload, stored prefix, stored full hash


def _holds(row: Row | None, digest: bytes) -> bool:
    """Whether the row's stored hash is ``digest``: its prefix, and its full hash where stored."""
    return row is not None and row[2] == digest[:PREFIX] and (row[3] is None or row[3] == digest)


def verify(
    rows: Iterable[Row], recorded: tuple[int, bytes] | None, start: tuple[int, bytes] | None = None
) -> ChainReport:
    """Walk ``(id, payload, prefix, full)`` rows in id order and say where the chain breaks.

    Every row stores the first ``PREFIX`` bytes of its hash; its full hash is stored only every
    ``FULL_EVERY`` rows and for each change's last row (``full``, else None). The walk
    recomputes the full hashes from the genesis (or ``start``) and compares each row's stored
    hash. ``recorded`` is ``audit_head``. After a break the walk goes on from the hash the chain
    expects where the row is extra or only its hash was changed, else from the row's stored full
    hash; where that is not stored, the rows up to the next stored full hash cannot be checked
    and are reported so (reason ``unchecked``: never as intact), and the walk resumes after it.
    A break carries what the walk knows; the store adds the row's when, who, cell and message.

    ``start``: the id and full hash of a row known to end an intact chain (the verified mark,
    ``AuditChain.verify_audit(quick=True)``); ``rows`` then are the rows after it."""
    report = ChainReport()
    head_id = recorded[0] if recorded else sys.maxsize
    prev_id, prev_hash = start or (0, GENESIS)
    it: Iterator[Row] = iter(rows)
    sha256 = hashlib.sha256
    cur = None
    for cur in it:  # the intact chain before the head, as fast as Python goes
        expected = sha256(prev_hash + cur[1]).digest()
        if expected[:PREFIX] != cur[2] or (cur[3] is not None and cur[3] != expected) or cur[0] >= head_id:
            break
        prev_id, prev_hash = cur[0], expected
        report.rows += 1
    else:
        cur = None
    if prev_id:
        report.head = (prev_id, prev_hash)
    known: bytes | None = prev_hash  # the previous row's full hash; None after a break without it
    head_seen, at_head = False, None  # the row with the head's id, and its stored hash
    if start is not None and start[0] == head_id:
        head_seen, at_head = True, (start[1][:PREFIX], start[1])
    first_after: int | None = None  # the first row after the head
    unchecked: int | None = None  # the first row that could not be checked after a break …
    broke_at = 0  # … and the break it follows
    last_id = prev_id
    while cur is not None:  # the head row, and everything from the first break
        nxt = next(it, None)
        report.rows += 1
        row_id, content, stored, full = cur
        last_id = row_id
        if row_id == head_id:
            head_seen, at_head = True, (stored, full)
        elif row_id > head_id and first_after is None:
            first_after = row_id
        if known is None:  # after a break whose row's full hash is not stored
            if row_id > prev_id + 1:  # rows missing: seen by their ids alone
                if unchecked is not None:
                    report.add(_unchecked(unchecked, prev_id, broke_at))
                report.add(Break("missing", prev_id + 1, "gap", last_missing=row_id - 1, next_id=row_id))
                unchecked, broke_at = None, prev_id + 1
            if unchecked is None:
                unchecked = row_id
            if full is not None:  # the chain can be followed again from here on
                report.add(_unchecked(unchecked, row_id, broke_at))
                unchecked, known = None, full
            prev_id = row_id
            if full is not None or stored is not None:
                report.head = (row_id, full or stored)  # type: ignore[assignment]
            cur = nxt
            continue
        expected = link(known, content)
        if _holds(cur, expected):
            prev_id, known = row_id, expected
        elif stored is None and full is None:
            if nxt is not None and _holds(nxt, link(expected, nxt[1])):  # only the hash was removed
                report.add(Break("changed", row_id, "hash"))
                prev_id, known = row_id, expected
            else:
                report.add(Break("inserted", row_id, "unsealed"))
        elif row_id > head_id:
            report.add(Break("inserted", row_id, "after-head"))
        elif nxt is not None and _holds(nxt, link(known, nxt[1])):  # the next row follows the one before
            report.add(Break("inserted", row_id, "between"))
        elif row_id > prev_id + 1:
            report.add(Break("missing", prev_id + 1, "gap", last_missing=row_id - 1, next_id=row_id))
            prev_id, known = row_id, full
        elif nxt is not None and _holds(nxt, link(expected, nxt[1])):  # the content is as sealed
            report.add(Break("changed", row_id, "hash"))
            prev_id, known = row_id, expected
        else:
            # The next row links to the row's stored hash: only the content was changed. Where
            # only the prefix is stored that cannot be told; the content does not match its
            # stored hash either way, which is what "content" says.
            content_changed = full is None or (nxt is not None and _holds(nxt, link(full, nxt[1])))
            report.add(Break("changed", row_id, "content" if content_changed else "row"))
            prev_id, known = row_id, full
        if known is not None and prev_id == row_id:
            report.head = (row_id, known)
        elif stored is not None or full is not None:
            report.head = (row_id, full or stored)  # type: ignore[assignment]
        if known is None:
            broke_at = row_id
        cur = nxt
    if known is None and unchecked is not None:  # to the end without a stored full hash
        report.add(_unchecked(unchecked, last_id, broke_at))
    if recorded is None:
        if report.head is not None:  # rows, but no head: the record was removed
            report.add(Break("missing", report.head[0], "head"))
    else:
        _check_head(report, recorded, at_head if head_seen else None, head_seen, first_after, last_id)
    report.breaks.sort(key=lambda b: b.audit_id)
    return report


def _unchecked(first: int, last: int, broke_at: int) -> Break:
    """Rows ``first``–``last`` could not be checked after the break at row ``broke_at``
    (``next_id`` holds it): their stored prefixes follow a full hash that is not stored."""
    return Break("unchecked", first, "unchecked", last_missing=last, next_id=broke_at)


def _check_head(
    report: ChainReport,
    recorded: tuple[int, bytes],
    at_head: tuple[bytes | None, bytes | None] | None,
    head_seen: bool,
    first_after: int | None,
    last_id: int,
) -> None:
    """Rows removed from the end, or added after the head socdesk wrote, by the recorded head."""
    head_id, head_hash = recorded
    broken = {b.audit_id for b in report.breaks}
    held = at_head is not None and _holds((head_id, b"", *at_head), head_hash)
    if not head_seen and head_id not in broken:  # the head's row is gone
        if last_id < head_id:
            report.add(Break("missing", last_id + 1, "end", last_missing=head_id))
        else:
            report.add(Break("missing", head_id, "removed"))
    elif head_seen and not held and head_id not in broken:
        report.add(Break("changed", head_id, "row"))  # changed, and its hash recomputed
    if first_after is not None and not any(i >= first_after for i in broken):
        report.add(Break("inserted", first_after, "after-head"))  # chained as socdesk would


def describe(b: Break) -> str:
    """The Swedish message for a break (its ``at`` and ``who`` filled in)."""
    when = _("{t}, {w}").format(t=(b.at or "?")[:16].replace("T", " "), w=b.who or "?")
    i = b.audit_id
    if b.reason == "unchecked":
        rows = str(i) if b.last_missing in (None, i) else f"{i}–{b.last_missing}"
        return _(
            "Ändring {r} kunde inte kontrolleras efter brottet vid ändring {n}: ändringsloggen "
            "sparar inte hela kontrollsumman för varje rad, så kedjan kan följas först från "
            "nästa sparade kontrollsumma."
        ).format(r=rows, n=b.next_id)
    if b.reason == "anchor":
        return _(
            "Ändringsloggen stämmer inte med den utskrivna dataversionen: ändring {i} har kedja {p} "
            "i rapporten men {n} i databasen – loggen har skrivits om efter att rapporten togs fram."
        ).format(i=i, p=b.printed, n=b.found or "–")
    if b.kind == "inserted":
        if b.reason == "after-head":
            return _(
                "Ändring {i} ({when}) ligger efter den sista ändring socdesk skrev: raden har lagts "
                "till utanför socdesk."
            ).format(i=i, when=when)
        return _(
            "Ändring {i} ({when}) hör inte till ändringsloggens kedja: raden har lagts till utanför socdesk."
        ).format(i=i, when=when)
    if b.kind == "missing":
        if b.reason == "head":
            return _(
                "Ändringsloggens sparade slutpunkt saknas (efter ändring {i}): rader i slutet kan "
                "ha tagits bort."
            ).format(i=i)
        rows = str(i) if b.last_missing in (None, i) else f"{i}–{b.last_missing}"
        if b.reason == "removed":
            return _("Ändring {r} saknas i ändringsloggen: den har tagits bort utanför socdesk.").format(
                r=rows
            )
        if b.next_id is None:
            return _(
                "Ändring {r} saknas i slutet av ändringsloggen: raderna har tagits bort utanför socdesk."
            ).format(r=rows)
        return _(
            "Ändring {r} saknas i ändringsloggen (borttagen utanför socdesk); kedjan bryts före "
            "ändring {a} ({when})."
        ).format(r=rows, a=b.next_id, when=when)
    if b.reason == "hash":
        return _("Kontrollsumman för ändring {i} ({when}) har ändrats utanför socdesk.").format(
            i=i, when=when
        )
    if b.reason == "content":
        return _(
            "Ändring {i} ({when}) har ändrats utanför socdesk: innehållet stämmer inte med kedjan."
        ).format(i=i, when=when)
    return _(
        "Ändringsloggens kedja bryts vid ändring {i} ({when}): raden har ändrats utanför socdesk."
    ).format(i=i, when=when)
