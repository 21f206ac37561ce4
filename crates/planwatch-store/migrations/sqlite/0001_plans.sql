-- Regions, plan documents and their plans, versioned. See planwatch-store's docs for the
-- invariants; planwatch-store-postgres has the same schema in PostgreSQL's types.

CREATE TABLE regions (
    id        INTEGER PRIMARY KEY,
    -- "广东省/河源市/连平县": a region is its name plus its parent chain.
    path      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL CHECK (name <> ''),
    -- NULL for a region only named as a parent by some document.
    level     TEXT CHECK (level IN ('province', 'city', 'county')),
    parent_id INTEGER REFERENCES regions (id)
);
CREATE INDEX regions_parent ON regions (parent_id);

-- A source document as read, deduplicated by the hash of its lines.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    line_count  INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE document_lines (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    line_no     INTEGER NOT NULL CHECK (line_no >= 1),
    text        TEXT NOT NULL,
    PRIMARY KEY (document_id, line_no)
) WITHOUT ROWID;

-- A plan is (region, kind, period); its content lives in its versions.
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    region_id    INTEGER NOT NULL REFERENCES regions (id),
    kind         TEXT NOT NULL CHECK (kind IN ('women', 'children')),
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    UNIQUE (region_id, kind, period_start, period_end)
);

CREATE TABLE plan_versions (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT NOT NULL,
    -- Hash of the source document and of what was read from it.
    content_hash TEXT NOT NULL,
    document_id  INTEGER NOT NULL REFERENCES documents (id),
    imported_at  TEXT NOT NULL,
    UNIQUE (plan_id, version)
);

CREATE TABLE indicators (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- 责任单位
CREATE TABLE responsible_units (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE plan_domains (
    version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;

CREATE TABLE targets (
    version_id   INTEGER NOT NULL REFERENCES plan_versions (id),
    position     INTEGER NOT NULL,
    line         INTEGER NOT NULL CHECK (line >= 0),
    section      TEXT NOT NULL CHECK (section IN ('main', 'measure')),
    domain       TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    comparator   TEXT NOT NULL CHECK (comparator IN ('>=', '<=', '>', '<', '=')),
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    text         TEXT NOT NULL,
    owner_id     INTEGER REFERENCES responsible_units (id),
    binding      BOOLEAN,
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
CREATE INDEX targets_indicator ON targets (indicator_id);

CREATE TABLE qualitative_targets (
    version_id   INTEGER NOT NULL REFERENCES plan_versions (id),
    position     INTEGER NOT NULL,
    line         INTEGER NOT NULL CHECK (line >= 0),
    section      TEXT NOT NULL CHECK (section IN ('main', 'measure')),
    domain       TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    direction    TEXT NOT NULL CHECK (direction IN ('up', 'down', 'keep')),
    text         TEXT NOT NULL,
    owner_id     INTEGER REFERENCES responsible_units (id),
    binding      BOOLEAN,
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;

CREATE TABLE baselines (
    version_id   INTEGER NOT NULL REFERENCES plan_versions (id),
    position     INTEGER NOT NULL,
    line         INTEGER NOT NULL CHECK (line >= 0),
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    text         TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
