-- The innovation portfolio: initiatives with their learning goals and
-- technology tags, links to ambitions and to indicators (with the expected
-- effect), and the gate decisions that move them between stages. Money is
-- stored in whole cents.
CREATE TABLE initiatives (
    id                    INTEGER PRIMARY KEY,
    organisation_id       INTEGER NOT NULL REFERENCES organisations(id),
    kind                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    problem               TEXT NOT NULL,
    hypothesis            TEXT NOT NULL,
    learning_goals        TEXT NOT NULL,
    technologies          TEXT NOT NULL,
    owner_user_id         INTEGER REFERENCES users(id),
    unit_id               INTEGER REFERENCES units(id),
    go_live_on            INTEGER,
    stage                 TEXT NOT NULL,
    cost_estimate_cents   INTEGER,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX initiatives_by_organisation ON initiatives (organisation_id, stage);

CREATE TABLE initiative_ambitions (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    initiative_id    INTEGER NOT NULL REFERENCES initiatives(id),
    ambition_id      INTEGER NOT NULL REFERENCES ambitions(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, ambition_id)
);

CREATE TABLE initiative_indicators (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    initiative_id    INTEGER NOT NULL REFERENCES initiatives(id),
    indicator_id     INTEGER NOT NULL REFERENCES indicators(id),
    direction        TEXT NOT NULL,
    expected_size    REAL,
    PRIMARY KEY (initiative_id, indicator_id)
);
CREATE INDEX initiative_indicators_by_indicator ON initiative_indicators (indicator_id);

CREATE TABLE gate_decisions (
    id                 INTEGER PRIMARY KEY,
    organisation_id    INTEGER NOT NULL REFERENCES organisations(id),
    initiative_id      INTEGER NOT NULL REFERENCES initiatives(id),
    from_stage         TEXT NOT NULL,
    to_stage           TEXT NOT NULL,
    decision           TEXT NOT NULL,
    evidence           TEXT NOT NULL,
    criteria           TEXT NOT NULL,
    body_id            INTEGER REFERENCES governance_bodies(id),
    decided_by         TEXT NOT NULL,
    decided_on         INTEGER NOT NULL,
    learning           TEXT NOT NULL,
    created_by         INTEGER REFERENCES users(id),
    created_at         TEXT NOT NULL
);
CREATE INDEX gate_decisions_by_initiative ON gate_decisions (initiative_id, decided_on);
