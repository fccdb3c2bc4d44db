-- Foundation: tenants, people, sessions, tokens and the audit log.
CREATE TABLE organisations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE units (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    parent_id        BIGINT REFERENCES units(id),
    name             TEXT NOT NULL,
    archived_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_by_organisation ON units (organisation_id, parent_id);

CREATE TABLE users (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email              TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    locale             TEXT NOT NULL DEFAULT 'nl',
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    is_platform_admin  BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash      TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    role             TEXT NOT NULL,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE sessions (
    id_hash          TEXT PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    csrf_token       TEXT NOT NULL,
    flash            TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    last_seen_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    name             TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    prefix           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ,
    last_used_at     TIMESTAMPTZ,
    revoked_at       TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_owner ON api_tokens (organisation_id, user_id);

CREATE TABLE invitations (
    token_hash       TEXT PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    used_at          TIMESTAMPTZ
);

CREATE TABLE login_failures (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           TEXT NOT NULL,
    client_address  TEXT NOT NULL,
    failed_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (client_address, failed_at);

CREATE TABLE audit_events (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT REFERENCES organisations(id),
    actor_user_id    BIGINT REFERENCES users(id),
    actor_label      TEXT NOT NULL,
    action           TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    client_address   TEXT,
    changes          TEXT NOT NULL
);
CREATE INDEX audit_events_by_organisation ON audit_events (organisation_id, id);
