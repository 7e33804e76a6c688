"""The audit's stored layout in SQL (docs/layout.md): the verified mark's triggers
(migration 9), the compact rows' view and triggers and migration 11 itself, which lays an
older audit out anew. ``socdesk.store.schema`` puts them in their place among the migrations."""

# Migration 9's triggers: any change through SQLite to the audit rows up to the verified mark
# removes it (``AuditChain._verified_start`` trusts the mark only while these stand, as written).
AUDIT_VERIFIED_TRIGGERS = """
    CREATE TRIGGER audit_verified_update AFTER UPDATE ON audit
    BEGIN
        DELETE FROM audit_verified;
    END;
    CREATE TRIGGER audit_verified_delete AFTER DELETE ON audit
    BEGIN
        DELETE FROM audit_verified;
    END;
    CREATE TRIGGER audit_verified_insert AFTER INSERT ON audit
    WHEN NEW.id <= (SELECT id FROM audit_verified)
    BEGIN
        DELETE FROM audit_verified;
    END
"""

# Migration 11's triggers: the verified mark goes on any change through SQLite to the audit
# rows, their changes or their codes (socdesk's own writes only add rows after the mark).
AUDIT_COMPACT_TRIGGERS = (
    AUDIT_VERIFIED_TRIGGERS.rstrip()
    + """;
    CREATE TRIGGER changes_verified_update AFTER UPDATE ON changes
    BEGIN
        DELETE FROM audit_verified;
    END;
    CREATE TRIGGER changes_verified_delete AFTER DELETE ON changes
    BEGIN
        DELETE FROM audit_verified;
    END;
    CREATE TRIGGER changes_verified_insert AFTER INSERT ON changes
    WHEN NEW.id <= (SELECT id FROM audit_verified)
    BEGIN
        DELETE FROM audit_verified;
    END;
    CREATE TRIGGER audit_codes_verified_update AFTER UPDATE ON audit_codes
    BEGIN
        DELETE FROM audit_verified;
    END;
    CREATE TRIGGER audit_codes_verified_delete AFTER DELETE ON audit_codes
    BEGIN
        DELETE FROM audit_verified;
    END
"""
)

# The audit's rows as they read (schema 11): the logical columns of chain.COLUMNS, joined from
# the codes and the change, and the row's stored hash (its first 8 bytes). ``full_hash`` is the
# row's whole hash where it is stored (every 16th row, and a change's last row), else NULL.
AUDIT_LOG_VIEW = """
    CREATE VIEW audit_log AS
    SELECT a.id AS id, c.at AS at, c.who AS who, ka.value AS action, c.source AS source,
           c.batch_id AS batch_id, ku.value AS unit_code, km.value AS measure,
           ks.value AS scenario, a.version AS version, kp.value AS period, a.gender AS gender,
           a.grp AS grp, a.old_value AS old_value, ko.value AS old_status,
           a.new_value AS new_value, kn.value AS new_status, substr(a.hash, 1, 8) AS hash,
           CASE WHEN a.id = a.change_id THEN c.head_hash
                WHEN length(a.hash) = 32 THEN a.hash END AS full_hash
    FROM audit a
    LEFT JOIN changes c ON c.id = a.change_id
    LEFT JOIN audit_codes ka ON ka.id = a.action_id
    LEFT JOIN audit_codes ku ON ku.id = a.unit_code_id
    LEFT JOIN audit_codes km ON km.id = a.measure_id
    LEFT JOIN audit_codes ks ON ks.id = a.scenario_id
    LEFT JOIN audit_codes kp ON kp.id = a.period_id
    LEFT JOIN audit_codes ko ON ko.id = a.old_status_id
    LEFT JOIN audit_codes kn ON kn.id = a.new_status_id
"""


