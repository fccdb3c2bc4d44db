-- Innovation budget lines per programme and year, apart from the regular
-- operating budget, and the register of goals carried over from earlier
-- organisation-wide programmes.
CREATE TABLE budget_lines (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    programme_id     INTEGER NOT NULL REFERENCES programmes(id),
    year             INTEGER NOT NULL,
    amount           REAL NOT NULL,
    source           TEXT NOT NULL,
    funder           TEXT NOT NULL,
    scheme           TEXT NOT NULL,
    note             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX budget_lines_by_programme ON budget_lines (programme_id, year);

CREATE TABLE carry_over_items (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    programme_id     INTEGER NOT NULL REFERENCES programmes(id),
    goal             TEXT NOT NULL,
    origin           TEXT NOT NULL,
    consequence      TEXT NOT NULL,
    owner_user_id    INTEGER REFERENCES users(id),
    owner_name       TEXT NOT NULL,
    plan             TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX carry_over_items_by_programme ON carry_over_items (programme_id);
