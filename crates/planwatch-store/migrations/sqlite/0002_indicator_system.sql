-- A region's indicator system as people maintain it: targets seeded by imports or added
-- by people, each change a new version with who, when and why (planwatch-store's
-- `system` module). Reported data (observations) is keyed by region and indicator key
-- (the catalog code, or `local:{name}`). planwatch-store-postgres has the same schema.

CREATE TABLE system_targets (
    id           INTEGER PRIMARY KEY,
    region_id    INTEGER NOT NULL REFERENCES regions (id),
    kind         TEXT NOT NULL CHECK (kind IN ('women', 'children')),
    plan_id      INTEGER REFERENCES plans (id),
    plan_version INTEGER,
    line         INTEGER CHECK (line >= 0),
    -- Identifies an imported target across plan versions; NULL for one people added.
    origin       TEXT,
    version      INTEGER NOT NULL CHECK (version >= 1),
    UNIQUE (region_id, origin)
);

CREATE TABLE system_target_versions (
    target_id  INTEGER NOT NULL REFERENCES system_targets (id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    action     TEXT NOT NULL CHECK (action IN ('import', 'add', 'edit', 'map', 'retire', 'restore')),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL CHECK (changed_by <> ''),
    why        TEXT NOT NULL CHECK (why <> ''),
    domain     TEXT NOT NULL,
    indicator  TEXT NOT NULL CHECK (indicator <> ''),
    code       TEXT,
    confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    mapping    TEXT NOT NULL CHECK (mapping IN ('auto', 'confirmed', 'corrected', 'local')),
    comparator TEXT NOT NULL CHECK (comparator IN ('>=', '<=', '>', '<', '=')),
    value      REAL NOT NULL,
    unit       TEXT NOT NULL,
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    owner      TEXT,
    binding    BOOLEAN,
    text       TEXT NOT NULL,
    retired    BOOLEAN NOT NULL,
    -- The indicator key reported data is filed under.
    indicator_key TEXT NOT NULL,
    PRIMARY KEY (target_id, version)
) WITHOUT ROWID;
CREATE INDEX system_target_versions_code ON system_target_versions (code);

CREATE TABLE observations (
    region_id     INTEGER NOT NULL REFERENCES regions (id),
    indicator_key TEXT NOT NULL,
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    value         REAL NOT NULL,
    source        TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (region_id, indicator_key, year)
) WITHOUT ROWID;
