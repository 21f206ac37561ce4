-- People and their boundaries (planwatch-store's `people` module): accounts, roles per
-- region, sessions, API tokens, failed logins (for throttling), the member units (成员单位)
-- of a region with the targets assigned to them (versioned, who/when/why), and the audit
-- log, which triggers keep append-only. Secrets are stored as hashes only.
-- planwatch-store's PostgreSQL migrations have the same schema.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE CHECK (name <> ''),
    display_name        TEXT NOT NULL,
    -- argon2id in PHC form.
    password_hash       TEXT NOT NULL CHECK (password_hash <> ''),
    disabled            BOOLEAN NOT NULL,
    -- Only for demo accounts (shown on the demo's login page); cleared on a new password.
    demo_password       TEXT,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE member_units (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES regions (id),
    -- The short name pages use ("卫健委").
    name       TEXT NOT NULL CHECK (name <> ''),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (region_id, name),
    -- Lets a reporter's role name its unit together with the unit's region.
    UNIQUE (id, region_id)
);

CREATE TABLE user_roles (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'office', 'bureau', 'reporter', 'viewer')),
    -- NULL for the administrator only.
    region_id  INTEGER REFERENCES regions (id),
    -- A reporter's unit, which must be of the role's region.
    unit_id    INTEGER,
    granted_at TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    FOREIGN KEY (unit_id, region_id) REFERENCES member_units (id, region_id),
    CHECK ((role = 'admin') = (region_id IS NULL)),
    CHECK ((role = 'reporter') = (unit_id IS NOT NULL))
);
-- One row per role held (NULLs folded, since NULLs never collide in a unique index).
CREATE UNIQUE INDEX user_roles_held
    ON user_roles (user_id, role, COALESCE(region_id, 0), COALESCE(unit_id, 0));
CREATE INDEX user_roles_region ON user_roles (region_id);

-- A signed-in browser, by the SHA-256 of its cookie.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL CHECK (name <> ''),
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    -- The SHA-256 of the token; the token itself is shown once.
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    -- The account name as typed (it may name nobody).
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Which member units a target is assigned to: each change a new version.
CREATE TABLE target_assignments (
    target_id    INTEGER NOT NULL REFERENCES system_targets (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    -- The lead department (牵头单位); NULL when nobody leads.
    lead_unit_id INTEGER REFERENCES member_units (id),
    changed_at   TEXT NOT NULL,
    changed_by   TEXT NOT NULL CHECK (changed_by <> ''),
    why          TEXT NOT NULL CHECK (why <> ''),
    PRIMARY KEY (target_id, version)
) WITHOUT ROWID;

-- The supporting departments (配合单位) of one assignment version.
CREATE TABLE target_assignment_units (
    target_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES member_units (id),
    PRIMARY KEY (target_id, version, unit_id),
    FOREIGN KEY (target_id, version) REFERENCES target_assignments (target_id, version)
) WITHOUT ROWID;
CREATE INDEX target_assignment_units_unit ON target_assignment_units (unit_id);

-- Who did what, when: append-only. `region_id` is no foreign key on purpose: the log
-- outlives what it speaks of.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action <> ''),
    region_id INTEGER,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    address   TEXT
);
CREATE INDEX audit_log_region ON audit_log (region_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志不可修改');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志不可删除');
END;
