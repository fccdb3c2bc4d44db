-- A wave asks one version of an instrument to the employees of some units
-- between two dates.
CREATE TABLE survey_waves (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    instrument_id    BIGINT NOT NULL REFERENCES survey_instruments(id),
    version_id       BIGINT NOT NULL REFERENCES survey_versions(id),
    name             TEXT NOT NULL,
    opens_on         BIGINT NOT NULL,
    closes_on        BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, name)
);

-- The audience: these units and every unit below them; none means the
-- whole organisation.
CREATE TABLE survey_wave_units (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    wave_id          BIGINT NOT NULL REFERENCES survey_waves(id),
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (wave_id, unit_id)
);

-- Who was invited and whether they answered. Nothing here points at an
-- answer, and no time of answering is kept.
CREATE TABLE survey_invitations (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    wave_id          BIGINT NOT NULL REFERENCES survey_waves(id),
    employee_id      BIGINT NOT NULL REFERENCES employees(id),
    unit_id          BIGINT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    answered         BIGINT NOT NULL,
    reminders        BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (wave_id, employee_id)
);

-- One respondent's answers: no user, no token, no time; a random id, so
-- that the order of ids says nothing about the order of answering.
CREATE TABLE survey_responses (
    id               BIGINT PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    wave_id          BIGINT NOT NULL REFERENCES survey_waves(id),
    unit_id          BIGINT NOT NULL
);
CREATE INDEX survey_responses_by_wave ON survey_responses (wave_id, unit_id);

CREATE TABLE survey_answers (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    response_id      BIGINT NOT NULL REFERENCES survey_responses(id),
    item_id          BIGINT NOT NULL REFERENCES survey_items(id),
    score            BIGINT,
    answer_text      TEXT,
    PRIMARY KEY (response_id, item_id)
);
