-- Single sign-on with OpenID Connect: one connection per organisation
-- (its client secret sealed with the installation's key), the provider
-- identities linked to people, logins waiting for the provider's answer,
-- and the ID token a session keeps for logging out at the provider
-- (sealed too; its presence marks a session opened by single sign-on).
CREATE TABLE sso_connections (
    organisation_id       BIGINT PRIMARY KEY REFERENCES organisations(id),
    preset                TEXT NOT NULL,
    issuer                TEXT NOT NULL,
    client_id             TEXT NOT NULL,
    client_secret_sealed  TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    email_claim           TEXT NOT NULL,
    groups_claim          TEXT,
    role_rules            TEXT NOT NULL,
    default_role          TEXT NOT NULL,
    match_by_email        BOOLEAN NOT NULL,
    password_login_off    BOOLEAN NOT NULL,
    enabled               BOOLEAN NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE sso_identities (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    issuer           TEXT NOT NULL,
    subject          TEXT NOT NULL,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL,
    last_login_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, issuer, subject)
);
CREATE INDEX sso_identities_by_user ON sso_identities (user_id, organisation_id);

CREATE TABLE sso_logins (
    state_hash       TEXT PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    nonce            TEXT NOT NULL,
    pkce_verifier    TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);

ALTER TABLE sessions ADD COLUMN sso_id_token TEXT;
