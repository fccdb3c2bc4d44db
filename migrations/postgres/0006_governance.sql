-- Transformation programmes with their vision, ambitions (linked to the
-- indicators that show whether they are reached), the accountable
-- executive as a history of terms, and the sessions that shaped the vision.
-- Dates are stored as days since 1970-01-01, like target dates.
CREATE TABLE programmes (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    name             TEXT NOT NULL,
    vision           TEXT NOT NULL,
    starts_on        BIGINT NOT NULL,
    ends_on          BIGINT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE ambitions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    programme_id     BIGINT NOT NULL REFERENCES programmes(id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    position         BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX ambitions_by_programme ON ambitions (programme_id, position);

CREATE TABLE ambition_indicators (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    ambition_id      BIGINT NOT NULL REFERENCES ambitions(id) ON DELETE CASCADE,
    indicator_id     BIGINT NOT NULL REFERENCES indicators(id),
    linked_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (ambition_id, indicator_id)
);
CREATE INDEX ambition_indicators_by_indicator ON ambition_indicators (indicator_id);

CREATE TABLE programme_executives (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id    BIGINT NOT NULL REFERENCES organisations(id),
    programme_id       BIGINT NOT NULL REFERENCES programmes(id),
    user_id            BIGINT REFERENCES users(id),
    name               TEXT NOT NULL,
    title              TEXT NOT NULL,
    portfolio          TEXT NOT NULL,
    mandate            TEXT NOT NULL,
    budget_amount      DOUBLE PRECISION,
    budget_period      TEXT NOT NULL,
    starts_on          BIGINT NOT NULL,
    ends_on            BIGINT,
    confirmed_on       BIGINT,
    confirmation_note  TEXT NOT NULL,
    confirmed_by       BIGINT REFERENCES users(id),
    created_by         BIGINT REFERENCES users(id),
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX programme_executives_by_programme ON programme_executives (programme_id, starts_on);

CREATE TABLE co_creation_sessions (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id       BIGINT NOT NULL REFERENCES organisations(id),
    programme_id          BIGINT NOT NULL REFERENCES programmes(id),
    held_on               BIGINT NOT NULL,
    form                  TEXT NOT NULL,
    participants          TEXT NOT NULL,
    executives_took_part  BOOLEAN NOT NULL,
    outcome               TEXT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX co_creation_sessions_by_programme ON co_creation_sessions (programme_id, held_on);
