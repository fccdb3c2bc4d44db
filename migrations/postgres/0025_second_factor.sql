-- The second factor of local accounts: a TOTP secret per person (set up,
-- then confirmed with a first code), one-time recovery codes, logins that
-- passed the password and wait for the code, and the organisation setting
-- that makes the second factor compulsory for its administrators.
CREATE TABLE second_factors (
    user_id         BIGINT PRIMARY KEY REFERENCES users(id),
    secret          TEXT NOT NULL,
    confirmed_at    TIMESTAMPTZ,
    last_used_step  BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE recovery_codes (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    code_hash   TEXT NOT NULL,
    used_at     TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE pending_logins (
    id_hash     TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    email       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    failures    BIGINT NOT NULL DEFAULT 0
);

ALTER TABLE organisations ADD COLUMN admins_need_second_factor BOOLEAN NOT NULL DEFAULT FALSE;

-- Earlier logins of one person, for the new-network signal.
CREATE INDEX audit_events_by_actor ON audit_events (actor_user_id, action);
-- Security signals of one organisation since a day, on the admins' start page.
CREATE INDEX audit_events_by_action ON audit_events (organisation_id, action, occurred_at);
