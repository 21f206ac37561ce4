-- The annual reporting round (年度监测数据报送, planwatch-store's `rounds` module): a
-- region's round per year with its dates, each member unit's submission in it with the
-- values as entered (total, numerator, denominator, breakdown groups; drafts included), and
-- every change of such a value with its channel in `value_changes`, which triggers keep
-- append-only. Approved values enter `observations`; `observation_changes` now says through
-- which channel each value came. planwatch-store's PostgreSQL migrations have the same
-- schema.

CREATE TABLE rounds (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES regions (id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    -- Dates as YYYY-MM-DD, China time; the closing date is the last day that is on time.
    opens_on   TEXT NOT NULL,
    closes_on  TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('open', 'closed', 'reopened')),
    version    INTEGER NOT NULL CHECK (version >= 1),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL CHECK (created_by <> ''),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL CHECK (changed_by <> ''),
    -- Why it was last closed, reopened or given new dates.
    why        TEXT,
    UNIQUE (region_id, year),
    CHECK (opens_on <= closes_on)
);

CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    unit_id        INTEGER NOT NULL REFERENCES member_units (id),
    state          TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    -- Grows with every write, so that two people saving one form cannot overwrite each
    -- other unnoticed.
    version        INTEGER NOT NULL CHECK (version >= 1),
    saved_at       TEXT NOT NULL,
    saved_by       TEXT NOT NULL,
    submitted_at   TEXT,
    submitted_by   TEXT,
    late           BOOLEAN NOT NULL,
    reviewed_at    TEXT,
    reviewed_by    TEXT,
    -- The reviewer's comment on the whole when returned.
    review_comment TEXT,
    approved_at    TEXT,
    -- Why an approved submission was opened again.
    reopen_reason  TEXT,
    UNIQUE (round_id, unit_id)
);

CREATE TABLE submission_values (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id),
    indicator_key  TEXT NOT NULL,
    -- '' for the total; 'numerator', 'denominator', or a breakdown group as '性别:女'.
    part           TEXT NOT NULL,
    value          REAL,
    -- The reporter's explanation (on the total only).
    explanation    TEXT,
    -- The reviewer's comment when returned (on the total only).
    comment        TEXT,
    -- The value when the submission was last approved.
    approved_value REAL,
    PRIMARY KEY (submission_id, indicator_key, part)
) WITHOUT ROWID;

CREATE TABLE value_changes (
    id              INTEGER PRIMARY KEY,
    submission_id   INTEGER NOT NULL REFERENCES submissions (id),
    region_id       INTEGER NOT NULL,
    unit_id         INTEGER NOT NULL,
    year            INTEGER NOT NULL,
    indicator_key   TEXT NOT NULL,
    part            TEXT NOT NULL,
    old_value       REAL,
    new_value       REAL,
    old_explanation TEXT,
    new_explanation TEXT,
    channel         TEXT NOT NULL CHECK (channel IN ('form', 'upload', 'api', 'cli', 'review', 'demo')),
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL CHECK (changed_by <> ''),
    why             TEXT NOT NULL CHECK (why <> '')
);
CREATE INDEX value_changes_region ON value_changes (region_id, unit_id, id);
CREATE INDEX value_changes_key ON value_changes (region_id, indicator_key, year);

CREATE TRIGGER value_changes_no_update BEFORE UPDATE ON value_changes
BEGIN
    SELECT RAISE(ABORT, '填报修改记录不可修改');
END;

CREATE TRIGGER value_changes_no_delete BEFORE DELETE ON value_changes
BEGIN
    SELECT RAISE(ABORT, '填报修改记录不可删除');
END;

ALTER TABLE observation_changes ADD COLUMN channel TEXT NOT NULL DEFAULT 'cli'
    CHECK (channel IN ('form', 'upload', 'api', 'cli', 'review', 'demo'));
UPDATE observation_changes SET channel = 'demo' WHERE demo;
