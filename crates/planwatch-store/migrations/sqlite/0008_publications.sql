-- Published reports (发布机制, planwatch-store's `publications` module): each publication
-- freezes a report as the JSON of planwatch-core's `Report`, so that what the public reads
-- at its address never changes when the data do; publishing the same report (region, year,
-- kind) again adds version N+1 beside the older ones. Triggers keep the table append-only.
-- planwatch-store's PostgreSQL migrations have the same schema.

CREATE TABLE publications (
    id           INTEGER PRIMARY KEY,
    region_id    INTEGER NOT NULL REFERENCES regions (id),
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    kind         TEXT NOT NULL CHECK (kind IN ('annual', 'midterm', 'final', 'units', 'upward')),
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT NOT NULL CHECK (title <> ''),
    -- The report as published: planwatch-core's `Report` serialised as JSON.
    report_json  TEXT NOT NULL CHECK (report_json <> ''),
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL CHECK (published_by <> ''),
    -- Why it was published (again), as the office wrote it.
    why          TEXT,
    UNIQUE (region_id, year, kind, version)
);

CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications
BEGIN
    SELECT RAISE(ABORT, '已发布的报告不可修改，请重新发布新版本');
END;

CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications
BEGIN
    SELECT RAISE(ABORT, '已发布的报告不可删除');
END;
