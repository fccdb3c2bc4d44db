-- Innovation budget lines per programme and year, apart from the regular
-- operating budget, and the register of goals carried over from earlier
-- organisation-wide programmes.
CREATE TABLE budget_lines (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    programme_id     BIGINT NOT NULL REFERENCES programmes(id),
    year             BIGINT NOT NULL,
    amount           DOUBLE PRECISION NOT NULL,
    source           TEXT NOT NULL,
    funder           TEXT NOT NULL,
    scheme           TEXT NOT NULL,
    note             TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX budget_lines_by_programme ON budget_lines (programme_id, year);

CREATE TABLE carry_over_items (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    programme_id     BIGINT NOT NULL REFERENCES programmes(id),
    goal             TEXT NOT NULL,
    origin           TEXT NOT NULL,
    consequence      TEXT NOT NULL,
    owner_user_id    BIGINT REFERENCES users(id),
    owner_name       TEXT NOT NULL,
    plan             TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX carry_over_items_by_programme ON carry_over_items (programme_id);