# 11: the audit's compact rows (docs/layout.md): the texts a row repeats as small integer
# codes (audit_codes: the value exactly as it was, whatever its type), when/who/source/batch
# once per change (``changes``, one row per write, its id the id of its last audit row), and
# per row only the first 8 bytes of its chain hash – the full 32 bytes every
# ``AUDIT_FULL_EVERY`` rows and per change (``changes.head_hash``). The chain's payload and
# hashes are unchanged; a broken chain is copied as it stands, never repaired. Runs of rows
# with the same when/who/source/batch become one change; the head and the verified mark end
# one, so their full hashes stay stored. Connection._migrate VACUUMs after the commit.
MIGRATION_11 = (
    """
    CREATE TABLE audit_codes (
        id    INTEGER PRIMARY KEY,
        value UNIQUE
    );
    INSERT INTO audit_codes (value) VALUES ('insert'), ('update'), ('delete'), ('value'), ('*'),
        ('.'), ('-'), ('utfall'), ('budget'), ('prognos'), ('mal'), ('avvikelse'),
        ('prognosavvikelse'), ('maluppfyllelse'), ('mått'), ('kvittering');
    INSERT OR IGNORE INTO audit_codes (value)
        SELECT DISTINCT unit_code FROM audit WHERE unit_code IS NOT NULL;
    INSERT OR IGNORE INTO audit_codes (value)
        SELECT DISTINCT measure FROM audit WHERE measure IS NOT NULL;
    INSERT OR IGNORE INTO audit_codes (value)
        SELECT DISTINCT period FROM audit WHERE period IS NOT NULL;
    INSERT OR IGNORE INTO audit_codes (value)
        SELECT v FROM (SELECT action AS v FROM audit UNION SELECT scenario FROM audit
                       UNION SELECT old_status FROM audit UNION SELECT new_status FROM audit)
        WHERE v IS NOT NULL;

    CREATE TEMP TABLE audit_run (id INTEGER PRIMARY KEY, run INTEGER NOT NULL);
    INSERT INTO temp.audit_run (id, run)
        SELECT id, sum(first) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING)
        FROM (SELECT id, CASE WHEN lag(id) OVER w IS NOT NULL
                                   AND lag(quote(at)) OVER w IS quote(at)
                                   AND lag(quote(who)) OVER w IS quote(who)
                                   AND lag(quote(source)) OVER w IS quote(source)
                                   AND lag(quote(batch_id)) OVER w IS quote(batch_id)
                                   AND lag(id) OVER w NOT IN (SELECT id FROM audit_head
                                                              UNION SELECT id FROM audit_verified)
                              THEN 0 ELSE 1 END AS first
              FROM audit WINDOW w AS (ORDER BY id));
    CREATE TEMP TABLE audit_change (run INTEGER PRIMARY KEY, id INTEGER NOT NULL);
    INSERT INTO temp.audit_change (run, id) SELECT run, max(id) FROM temp.audit_run GROUP BY run;

    CREATE TABLE changes (
        id        INTEGER PRIMARY KEY,
        at,
        who,
        source,
        batch_id  INTEGER,
        head_hash BLOB
    );
    INSERT INTO changes (id, at, who, source, batch_id, head_hash)
        SELECT a.id, a.at, a.who, a.source, a.batch_id, a.hash
        FROM temp.audit_change ch JOIN audit a ON a.id = ch.id ORDER BY a.id;
    CREATE INDEX changes_batch ON changes (batch_id);

    CREATE TABLE audit_compact (
        id            INTEGER PRIMARY KEY,
        change_id     INTEGER NOT NULL,
        action_id     INTEGER,
        unit_code_id  INTEGER,
        measure_id    INTEGER,
        scenario_id   INTEGER,
        version       TEXT,
        period_id     INTEGER,
        gender        TEXT,
        grp           TEXT,
        old_value     INTEGER,
        old_status_id INTEGER,
        new_value     INTEGER,
        new_status_id INTEGER,
        hash          BLOB
    );
    INSERT INTO audit_compact
        SELECT a.id, ch.id, ka.id, ku.id, km.id, ks.id, a.version, kp.id, a.gender, a.grp,
               a.old_value, ko.id, a.new_value, kn.id,
               CASE WHEN a.id % 16 = 0 OR typeof(a.hash) <> 'blob' THEN a.hash
                    ELSE substr(a.hash, 1, 8) END
        FROM audit a
        JOIN temp.audit_run r ON r.id = a.id
        JOIN temp.audit_change ch ON ch.run = r.run
        LEFT JOIN audit_codes ka ON ka.value = a.action
        LEFT JOIN audit_codes ku ON ku.value = a.unit_code
        LEFT JOIN audit_codes km ON km.value = a.measure
        LEFT JOIN audit_codes ks ON ks.value = a.scenario
        LEFT JOIN audit_codes kp ON kp.value = a.period
        LEFT JOIN audit_codes ko ON ko.value = a.old_status
        LEFT JOIN audit_codes kn ON kn.value = a.new_status
        ORDER BY a.id;
    DROP TABLE temp.audit_run;
    DROP TABLE temp.audit_change;
    DROP TABLE audit;
    ALTER TABLE audit_compact RENAME TO audit;
    CREATE INDEX audit_unit ON audit (unit_code_id);
    """
    + AUDIT_LOG_VIEW
    + ";"
    + AUDIT_COMPACT_TRIGGERS
)
