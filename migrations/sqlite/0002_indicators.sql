-- Indicators, their dated targets (revisions kept) and measurements.
-- Periods and target dates are stored as days since 1970-01-01.
CREATE TABLE indicators (
    id                   INTEGER PRIMARY KEY,
    organisation_id      INTEGER NOT NULL REFERENCES organisations(id),
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    perspective          TEXT NOT NULL,
    value_unit           TEXT NOT NULL,
    min_value            REAL,
    max_value            REAL,
    direction            TEXT NOT NULL,
    range_low            REAL,
    range_high           REAL,
    frequency            TEXT NOT NULL,
    aggregation          TEXT NOT NULL,
    baseline_value       REAL,
    baseline_period      INTEGER,
    owner_user_id        INTEGER REFERENCES users(id),
    responsible_unit_id  INTEGER REFERENCES units(id),
    data_source          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (organisation_id, code)
);

CREATE TABLE indicator_targets (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    indicator_id     INTEGER NOT NULL REFERENCES indicators(id),
    target_day       INTEGER NOT NULL,
    value            REAL NOT NULL,
    reason           TEXT NOT NULL,
    created_by       INTEGER REFERENCES users(id),
    created_at       TEXT NOT NULL,
    superseded_at    TEXT
);
CREATE INDEX indicator_targets_by_indicator ON indicator_targets (indicator_id, target_day);

CREATE TABLE measurements (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    indicator_id     INTEGER NOT NULL REFERENCES indicators(id),
    period_start     INTEGER NOT NULL,
    dimension_key    TEXT NOT NULL,
    value            REAL NOT NULL,
    note             TEXT NOT NULL,
    source           TEXT NOT NULL,
    recorded_by      INTEGER REFERENCES users(id),
    recorded_at      TEXT NOT NULL,
    UNIQUE (indicator_id, period_start, dimension_key)
);
