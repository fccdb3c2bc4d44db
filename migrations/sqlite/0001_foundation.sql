-- Foundation: tenants, people, sessions, tokens and the audit log.
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE units (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    parent_id        INTEGER REFERENCES units(id),
    name             TEXT NOT NULL,
    archived_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX units_by_organisation ON units (organisation_id, parent_id);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    email              TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    locale             TEXT NOT NULL DEFAULT 'nl',
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    is_platform_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash      TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE TABLE memberships (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    role             TEXT NOT NULL,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE sessions (
    id_hash          TEXT PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    csrf_token       TEXT NOT NULL,
    flash            TEXT,
    created_at       TEXT NOT NULL,
    last_seen_at     TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    name             TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    prefix           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT,
    last_used_at     TEXT,
    revoked_at       TEXT
);
CREATE INDEX api_tokens_by_owner ON api_tokens (organisation_id, user_id);

CREATE TABLE invitations (
    token_hash       TEXT PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    used_at          TEXT
);

CREATE TABLE login_failures (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL,
    client_address  TEXT NOT NULL,
    failed_at       TEXT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (client_address, failed_at);

CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER REFERENCES organisations(id),
    actor_user_id    INTEGER REFERENCES users(id),
    actor_label      TEXT NOT NULL,
    action           TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    occurred_at      TEXT NOT NULL,
    client_address   TEXT,
    changes          TEXT NOT NULL
);
CREATE INDEX audit_events_by_organisation ON audit_events (organisation_id, id);
