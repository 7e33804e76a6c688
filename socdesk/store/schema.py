"""Schema migrations, applied in order; ``PRAGMA user_version`` is the number applied.

Amounts are INTEGER ten-thousandths (see ``socdesk.core.values.to_store_int``) so that SQL sums
are exact. A value is either a number (status ``value``) or a status, never both.
"""

from socdesk.store.audit_schema import AUDIT_VERIFIED_TRIGGERS, MIGRATION_11

MIGRATIONS: list[str] = [
    # 1: the foundation
    """
    CREATE TABLE units (
        id        INTEGER PRIMARY KEY,
        code      TEXT NOT NULL UNIQUE,
        name      TEXT NOT NULL,
        parent_id INTEGER REFERENCES units(id),
        sort      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX units_parent ON units(parent_id);

    CREATE TABLE measures (
        key                TEXT PRIMARY KEY,
        name               TEXT NOT NULL,
        unit               TEXT NOT NULL,
        additive_time      INTEGER NOT NULL,
        additive_units     INTEGER NOT NULL,
        additive_breakdown INTEGER NOT NULL,
        higher_is_better   INTEGER NOT NULL,
        formula            TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE import_batches (
        id             INTEGER PRIMARY KEY,
        file_name      TEXT NOT NULL,
        sha256         TEXT NOT NULL,
        imported_by    TEXT NOT NULL,
        imported_at    TEXT NOT NULL,
        profile        TEXT NOT NULL DEFAULT '',
        rows           INTEGER NOT NULL,
        costs_negative INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE facts (
        id           INTEGER PRIMARY KEY,
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        measure      TEXT NOT NULL REFERENCES measures(key),
        scenario     TEXT NOT NULL CHECK (scenario IN ('utfall', 'budget', 'prognos', 'mal',
                         'avvikelse', 'prognosavvikelse', 'maluppfyllelse')),
        version      TEXT NOT NULL DEFAULT '',
        period       TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end   TEXT NOT NULL,
        gender       TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'K', 'M')),
        grp          TEXT NOT NULL DEFAULT '',
        value        INTEGER,
        status       TEXT NOT NULL CHECK (status IN ('value', '*', '.', '-')),
        resolution   INTEGER,
        comment      TEXT NOT NULL DEFAULT '',
        source       TEXT NOT NULL DEFAULT '',
        batch_id     INTEGER REFERENCES import_batches(id),
        CHECK ((status = 'value') = (value IS NOT NULL)),
        UNIQUE (unit_id, measure, scenario, version, period_start, period_end, gender, grp)
    );
    CREATE INDEX facts_lookup ON facts(measure, scenario, unit_id, period_start);

    CREATE TABLE comments (
        id         INTEGER PRIMARY KEY,
        unit_id    INTEGER NOT NULL REFERENCES units(id),
        period     TEXT NOT NULL,
        text       TEXT NOT NULL,
        author     TEXT NOT NULL,
        created_at TEXT NOT NULL
    );

    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        who        TEXT NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
        source     TEXT NOT NULL,
        batch_id   INTEGER REFERENCES import_batches(id),
        unit_code  TEXT NOT NULL,
        measure    TEXT NOT NULL,
        scenario   TEXT NOT NULL,
        version    TEXT NOT NULL,
        period     TEXT NOT NULL,
        gender     TEXT NOT NULL,
        grp        TEXT NOT NULL,
        old_value  INTEGER,
        old_status TEXT,
        new_value  INTEGER,
        new_status TEXT
    );
    CREATE INDEX audit_cell ON audit(unit_code, measure, scenario, period);

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: fast subtree sums (closure table, covering index), comment history, settings use
    """
    ALTER TABLE units ADD COLUMN has_children INTEGER NOT NULL DEFAULT 0;
    UPDATE units SET has_children = 1 WHERE id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL);

    CREATE TABLE unit_closure (
        ancestor_id   INTEGER NOT NULL REFERENCES units(id),
        descendant_id INTEGER NOT NULL REFERENCES units(id),
        depth         INTEGER NOT NULL,
        PRIMARY KEY (ancestor_id, descendant_id)
    ) WITHOUT ROWID;
    INSERT INTO unit_closure (ancestor_id, descendant_id, depth)
        WITH RECURSIVE up(ancestor_id, descendant_id, depth) AS (
            SELECT id, id, 0 FROM units
            UNION ALL
            SELECT u.parent_id, up.descendant_id, up.depth + 1
            FROM up JOIN units u ON u.id = up.ancestor_id
            WHERE u.parent_id IS NOT NULL
        )
        SELECT ancestor_id, descendant_id, depth FROM up;
    CREATE INDEX unit_closure_descendant ON unit_closure(descendant_id, ancestor_id, depth);

    DROP INDEX facts_lookup;
    CREATE INDEX facts_cover ON facts(unit_id, measure, scenario, gender, grp, version,
                                      period_start, period_end, status, value, resolution);

    CREATE INDEX facts_key ON facts(measure, scenario, version, period_start, period_end, gender, grp);
    CREATE INDEX comments_unit ON comments(unit_id, period, id);

    -- For every unit with children: the sum of its descendants' facts per stated period,
    -- kept up to date by Store.write_facts. n_complex counts facts on non-leaf units, where
    -- the stated-figure rules of Store.value decide instead of a plain sum.
    CREATE TABLE rollup (
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        measure      TEXT NOT NULL,
        scenario     TEXT NOT NULL,
        version      TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end   TEXT NOT NULL,
        value        INTEGER,
        resolution   INTEGER,
        n_value      INTEGER NOT NULL,
        n_suppressed INTEGER NOT NULL,
        n_complex    INTEGER NOT NULL,
        PRIMARY KEY (unit_id, measure, scenario, version, period_start, period_end)
    ) WITHOUT ROWID;
    INSERT INTO rollup
        SELECT c.ancestor_id, f.measure, f.scenario, f.version, f.period_start, f.period_end,
               sum(CASE WHEN f.status = 'value' THEN f.value END), max(f.resolution),
               count(CASE WHEN f.status = 'value' THEN 1 END),
               count(CASE WHEN f.status = '*' THEN 1 END),
               count(CASE WHEN u.has_children THEN 1 END)
        FROM facts f
        CROSS JOIN unit_closure c ON c.descendant_id = f.unit_id AND c.depth > 0
        CROSS JOIN units u ON u.id = f.unit_id
        WHERE f.gender = '' AND f.grp = ''
        GROUP BY c.ancestor_id, f.measure, f.scenario, f.version, f.period_start, f.period_end
    """,
    # 3: period locks (with their history) and drafts of unsaved entries
    """
    CREATE TABLE period_locks (
        id           INTEGER PRIMARY KEY,
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        period_start TEXT NOT NULL,
        period_end   TEXT NOT NULL,
        locked_by    TEXT NOT NULL,
        locked_at    TEXT NOT NULL,
        UNIQUE (unit_id, period_start, period_end)
    );
    CREATE TABLE lock_events (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        who        TEXT NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('lock', 'reopen')),
        unit_code  TEXT NOT NULL,
        period     TEXT NOT NULL,
        reason     TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE drafts (
        form         TEXT NOT NULL,
        cell         TEXT NOT NULL,
        text         TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (form, cell)
    )
    """,
    # 4: budget revisions (ombudgetering). A revision is a complete budget for the year under
    # its own version, named by the month it applies from (``2024-06``); the original is ''.
    """
    CREATE TABLE budget_versions (
        year        INTEGER NOT NULL,
        version     TEXT NOT NULL,
        decided_on  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (year, version)
    )
    """,
    # 5: an import batch can be undone as a whole (the audit keeps both directions).
    """
    ALTER TABLE import_batches ADD COLUMN undone_by TEXT;
    ALTER TABLE import_batches ADD COLUMN undone_at TEXT;
    CREATE INDEX audit_batch ON audit (batch_id)
    """,
    # 6: the audit trail shows tampering: each row's hash chains it to the one before
    # (socdesk.store.chain); the existing rows are sealed in order by Store._migrate, in the same
    # transaction. audit_head is the last id and hash socdesk wrote (one row).
    """
    ALTER TABLE audit ADD COLUMN hash BLOB;
    CREATE TABLE audit_head (
        one  INTEGER PRIMARY KEY CHECK (one = 1),
        id   INTEGER NOT NULL,
        hash BLOB NOT NULL
    )
    """,
    # 7: a unit may be a "därav" part of its parent: a share of the parent's figure, left out
    # of the parent's sum (socdesk.core.units). Existing units are components, as before.
    """
    ALTER TABLE units ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part IN (0, 1))
    """,
    # 8: reports to the nämnd (issue 13). Templates are kept by content, so a report can be made
    # again exactly as it was; texts and acknowledged findings are history (the newest row counts;
    # an acknowledgement is withdrawn, never deleted); a decided report keeps its exact PDF.
    """
    CREATE TABLE report_templates (
        hash        TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        text        TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE TABLE report_texts (
        id          INTEGER PRIMARY KEY,
        template    TEXT NOT NULL,
        period      TEXT NOT NULL,
        key         TEXT NOT NULL,
        text        TEXT NOT NULL,
        author      TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX report_texts_key ON report_texts (template, period, key, id);
    CREATE TABLE finding_acks (
        id            INTEGER PRIMARY KEY,
        finding       TEXT NOT NULL,
        reason        TEXT NOT NULL,
        note          TEXT NOT NULL,
        author        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        withdrawn_by  TEXT,
        withdrawn_at  TEXT
    );
    CREATE INDEX finding_acks_finding ON finding_acks (finding, id);
    CREATE TABLE report_finals (
        id             INTEGER PRIMARY KEY,
        template       TEXT NOT NULL,
        template_hash  TEXT NOT NULL REFERENCES report_templates (hash),
        unit           TEXT NOT NULL,
        period         TEXT NOT NULL,
        data_version   TEXT NOT NULL,
        pdf            BLOB NOT NULL,
        sha256         TEXT NOT NULL,
        created_by     TEXT NOT NULL,
        created_at     TEXT NOT NULL
    )
    """,
    # 9: the audit's verified mark (socdesk.store.audit): the last row up to which the chain was
    # verified whole, or sealed by socdesk onto a verified chain. Any change to the rows up to it
    # made through SQLite, by any program, removes the mark (the triggers), so the quick
    # verification walks only the rows after it; without a mark the whole chain is walked.
    """
    CREATE TABLE audit_verified (
        one  INTEGER PRIMARY KEY CHECK (one = 1),
        id   INTEGER NOT NULL,
        hash BLOB NOT NULL
    );
    """
    + AUDIT_VERIFIED_TRIGGERS,
    # 10: the facts as one table in the order every path reads them (docs/layout.md): WITHOUT
    # ROWID, its primary key the covering index's order, so the table is the cover and neither
    # the UNIQUE index nor facts_cover is kept beside it; nor facts_key (the rollup's refresh
    # finds a key's facts unit by unit, Rollup._refresh_rollup). Connection._migrate VACUUMs
    # after the commit.
    """
    CREATE TABLE facts_compact (
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        measure      TEXT NOT NULL REFERENCES measures(key),
        scenario     TEXT NOT NULL CHECK (scenario IN ('utfall', 'budget', 'prognos', 'mal',
                         'avvikelse', 'prognosavvikelse', 'maluppfyllelse')),
        gender       TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'K', 'M')),
        grp          TEXT NOT NULL DEFAULT '',
        version      TEXT NOT NULL DEFAULT '',
        period_start TEXT NOT NULL,
        period_end   TEXT NOT NULL,
        period       TEXT NOT NULL,
        value        INTEGER,
        status       TEXT NOT NULL CHECK (status IN ('value', '*', '.', '-')),
        resolution   INTEGER,
        comment      TEXT NOT NULL DEFAULT '',
        source       TEXT NOT NULL DEFAULT '',
        batch_id     INTEGER REFERENCES import_batches(id),
        CHECK ((status = 'value') = (value IS NOT NULL)),
        PRIMARY KEY (unit_id, measure, scenario, gender, grp, version, period_start, period_end)
    ) WITHOUT ROWID;
    INSERT INTO facts_compact (unit_id, measure, scenario, gender, grp, version, period_start,
                               period_end, period, value, status, resolution, comment, source,
                               batch_id)
        SELECT unit_id, measure, scenario, gender, grp, version, period_start, period_end, period,
               value, status, resolution, comment, source, batch_id
        FROM facts
        ORDER BY unit_id, measure, scenario, gender, grp, version, period_start, period_end;
    DROP TABLE facts;
    ALTER TABLE facts_compact RENAME TO facts
    """,
    # 11: the audit's compact rows (socdesk.store.audit_schema, docs/layout.md)
    MIGRATION_11,
    # 12: units managed in the program (issue 16 §2, docs/units.md): a unit closed from a month
    # takes no figures for periods from it; every change of the tree is a unit event (who,
    # when, old and new value, the month it holds from), so the tree as it was can be rebuilt.
    """
    ALTER TABLE units ADD COLUMN closed_from TEXT
        CHECK (closed_from IS NULL OR closed_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]');
    CREATE TABLE unit_events (
        id         INTEGER PRIMARY KEY,
        unit_code  TEXT NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('add', 'rename', 'move', 'close', 'merge')),
        old_value  TEXT NOT NULL DEFAULT '',
        new_value  TEXT NOT NULL DEFAULT '',
        effective  TEXT NOT NULL DEFAULT '',
        at         TEXT NOT NULL,
        who        TEXT NOT NULL
    );
    CREATE INDEX unit_events_unit ON unit_events (unit_code, id)
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
AUDIT_CHAIN = 6  # the first schema whose audit rows are chained (socdesk.store.chain)
AUDIT_VERIFIED = 9  # the first schema with the audit's verified mark (socdesk.store.audit)
FACTS_COMPACT = 10  # the first schema whose facts are one WITHOUT ROWID table (docs/layout.md)
AUDIT_COMPACT = 11  # the first schema with the audit's compact rows (docs/layout.md)
AUDIT_FULL_EVERY = 16  # the audit keeps the full hash of every 16th row (and of each change's last)
UNIT_EVENTS = 12  # the first schema with unit events and closed units (socdesk.store.unit_changes)
