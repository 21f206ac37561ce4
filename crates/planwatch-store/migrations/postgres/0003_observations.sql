-- Reported data (监测数据) with who recorded it, demonstration values marked, and an audit
-- log: every value inserted or changed is a row of `observation_changes` (old and new
-- value and source, who, when, why); rows are never updated. planwatch-store-sqlite has
-- the same schema.

ALTER TABLE observations ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE observations ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '（未记录）';

CREATE TABLE observation_changes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id     BIGINT NOT NULL REFERENCES regions (id),
    indicator_key TEXT NOT NULL,
    year          BIGINT NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    old_value     DOUBLE PRECISION,
    new_value     DOUBLE PRECISION,
    old_source    TEXT,
    new_source    TEXT,
    demo          BOOLEAN NOT NULL,
    changed_at    TIMESTAMPTZ NOT NULL,
    changed_by    TEXT NOT NULL CHECK (changed_by <> ''),
    why           TEXT NOT NULL CHECK (why <> '')
);
CREATE INDEX observation_changes_key ON observation_changes (region_id, indicator_key);
